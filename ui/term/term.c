/*
 * term.c: terminal set-up and restore (the terminfo entry, raw mode),
 * themes and colours, and ward's own escape sequences (bracketed paste,
 * bell, title). No curses: the UI keeps its own screen (view/grid.c) and
 * view/draw.c sends it with the entry's sequences, so curses' three copies
 * of the screen and its per-frame terminfo work are not needed. A crash
 * signal restores the terminal with async-signal-safe calls before the
 * default action.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "term/term.h"
#include "text/colour.h"
#include "view/draw.h"
#include "view/grid.h"

static struct termios term_saved;
static struct termios term_raw;
static int term_saved_ok, term_up, term_colour, term_max16, term_direct;
static int term_ncolours; /* the entry's colours */

/* paste off, attributes off, cursor shown, main screen back */
static const char term_reset[] = "\033[?2004l\033[0m\033[?25h\033[?1049l";

static void
term_write(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void
term_crash(int sig)
{
	term_write(term_reset, sizeof(term_reset) - 1);
	if (term_saved_ok)
		tcsetattr(0, TCSANOW, &term_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
term_theme_parse(const char *s)
{
	if (s == NULL || strcmp(s, "dark") == 0 || strcmp(s, "default") == 0)
		return TT_DARK;
	if (strcmp(s, "light") == 0)
		return TT_LIGHT;
	if (strcmp(s, "mono") == 0 || strcmp(s, "monochrome") == 0)
		return TT_MONO;
	return -1;
}

struct term_look {
	short fg, bg; /* -1: the terminal's default */
	unsigned attr; /* DRAW_* */
};

/* 16-colour looks of the dark theme; light swaps the bar colours. */
static const struct term_look term_dark[GS_NICK0] = {
    [GS_NORMAL] = {-1, -1, 0},  [GS_DIM] = {8, -1, 0},
    [GS_BAR] = {7, 4, 0},       [GS_BAR_CUR] = {15, 4, DRAW_BOLD},
    [GS_BAR_ACT] = {11, 4, 0},  [GS_BAR_HI] = {13, 4, DRAW_BOLD},
    [GS_GOOD] = {2, -1, 0},     [GS_WARN] = {3, -1, 0},
    [GS_BAD] = {1, -1, DRAW_BOLD}, [GS_INFO] = {6, -1, 0},
    [GS_ERROR] = {1, -1, 0},    [GS_HILITE] = {11, -1, DRAW_BOLD},
    [GS_ME] = {-1, -1, DRAW_BOLD}, [GS_SEP] = {4, -1, 0},
    [GS_PANE] = {-1, -1, 0},    [GS_PROMPT] = {15, 5, 0},
    [GS_INPUT] = {-1, -1, 0},
};

static const struct term_look term_mono[GS_NICK0] = {
    [GS_NORMAL] = {-1, -1, 0},
    [GS_DIM] = {-1, -1, DRAW_DIM},
    [GS_BAR] = {-1, -1, DRAW_REV},
    [GS_BAR_CUR] = {-1, -1, DRAW_REV | DRAW_BOLD},
    [GS_BAR_ACT] = {-1, -1, DRAW_REV | DRAW_ULINE},
    [GS_BAR_HI] = {-1, -1, DRAW_REV | DRAW_BOLD | DRAW_ULINE},
    [GS_GOOD] = {-1, -1, 0},
    [GS_WARN] = {-1, -1, DRAW_ULINE},
    [GS_BAD] = {-1, -1, DRAW_BOLD | DRAW_ULINE},
    [GS_INFO] = {-1, -1, 0},
    [GS_ERROR] = {-1, -1, DRAW_BOLD},
    [GS_HILITE] = {-1, -1, DRAW_BOLD},
    [GS_ME] = {-1, -1, DRAW_BOLD},
    [GS_SEP] = {-1, -1, DRAW_DIM},
    [GS_PANE] = {-1, -1, 0},
    [GS_PROMPT] = {-1, -1, DRAW_BOLD},
    [GS_INPUT] = {-1, -1, 0},
};

/* xterm's default RGB of the 16 colours, for direct colour (where a
 * number above 7 is an RGB value, not a palette entry). */
static const int term_rgb16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
    0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
    0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

/* A theme colour as the terminal takes it: 0..7 stay palette entries
 * (the user's own colours), 8..15 become RGB with direct colour. */
static int
term_colour_value(int c)
{
	if (!term_direct || c < 8)
		return c;
	return term_rgb16[c & 15];
}

static int
term_rgb_pack(struct colour_rgb c)
{
	int r = (int)(c.r * 255.0 + 0.5), g = (int)(c.g * 255.0 + 0.5),
	    b = (int)(c.b * 255.0 + 0.5);

	r = r < 0 ? 0 : r > 255 ? 255 : r;
	g = g < 0 ? 0 : g > 255 ? 255 : g;
	b = b < 0 ? 0 : b > 255 ? 255 : b;
	return (r << 16) | (g << 8) | b;
}

static void
term_apply(enum term_theme theme)
{
	int i, many = term_ncolours >= 256 && !term_max16;
	const struct term_look *t = theme == TT_MONO ? term_mono : term_dark;

	for (i = 0; i < GS_COUNT; i++) {
		struct term_look l;
		if (i >= GS_NICK0 && term_direct && term_colour) {
			/* nick colours: XEP-0392 hue steps in full colour */
			struct colour_rgb c = colour_direct_rgb(
			    i - GS_NICK0, theme == TT_LIGHT ? COLOUR_BG_LIGHT
							    : COLOUR_BG_DARK);
			draw_set_style(i, term_rgb_pack(c), -1, 0);
			continue;
		}
		if (i >= GS_NICK0) {
			/* nick colours: the terminal's colour i - GS_NICK0 */
			l.fg = (short)(i - GS_NICK0);
			l.bg = -1;
			l.attr = 0;
			if (!term_colour || l.fg >= term_ncolours) {
				draw_set_style(i, -1, -1, 0);
				continue;
			}
		} else {
			l = t[i];
		}
		if (theme == TT_LIGHT && (i == GS_BAR || i == GS_BAR_CUR ||
					  i == GS_BAR_ACT || i == GS_BAR_HI)) {
			l.bg = 7;
			l.fg = i == GS_BAR       ? 0
			       : i == GS_BAR_CUR ? 0
			       : i == GS_BAR_ACT ? 4
						 : 5;
		}
		if (!many && !term_direct && l.fg >= 8 && term_ncolours < 16) {
			l.fg -= 8;
			l.attr |= DRAW_BOLD;
		}
		if (!term_colour) {
			draw_set_style(i, -1, -1, l.attr);
			continue;
		}
		draw_set_style(i, l.fg < 0 ? -1 : term_colour_value(l.fg),
			       l.bg < 0 ? -1 : term_colour_value(l.bg), l.attr);
	}
}

/* Whether to look for direct colour: asked for, or "auto" with COLORTERM
 * saying the terminal has it. */
static int
term_direct_wanted(const char *colours)
{
	const char *ct = getenv("COLORTERM");

	if (strcmp(colours, "truecolor") == 0)
		return 1;
	return strcmp(colours, "auto") == 0 && ct != NULL &&
	       (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0);
}

/* The direct-colour terminfo entry of this terminal ("tmux-256color" ->
 * "tmux-direct"), or NULL (TERM itself) when there is none. */
static const char *
term_direct_name(void)
{
	static char name[64];
	const char *t = getenv("TERM");
	size_t n;
	int err;

	if (t == NULL || strstr(t, "-direct") != NULL)
		return NULL;
	n = strcspn(t, "-");
	if (n == 0 || n > sizeof(name) - 8)
		return NULL;
	if (strncmp(t, "screen", n) == 0 && getenv("TMUX") != NULL)
		snprintf(name, sizeof(name), "tmux-direct");
	else
		snprintf(name, sizeof(name), "%.*s-direct", (int)n, t);
	for (n = 0; name[n] != '\0'; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') ||
		      (name[n] >= '0' && name[n] <= '9') || name[n] == '-' ||
		      name[n] == '+' || name[n] == '.'))
			return NULL;
	/* only a name the terminfo database has (probed without output) */
	if (setupterm(name, 1, &err) != 0)
		return NULL;
	del_curterm(cur_term);
	return name;
}

/* Raw mode, no echo, no CR/NL translation: ward reads every key itself. */
static void
term_raw_mode(void)
{
	term_raw.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INLCR | IGNCR |
					ISTRIP | IXON | PARMRK);
	term_raw.c_oflag &= ~(tcflag_t)ONLCR;
	term_raw.c_lflag &=
	    ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	term_raw.c_cc[VMIN] = 1;
	term_raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &term_raw);
}

