/*
 * loop.h: the one event loop. poll() over registered descriptors, one-shot
 * timers, signals delivered through a self-pipe, and a hook run before each
 * sleep (where batched database transactions are committed). Idle means no
 * wake-ups at all unless a timer is due.
 */
#ifndef WARD_LOOP_H
#define WARD_LOOP_H

#include <stdint.h>

struct loop;
typedef void (*loop_io_cb)(void *arg, int fd, short revents);
typedef void (*loop_timer_cb)(void *arg);
typedef void (*loop_signal_cb)(void *arg, int signo);
typedef void (*loop_hook_cb)(void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watches fd for events (POLLIN/POLLOUT). One watcher per fd. */
int loop_add_fd(struct loop *l, int fd, short events, loop_io_cb cb, void *arg);
/* Changes the events watched on fd. */
void loop_set_events(struct loop *l, int fd, short events);
void loop_del_fd(struct loop *l, int fd);

/* One-shot timer; returns an id (never 0) for loop_timer_cancel. */
uint64_t loop_timer_add(struct loop *l, int64_t delay_ms, loop_timer_cb cb,
    void *arg);
/* Cancels a timer; a 0 or already-fired id is ignored. */
void loop_timer_cancel(struct loop *l, uint64_t id);

/* Calls cb from the loop (not from the signal handler) when signo arrives. */
int loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);
/* Runs cb before every poll() sleep. */
void loop_set_prepoll(struct loop *l, loop_hook_cb cb, void *arg);

/* Runs until loop_quit(); returns the status passed to it. */
int loop_run(struct loop *l);
void loop_quit(struct loop *l, int status);
/* Number of times poll() returned (for benchmarks and tests). */
uint64_t loop_wakeups(const struct loop *l);

#endif
