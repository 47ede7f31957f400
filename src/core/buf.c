/*
 * buf.c: the bounded byte buffer (see buf.h). Library tier: returns errors,
 * never aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ward.h"

void
wbuf_init(struct wbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

/* Makes room for n more bytes, compacting before growing. */
static int
wbuf_reserve(struct wbuf *b, size_t n)
{
	size_t live = b->len - b->off, need, ncap;
	unsigned char *nd;

	if (n > b->max || live > b->max - n)
		return WARD_ERR_LIMIT;
	if (b->cap - b->len >= n)
		return WARD_OK;
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, live);
		if (b->secret)
			explicit_bzero(b->data + live, b->len - live);
		b->off = 0;
		b->len = live;
		if (b->cap - b->len >= n)
			return WARD_OK;
	}
	need = live + n;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max && need <= b->max)
		ncap = b->max;
	if (b->secret) {
		nd = malloc(ncap);
		if (nd == NULL)
			return WARD_ERR_NOMEM;
		if (b->data != NULL) {
			memcpy(nd, b->data, b->len);
			explicit_bzero(b->data, b->cap);
			free(b->data);
		}
	} else {
		nd = realloc(b->data, ncap);
		if (nd == NULL)
			return WARD_ERR_NOMEM;
	}
	b->data = nd;
	b->cap = ncap;
	return WARD_OK;
}

int
wbuf_put(struct wbuf *b, const void *p, size_t n)
{
	int r;

	if (n == 0)
		return WARD_OK;
	if ((r = wbuf_reserve(b, n)) != WARD_OK)
		return r;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return WARD_OK;
}

int
wbuf_puts(struct wbuf *b, const char *s)
{
	return wbuf_put(b, s, strlen(s));
}

size_t
wbuf_avail(const struct wbuf *b)
{
	return b->len - b->off;
}

const unsigned char *
wbuf_ptr(const struct wbuf *b)
{
	/* an empty, never-grown buffer has no data: NULL + 0 is undefined */
	return b->data != NULL ? b->data + b->off : (const unsigned char *)"";
}

void
wbuf_consume(struct wbuf *b, size_t n)
{
	if (n > b->len - b->off)
		n = b->len - b->off;
	if (b->secret)
		explicit_bzero(b->data + b->off, n);
	b->off += n;
	if (b->off == b->len)
		b->off = b->len = 0;
}

void
wbuf_reset(struct wbuf *b)
{
	if (b->secret && b->data != NULL)
		explicit_bzero(b->data, b->cap);
	b->off = b->len = 0;
}

void
wbuf_free(struct wbuf *b)
{
	if (b->data != NULL && b->secret)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->off = b->len = b->cap = 0;
}
