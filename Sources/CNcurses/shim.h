#ifndef RINGSIDE_CNCURSES_SHIM_H
#define RINGSIDE_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects the mutable globals stdscr/COLS/LINES and cannot import the
   attribute macros; these inline helpers expose them safely. */
static inline WINDOW *rs_stdscr(void) { return stdscr; }
static inline int rs_cols(void) { return getmaxx(stdscr); }
static inline int rs_lines(void) { return getmaxy(stdscr); }
static inline unsigned int rs_attr_bold(void) { return (unsigned int)A_BOLD; }
static inline unsigned int rs_attr_dim(void) { return (unsigned int)A_DIM; }
static inline unsigned int rs_attr_reverse(void) { return (unsigned int)A_REVERSE; }
static inline unsigned int rs_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
static inline unsigned int rs_attr_normal(void) { return (unsigned int)A_NORMAL; }
static inline unsigned int rs_color_pair(int n) { return (unsigned int)COLOR_PAIR(n); }
static inline int rs_key_resize(void) { return KEY_RESIZE; }
static inline int rs_key_mouse(void) { return KEY_MOUSE; }
static inline unsigned long rs_all_mouse_events(void) { return (unsigned long)(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION); }
static inline unsigned long rs_button1_pressed(void) { return (unsigned long)BUTTON1_PRESSED; }
static inline unsigned long rs_button1_released(void) { return (unsigned long)BUTTON1_RELEASED; }
static inline unsigned long rs_button1_clicked(void) { return (unsigned long)BUTTON1_CLICKED; }
static inline unsigned long rs_button4_pressed(void) { return (unsigned long)BUTTON4_PRESSED; }
static inline unsigned long rs_button5_pressed(void) { return (unsigned long)BUTTON5_PRESSED; }
static inline int rs_attrset(unsigned int attrs) { return attrset((int)attrs); }
static inline int rs_keypad_on(void) { return keypad(stdscr, TRUE); }

/* ---- Ringside console helpers (RingsideCurses) ---- */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

static inline SCREEN *rs_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline unsigned long rs_mouse_buttons(void) { return (unsigned long)ALL_MOUSE_EVENTS; }
static inline int rs_key_code_yes(void) { return KEY_CODE_YES; }
static inline int rs_key_f0(void) { return KEY_F0; }
/* Whether the terminal can move the cursor (terminfo "cup"); TERM=dumb can't. */
static inline int rs_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/* The key code curses reports for an extended terminfo key (e.g. "kLFT5"), or 0 when the entry lacks it. */
static inline int rs_extended_key_code(const char *name) {
    char *definition = tigetstr(name);
    if (definition == NULL || definition == (char *)-1) return 0;
    int code = key_defined(definition);
    return code > 0 ? code : 0;
}
static inline int rs_get_wch(wint_t *ch) { return wget_wch(stdscr, ch); }
static inline int rs_mvaddnwstr(int y, int x, const wchar_t *s, int n) { return mvwaddnwstr(stdscr, y, x, s, n); }
static inline int rs_nodelay_on(void) { return nodelay(stdscr, TRUE); }
static inline int rs_erase(void) { return werase(stdscr); }
static inline int rs_refresh(void) { return wrefresh(stdscr); }
static inline int rs_clearok(void) { return clearok(stdscr, TRUE); }
static inline int rs_move(int y, int x) { return wmove(stdscr, y, x); }
static inline int rs_mouse_x(const MEVENT *e) { return e->x; }
static inline int rs_mouse_y(const MEVENT *e) { return e->y; }
static inline unsigned long rs_mouse_bstate(const MEVENT *e) { return (unsigned long)e->bstate; }

/* Terminal restore on fatal signals: endwin, then die of the same signal with the default action.
   SA_RESETHAND makes the re-raise take the default action; the handler runs once. */
static void rs_restore_and_reraise(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline int rs_install_restore_handlers(void) {
    static const int sigs[] = { SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rs_restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (sigaction(sigs[i], &sa, NULL) != 0) return -1;
    }
    return 0;
}

/* SIGWINCH may be delivered to any thread. Chain ncurses' own handler (which sets its resize flag)
   and write one byte to the console's wake pipe so the input thread's poll() returns. */
/* Function-local statics: Swift emits static inline functions but not file-scope statics of a header. */
static inline struct sigaction *rs_previous_winch(void) { static struct sigaction previous; return &previous; }
static inline volatile int *rs_winch_fd(void) { static volatile int fd = -1; return &fd; }

static void rs_winch_handler(int sig) {
    int saved = errno;
    struct sigaction *previous = rs_previous_winch();
    if (!(previous->sa_flags & SA_SIGINFO) && previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN
        && previous->sa_handler != NULL) {
        previous->sa_handler(sig);
    }
    int fd = *rs_winch_fd();
    if (fd >= 0) { char c = 'w'; ssize_t r = write(fd, &c, 1); (void)r; }
    errno = saved;
}

static inline int rs_install_winch_pipe(int fd) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rs_winch_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    *rs_winch_fd() = fd;
    return sigaction(SIGWINCH, &sa, rs_previous_winch());
}

/* SIGINT, SIGTERM and SIGHUP stop the console in order: the handler writes 0x80 | signal to the wake pipe
   and the terminal thread reports it; nothing else runs in the handler. */
static inline volatile int *rs_stop_fd(void) { static volatile int fd = -1; return &fd; }

static void rs_stop_handler(int sig) {
    int saved = errno;
    int fd = *rs_stop_fd();
    if (fd >= 0) { unsigned char c = (unsigned char)(0x80 | (sig & 0x7f)); ssize_t r = write(fd, &c, 1); (void)r; }
    errno = saved;
}

static inline int rs_install_stop_pipe(int fd) {
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rs_stop_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    *rs_stop_fd() = fd;
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        if (sigaction(sigs[i], &sa, NULL) != 0) return -1;
    }
    return 0;
}

/* After the console: a second Ctrl-C while open calls are being saved is ignored (the journal has them anyway);
   SIGTERM and SIGHUP act as usual. */
static inline int rs_uninstall_stop_pipe(void) {
    *rs_stop_fd() = -1;
    if (signal(SIGTERM, SIG_DFL) == SIG_ERR || signal(SIGHUP, SIG_DFL) == SIG_ERR) return -1;
    return signal(SIGINT, SIG_IGN) == SIG_ERR ? -1 : 0;
}

static inline int rs_write_stdout(const char *text) {
    size_t length = strlen(text);
    return write(1, text, length) == (ssize_t)length ? 0 : -1;
}

static inline void rs_uninstall_winch_pipe(void) {
    *rs_winch_fd() = -1;
    sigaction(SIGWINCH, rs_previous_winch(), NULL);
}
#endif
