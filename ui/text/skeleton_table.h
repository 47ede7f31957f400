/*
 * skeleton_table.h: the generated tables behind skeleton.c: UTS #39
 * skeleton mappings and combining classes (skeleton_table.c), script sets
 * (script_table.c), both made by gen_tables.py. Private to ui/text.
 */
#ifndef WARD_UI_SKELETON_TABLE_H
#define WARD_UI_SKELETON_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "text/width_table.h"

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
extern const struct uwt_run skt_cccs[];
extern const size_t skt_nccc;

/* Script sets: bit i stands for skt_script_names[i]; set 0 is empty
 * (Common, Inherited, Unknown: these mix with anything). */
#define SKT_SET_WORDS 3
extern const char *const skt_script_names[];
extern const uint64_t skt_sets[][SKT_SET_WORDS];
/* Each code point's script set (an index into skt_sets), by run. */
extern const struct uwt_run skt_scripts[];
extern const size_t skt_nscripts;

#endif
