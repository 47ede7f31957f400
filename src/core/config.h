/*
 * config.h: ward.conf, the INI-like file with a [ward] section and one
 * [account NAME] section per account: loading, checking, dumping.
 */
#ifndef WARD_CONFIG_H
#define WARD_CONFIG_H

#include <stddef.h>

#define CONFIG_FILE_MAX (1024 * 1024) /* bytes in ward.conf */
#define CONFIG_LINE_MAX 4096          /* bytes in a line, without "\n" */
#define CONFIG_NAME_MAX 64            /* bytes in an account name */
#define CONFIG_STUBS_MAX 64           /* dns_stub lines per account */
#define CONFIG_ERRORS_MAX 50          /* errors reported; the rest counted */

enum dnssec_mode { DNSSEC_VALIDATE, DNSSEC_REQUIRE };

/* dns_stub = "ZONE ADDR[@PORT]": send queries for zone to addr:port. */
struct dns_stub {
	char *zone;    /* lowercase, no trailing dot; "." is the root */
	char *addr;    /* IPv4 or IPv6 literal, canonical text, no brackets */
	unsigned port; /* 53 when not given */
};

/*
 * One [account NAME] section. Strings are malloc'd and owned by the
 * config; NULL when the key was not given (unless a default is noted).
 */
struct account_config {
	char *name;             /* [A-Za-z0-9_.-]{1,64} */
	char *jid;              /* normalised bare JID with a localpart */
	char *password_command; /* NULL, or a command password_split() takes */
	char *password;         /* NULL, or the secret (wiped on free) */
	char *resource;         /* NULL: random at each login */
	char *server;   /* NULL: use SRV; else host name or IP literal */
	unsigned port;  /* 0 without server; with server default 5222 */
	int direct_tls; /* 1: server:port speaks TLS at once (XEP-0368) */
	int tls_min;    /* 13 (default) or 12 */
	char *ca_file;  /* absolute path or NULL */
	char *dns_trust_anchor; /* absolute path or NULL */
	struct dns_stub *stubs; /* nstubs entries, in file order */
	size_t nstubs;
	enum dnssec_mode dnssec; /* default DNSSEC_VALIDATE */
	unsigned keepalive;	 /* seconds idle before a keep-alive (5-3600, 90) */
	/* what contacts and private rooms are told (policy_may_signal): all
	 * yes by default; strangers and public rooms never get them */
	int chat_states; /* XEP-0085 typing notifications */
	int receipts;    /* XEP-0184 delivery receipts */
	int markers;     /* XEP-0333 "displayed" markers */
	struct account_config *next;
};

struct config {
	/* File order; never NULL in a loaded config. */
	struct account_config *accounts;
	/* The directory of the file config_load() read (as given, not
	 * resolved), NULL for a parsed buffer: `ward audit --config-dir`
	 * for /audit's child, which takes the password from there. */
	char *dir;
	/* "debug" | "info" (default) | "warn" | "error" */
	char *log_level;
	/* [ward] auto_download: files from contacts up to this many bytes
	 * are fetched without /download; 0 (the default): never */
	unsigned long long auto_download;
	/* [ui]: the curses UI (defaults written out by config_dump) */
	char *ui_theme;   /* "dark" (default; or "default"), "light", "mono"
			     or "monochrome" */
	char *ui_colours; /* "auto" (default), "none", "16", "256",
			     "truecolor" */
	int ui_bell;          /* 1 (default): bell on a private message */
	int ui_title;         /* 0 (default): set the terminal title */
	int ui_pane;          /* 1 (default): contacts pane shown */
	int ui_pane_set;      /* pane was given (else the saved state) */
	char *ui_time_format; /* "%H:%M" (default); %H %M %S %I %p only */
	/* [keys]: "KEY = ACTION" lines in file order; the UI checks the names
	 * (ward --check-config too) */
	struct config_keybind {
		unsigned line;
		char *key, *action;
	} *keys;
	size_t nkeys;
};

#define CONFIG_KEYS_MAX 256 /* [keys] lines at most */

/*
 * Loads path (symlinks followed; the file checks apply to the file it
 * names, the directory check to the directory of path as given).
 * Refuses (WARD_ERR_POLICY) a file that is not a regular file,
 * is owned by someone other than the user or root, or is writable by group
 * or others, or sits in a directory others may write into (not sticky);
 * then parses it like config_parse_buffer() and also refuses a `password`
 * in a file with any group/other permission bits. Returns WARD_OK and
 * *out (free with config_free()); WARD_ERR_INVAL for errors in the text;
 * WARD_ERR_POLICY as above; WARD_ERR_SYSTEM when the file cannot be read;
 * WARD_ERR_LIMIT past CONFIG_FILE_MAX; WARD_ERR_NOMEM. On failure *errors
 * (when not NULL) is a malloc'd text the caller frees, one "file:line:
 * reason" (or "file: reason") per line, each ending in "\n"; on success
 * *errors is NULL. Secrets never appear in the errors.
 */
int config_load(const char *path, struct config **out, char **errors);

/*
 * Parses text[0..len) (need not be NUL-terminated) named name in messages.
 * Reads every line and collects every error before failing, like
 * config_load() but with no file checks. Same returns and ownership.
 */
int config_parse_buffer(const char *name, const char *text, size_t len,
			struct config **out, char **errors);

/* The account called name, or the first account when name is NULL; NULL
 * when there is none. The result points into c. */
struct account_config *config_account(struct config *c, const char *name);

/*
 * Canonical text of c (defaults written out; a value quoted only when it
 * would not read back as it is) that config_parse_buffer() reads back
 * into an equal config (config_equal()), for `ward --check-config`.
 * With show_secrets 0 a password is written as the comment line
 * "# password = (set, not shown)" instead, so that text reparses without
 * it. malloc'd; the caller frees it (freezero_str() with show_secrets).
 * NULL when out of memory.
 */
char *config_dump(const struct config *c, int show_secrets);

/* 1 when a and b hold the same settings (accounts in the same order). */
int config_equal(const struct config *a, const struct config *b);

/* Frees c and everything it holds; wipes passwords. NULL is fine. */
void config_free(struct config *c);

#endif
