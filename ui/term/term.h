/*
 * term.h: the terminal: set-up and restore (also on a crash signal),
 * colours by capability (16, 256, truecolor via COLORTERM; none with
 * NO_COLOR), the themes, bracketed paste, the bell and the optional title.
 * The only module that writes escape sequences of its own; it never sends
 * OSC 52 and never asks the terminal for its title.
 */
#ifndef WARD_UI_TERM_H
#define WARD_UI_TERM_H

enum term_theme { TT_DARK, TT_LIGHT, TT_MONO };

/* term_colours() of a terminal with direct colour (truecolor). */
#define TERM_DIRECT (1 << 24)

/* Parses "default"/"dark", "light", "mono"/"monochrome"; -1 when
 * unknown. */
int term_theme_parse(const char *s);
/* Takes over the terminal (curses, raw mode, no echo, no keypad: ward
 * decodes keys itself, bracketed paste on). colours: "auto" (by the
 * terminal's capability: direct colour when COLORTERM says truecolor or
 * 24bit and a direct-colour terminfo entry of the terminal exists, else
 * its terminfo colors), "none", "16", "256" or "truecolor". A non-empty
 * NO_COLOR means no colour at all (the monochrome look). 0, or -1 with
 * *why. */
int term_start(enum term_theme theme, const char *colours, const char **why);
/* Gives it back as it was (idempotent). */
void term_stop(void);
/* Hands the terminal to another program (the editor) as it was before
 * ward, and takes it back: the next frame must be painted in full. */
void term_suspend(void);
void term_resume(void);
/* The size now (from the tty), and tells curses. */
void term_resize(int *rows, int *cols);
/* Rings the bell. */
void term_bell(void);
/* Sets the window title to text made only of safe characters (anything
 * else is dropped); NULL restores nothing (ward never queries). */
void term_title(const char *text);
/* The colours in use: 0, 16, 256 or TERM_DIRECT. */
int term_colours(void);

#endif
