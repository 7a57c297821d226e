#ifndef RINGSIDE_CSQLITE_SHIM_H
#define RINGSIDE_CSQLITE_SHIM_H
// SQLite's variadic configuration calls, which Swift cannot call, as plain functions (issue 16: the phone-index
// sync's bulk writes). Connections are passed as `void *` (GRDB's `sqliteConnection`), so this module's copy of the
// SQLite declarations never meets GRDBSQLite's in a Swift file.
#include <sqlite3.h>

/// Turns the connection's triggers on (1) or off (0) (`SQLITE_DBCONFIG_ENABLE_TRIGGER`; other connections are not
/// affected; prepared statements are re-prepared). Returns SQLITE_OK and the setting now in effect in `*now`.
static inline int ringside_sqlite_set_triggers(void *db, int on, int *now) {
    return sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, now);
}

/// Stops SQLite's process-wide memory statistics (a mutex around every allocation; nothing here reads them).
/// Only before SQLite is initialised: returns SQLITE_MISUSE after.
static inline int ringside_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
