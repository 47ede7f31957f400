/*
 * upload.c: XEP-0363 HTTP File Upload. /upload PATH JID finds the
 * account's upload service (disco#items of the server, then disco#info of
 * each item; cached), checks the file's size against the service's limit,
 * asks for a slot, PUTs the file through src/net/http.c (the same transport
 * rules as downloads) and sends the link to JID. A chat that is OMEMO-
 * encrypted gets the file encrypted first (XEP-0454, a fresh AES-256-GCM
 * key and IV, a random file name on the server) and the aesgcm:// link
 * only inside the OMEMO message: a file for an OMEMO chat is never
 * uploaded in plaintext. Slot URLs never reach ward.log or an event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "config.h"
#include "core.h"
#include "event.h"
#include "filename.h"
#include "files.h"
#include "files_priv.h"
#include "http.h"
#include "jid.h"
#include "policy.h"
#include "stanza.h"
#include "store.h"
#include "ward.h"

#define NS_UPLOAD "urn:xmpp:http:upload:0"
#define NS_DISCO_ITEMS "http://jabber.org/protocol/disco#items"
#define NS_DISCO_INFO "http://jabber.org/protocol/disco#info"
#define NS_DATA "jabber:x:data"
#define UPLOAD_MAX_ITEMS 32
#define UPLOAD_IQ_TIMEOUT_MS 30000

struct upload_service {
	char *account;
	char *jid;    /* NULL: the server has none */
	uint64_t max; /* 0: no limit announced */
	struct upload_service *next;
};

/* One discovery walk for one transfer. */
struct upload_disco {
	struct ward *w;
	unsigned tid;
	int pending, found;
};

static void upload_request_slot(struct account *a, struct transfer *t,
				const struct upload_service *s);

void
upload_free_services(struct files *fs)
{
	struct upload_service *s;

	while ((s = fs->services) != NULL) {
		fs->services = s->next;
		free(s->account);
		free(s->jid);
		free(s);
	}
}

static struct upload_service *
upload_service_find(struct files *fs, const char *account)
{
	struct upload_service *s;

	for (s = fs->services; s != NULL; s = s->next)
		if (strcmp(s->account, account) == 0)
			return s;
	return NULL;
}

/* The account's service record, made (no service known yet) when it has
 * none: one place for the disco replies that fill it in. */
static struct upload_service *
upload_service_get(struct files *fs, const char *account)
{
	struct upload_service *s = upload_service_find(fs, account);

	if (s == NULL) {
		s = xcalloc(1, sizeof(*s));
		s->account = xstrdup(account);
		s->next = fs->services;
		fs->services = s;
	}
	return s;
}

static void
upload_fail(struct transfer *t, const char *why)
{
	transfer_event(t, "failed", why, NULL, t->last_done, 0, NULL);
	transfer_free(t);
}

/* The transfer a reply belongs to, if it still runs. */
static struct transfer *
upload_transfer(struct ward *w, unsigned tid)
{
	return w->files ? transfer_find(w->files, tid) : NULL;
}

/* max-file-size from the service's XEP-0128 form; 0 when none. */
static uint64_t
upload_max_size(xmpp_stanza_t *q)
{
	xmpp_stanza_t *x, *f;

	for (x = xmpp_stanza_get_children(q); x != NULL;
	     x = xmpp_stanza_get_next(x)) {
		const char *ns = xmpp_stanza_get_ns(x);
		if (!xmpp_stanza_is_tag(x) || ns == NULL ||
		    strcmp(ns, NS_DATA) != 0)
			continue;
		for (f = xmpp_stanza_get_children(x); f != NULL;
		     f = xmpp_stanza_get_next(f)) {
			const char *var =
			    xmpp_stanza_is_tag(f)
				? xmpp_stanza_get_attribute(f, "var")
				: NULL;
			const char *v;
			if (var == NULL || strcmp(var, "max-file-size") != 0)
				continue;
			v = stanza_child_text(f, "value");
			if (v != NULL && *v >= '0' && *v <= '9')
				return strtoull(v, NULL, 10);
		}
	}
	return 0;
}

static void
upload_disco_done(struct account *a, struct upload_disco *d)
{
	struct transfer *t;

	if (--d->pending > 0)
		return;
	t = upload_transfer(d->w, d->tid);
	if (!d->found) {
		/* remembered: the server has none (s->jid NULL) */
		(void)upload_service_get(files_get(d->w), a->name);
		if (t != NULL)
			upload_fail(t, "the server offers no HTTP upload "
				       "service (XEP-0363)");
	}
	free(d);
}

