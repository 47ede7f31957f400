/*
 * dns_helper.h: ward's resolver process (dns_helper.c), the only place
 * libunbound is loaded, and its link to ward (dns_link.c).
 */
#ifndef WARD_DNS_HELPER_H
#define WARD_DNS_HELPER_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "dns.h"

/* argv[1] of the resolver process (argv[0] is the program's). */
#define DNS_HELPER_ARG "--dns-resolver-process"

/*
 * Runs the resolver process and exits when argv asks for it; returns
 * otherwise. Every program that uses dns.c calls it first in main(), since
 * the resolver is a fresh exec of the program itself (/proc/self/exe).
 */
void dns_helper_dispatch(int argc, char **argv);

/*
 * dns_sandbox.c: the resolver process's seccomp filter (IPv4/IPv6 sockets,
 * memory, time, its threads; no files, exec, ioctl or other sockets).
 * WARD_ERR_SYSTEM (errno set) where the kernel or the architecture has none.
 */
int dns_sandbox_enter(void);

/* ward's end of a running resolver process. */
struct dns_link {
	int fd;          /* socket; -1 when no process runs */
	int want_out;    /* EPOLLOUT is registered for fd */
	struct wbuf in;  /* answers read, not yet taken */
	struct wbuf out; /* queries not yet written */
};

void dns_link_init(struct dns_link *l);
/*
 * Starts the process, adds its socket to epfd and queues the settings.
 * The process is a grandchild: nothing is left for ward to reap.
 */
int dns_link_start(struct dns_link *l, int epfd, const struct dns_opts *o);
/* Writes what is queued without blocking (EPOLLOUT for the rest). */
int dns_link_flush(struct dns_link *l, int epfd);
/*
 * Reads what has arrived into l->in. WARD_ERR_CLOSED when the process
 * ended, WARD_ERR_LIMIT when it sent more than a frame's worth unread.
 */
int dns_link_read(struct dns_link *l);
/* Closes the socket: the process sees the end of its input and exits. */
void dns_link_stop(struct dns_link *l, int epfd);

#endif