int
term_start(enum term_theme theme, const char *colours, const char **why)
{
	struct sigaction sa;
	const char *nc = getenv("NO_COLOR"), *direct = NULL;
	int crash[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}, err;
	size_t i;

	*why = NULL;
	if (!isatty(0) || !isatty(1)) {
		*why = "standard input and output must be a terminal "
		       "(use ward --headless for scripts)";
		return -1;
	}
	setlocale(LC_ALL, "");
	if (tcgetattr(0, &term_saved) != 0) {
		*why = "cannot read the terminal's settings";
		return -1;
	}
	term_saved_ok = 1;
	term_raw = term_saved;
	if ((nc != NULL && nc[0] != '\0') || strcmp(colours, "none") == 0)
		theme = TT_MONO;
	if (theme != TT_MONO && term_direct_wanted(colours))
		direct = term_direct_name();
	if ((direct == NULL || setupterm(direct, 1, &err) != 0) &&
	    setupterm(NULL, 1, &err) != 0) {
		*why = "cannot set up the terminal (is TERM right?)";
		return -1;
	}
	if (draw_init(why) != 0)
		return -1;
	term_up = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = term_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &sa, NULL);
	term_raw_mode();
	term_max16 = strcmp(colours, "16") == 0;
	term_ncolours = draw_colour_count();
	if (theme != TT_MONO && term_ncolours > 0) {
		term_colour = 1;
		term_direct = term_ncolours > 256 &&
			      strcmp(colours, "256") != 0 && !term_max16;
	}
	term_apply(theme);
	draw_enter();
	term_write("\033[?2004h", 8);
	return 0;
}