static void
upload_info_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct upload_disco *d = arg;
	struct files *fs = files_get(d->w);
	struct upload_service *s;
	struct transfer *t;
	xmpp_stanza_t *q;
	const char *type, *from;

	if (reply != NULL && !d->found &&
	    (type = xmpp_stanza_get_type(reply)) != NULL &&
	    strcmp(type, "result") == 0 &&
	    (from = xmpp_stanza_get_from(reply)) != NULL &&
	    (q = xmpp_stanza_get_child_by_name_and_ns(reply, "query",
						      NS_DISCO_INFO)) != NULL &&
	    stanza_has_child_attr(q, "feature", "var", NS_UPLOAD)) {
		d->found = 1;
		s = upload_service_get(fs, a->name);
		free(s->jid);
		s->jid = xstrdup(from);
		s->max = upload_max_size(q);
		if ((t = upload_transfer(d->w, d->tid)) != NULL)
			upload_request_slot(a, t, s);
	}
	upload_disco_done(a, d);
}

static void
upload_items_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct upload_disco *d = arg;
	xmpp_stanza_t *q, *it, *iq, *qq;
	const char *type;
	int n = 0;

	if (reply != NULL && (type = xmpp_stanza_get_type(reply)) != NULL &&
	    strcmp(type, "result") == 0 &&
	    (q = xmpp_stanza_get_child_by_name_and_ns(
		 reply, "query", NS_DISCO_ITEMS)) != NULL) {
		for (it = xmpp_stanza_get_children(q);
		     it != NULL && n < UPLOAD_MAX_ITEMS;
		     it = xmpp_stanza_get_next(it)) {
			const char *jid =
			    xmpp_stanza_is_tag(it)
				? xmpp_stanza_get_attribute(it, "jid")
				: NULL;
			char *id;
			if (jid == NULL ||
			    strcmp(xmpp_stanza_get_name(it), "item") != 0)
				continue;
			id = account_new_id(a);
			iq = xmpp_iq_new(a->w->ctx, "get", id);
			free(id);
			xmpp_stanza_set_to(iq, jid);
			qq = stanza_elem(a->w->ctx, "query", NS_DISCO_INFO);
			stanza_adopt(iq, qq);
			d->pending++;
			account_send_iq_timeout(a, iq, upload_info_reply, d,
						UPLOAD_IQ_TIMEOUT_MS);
			xmpp_stanza_release(iq);
			n++;
		}
	}
	upload_disco_done(a, d);
}

static void
upload_discover(struct account *a, struct transfer *t)
{
	struct upload_disco *d = xcalloc(1, sizeof(*d));
	xmpp_stanza_t *iq, *q;
	char *id = account_new_id(a);

	d->w = a->w;
	d->tid = t->id;
	d->pending = 1;
	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	xmpp_stanza_set_to(iq, a->domain);
	q = stanza_elem(a->w->ctx, "query", NS_DISCO_ITEMS);
	stanza_adopt(iq, q);
	account_send_iq_timeout(a, iq, upload_items_reply, d,
				UPLOAD_IQ_TIMEOUT_MS);
	xmpp_stanza_release(iq);
}

/* A header the XEP allows on the PUT, with a value that cannot break the
 * request; NULL otherwise. malloc'd "Name: value". */
static char *
upload_header(xmpp_stanza_t *h)
{
	const char *name = xmpp_stanza_get_attribute(h, "name");
	char *v = xmpp_stanza_get_text(h), *line = NULL;

	if (name != NULL && v != NULL &&
	    (strcasecmp(name, "Authorization") == 0 ||
	     strcasecmp(name, "Cookie") == 0 ||
	     strcasecmp(name, "Expires") == 0) &&
	    strpbrk(v, "\r\n") == NULL && strlen(v) < 4096)
		xasprintf(&line, "%s: %s", name, v);
	if (v != NULL)
		xmpp_free(xmpp_stanza_get_context(h), v);
	return line;
}

static void
upload_put_done(void *arg, int err, const char *why,
		const struct http_result *res)
{
	struct transfer *t = arg;
	struct account *a = ward_account(t->fs->w, t->account);
	char *link;

	t->req = NULL;
	if (err != WARD_OK) {
		transfer_event(t, "failed", why, NULL, res->bytes, t->size,
			       dns_sec_name(res->dns_sec));
		log_info("upload %u failed: %s", t->id, why);
		transfer_free(t);
		return;
	}
	if (a == NULL) {
		upload_fail(t, "the account is gone");
		return;
	}
	if (t->aesgcm)
		link = aesgcm_link_make(t->get_url, &t->key);
	else {
		link = xstrdup(t->get_url);
		/* im.c adds XEP-0066 out-of-band data to this body */
		files_link_remember(t->fs, t->get_url);
	}
	transfer_event(t, "done", NULL, NULL, res->bytes, t->size,
		       dns_sec_name(res->dns_sec));
	im_send_message(a, t->to, link);
	freezero_str(link);
	transfer_free(t);
}

