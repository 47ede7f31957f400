/*
 * core.h: the core's top object: the loop, the loaded configuration, the
 * store, libstrophe's context and every account. Frontends create one,
 * subscribe to events and feed it command lines.
 */
#ifndef WARD_CORE_H
#define WARD_CORE_H

#include <stdint.h>
#include <strophe.h>

struct loop;
struct config;
struct store;
struct account;
struct prompt;

struct ward {
	struct loop *loop;
	struct config *cfg;
	struct store *store;
	xmpp_ctx_t *ctx;
	struct account *accounts;
	struct account *current;	/* the account commands apply to */
	int in_txn;			/* a batched store transaction is open */
	struct prompt *prompts;		/* open decisions (prompt.c) */
	unsigned prompt_seq;
	int quit_requested;
	int64_t last_activity;		/* ms of the last command (csi.c) */
	uint64_t csi_timer;
	uint64_t rest_timer;		/* store_release_memory when quiet */
	char *data_dir;			/* DATA_DIR (files/ lives there) */
	struct files *files;		/* offers and transfers (files.c) */
};

/* Takes ownership of cfg. Returns NULL and sets *why on failure. */
struct ward *ward_new(struct loop *loop, struct config *cfg,
    const char *data_dir, char **why);
/* ward_new in two steps, for a frontend that shows itself before the
 * database is opened (the UI's first frame): the core without its store,
 * then the store, which must be open before the loop runs. */
struct ward *ward_new_nostore(struct loop *loop, struct config *cfg,
    char **why);
int ward_open_store(struct ward *w, const char *data_dir, char **why);
void ward_free(struct ward *w);
/* Opens (once per loop iteration) the transaction that batches writes. */
void ward_txn(struct ward *w);
/* Commits it now (before telling the user something is stored). WARD_OK,
 * or the store's error (reported as an event too): then what the batch
 * held is not on disk. */
int ward_txn_commit(struct ward *w);
/* Runs one command line from any frontend (UI, pipe, stdin). */
void ward_command(struct ward *w, const char *line, size_t len);
struct account *ward_account(struct ward *w, const char *name);
/* The name of the account commands apply to (NULL: none), for frontends
 * that cannot see struct account. */
const char *ward_current_name(const struct ward *w);
/* Starts a clean shutdown: every account disconnects, then the loop ends. */
void ward_quit(struct ward *w);

#endif
