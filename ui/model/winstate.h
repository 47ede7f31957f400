/*
 * winstate.h: the windows open at exit come back at the next start. A
 * small text file in the data dir (ui-windows, mode 0600), written by the
 * UI and parsed strictly: a file that is not exactly what ward writes is
 * ignored whole.
 */
#ifndef WARD_UI_WINSTATE_H
#define WARD_UI_WINSTATE_H

#include <stddef.h>

#include "model/win.h"

#define WINSTATE_MAX_BYTES (64 * 1024)
#define WINSTATE_MAX_WINDOWS 64

/* Parses text and opens its windows in wl; *pane gets the pane setting
 * (left alone when absent). 0, or -1 when the text is not valid (then
 * nothing is opened). */
int winstate_parse(const char *text, size_t len, struct winlist *wl, int *pane);
/* Reads path (a regular file of ours, not a symlink) and parses it. A
 * forced pane (>= 0) wins over the saved one. */
int winstate_load(const char *path, struct winlist *wl, const char *account,
		  int *pane, int forced_pane);
/* Writes the open windows and the pane setting (0600, replaced
 * atomically). 0 or -1. */
int winstate_save(const char *path, const struct winlist *wl, int pane);

#endif
