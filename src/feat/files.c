/*
 * files.c: file links in received messages become numbered offers; the
 * user's /download fetches one (src/net/http.c keeps the transport rules)
 * into DATA_DIR/files (0700, files 0600) or a directory of the user's,
 * under a name made safe by src/core/filename.c. Bytes arrive in a
 * temporary file in the same directory and reach the final name only
 * once complete (and, for aesgcm://, decrypted and authenticated).
 */
#include "files.h"
#include "files_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "aesgcm_file.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "filename.h"
#include "http.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "ward.h"

#define NS_OOB "jabber:x:oob"
#define FILES_MAX_OFFERS 64
#define FILES_MAX_BYTES ((uint64_t)100 * 1024 * 1024)
#define FILES_PROGRESS_MS 500

static int files_fetch(struct account *a, const char *url, const char *name,
		       const char *dir, uint64_t cap);

struct offer {
	unsigned id;
	char *account, *peer, *from;
	char *url;  /* https:// or aesgcm:// (key inside: secret) */
	char *name; /* safe local name */
	char *host;
	int encrypted;
	struct offer *next;
};

struct files *
files_get(struct ward *w)
{
	if (w->files == NULL) {
		w->files = xcalloc(1, sizeof(*w->files));
		w->files->w = w;
	}
	return w->files;
}

static void
offer_free(struct offer *o)
{
	free(o->account);
	free(o->peer);
	free(o->from);
	freezero_str(o->url);
	free(o->name);
	free(o->host);
	free(o);
}

static void
offer_event(const struct offer *o)
{
	struct event ev;

	event_init(&ev, EV_FILE_OFFER, o->account);
	event_int(&ev, "id", o->id);
	event_str(&ev, "peer", o->peer);
	event_str(&ev, "from", o->from);
	event_str(&ev, "name", o->name);
	event_str(&ev, "host", o->host);
	event_bool(&ev, "encrypted", o->encrypted);
	event_emit(&ev);
}

/* The one link a message offers, or NULL: its OOB url, else a body that
 * is a single https:// (or, encrypted, aesgcm://) link. Borrowed. */
static const char *
files_link(xmpp_stanza_t *m, const char *body, int encrypted)
{
	xmpp_stanza_t *x = xmpp_stanza_get_child_by_ns(m, NS_OOB);
	const char *u;

	if (!encrypted && x != NULL &&
	    (u = stanza_child_text(x, "url")) != NULL &&
	    strncasecmp(u, "https://", 8) == 0)
		return u;
	if (body == NULL || strpbrk(body, " \t\r\n") != NULL)
		return NULL;
	if (strncasecmp(body, "https://", 8) == 0)
		return body;
	if (encrypted && strncasecmp(body, "aesgcm://", 9) == 0)
		return body;
	return NULL;
}

void
files_offer_scan(struct account *a, xmpp_stanza_t *m, const char *peer,
		 const char *from, const char *body, int encrypted)
{
	struct files *fs;
	struct offer *o, **pp;
	const char *url = files_link(m, body, encrypted), *why;
	char *https = NULL, *host = NULL;
	unsigned port;

	if (url == NULL)
		return;
	if (strncasecmp(url, "aesgcm://", 9) == 0) {
		if (aesgcm_link_parse(url, &https, NULL) != WARD_OK)
			return;
	} else
		https = xstrdup(url);
	if (http_url_target(https, &host, &port, &why) != WARD_OK) {
		free(https);
		return;
	}
	free(https);
	fs = files_get(a->w);
	o = xcalloc(1, sizeof(*o));
	o->id = ++fs->next_offer;
	o->account = xstrdup(a->name);
	o->peer = xstrdup(peer);
	o->from = xstrdup(from);
	o->url = xstrdup(url);
	o->name = filename_from_url(url);
	o->host = host;
	o->encrypted = encrypted;
	o->next = fs->offers;
	fs->offers = o;
	if (++fs->noffers > FILES_MAX_OFFERS) {
		for (pp = &fs->offers; (*pp)->next != NULL; pp = &(*pp)->next)
			;
		offer_free(*pp);
		*pp = NULL;
		fs->noffers--;
	}
	offer_event(o);
	/* opt-in, contacts only (policy.c), with its own size cap */
	if (policy_auto_download(
		a, from,
		xmpp_stanza_get_type(m) != NULL &&
		    strcmp(xmpp_stanza_get_type(m), "groupchat") == 0))
		files_fetch(a, o->url, o->name, NULL, a->w->cfg->auto_download);
}

