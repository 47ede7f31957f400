/*
 * ui.h: the curses frontend. It subscribes to the core's events, keeps its
 * own model of what to show, paints once per loop turn, reads the keys
 * itself and sends every command line through ward_command(), the same
 * interpreter the command pipe feeds (which stays open with the UI up).
 * src/main.c is the only core file that includes this header.
 */
#ifndef WARD_UI_H
#define WARD_UI_H

struct ward;
struct ui;

struct ui_options {
	const char *account;     /* the current account's name */
	const char *own_jid;     /* its bare JID */
	int several_accounts;    /* ward.conf has more than one account */
	const char *data_dir;    /* where ui-windows is kept */
	const char *pipe_path;   /* the command pipe (NULL: none) */
	const char *events_path; /* --events FILE (NULL: none) */
	const char *theme;   /* "default"/"dark", "light", "monochrome"/"mono"
				(NULL: default) */
	const char *colours; /* "auto", "none", "16", "256", "truecolor"
				(NULL: auto) */
	const char *time_format; /* strftime format (NULL: %H:%M) */
	int pane;                /* contacts pane shown at start (-1: saved) */
	int bell;                /* bell on a private message or mention */
	int title;               /* set the terminal title */
	/* [keys] of ward.conf: bindings applied over the defaults */
	const struct ui_key_binding {
		int line;
		const char *key, *action;
	} * keys;
	size_t nkeys;
};

/* Takes over the terminal and draws the first frame. NULL with *why
 * (malloc'd, caller frees) when it cannot (not a terminal, bad pipe). */
struct ui *ui_new(struct ward *w, const struct ui_options *o, char **why);
/* Whether KEY = ACTION is a binding the UI knows (ward --check-config).
 * 0, or -1 with *why (malloc'd, caller frees). */
int ui_check_key(const char *key, const char *action, char **why);
/* The KEYS section of docs/ward.1 (roff, without the .SH line) from the
 * default key map (ward --man-keys); malloc'd, NULL when out of memory. */
char *ui_man_keys(void);
/* Saves the open windows, gives the terminal back and frees ui. */
void ui_free(struct ui *ui);

#endif