static void
upload_slot_reply(struct account *a, xmpp_stanza_t *reply, void *arg)
{
	struct transfer *t = upload_transfer(a->w, (unsigned)(uintptr_t)arg);
	xmpp_stanza_t *slot, *put, *get, *h;
	const char *type, *put_url, *get_url, *w;
	char *headers[8], *hwhy = NULL, *host = NULL;
	size_t nh = 0, i;
	unsigned port;
	struct http_opts ho;
	int rc;

	if (t == NULL)
		return; /* cancelled meanwhile */
	if (reply == NULL) {
		upload_fail(t, "the connection ended before a slot came");
		return;
	}
	type = xmpp_stanza_get_type(reply);
	slot = xmpp_stanza_get_child_by_name_and_ns(reply, "slot", NS_UPLOAD);
	put = slot ? xmpp_stanza_get_child_by_name(slot, "put") : NULL;
	get = slot ? xmpp_stanza_get_child_by_name(slot, "get") : NULL;
	put_url = put ? xmpp_stanza_get_attribute(put, "url") : NULL;
	get_url = get ? xmpp_stanza_get_attribute(get, "url") : NULL;
	if (type == NULL || strcmp(type, "result") != 0 || put_url == NULL ||
	    get_url == NULL) {
		upload_fail(t,
			    type && strcmp(type, "error") == 0
				? "the upload service refused a slot (file too "
				  "large, quota, or not allowed)"
				: "the upload service sent no usable slot");
		return;
	}
	if (http_url_target(put_url, &host, &port, &w) != WARD_OK ||
	    (free(host), host = NULL,
	     http_url_target(get_url, &host, &port, &w)) != WARD_OK) {
		upload_fail(t, "the upload slot is not https: refused");
		return;
	}
	free(host);
	for (h = xmpp_stanza_get_children(put); h != NULL && nh < 7;
	     h = xmpp_stanza_get_next(h))
		if (xmpp_stanza_is_tag(h) &&
		    strcmp(xmpp_stanza_get_name(h), "header") == 0 &&
		    (headers[nh] = upload_header(h)) != NULL)
			nh++;
	headers[nh] = NULL;
	t->get_url = xstrdup(get_url);
	memset(&ho, 0, sizeof(ho));
	ho.url = put_url;
	ho.method = "PUT";
	ho.dns = a->dns;
	ho.dnssec_required = a->cfg->dnssec == DNSSEC_REQUIRE;
	ho.ca_file = a->cfg->ca_file;
	ho.tls_min = a->cfg->tls_min;
	ho.in_fd = t->fd;
	ho.in_size = t->size;
	ho.out_fd = -1;
	ho.headers = (const char *const *)headers;
	ho.content_type = "application/octet-stream";
	lseek(t->fd, 0, SEEK_SET);
	rc = http_start(files_http(t->fs), &ho, transfer_progress,
			upload_put_done, t, &t->req, &hwhy);
	for (i = 0; i < nh; i++)
		freezero_str(headers[i]);
	if (rc != WARD_OK) {
		upload_fail(t, hwhy ? hwhy : "cannot start the upload");
		free(hwhy);
	}
}

static void
upload_request_slot(struct account *a, struct transfer *t,
		    const struct upload_service *s)
{
	xmpp_stanza_t *iq, *req;
	char *id, size[24];

	if (s->max > 0 && t->size > s->max) {
		char why[128];
		snprintf(why, sizeof(why),
			 "the file is larger than the "
			 "server's limit of %llu bytes",
			 (unsigned long long)s->max);
		upload_fail(t, why);
		return;
	}
	id = account_new_id(a);
	iq = xmpp_iq_new(a->w->ctx, "get", id);
	free(id);
	xmpp_stanza_set_to(iq, s->jid);
	req = stanza_elem(a->w->ctx, "request", NS_UPLOAD);
	xmpp_stanza_set_attribute(req, "filename", t->name);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)t->size);
	xmpp_stanza_set_attribute(req, "size", size);
	xmpp_stanza_set_attribute(req, "content-type",
				  "application/octet-stream");
	stanza_adopt(iq, req);
	account_send_iq_timeout(a, iq, upload_slot_reply,
				(void *)(uintptr_t)t->id, UPLOAD_IQ_TIMEOUT_MS);
	xmpp_stanza_release(iq);
}

