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

enum config_section { SEC_NONE, SEC_WARD, SEC_ACCOUNT, SEC_BAD };

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
	K_COUNT
};

extern const struct config_key config_keys[K_COUNT];

#endif
