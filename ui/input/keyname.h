/*
 * keyname.h: canonical key names both ways, as written in ward.conf's
 * [keys] section and shown by the F1 overlay and /help keys: "C-x", "M-x",
 * "M-C-x", "M-Left", "C-Up", "S-Tab", "F5", "PgUp", "Enter", "Space".
 */
#ifndef WARD_UI_KEYNAME_H
#define WARD_UI_KEYNAME_H

#include <stddef.h>

#include "input/keydec.h"

/* Room for any canonical name with its NUL ("M-C-S-WheelDown"). */
#define KEYNAME_MAX 24

/*
 * Writes key's canonical name into out (size bytes; KEYNAME_MAX always
 * suffices): modifiers in the order M- C- S-, then the key. Printable
 * characters are themselves ("x", "é", "/"), a space is "Space". Returns
 * the length, or 0 (out set to "") when the key is not a valid key or does
 * not fit.
 */
size_t keyname_format(const struct keydec_key *key, char *out, size_t size);

/*
 * Parses a key name into *out (cleared first). Modifier prefixes C-, M-
 * (A- is taken as M-), S- in any order and case; key names in any case,
 * with the aliases Return, Backspace, Escape, Delete, Insert, PageUp,
 * PageDown. Control chords are stored the way the decoder reports them:
 * C-X is C-x, C-/ is C-_, C-@ is C-Space, C-i is Tab, C-m and C-j are
 * Enter, C-[ is Esc. S- is only allowed on named keys (S-Tab, S-Left).
 * Returns 0, or -1 for anything else (empty, a control character, two
 * characters, an unknown name).
 */
int keyname_parse(const char *name, struct keydec_key *out);

#endif
