/*
 * skeleton.h: look-alike names (Unicode TS #39). Two nicks or JIDs whose
 * skeletons are equal but whose text differs look the same on screen
 * ("аlice" with a Cyrillic а, "paypa1"); a name mixing scripts that are
 * never written together (Latin with Cyrillic) is suspect on its own.
 * The view flags both where the name is shown (UI.md rule 5).
 */
#ifndef WARD_UI_SKELETON_H
#define WARD_UI_SKELETON_H

#include <stddef.h>

/* The TS #39 skeleton of len bytes of UTF-8: NFD, default-ignorable
 * characters (zero-width, bidi, variation selectors) dropped, each
 * character replaced by its confusables.txt prototype, NFD again.
 * Invalid bytes become U+FFFD. Returns a NUL-terminated string the caller
 * frees (its length in *outlen, which may be NULL), NULL when out of
 * memory. Only for comparing: never shown. */
char *skeleton_make(const char *s, size_t len, size_t *outlen);

/* 1 when a and b differ but have the same skeleton (look-alikes), 0
 * when they are equal or look different, -1 when out of memory. */
int skeleton_collide(const char *a, size_t alen, const char *b, size_t blen);

/* 1 when s mixes scripts that are not written together (characters of
 * Common and Inherited script, digits and punctuation, mix with all;
 * Han mixes with Hiragana and Katakana, or Hangul, or Bopomofo). *first
 * and *second (each may be NULL) then name two of the scripts, as static
 * strings ("Latin", "Cyrillic"). 0 otherwise. */
int skeleton_mixed(const char *s, size_t len, const char **first,
		   const char **second);

/* What the view shows next to a name. */
#define SKELETON_MIXED 0x1     /* "mixed scripts" */
#define SKELETON_LOOKALIKE 0x2 /* "look-alike of <others[*like]>" */

/* The flags of name against the n other names shown beside it (roster
 * or occupants): SKELETON_LOOKALIKE with *like (may be NULL) set to the
 * first look-alike's index. Returns -1 when out of memory. It makes a
 * skeleton per name each call: for a big room keep each name's
 * skeleton_make() with the name and compare those instead. */
int skeleton_check(const char *name, size_t len, const char *const *others,
		   const size_t *olens, size_t n, size_t *like);

#endif