/* ---- transfers ---- */

void
transfer_event(struct transfer *t, const char *state, const char *why,
	       const char *path, uint64_t done, uint64_t total,
	       const char *dnssec)
{
	struct event ev;

	event_init(&ev, EV_TRANSFER, t->account);
	event_int(&ev, "id", t->id);
	event_str(&ev, "direction", t->direction);
	event_str(&ev, "state", state);
	event_str(&ev, "name", t->name);
	event_int(&ev, "bytes", (long long)done);
	if (total > 0)
		event_int(&ev, "total", (long long)total);
	if (path != NULL)
		event_str(&ev, "path", path);
	if (dnssec != NULL)
		event_str(&ev, "dnssec", dnssec);
	if (why != NULL)
		event_str(&ev, "why", why);
	event_emit(&ev);
}

void
transfer_free(struct transfer *t)
{
	struct transfer **pp;

	for (pp = &t->fs->transfers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	if (t->fd >= 0)
		close(t->fd);
	if (t->tmp[0] != '\0')
		unlinkat(t->dirfd, t->tmp, 0); /* never a partial file */
	if (t->dirfd >= 0)
		close(t->dirfd);
	explicit_bzero(&t->key, sizeof(t->key));
	free(t->account);
	free(t->name);
	free(t->dir);
	free(t->to);
	freezero_str(t->get_url);
	free(t);
}

void
transfer_progress(void *arg, uint64_t done, uint64_t total)
{
	struct transfer *t = arg;
	int64_t now = now_ms();

	if (done == t->last_done || now - t->last_event_ms < FILES_PROGRESS_MS)
		return;
	t->last_done = done;
	t->last_event_ms = now;
	transfer_event(t, "progress", NULL, NULL, done, total, NULL);
}

struct transfer *
transfer_new(struct files *fs, const char *direction, const char *account,
	     const char *name)
{
	struct transfer *t = xcalloc(1, sizeof(*t));

	t->fs = fs;
	t->fd = t->dirfd = -1;
	t->id = ++fs->next_transfer;
	t->direction = direction;
	t->account = xstrdup(account);
	t->name = xstrdup(name);
	t->next = fs->transfers;
	fs->transfers = t;
	return t;
}

struct transfer *
transfer_find(struct files *fs, unsigned id)
{
	struct transfer *t;

	for (t = fs->transfers; t != NULL; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

struct http *
files_http(struct files *fs)
{
	if (fs->http == NULL)
		fs->http = http_new(fs->w->loop);
	return fs->http;
}

/* The file is complete in t->tmp: decrypt if needed, then name it. */
static int
transfer_commit(struct transfer *t, char **path, const char **why)
{
	char *final = NULL;

	if (t->aesgcm) {
		char plain[64];
		int pfd;

		if ((pfd = filename_tmp(t->dirfd, plain, sizeof(plain))) < 0) {
			*why = "cannot create a file in the download directory";
			return WARD_ERR_SYSTEM;
		}
		if (lseek(t->fd, 0, SEEK_SET) != 0 ||
		    aesgcm_decrypt_fd(t->fd, pfd, &t->key, why) != WARD_OK) {
			close(pfd);
			unlinkat(t->dirfd, plain, 0);
			if (*why == NULL)
				*why = "cannot read the downloaded file";
			return WARD_ERR_CRYPTO;
		}
		close(pfd);
		/* the ciphertext goes; the plaintext takes its place */
		unlinkat(t->dirfd, t->tmp, 0);
		memcpy(t->tmp, plain, sizeof(plain));
	}
	if (filename_commit(t->dirfd, t->tmp, t->name, &final) != WARD_OK) {
		*why = "cannot name the file in the download directory";
		return WARD_ERR_SYSTEM;
	}
	t->tmp[0] = '\0';
	xasprintf(path, "%s/%s", t->dir, final);
	free(final);
	return WARD_OK;
}

static void
transfer_done(void *arg, int err, const char *why,
	      const struct http_result *res)
{
	struct transfer *t = arg;
	char *path = NULL;
	const char *cwhy = NULL;

	t->req = NULL;
	if (err != WARD_OK) {
		transfer_event(t, "failed", why, NULL, res->bytes, 0,
			       dns_sec_name(res->dns_sec));
		log_info("download %u failed: %s", t->id, why);
		transfer_free(t);
		return;
	}
	if (fsync(t->fd) != 0 || transfer_commit(t, &path, &cwhy) != WARD_OK) {
		transfer_event(t, "failed",
			       cwhy ? cwhy : "cannot write the file", NULL,
			       res->bytes, 0, dns_sec_name(res->dns_sec));
		transfer_free(t);
		return;
	}
	transfer_event(t, "done", NULL, path, res->bytes, res->bytes,
		       dns_sec_name(res->dns_sec));
	free(path);
	transfer_free(t);
}

/* DATA_DIR/files, made 0700 (and checked: ours, a directory, no link). */
int
files_dir(struct ward *w, const char *dir, char **out, int *dirfd,
	  const char **why)
{
	struct stat st;
	char *d;

	if (dir != NULL)
		d = xstrdup(dir);
	else {
		xasprintf(&d, "%s/files", w->data_dir);
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			free(d);
			*why = "cannot create the files directory";
			return WARD_ERR_SYSTEM;
		}
	}
	*dirfd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*dirfd < 0 || fstat(*dirfd, &st) != 0) {
		if (*dirfd >= 0)
			close(*dirfd);
		free(d);
		*why = "the download directory cannot be opened";
		return WARD_ERR_SYSTEM;
	}
	if (dir == NULL &&
	    (st.st_uid != geteuid() || (st.st_mode & 077) != 0)) {
		if (st.st_uid != geteuid() || fchmod(*dirfd, 0700) != 0) {
			close(*dirfd);
			free(d);
			*why = "the files directory is not private (0700) "
			       "and cannot be made so";
			return WARD_ERR_POLICY;
		}
	}
	*out = d;
	return WARD_OK;
}

static struct offer *
files_find_offer(struct files *fs, const char *what, struct account *a)
{
	struct offer *o;
	char *end;
	unsigned long id;

	if (what == NULL) {
		for (o = fs->offers; o != NULL; o = o->next)
			if (a == NULL || strcmp(o->account, a->name) == 0)
				return o;
		return NULL;
	}
	id = strtoul(what, &end, 10);
	if (*end != '\0' || id == 0)
		return NULL;
	for (o = fs->offers; o != NULL; o = o->next)
		if (o->id == id)
			return o;
	return NULL;
}

/* Starts fetching URL (https:// or aesgcm://) as NAME into DIR (NULL:
 * DATA_DIR/files), at most CAP bytes. */
static int
files_fetch(struct account *a, const char *url, const char *name,
	    const char *dir, uint64_t cap)
{
	struct files *fs = files_get(a->w);
	struct transfer *t;
	struct http_opts ho;
	const char *why = NULL;
	char *https = NULL, *hwhy = NULL;
	int rc;

	if (files_http(fs) == NULL) {
		event_error(a->name, "download", http_unavailable());
		return WARD_ERR_SYSTEM;
	}
	t = transfer_new(fs, "download", a->name, name);
	if (strncasecmp(url, "aesgcm://", 9) == 0) {
		/* a key typed on the command line is the user's own choice;
		 * from an offer it came inside an encrypted message */
		if (aesgcm_link_parse(url, &https, &t->key) != WARD_OK) {
			why = "not a valid aesgcm:// link";
			goto fail;
		}
		t->aesgcm = 1;
	} else
		https = xstrdup(url);
	if (files_dir(a->w, dir, &t->dir, &t->dirfd, &why) != WARD_OK)
		goto fail;
	if ((t->fd = filename_tmp(t->dirfd, t->tmp, sizeof(t->tmp))) < 0) {
		t->tmp[0] = '\0';
		why = "cannot create a file in the download directory";
		goto fail;
	}
	memset(&ho, 0, sizeof(ho));
	ho.url = https;
	ho.dns = a->dns;
	ho.dnssec_required = a->cfg->dnssec == DNSSEC_REQUIRE;
	ho.ca_file = a->cfg->ca_file;
	ho.tls_min = a->cfg->tls_min;
	ho.max_bytes = cap + (t->aesgcm ? 16 : 0);
	ho.out_fd = t->fd;
	ho.in_fd = -1;
	rc = http_start(fs->http, &ho, transfer_progress, transfer_done, t,
			&t->req, &hwhy);
	freezero_str(https);
	if (rc != WARD_OK) {
		transfer_event(t, "failed", hwhy, NULL, 0, 0, NULL);
		free(hwhy);
		transfer_free(t);
		return rc;
	}
	transfer_event(t, "started", NULL, NULL, 0, 0, NULL);
	return WARD_OK;
fail:
	freezero_str(https);
	transfer_event(t, "failed", why, NULL, 0, 0, NULL);
	transfer_free(t);
	return WARD_ERR_INVAL;
}

int
files_download(struct account *a, const char *what, const char *dir)
{
	struct files *fs = files_get(a->w);
	struct offer *o;
	char *name;
	int rc;

	if (what != NULL && strstr(what, "://") != NULL) {
		name = filename_from_url(what);
		rc = files_fetch(a, what, name, dir, FILES_MAX_BYTES);
		free(name);
		return rc;
	}
	if ((o = files_find_offer(fs, what, a)) == NULL) {
		event_error(a->name, "download",
			    what == NULL ? "no file offered yet"
					 : "no such file offer");
		return WARD_ERR_NOTFOUND;
	}
	if ((a = ward_account(a->w, o->account)) == NULL)
		return WARD_ERR_NOTFOUND;
	return files_fetch(a, o->url, o->name, dir, FILES_MAX_BYTES);
}

int
files_cancel(struct ward *w, const char *id)
{
	struct files *fs = files_get(w);
	struct transfer *t;
	unsigned long n = strtoul(id, NULL, 10);

	for (t = fs->transfers; t != NULL; t = t->next)
		if (t->id == n) {
			http_cancel(t->req);
			t->req = NULL;
			transfer_event(t, "cancelled", NULL, NULL, t->last_done,
				       0, NULL);
			transfer_free(t);
			return WARD_OK;
		}
	event_error(NULL, "cancel", "no such transfer");
	return WARD_ERR_NOTFOUND;
}

int
files_list(struct ward *w)
{
	struct files *fs = files_get(w);
	struct offer *o;
	struct transfer *t;

	for (o = fs->offers; o != NULL; o = o->next)
		offer_event(o);
	for (t = fs->transfers; t != NULL; t = t->next)
		transfer_event(t, "progress", NULL, NULL, t->last_done, 0,
			       NULL);
	return WARD_OK;
}

void
files_free(struct ward *w)
{
	struct files *fs = w->files;
	struct offer *o;

	if (fs == NULL)
		return;
	while (fs->transfers != NULL) {
		http_cancel(fs->transfers->req);
		fs->transfers->req = NULL;
		transfer_free(fs->transfers);
	}
	http_free(fs->http);
	upload_free_services(fs);
	for (size_t i = 0; i < fs->nsent_links; i++)
		free(fs->sent_links[i]);
	while ((o = fs->offers) != NULL) {
		fs->offers = o->next;
		offer_free(o);
	}
	free(fs);
	w->files = NULL;
}
