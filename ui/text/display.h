/*
 * display.h: the only kind of text that may reach the screen. A display
 * string is built by dstr_make() from untrusted UTF-8 (a body, a nick, a
 * JID, a subject, a status text, a fingerprint label, history from ward.db
 * or the archive) and by nothing else; ui/view/draw.c, the one file that
 * calls curses output functions, accepts only struct dstr (UI.md rule 1).
 *
 * What a display string holds: valid UTF-8 with no C0 or C1 control, no
 * DEL and no ESC, except three in-band marks the drawing file interprets:
 *   DSTR_ESC_ON / DSTR_ESC_OFF  around text ward wrote to show something
 *                               escaped (drawn in a distinct attribute, so
 *                               a body's literal "^[" cannot pass for it);
 *   '\n'                        a line break (DSTR_BODY only).
 * Escapes: C0/DEL as ^X (^[ for ESC, ^M for CR, ^H for BS, ^@ for NUL,
 * ^? for DEL), C1 as <U+009B>, invalid UTF-8 bytes as \xNN (upper-case hex,
 * one per byte), TAB as spaces to the next multiple of 4 (DSTR_BODY and
 * DSTR_LINE; "^I" in names), LF (and CR LF) as a break in DSTR_BODY and
 * ^J elsewhere; a CR not before LF is always ^M.
 * Each escape is one unit in its own DSTR_ESC_ON/OFF pair, so a row break
 * between two escapes never splits an attribute run. Bidi controls
 * (U+200E/F, U+202A-202E, U+2066-2069, U+061C) are shown as <U+XXXX> in
 * every mode; so are zero-width and invisible characters (default
 * ignorables and format characters: U+200B-200D, U+2060-2064, U+FEFF,
 * U+00AD, U+180E, U+2028/9, Hangul fillers, tag characters...), except:
 * a ZWJ inside an emoji sequence (at most 4 in one), the tags of a
 * subdivision flag after U+1F3F4, and in DSTR_BODY a ZWJ or ZWNJ between
 * two letters or marks of scripts past U+0370 (Persian, Indic). Variation
 * selectors in DSTR_NAME are kept only after an emoji. A combining mark
 * with nothing to attach to (at the start, after '\n' or an escape) is
 * escaped, so it cannot combine with what ward drew before it; runs of
 * combining marks past UW_MAX_COMBINING are dropped. Input is never
 * trusted to be valid or short: the output is capped at DSTR_MAX bytes
 * (ON "..." OFF ends a cut string).
 */
#ifndef WARD_UI_DISPLAY_H
#define WARD_UI_DISPLAY_H

#include <stddef.h>

#define DSTR_ESC_ON '\001'
#define DSTR_ESC_OFF '\002'
#define DSTR_MAX (256 * 1024)

enum dstr_mode {
	DSTR_BODY, /* message bodies: LF kept as a break */
	DSTR_LINE, /* one-line remote text: subject, status, reason */
	DSTR_NAME, /* nicks, JIDs, resource and device names: strict */
};

struct dstr {
	char *s;    /* owned; NUL-terminated for convenience */
	size_t len; /* bytes, marks included */
};

/* Builds *out from len bytes of untrusted text (NUL bytes included are
 * escaped, not an end). Returns 0, or -1 on allocation failure with *out
 * cleared. The caller frees with dstr_free(). */
int dstr_make(struct dstr *out, const char *raw, size_t len,
	      enum dstr_mode mode);
/* Text ward itself wrote (labels, help): the same rules, so a literal
 * control in a translation or a config value is still escaped. */
int dstr_from_cstr(struct dstr *out, const char *s, enum dstr_mode mode);
void dstr_free(struct dstr *d);

/* For places that cannot show an attribute or a break (the terminal
 * title, a desktop notification, a log line): drops the marks in place
 * and turns each '\n' into a space, so d holds printable text only (the
 * escapes themselves stay, as plain "^[" or "<U+202E>"). */
void dstr_strip_marks(struct dstr *d);

#endif
