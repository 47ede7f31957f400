/*
 * files_priv.h: what files.c (offers, downloads) and upload.c (XEP-0363)
 * share: the transfer record, its events, and the files directory.
 */
#ifndef WARD_FILES_PRIV_H
#define WARD_FILES_PRIV_H

#include <stdint.h>

#include "aesgcm_file.h"

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
	char **sent_links; /* GET URLs of our plaintext uploads (OOB) */
	size_t nsent_links;
};

struct files *files_get(struct ward *w);
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