/* A name for the server that says nothing: 16 random hex digits and the
 * original extension (so the receiver's client can show it). */
static char *
upload_random_name(const char *name)
{
	unsigned char r[8];
	const char *dot = strrchr(name, '.');
	char *s;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		memset(r, 0, sizeof(r));
	if (dot != NULL && strlen(dot) > 8)
		dot = NULL;
	xasprintf(&s, "%02x%02x%02x%02x%02x%02x%02x%02x%s", r[0], r[1], r[2],
		  r[3], r[4], r[5], r[6], r[7], dot ? dot : "");
	return s;
}

int
files_upload(struct account *a, const char *path, const char *to)
{
	struct files *fs = files_get(a->w);
	struct upload_service *s;
	struct transfer *t;
	struct stat st;
	const char *base, *why = NULL;
	char *name, *bare, *occupant;
	int fd, groupchat, omemo;

	if (a->state != AS_ONLINE) {
		event_error(a->name, "not-connected",
			    "/upload needs a "
			    "connected account");
		return WARD_ERR_AGAIN;
	}
	occupant = muc_occupant(a, to);
	bare = occupant ? occupant : jid_bare(to);
	if (bare == NULL) {
		event_error(a->name, "invalid-jid", "not a valid JID");
		return WARD_ERR_INVAL;
	}
	groupchat = occupant == NULL && muc_is_room(a, bare);
	if (occupant != NULL && !policy_room_pm_allowed(a, bare)) {
		free(bare);
		event_error(
		    a->name, "muc-pm-unencrypted",
		    "not uploaded: a "
		    "private message to a room occupant cannot be "
		    "OMEMO-encrypted; /omemo off ROOM/NICK first to send "
		    "links in plaintext");
		return WARD_ERR_POLICY;
	}
	omemo = occupant == NULL &&
		policy_chat_encryption(a, bare, groupchat) == STORE_ENC_OMEMO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		free(bare);
		event_error(a->name, "upload",
			    "cannot read that file (not "
			    "a regular file, or no permission)");
		return WARD_ERR_IO;
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	name = filename_sanitize(base, strlen(base));
	t = transfer_new(fs, "upload", a->name, name);
	free(name);
	t->to = xstrdup(to);
	free(bare);
	if (files_http(fs) == NULL) {
		close(fd);
		upload_fail(t, http_unavailable());
		return WARD_ERR_SYSTEM;
	}
	if (omemo) {
		/* XEP-0454: the server only ever sees ciphertext, under a
		 * name that says nothing */
		char *rn = upload_random_name(t->name);
		free(t->name);
		t->name = rn;
		t->aesgcm = 1;
		if (files_dir(a->w, NULL, &t->dir, &t->dirfd, &why) !=
			WARD_OK ||
		    (t->fd = filename_tmp(t->dirfd, t->tmp, sizeof(t->tmp))) <
			0 ||
		    aesgcm_key_new(&t->key) != WARD_OK ||
		    aesgcm_encrypt_fd(fd, t->fd, &t->key, &why) != WARD_OK) {
			if (t->fd < 0)
				t->tmp[0] = '\0';
			close(fd);
			upload_fail(t, why ? why : "cannot encrypt the file");
			return WARD_ERR_CRYPTO;
		}
		close(fd);
		t->size = (uint64_t)st.st_size + 16;
	} else {
		t->fd = fd;
		t->size = (uint64_t)st.st_size;
	}
	transfer_event(t, "started", NULL, NULL, 0, t->size, NULL);
	s = upload_service_find(fs, a->name);
	if (s != NULL && s->jid == NULL) {
		upload_fail(t, "the server offers no HTTP upload service "
			       "(XEP-0363)");
		return WARD_ERR_NOTFOUND;
	}
	if (s != NULL)
		upload_request_slot(a, t, s);
	else
		upload_discover(a, t);
	return WARD_OK;
}

void
files_link_remember(struct files *fs, const char *url)
{
	if (fs->nsent_links == FILES_SENT_LINKS_MAX) {
		/* the oldest goes: its message has long been sent */
		free(fs->sent_links[0]);
		memmove(fs->sent_links, fs->sent_links + 1,
			(fs->nsent_links - 1) * sizeof(*fs->sent_links));
		fs->nsent_links--;
	}
	fs->sent_links[fs->nsent_links++] = xstrdup(url);
}

int
files_link_is_ours(struct ward *w, const char *body)
{
	size_t i;

	if (w->files == NULL || body == NULL)
		return 0;
	for (i = 0; i < w->files->nsent_links; i++)
		if (strcmp(w->files->sent_links[i], body) == 0)
			return 1;
	return 0;
}
