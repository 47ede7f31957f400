/*
 * fuzz_xmlstream.c: libFuzzer harness for the XMPP stream parser
 * (src/net/xmlstream.c). The input is one stream, fed in chunks whose sizes are
 * derived from the data; stanzas are serialised and checked.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <strophe.h>

#include "ward.h"
#include "xmlstream.h"

struct fuzz_state {
	struct xmlstream *xs;
	int events; /* open, stanza and close callbacks */
};

static void
fuzz_open(void *arg, const char **attrs)
{
	struct fuzz_state *fs = arg;
	size_t i;

	fs->events++;
	for (i = 0; attrs[i] != NULL; i += 2)
		if (strlen(attrs[i]) == 0 || attrs[i + 1] == NULL)
			__builtin_trap();
}

/* Serialises the stanza, keeps a reference across the call like a user
 * would, and resets after <proceed/> or <success/> as the transport does. */
static void
fuzz_stanza(void *arg, xmpp_stanza_t *st)
{
	struct fuzz_state *fs = arg;
	xmpp_stanza_t *kept = xmpp_stanza_clone(st);
	const char *name = xmpp_stanza_get_name(st);
	char *buf = NULL;
	size_t len = 0;

	fs->events++;
	if (name == NULL)
		__builtin_trap();
	if (xmpp_stanza_to_text(st, &buf, &len) == XMPP_EOK) {
		if (strlen(buf) != len)
			__builtin_trap();
		xmpp_free(xmpp_stanza_get_context(st), buf);
	}
	if (strcmp(name, "proceed") == 0 || strcmp(name, "success") == 0)
		xmlstream_request_reset(fs->xs);
	xmpp_stanza_release(kept);
}

static void
fuzz_close(void *arg)
{
	struct fuzz_state *fs = arg;

	fs->events++;
}

/*
 * No element may be held back: spaces can never finish one, but limit+1
 * of them make the parser hand every held byte to expat, so they must not
 * bring any callback that the input alone did not.
 */
static void
fuzz_check_nothing_held(struct fuzz_state *fs)
{
	static char pad[XMLSTREAM_MAX_STANZA + 1];
	int before = fs->events;

	if (pad[0] != ' ')
		memset(pad, ' ', sizeof(pad));
	(void)xmlstream_feed(fs->xs, pad, sizeof(pad));
	if (fs->events != before)
		__builtin_trap();
}

static const struct xmlstream_cbs fuzz_cbs = {fuzz_open, fuzz_stanza,
					      fuzz_close};

/* Next chunk size from a small generator seeded by the input. */
static size_t
fuzz_chunk(uint32_t *seed, size_t left)
{
	static const size_t sizes[] = {1, 2, 3, 7, 16, 61, 512, 4096};
	size_t n;

	*seed = *seed * 1103515245u + 12345u;
	n = (*seed >> 16) & 15;
	n = n < 8 ? sizes[n] : left; /* half the time: the rest at once */
	return n < left ? n : left;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static xmpp_ctx_t *ctx;
	struct fuzz_state fs = {0};
	const char *p = (const char *)data;
	uint32_t seed = (uint32_t)size * 2654435761u;
	size_t off = 0, n;
	int rc = WARD_OK;

	if (ctx == NULL && (ctx = xmpp_ctx_new(NULL, NULL)) == NULL)
		return 0;
	if (size > 0)
		seed ^= data[size / 2] | (uint32_t)data[size - 1] << 8;
	if ((fs.xs = xmlstream_new(ctx, &fuzz_cbs, &fs)) == NULL)
		return 0;
	while (off < size && rc == WARD_OK) {
		n = fuzz_chunk(&seed, size - off);
		rc = xmlstream_feed(fs.xs, p + off, n);
		off += n;
	}
	if (rc != WARD_OK) {
		/* errors are sticky and described */
		if (xmlstream_feed(fs.xs, "<a/>", 4) != rc ||
		    xmlstream_error_condition(fs.xs) == NULL ||
		    xmlstream_error_text(fs.xs)[0] == '\0')
			__builtin_trap();
		/* and a reset revives the stream */
		if (xmlstream_reset(fs.xs) != WARD_OK ||
		    xmlstream_error_condition(fs.xs) != NULL)
			__builtin_trap();
	} else if (xmlstream_error_condition(fs.xs) != NULL) {
		__builtin_trap();
	} else {
		fuzz_check_nothing_held(&fs);
	}
	xmlstream_free(fs.xs);
	return 0;
}
