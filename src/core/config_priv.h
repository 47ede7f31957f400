/*
 * config_priv.h: what the parts of the configuration reader share: the
 * key table (config_keys.c) that the parser (config.c) looks keys up in.
 */
#ifndef WARD_CONFIG_PRIV_H
#define WARD_CONFIG_PRIV_H

#include "config.h"

#define CONFIG_WHY_MAX 256        /* bytes of one reason */
#define CONFIG_KEY_MAX 32         /* bytes of a key name */
#define CONFIG_DUMP_MAX (8 << 20) /* ceiling of the dump and error texts */

enum config_section {
	SEC_NONE,
	SEC_WARD,
	SEC_ACCOUNT,
	SEC_UI,
	SEC_KEYS,
	SEC_BAD
};

/*
 * A setter checks one value and stores it (copying it). Returns WARD_OK,
 * WARD_ERR_INVAL with a reason in why, or WARD_ERR_NOMEM.
 */
typedef int (*config_setter)(struct config *, struct account_config *,
			     const char *, char *why);

struct config_key {
	const char *name;
	enum config_section section;
	int repeatable;
	config_setter set;
};

/* Indices into config_keys[], for the cross-key checks. */
enum {
	K_LOG_LEVEL,
	K_AUTO_DOWNLOAD,
	K_JID,
	K_PASSWORD_COMMAND,
	K_PASSWORD,
	K_RESOURCE,
	K_SERVER,
	K_PORT,
	K_DIRECT_TLS,
	K_TLS_MIN,
	K_CA_FILE,
	K_DNS_TRUST_ANCHOR,
	K_DNS_STUB,
	K_DNSSEC,
	K_KEEPALIVE,
	K_CHAT_STATES,
	K_RECEIPTS,
	K_MARKERS,
	K_UI_THEME,
	K_UI_COLOURS,
	K_UI_BELL,
	K_UI_TITLE,
	K_UI_PANE,
	K_UI_TIME_FORMAT,
	K_COUNT
};

extern const struct config_key config_keys[K_COUNT];

/* config_ui.c: one "KEY = ACTION" line of [keys]; WARD_OK, WARD_ERR_INVAL
 * with why, WARD_ERR_NOMEM. */
int config_keybind_add(struct config *c, unsigned line, const char *s,
		       size_t len, char *why);
/* Sets the [ui] defaults (WARD_OK or WARD_ERR_NOMEM). */
int config_ui_defaults(struct config *c);
void config_ui_free(struct config *c);
/* Writes [ui] and [keys] for config_dump (a struct wbuf *). */
struct wbuf;
int config_ui_dump(struct wbuf *b, const struct config *c);
int config_ui_equal(const struct config *a, const struct config *b);
/* Setters of the [ui] keys. */
int config_set_ui_theme(struct config *, struct account_config *,
			const char *, char *);
int config_set_ui_colours(struct config *, struct account_config *,
			  const char *, char *);
int config_set_ui_bell(struct config *, struct account_config *,
		       const char *, char *);
int config_set_ui_title(struct config *, struct account_config *,
			const char *, char *);
int config_set_ui_pane(struct config *, struct account_config *,
		       const char *, char *);
int config_set_ui_time_format(struct config *, struct account_config *,
			      const char *, char *);

#endif
