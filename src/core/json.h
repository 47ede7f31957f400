/*
 * json.h: the writer for ward's event stream, one JSON object a line.
 * Output is always valid UTF-8 and never holds a raw control character.
 */
#ifndef WARD_JSON_H
#define WARD_JSON_H

#include <stddef.h>

#include "buf.h"

/* Ceiling for one event line (bytes, escapes included). */
#define JSON_MAX_LINE (8u * 1024 * 1024)
/* Deepest nesting of objects and arrays, the outer object included. */
#define JSON_MAX_DEPTH 8

/*
 * One event being written. Usage:
 *	struct json j;
 *	json_begin(&j);
 *	json_str(&j, "event", "message");
 *	json_strn(&j, "body", body, bodylen);
 *	line = json_end(&j, &len);	// "{...}\n", caller frees
 * The field functions return nothing: the first error (WARD_ERR_LIMIT past
 * JSON_MAX_LINE or JSON_MAX_DEPTH, WARD_ERR_INVAL for a misplaced key,
 * WARD_ERR_NOMEM) sticks, later calls do nothing, and json_end() returns
 * NULL. Keys are escaped like values. Inside an object the key must not be
 * NULL; inside an array it must be NULL.
 */
struct json {
	struct wbuf buf;
	int err;   /* first error, WARD_OK while all is well */
	int depth; /* open objects/arrays */
	unsigned char first[JSON_MAX_DEPTH]; /* no member written yet */
	unsigned char array[JSON_MAX_DEPTH]; /* the level is an array */
};

/* Starts the outer object. */
void json_begin(struct json *j);

/*
 * A string member. val NULL writes null. The string is escaped so that the
 * result is valid UTF-8 and safe to print:
 * - '"' and '\\' as \" and \\ ('/' is left alone);
 * - every C0 control (U+0000-U+001F, '\n' included), DEL (U+007F), C1
 *   control (U+0080-U+009F), bidi control (U+061C, U+200E, U+200F,
 *   U+202A-U+202E, U+2066-U+2069) and U+2028/U+2029 as \uXXXX with four
 *   lower-case hex digits ("\u001b", "\u202e");
 * - ill-formed UTF-8 as \ufffd, one per maximal subpart (see
 *   sanitize_utf8_next() in sanitize.h: a cut-short sequence gives one, an
 *   overlong or surrogate one per byte, a stray byte one).
 * Everything else is copied as is, so valid text without controls is
 * written losslessly. json_strn() takes a length and may hold NUL bytes
 * (written as \u0000).
 */
void json_str(struct json *j, const char *key, const char *val);
void json_strn(struct json *j, const char *key, const char *val, size_t len);
void json_int(struct json *j, const char *key, long long v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);

/* Nested values: open, add members (or elements, with key NULL), close. */
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);

/* The first error so far (WARD_OK if none). */
int json_error(const struct json *j);

/*
 * Closes the outer object (and any still-open nesting is an error) and
 * returns the line "{...}\n", NUL-terminated, which the caller frees;
 * *len (may be NULL) is its length including the '\n'. Returns NULL on
 * any error (see json_error()). Frees the writer's buffer either way, so
 * the struct can be begun again.
 */
char *json_end(struct json *j, size_t *len);

/* Drops an event being written without producing it. */
void json_abort(struct json *j);

#endif
