/*
 * skeleton_table.h: the generated tables behind skeleton.c: UTS #39
 * skeleton mappings and combining classes (skeleton_table.c), script sets
 * (script_table.c), the default-ignorable code points
 * (skeleton_ignorable.c), all made by ui/text/gen_tables.py. Private to
 * skeleton.c (and its tests).
 */
#ifndef WARD_SKELETON_TABLE_H
#define WARD_SKELETON_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "unirun.h"

/* 1 for what a skeleton drops: default-ignorable and format characters,
 * line and paragraph separators, bidi controls, variation selectors (the
 * UI's width table marks the same ones invisible, bidi or VS). */
extern const struct unirun skt_ignorable[];
extern const size_t skt_nignorable;

/* cp's skeleton is skt_pool[off .. off + len) (len may be 0). */
struct skt_map {
	uint32_t cp;
	uint16_t off;
	uint8_t len;
};
extern const struct skt_map skt_maps[];
extern const size_t skt_nmaps;
extern const uint32_t skt_pool[];

/* Canonical combining classes, by run. */
extern const struct unirun skt_cccs[];
extern const size_t skt_nccc;

/* Script sets: bit i stands for skt_script_names[i]; set 0 is empty
 * (Common, Inherited, Unknown: these mix with anything). */
#define SKT_SET_WORDS 3
extern const char *const skt_script_names[];
extern const uint64_t skt_sets[][SKT_SET_WORDS];
/* Each code point's script set (an index into skt_sets), by run. */
extern const struct unirun skt_scripts[];
extern const size_t skt_nscripts;

#endif
