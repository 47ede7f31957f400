/*
 * unirun.c: the lookup in a generated Unicode property table (unirun.h):
 * a binary search for the last run starting at or below the code point.
 */
#include "unirun.h"

uint16_t
unirun_find(const struct unirun *runs, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (runs[mid].lo <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return runs[lo].val;
}
