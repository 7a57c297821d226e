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
#endif
