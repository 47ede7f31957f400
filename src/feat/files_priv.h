/*
 * files_priv.h: what files.c (offers, downloads) and upload.c (XEP-0363)
 * share: the transfer record, its events, and the files directory.
 */
#ifndef WARD_FILES_PRIV_H
#define WARD_FILES_PRIV_H

#include <stdint.h>

#include "aesgcm_file.h"

/* Links of our uploads remembered for XEP-0066: one a plaintext upload,
 * so a bound keeps a long session's memory flat. */
#define FILES_SENT_LINKS_MAX 64

struct ward;
struct http;
struct http_req;
struct files;

struct transfer {
	unsigned id;
	struct files *fs;
	const char *direction; /* "download" or "upload" (static) */
	char *account, *name, *dir;
	int dirfd;
	char tmp[64]; /* DIR/.ward-part-... while it exists */
	int fd;
	struct http_req *req;
	int aesgcm;
	struct aesgcm_key key;
	uint64_t last_done;
	int64_t last_event_ms;
	/* upload */
	char *to;      /* the chat the link goes to */
	uint64_t size; /* bytes to PUT */
	char *get_url; /* the slot's GET URL (secret until sent) */
	struct transfer *next;
};

struct files {
	struct ward *w;
	struct http *http;
	struct offer *offers; /* newest first */
	unsigned noffers, next_offer, next_transfer;
	struct transfer *transfers;
	struct upload_service *services; /* per account (upload.c) */
	/* GET URLs of our newest plaintext uploads, oldest first: im.c adds
	 * them as XEP-0066 data to the message that carries them (also when
	 * the outbox sends it again after a reconnection) */
	char *sent_links[FILES_SENT_LINKS_MAX];
	size_t nsent_links;
};

struct files *files_get(struct ward *w);
/* Remembers URL as the link of a plaintext upload of ours (upload.c);
 * past FILES_SENT_LINKS_MAX the oldest is forgotten. */
void files_link_remember(struct files *fs, const char *url);
/* A new transfer, linked into fs (fd, dirfd -1). */
struct transfer *transfer_new(struct files *fs, const char *direction,
			      const char *account, const char *name);
void transfer_free(struct transfer *t);
struct transfer *transfer_find(struct files *fs, unsigned id);
void transfer_event(struct transfer *t, const char *state, const char *why,
		    const char *path, uint64_t done, uint64_t total,
		    const char *dnssec);
void transfer_progress(void *arg, uint64_t done, uint64_t total);
/* DATA_DIR/files (dir NULL) or dir, opened; see files.c. */
int files_dir(struct ward *w, const char *dir, char **out, int *dirfd,
	      const char **why);
/* Starts HTTP once. NULL when it cannot. */
struct http *files_http(struct files *fs);
void upload_free_services(struct files *fs);

#endif
