/*
 * sanitize.h: the one terminal sanitiser every remote string passes before
 * it reaches a terminal, and the strict UTF-8 decoder and code point
 * classes that the JSON writer and the command parser share with it.
 */
#ifndef WARD_SANITIZE_H
#define WARD_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

struct wbuf;

/* *cp value from sanitize_utf8_next() for an ill-formed sequence. */
#define SANITIZE_BAD_UTF8 0xFFFFFFFFu

/*
 * Decodes the UTF-8 sequence at s (len > 0 bytes available) and returns
 * how many bytes it used (1..4). *cp is the code point, or
 * SANITIZE_BAD_UTF8 when the bytes are ill-formed (overlong, surrogate,
 * above U+10FFFF, a stray continuation byte, or cut short). An ill-formed
 * sequence consumes its "maximal subpart" (Unicode 15 section 3.9, as in
 * WHATWG and Python): the longest prefix of a well-formed sequence, or one
 * byte. Callers that replace each bad result with U+FFFD therefore get one
 * U+FFFD per maximal subpart: "\xe2\x82" (cut short) gives one,
 * "\xc0\xaf" (overlong) and "\xed\xa0\x80" (surrogate) give one per byte.
 * Returns 0 only when len is 0.
 */
size_t sanitize_utf8_next(const unsigned char *s, size_t len, uint32_t *cp);

/* Nonzero for C0 controls (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F). */
int sanitize_is_control(uint32_t cp);

/*
 * Nonzero for the invisible controls that reorder or break text: the bidi
 * controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, and the
 * line/paragraph separators U+2028, U+2029.
 */
int sanitize_is_format(uint32_t cp);

/*
 * Nonzero for the zero-width characters that hide text or make two
 * strings that look the same differ: U+180E, U+200B-U+200D (zero-width
 * space, non-joiner, joiner), U+2060-U+2064 (word joiner, invisible
 * operators), U+FEFF (zero-width no-break space).
 */
int sanitize_is_invisible(uint32_t cp);

/* Flags for sanitize_append(). */
#define SANITIZE_NEWLINES 0x1 /* keep '\n' (and turn "\r\n" into '\n') */
#define SANITIZE_INVISIBLE 0x2 /* also show sanitize_is_invisible() */

/*
 * Makes text safe to print and appends it to out. The result is valid
 * UTF-8 and holds no control character except '\n' with SANITIZE_NEWLINES:
 * - C0 controls and DEL are shown in caret form: ESC is "^[", NUL "^@",
 *   CR "^M", BEL "^G", DEL "^?"; '\n' is "^J" unless SANITIZE_NEWLINES.
 * - TAB becomes one space.
 * - C1 controls and the format controls of sanitize_is_format() are shown
 *   as "<U+XXXX>" (four or more upper-case hex digits; with
 *   SANITIZE_INVISIBLE the zero-width characters too): U+009B (8-bit CSI
 *   in UTF-8) is "<U+009B>", U+202E (right-to-left override) "<U+202E>".
 * - Ill-formed UTF-8 becomes U+FFFD, one per maximal subpart (see above);
 *   a raw 0x9b byte is ill-formed UTF-8 and so becomes U+FFFD.
 * The output grows by at most 4 bytes per input byte. Returns WARD_OK,
 * WARD_ERR_LIMIT (out's ceiling; out then holds a partial result) or
 * WARD_ERR_NOMEM. Nothing is NUL-terminated.
 */
int sanitize_append(struct wbuf *out, const char *in, size_t len, int flags);

/*
 * One line for the terminal (a nick, a status, a room subject shown in a
 * bar): every control, '\n' included, is made visible as above. Returns a
 * NUL-terminated string the caller frees, and its length in *outlen (may
 * be NULL); NULL when out of memory.
 */
char *sanitize_for_terminal(const char *in, size_t len, size_t *outlen);

/* The same, but '\n' is kept (message bodies shown on several lines). */
char *sanitize_multiline(const char *in, size_t len, size_t *outlen);

/*
 * One entry of ward.log: as sanitize_for_terminal(), and the zero-width
 * characters of sanitize_is_invisible() are shown as "<U+XXXX>" too, so an
 * entry is one line whatever remote text (a JID, a body) it quotes and
 * reads the same in any viewer. log_msg() runs every entry through it.
 */
char *sanitize_for_log(const char *in, size_t len, size_t *outlen);

#endif
