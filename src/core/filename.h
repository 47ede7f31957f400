/*
 * filename.h: the local name of a received file. A name from the network
 * (the last path segment of a link) becomes a name that is safe in one
 * directory: no path separator, no leading dot, no control, bidi or
 * zero-width character, valid UTF-8, at most FILENAME_MAX_BYTES; and a file
 * is created under it without ever replacing another (collisions numbered).
 */
#ifndef WARD_FILENAME_H
#define WARD_FILENAME_H

#include <stddef.h>

#define FILENAME_MAX_BYTES 120 /* before a " (N)" collision number */

/*
 * The file name a link's path ends in, percent-decoded and made safe (see
 * above); "download" when nothing usable is left. Returns a malloc'd
 * string. The link's query and fragment (where an aesgcm:// key lives) are
 * never part of it.
 */
char *filename_from_url(const char *url);

/* Makes NAME (any bytes) safe as above; malloc'd. */
char *filename_sanitize(const char *name, size_t len);

/*
 * Creates DIR/NAME exclusively (mode 0600), or "NAME (2)", "NAME (3)"...
 * before the extension when the name is taken, and links the already
 * written file TMP (a path in DIR) to it, then removes TMP: the final name
 * only ever holds a complete file. Returns WARD_OK and the name used in
 * *final (malloc'd), or a ward_err with errno set.
 */
int filename_commit(int dirfd, const char *tmp, const char *name, char **final);

/*
 * Creates a new empty file ".ward-part-" + 16 random hex digits in DIRFD,
 * mode 0600, O_EXCL (nothing is followed or replaced); its name goes to
 * NAME (at least 40 bytes). Returns the descriptor (read/write), or -1.
 */
int filename_tmp(int dirfd, char *name, size_t size);

#endif
