/*
 * unirun.h: the shape of every generated Unicode property table (the
 * core's TS #39 tables, the UI's width table): a sorted array of runs of
 * code points sharing a value, and the one lookup over it.
 */
#ifndef WARD_UNIRUN_H
#define WARD_UNIRUN_H

#include <stddef.h>
#include <stdint.h>

/* A run of code points sharing a value, from lo up to the next run's lo;
 * a table is a sorted array of runs from 0. */
struct unirun {
	uint32_t lo;
	uint16_t val;
};

/* The value of the run holding cp in runs[0..n) (runs[0].lo is 0). */
uint16_t unirun_find(const struct unirun *runs, size_t n, uint32_t cp);

#endif
