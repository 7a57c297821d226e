import GRDB

extension RingsideDatabase {
    /// Schema history. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "calls") { t in
                t.primaryKey("callObject", .text)
                t.column("callType", .text).notNull()
                t.column("direction", .text).notNull()
                t.column("remote", .text).notNull()
                t.column("e164", .text)
                t.column("remoteName", .text)
                t.column("startedAt", .datetime).notNull().indexed()
                t.column("answeredAt", .datetime)
                t.column("endedAt", .datetime).notNull()
                t.column("durationSeconds", .integer).notNull()
                t.column("holdSeconds", .integer).notNull()
                t.column("endReason", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("description", .text).notNull()
                t.column("activityDate", .text).notNull()
                t.column("status", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("ownerId", .text)
                t.column("disposition", .text)
                t.column("notes", .text).notNull()
                t.column("who", .jsonText)
                t.column("what", .jsonText)
                t.column("associationRule", .integer).notNull()
                t.column("associationNote", .text)
                t.column("timeZone", .text).notNull()
                t.column("delivery", .text).notNull().indexed()
                t.column("crmId", .text)
                t.column("lastError", .text)
            }
            try db.create(table: "outbox") { t in
                t.primaryKey("callObject", .text).references("calls", onDelete: .cascade)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .datetime).notNull().indexed()
                t.column("lastError", .text)
                t.column("lastErrorCode", .text)
                t.column("uncertain", .boolean).notNull().defaults(to: false)
                t.column("parked", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("callObject", .text)
                t.column("action", .text).notNull()
                t.column("endpoint", .text)
                t.column("httpStatus", .integer)
                t.column("errorCode", .text)
                t.column("attempt", .integer)
                t.column("detail", .text)
            }
            // Append-only: the audit log can't be edited or pruned through SQL by mistake.
            try db.execute(sql: """
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
                """)
            try db.create(table: "directory") { t in
                t.primaryKey("id", .text)
                t.column("type", .text).notNull()
                t.column("name", .text).notNull()
                t.column("accountId", .text)
                t.column("accountName", .text)
                t.column("owner", .text)
                t.column("lastModified", .datetime).notNull()
                t.column("isPersonAccount", .boolean).notNull().defaults(to: false)
                t.column("url", .text)
                t.column("source", .text).notNull()
                t.column("favourite", .boolean).notNull().defaults(to: false)
            }
            try db.create(index: "directory_name", on: "directory", columns: ["name"])
            try db.create(table: "directoryPhone") { t in
                t.column("recordId", .text).notNull().references("directory", onDelete: .cascade)
                t.column("field", .text).notNull()
                t.column("raw", .text).notNull()
                t.column("e164", .text)
                t.primaryKey(["recordId", "field"])
            }
            try db.create(index: "directoryPhone_e164", on: "directoryPhone", columns: ["e164"])
            try db.create(table: "settings") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        migrator.registerMigration("v2-outbox-claims") { db in
            // A claim marks items being sent: if the process dies mid-request, an expired claim means
            // "may have been delivered" and the next attempt checks the CRM before sending again.
            try db.alter(table: "outbox") { t in
                t.add(column: "claimedUntil", .datetime)
            }
        }
        migrator.registerMigration("v3-phone-index") { db in
            // The synced phone index lives in the directory tables (source = 'salesforce'). A full sync stamps
            // every row it writes with its generation; rows of older generations are gone from the org.
            try db.alter(table: "directory") { t in
                t.add(column: "syncGeneration", .integer)
            }
            try db.create(index: "directory_source", on: "directory", columns: ["source", "syncGeneration"])
        }
        migrator.registerMigration("v3-record-updates") { db in
            // Post-call field updates applied to local directory records (the demo's stand-in for a CRM update).
            try db.create(table: "recordUpdate") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("recordId", .text).notNull().indexed()
                t.column("field", .text).notNull()
                t.column("value", .text).notNull()
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v4-journal") { db in
            // The call journal: every call from its first event until its record is complete, as the session's
            // state machine (JSON). Rows left at start-up are calls Ringside was handling when it stopped.
            try db.create(table: "journal") { t in
                t.primaryKey("callObject", .text)
                t.column("machine", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v5-issue14-outbox-sent-at") { db in
            // When the latest possibly-processed request for an item went out, and whether it was an upsert by an
            // external id: the CRM is not asked about an uncertain record while that request may still be running.
            try db.alter(table: "outbox") { t in
                t.add(column: "sentAt", .datetime)
                t.add(column: "sentIdempotent", .boolean).notNull().defaults(to: false)
            }
            // Claims left by an older version: their request went out at most a lease (120 s) before the claim ended.
            try db.execute(sql: "UPDATE outbox SET sentAt = datetime(claimedUntil, '-120 seconds') WHERE claimedUntil IS NOT NULL")
        }
        migrator.registerMigration("v5-issue15-no-demo-in-salesforce") { db in
            // Issue 15: `lookup` / `directory count` in Salesforce mode used to seed the demo directory into the
            // Salesforce database, where demo people answered real callers. A database that has seen Salesforce
            // (synced or looked-up records, a sync checkpoint, calls queued for or delivered to the CRM) loses
            // its demo rows. A local/demo database is left alone.
            let salesforce = try Bool.fetchOne(db, sql: """
                SELECT EXISTS(SELECT 1 FROM directory WHERE source = 'salesforce')
                    OR EXISTS(SELECT 1 FROM settings WHERE key LIKE 'phoneIndex.%')
                    OR EXISTS(SELECT 1 FROM calls WHERE crmId IS NOT NULL OR delivery IN ('queued', 'parked'))
                    OR EXISTS(SELECT 1 FROM outbox)
                """) ?? false
            guard salesforce else { return }
            try RingsideDatabase.deleteDemoRows(db)
        }
        migrator.registerMigration("v6-issue16-directory-revision") { db in
            // Issue 16: a counter bumped by every change to the directory's rows (sync, import, New, demo seed), so a
            // saved phone-index snapshot is used only while it matches the tables it was built from.
            try db.execute(sql: """
                CREATE TABLE directoryRevision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL);
                INSERT INTO directoryRevision (id, revision) VALUES (1, 0);
                """)
            try createRevisionTriggers(db)
        }
        migrator.registerMigration("v6-issue17-team-log") { db in
            // Issue 17: what a supervisor's wallboard observed (queue events, agent presence), for `ringside report`.
            try db.create(table: "teamLog") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("observedAt", .datetime).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("agentId", .text)
                t.column("payload", .text).notNull()
            }
        }
        migrator.registerMigration("v6-issue17-event-outbox") { db in
            // Platform events (agent state → Salesforce): saved before they are sent, sent oldest first, retried;
            // a permanent refusal parks the event with the error.
            try db.create(table: "eventOutbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sobject", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("state", .text).notNull().defaults(to: "queued")
                t.column("lastError", .text)
                t.column("deliveredAt", .datetime)
            }
            try db.create(index: "eventOutbox_due", on: "eventOutbox", columns: ["state", "nextAttemptAt"])
        }
        migrator.registerMigration("v7-issue17-queue-outbox") { db in
            // Queue observations an agent publishes on the MQTT queue feed: saved first, sent oldest first once the
            // broker acknowledges, deleted when acknowledged. A link outage no longer loses them.
            try db.create(table: "queueOutbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agentId", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("lastError", .text)
            }
            try db.create(index: "queueOutbox_agent", on: "queueOutbox", columns: ["agentId", "id"])
        }
        migrator.registerMigration("v7-issue17-wrap-up-seconds") { db in
            // Wrap-up time of a call (from the end of the call to the agent finishing its wrap-up); NULL for rows
            // saved before it was recorded.
            try db.alter(table: "calls") { t in t.add(column: "wrapUpSeconds", .integer) }
        }
        migrator.registerMigration("v7-issue16-favourite-index") { db in
            // The console reads the favourites before its first paint: without an index that was a scan of every
            // directory row (80–160 ms at 500k records). A partial index holds only the favourites, in name order.
            try db.execute(sql: "CREATE INDEX directory_favourite ON directory(name) WHERE favourite = 1")
        }
        migrator.registerMigration("v7-issue16-revision-per-batch") { db in
            // Issue 16: the v6 triggers bumped the revision once per row (a 100k-record sync ran ~260k extra updates and
            // statement journals). A bulk writer (a sync page) now bumps it once for its transaction and sets `bulk`
            // meanwhile, which the triggers skip; every other write still bumps it per row. `bulk` is 0 whenever
            // committed (see `RingsideDatabase.writingDirectoryInBulk`).
            try db.execute(sql: "ALTER TABLE directoryRevision ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0")
            for trigger in revisionTriggers {
                try db.execute(sql: "DROP TRIGGER \(trigger.name)")
                try db.execute(sql: """
                    CREATE TRIGGER \(trigger.name) AFTER \(trigger.event) ON \(trigger.table)
                    WHEN (SELECT bulk FROM directoryRevision WHERE id = 1) = 0
                    BEGIN UPDATE directoryRevision SET revision = revision + 1 WHERE id = 1; END
                    """)
            }
        }
        migrator.registerMigration("v8-issue16-triggers-off-in-bulk") { db in
            // Issue 16: a bulk writer now turns its own connection's triggers off while it writes (and bumps the revision
            // once), so the per-row triggers no longer read a `bulk` flag on every write: back to plain triggers. The
            // unused column stays (always 0): DROP COLUMN needs SQLite 3.35.
            for trigger in revisionTriggers { try db.execute(sql: "DROP TRIGGER \(trigger.name)") }
            try createRevisionTriggers(db)
        }
        return migrator
    }

    /// The per-row triggers that bump `directoryRevision`: one per table and change (`directoryRevisionInsert` …).
    static let revisionTriggers: [(table: String, event: String, name: String)] =
        ["directory", "directoryPhone"].flatMap { table in
            ["INSERT", "UPDATE", "DELETE"].map { event in (table, event, "\(table)Revision\(event.capitalized)") }
        }

    /// Creates the per-row triggers that bump `directoryRevision` on every change to the directory's rows.
    static func createRevisionTriggers(_ db: Database) throws {
        for trigger in revisionTriggers {
            try db.execute(sql: """
                CREATE TRIGGER \(trigger.name) AFTER \(trigger.event) ON \(trigger.table)
                BEGIN UPDATE directoryRevision SET revision = revision + 1 WHERE id = 1; END
                """)
        }
    }

    /// Deletes the demo directory's rows (and their numbers and local post-call updates).
    static func deleteDemoRows(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM directoryPhone WHERE recordId IN (SELECT id FROM directory WHERE source = 'demo')")
        try db.execute(sql: "DELETE FROM recordUpdate WHERE recordId IN (SELECT id FROM directory WHERE source = 'demo')")
        try db.execute(sql: "DELETE FROM directory WHERE source = 'demo'")
    }
}