void
term_stop(void)
{
	if (!term_up)
		return;
	term_up = 0;
	term_write("\033[?2004l", 8);
	draw_leave();
	draw_free();
	if (term_saved_ok)
		tcsetattr(0, TCSADRAIN, &term_saved);
}

void
term_suspend(void)
{
	if (!term_up)
		return;
	term_write("\033[?2004l", 8);
	draw_leave();
	if (term_saved_ok)
		tcsetattr(0, TCSADRAIN, &term_saved);
}

void
term_resume(void)
{
	if (!term_up)
		return;
	tcsetattr(0, TCSADRAIN, &term_raw);
	draw_enter(); /* the next frame is painted in full */
	term_write("\033[?2004h", 8);
}

void
term_resize(int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		/* the entry's size, or the classic one */
		*rows = tigetnum("lines") > 0 ? tigetnum("lines") : 24;
		*cols = tigetnum("cols") > 0 ? tigetnum("cols") : 80;
	}
}

void
term_bell(void)
{
	term_write("\a", 1);
}

void
term_title(const char *text)
{
	char buf[128];
	size_t o = 0;

	if (text == NULL)
		return;
	memcpy(buf, "\033]2;", 4);
	o = 4;
	for (; *text && o < sizeof(buf) - 2; text++) {
		char c = *text;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(" ._@#()+-:[]", c))
			buf[o++] = c;
	}
	buf[o++] = '\007';
	term_write(buf, o);
}

int
term_colours(void)
{
	if (!term_colour)
		return 0;
	if (term_direct)
		return TERM_DIRECT;
	return term_ncolours >= 256 && !term_max16 ? 256 : 16;
}
