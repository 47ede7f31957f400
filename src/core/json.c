/*
 * json.c: writes one JSON object a line for the event stream, escaping
 * every control, bidi control, zero-width character and ill-formed UTF-8 (see json.h). Library
 * tier: errors stick in the writer, nothing aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "sanitize.h"
#include "ward.h"

/* Records the first error. */
static void
json_fail(struct json *j, int err)
{
	if (j->err == WARD_OK)
		j->err = err;
}

static void
json_put(struct json *j, const void *p, size_t n)
{
	int r;

	if (j->err != WARD_OK)
		return;
	if ((r = wbuf_put(&j->buf, p, n)) != WARD_OK)
		json_fail(j, r);
}

/* Writes "\uXXXX" for a code point in the BMP. */
static void
json_put_u(struct json *j, uint32_t cp)
{
	char s[8];

	snprintf(s, sizeof(s), "\\u%04x", (unsigned int)(cp & 0xffff));
	json_put(j, s, 6);
}

/*
 * Writes a quoted, escaped string. Characters that need no escape are
 * copied in runs, not one by one: event lines are built for every stanza.
 */
static void
json_put_string(struct json *j, const char *val, size_t len)
{
	const unsigned char *s = (const unsigned char *)val;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	json_put(j, "\"", 1);
	while (i < len && j->err == WARD_OK) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\') {
			i++; /* printable ASCII: part of the run */
			continue;
		}
		json_put(j, s + run, i - run);
		n = sanitize_utf8_next(s + i, len - i, &cp);
		if (cp == SANITIZE_BAD_UTF8)
			json_put_u(j, 0xfffd);
		else if (cp == '"')
			json_put(j, "\\\"", 2);
		else if (cp == '\\')
			json_put(j, "\\\\", 2);
		else if (sanitize_is_control(cp) || sanitize_is_format(cp) ||
			 sanitize_is_invisible(cp))
			json_put_u(j, cp); /* lossless: decoders get cp back */
		else
			json_put(j, s + i, n);
		i += n;
		run = i;
	}
	json_put(j, s + run, i - run);
	json_put(j, "\"", 1);
}

/* Writes the separator and key before a member; checks the key's place. */
static void
json_member(struct json *j, const char *key)
{
	int d = j->depth - 1;

	if (j->err != WARD_OK)
		return;
	if (d < 0 || (j->array[d] ? key != NULL : key == NULL)) {
		json_fail(j, WARD_ERR_INVAL);
		return;
	}
	if (!j->first[d])
		json_put(j, ",", 1);
	j->first[d] = 0;
	if (key != NULL) {
		json_put_string(j, key, strlen(key));
		json_put(j, ":", 1);
	}
}

void
json_begin(struct json *j)
{
	memset(j, 0, sizeof(*j));
	wbuf_init(&j->buf, JSON_MAX_LINE);
	j->depth = 1;
	j->first[0] = 1;
	j->array[0] = 0;
	json_put(j, "{", 1);
}

void
json_strn(struct json *j, const char *key, const char *val, size_t len)
{
	json_member(j, key);
	if (val == NULL)
		json_put(j, "null", 4);
	else
		json_put_string(j, val, len);
}

void
json_str(struct json *j, const char *key, const char *val)
{
	json_strn(j, key, val, val != NULL ? strlen(val) : 0);
}

void
json_int(struct json *j, const char *key, long long v)
{
	char s[32];
	int n;

	json_member(j, key);
	n = snprintf(s, sizeof(s), "%lld", v);
	if (n < 0 || (size_t)n >= sizeof(s))
		json_fail(j, WARD_ERR_INVAL);
	else
		json_put(j, s, (size_t)n);
}

void
json_bool(struct json *j, const char *key, int v)
{
	json_member(j, key);
	if (v)
		json_put(j, "true", 4);
	else
		json_put(j, "false", 5);
}

void
json_null(struct json *j, const char *key)
{
	json_member(j, key);
	json_put(j, "null", 4);
}

/* Opens a nested object or array as a member. */
static void
json_open(struct json *j, const char *key, int array)
{
	json_member(j, key);
	if (j->err != WARD_OK)
		return;
	if (j->depth >= JSON_MAX_DEPTH) {
		json_fail(j, WARD_ERR_LIMIT);
		return;
	}
	j->first[j->depth] = 1;
	j->array[j->depth] = (unsigned char)array;
	j->depth++;
	json_put(j, array ? "[" : "{", 1);
}

/* Closes the innermost nested value; the outer object is json_end()'s. */
static void
json_close(struct json *j, int array)
{
	if (j->err != WARD_OK)
		return;
	if (j->depth <= 1 || j->array[j->depth - 1] != array) {
		json_fail(j, WARD_ERR_INVAL);
		return;
	}
	j->depth--;
	json_put(j, array ? "]" : "}", 1);
}

void
json_obj_open(struct json *j, const char *key)
{
	json_open(j, key, 0);
}

void
json_obj_close(struct json *j)
{
	json_close(j, 0);
}

void
json_arr_open(struct json *j, const char *key)
{
	json_open(j, key, 1);
}

void
json_arr_close(struct json *j)
{
	json_close(j, 1);
}

int
json_error(const struct json *j)
{
	return j->err;
}

char *
json_end(struct json *j, size_t *len)
{
	char *line = NULL;
	size_t n;

	if (len != NULL)
		*len = 0;
	if (j->err == WARD_OK && j->depth != 1)
		json_fail(j, WARD_ERR_INVAL);
	json_put(j, "}\n", 2);
	if (j->err != WARD_OK)
		goto out;
	n = wbuf_avail(&j->buf);
	if ((line = malloc(n + 1)) == NULL) {
		json_fail(j, WARD_ERR_NOMEM);
		goto out;
	}
	memcpy(line, wbuf_ptr(&j->buf), n);
	line[n] = '\0';
	if (len != NULL)
		*len = n;
out:
	wbuf_free(&j->buf);
	j->depth = 0;
	return line;
}

void
json_abort(struct json *j)
{
	wbuf_free(&j->buf);
	j->depth = 0;
}
