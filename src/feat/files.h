/*
 * files.h: files people send (links in messages: XEP-0066 out-of-band data,
 * a body that is one https:// link, an XEP-0454 aesgcm:// link inside an
 * OMEMO message) and downloading them on request. Nothing is ever fetched
 * by itself: a link only becomes a numbered offer (a file-offer event)
 * until the user says /download.
 */
#ifndef WARD_FILES_H
#define WARD_FILES_H

#include <strophe.h>

struct ward;
struct account;

/*
 * Looks at a received message (its decrypted body when ENCRYPTED) for a
 * file link and records an offer from PEER (the conversation: a bare JID,
 * a room, or ROOM/NICK). An aesgcm:// link counts only in an encrypted
 * message, where its key is private.
 */
void files_offer_scan(struct account *a, xmpp_stanza_t *m, const char *peer,
		      const char *from, const char *body, int encrypted);

/* /download [ID|URL] [DIR]. */
int files_download(struct account *a, const char *what, const char *dir);
/* /upload PATH JID (upload.c). */
int files_upload(struct account *a, const char *path, const char *to);
/* 1 when body is the link of one of our plaintext uploads: im.c then adds
 * it as XEP-0066 out-of-band data. */
int files_link_is_ours(struct ward *w, const char *body);
/* /cancel ID: stops a transfer. */
int files_cancel(struct ward *w, const char *id);
/* /files: the offers and transfers, as file-offer and transfer events. */
int files_list(struct ward *w);

/* Frees every offer and stops every transfer (ward_free). */
void files_free(struct ward *w);

#endif
