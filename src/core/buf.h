/*
 * buf.h: one bounded byte buffer for network, pipe and file input and for
 * queued output. Every buffer has a hard ceiling; growing past it fails with
 * WARD_ERR_LIMIT instead of eating memory.
 */
#ifndef WARD_BUF_H
#define WARD_BUF_H

#include <stddef.h>

struct wbuf {
	unsigned char *data;
	size_t off;	/* start of unread data */
	size_t len;	/* end of data (data[off..len) is live) */
	size_t cap;
	size_t max;	/* ceiling for len - off */
	int secret;	/* wipe on free/consume */
};

void wbuf_init(struct wbuf *b, size_t max);
/* Appends n bytes. WARD_ERR_LIMIT past the ceiling, WARD_ERR_NOMEM. */
int wbuf_put(struct wbuf *b, const void *p, size_t n);
int wbuf_puts(struct wbuf *b, const char *s);
/* Bytes waiting and a pointer to them. */
size_t wbuf_avail(const struct wbuf *b);
const unsigned char *wbuf_ptr(const struct wbuf *b);
/* Drops n bytes from the front. */
void wbuf_consume(struct wbuf *b, size_t n);
void wbuf_reset(struct wbuf *b);
void wbuf_free(struct wbuf *b);

#endif
