/*
 * headless.h: the JSON-lines frontend (see headless.c).
 */
#ifndef WARD_HEADLESS_H
#define WARD_HEADLESS_H

struct ward;
struct headless;

/* pipe_path: the command FIFO (NULL: none). read_stdin: also read
 * commands from fd 0. On failure returns NULL and *why (caller frees). */
struct headless *headless_new(struct ward *w, const char *pipe_path,
    int read_stdin, char **why);
void headless_free(struct headless *h);

#endif
