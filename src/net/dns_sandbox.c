/*
 * dns_sandbox.c: the seccomp filter of ward's resolver process. Entered
 * once libunbound has read its trust anchors and started its worker thread
 * (the first query), it leaves the process what a resolver needs: its
 * sockets to DNS servers (IPv4 and IPv6 only), the socket to ward, memory,
 * time, randomness and its threads' housekeeping. Opening files, executing
 * programs, UNIX-domain or netlink sockets, ioctl (no TIOCSTI on an
 * inherited terminal), ptrace and signals to others fail with ENOSYS, the
 * answer glibc takes for "not here". A compromised validator can then read
 * nothing and reach nothing but DNS and ward's socket.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "ward.h"
#include "dns_helper.h"

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef SANDBOX_ARCH

#define SANDBOX_ALLOW(name)                                                    \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_##name, 0, 1),                 \
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define SANDBOX_DENY SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)
#define SANDBOX_ARG0 offsetof(struct seccomp_data, args[0])

static const struct sock_filter sandbox_filter[] = {
    /* a syscall of another ABI than ours: kill */
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __x86_64__
    /* x32 system calls on x86_64 */
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
    /* socket(): IPv4 and IPv6 only */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 5),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SANDBOX_ARG0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 2, 0),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SANDBOX_DENY),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    /* the socket to ward, DNS over UDP and TCP, and waiting */
    SANDBOX_ALLOW(read),
    SANDBOX_ALLOW(write),
    SANDBOX_ALLOW(readv),
    SANDBOX_ALLOW(writev),
    SANDBOX_ALLOW(close),
    SANDBOX_ALLOW(bind),
    SANDBOX_ALLOW(connect),
    SANDBOX_ALLOW(sendto),
    SANDBOX_ALLOW(sendmsg),
    SANDBOX_ALLOW(sendmmsg),
    SANDBOX_ALLOW(recvfrom),
    SANDBOX_ALLOW(recvmsg),
    SANDBOX_ALLOW(recvmmsg),
    SANDBOX_ALLOW(getsockopt),
    SANDBOX_ALLOW(setsockopt),
    SANDBOX_ALLOW(getsockname),
    SANDBOX_ALLOW(getpeername),
    SANDBOX_ALLOW(shutdown),
    SANDBOX_ALLOW(fcntl),
    SANDBOX_ALLOW(ppoll),
    SANDBOX_ALLOW(pselect6),
    SANDBOX_ALLOW(epoll_ctl),
    SANDBOX_ALLOW(epoll_pwait),
#ifdef SYS_epoll_pwait2
    SANDBOX_ALLOW(epoll_pwait2),
#endif
#ifdef SYS_poll
    SANDBOX_ALLOW(poll),
#endif
#ifdef SYS_select
    SANDBOX_ALLOW(select),
#endif
#ifdef SYS_epoll_wait
    SANDBOX_ALLOW(epoll_wait),
#endif
    /* memory, time, randomness */
    SANDBOX_ALLOW(mmap),
    SANDBOX_ALLOW(munmap),
    SANDBOX_ALLOW(mremap),
    SANDBOX_ALLOW(mprotect),
    SANDBOX_ALLOW(madvise),
    SANDBOX_ALLOW(brk),
    SANDBOX_ALLOW(futex),
    SANDBOX_ALLOW(getrandom),
    SANDBOX_ALLOW(clock_gettime),
    SANDBOX_ALLOW(clock_getres),
    SANDBOX_ALLOW(gettimeofday),
    SANDBOX_ALLOW(nanosleep),
    SANDBOX_ALLOW(clock_nanosleep),
    /* the process and its threads */
    SANDBOX_ALLOW(getpid),
    SANDBOX_ALLOW(gettid),
    SANDBOX_ALLOW(getuid),
    SANDBOX_ALLOW(geteuid),
    SANDBOX_ALLOW(getgid),
    SANDBOX_ALLOW(getegid),
    SANDBOX_ALLOW(fstat),
    SANDBOX_ALLOW(newfstatat),
    SANDBOX_ALLOW(rt_sigprocmask),
    SANDBOX_ALLOW(rt_sigaction),
    SANDBOX_ALLOW(rt_sigreturn),
    SANDBOX_ALLOW(sigaltstack),
    SANDBOX_ALLOW(sched_yield),
    SANDBOX_ALLOW(sched_getaffinity),
    SANDBOX_ALLOW(set_robust_list),
    SANDBOX_ALLOW(restart_syscall),
    SANDBOX_ALLOW(tgkill),
    SANDBOX_ALLOW(exit),
    SANDBOX_ALLOW(exit_group),
#ifdef SYS_rseq
    SANDBOX_ALLOW(rseq),
#endif
    BPF_STMT(BPF_RET | BPF_K, SANDBOX_DENY),
};

int
dns_sandbox_enter(void)
{
	struct sock_fprog prog = {
	    .len = (unsigned short)(sizeof(sandbox_filter) /
				    sizeof(sandbox_filter[0])),
	    .filter = (struct sock_filter *)sandbox_filter,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return WARD_ERR_SYSTEM;
	/* TSYNC: libunbound's worker thread gets the filter as well */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
		return WARD_ERR_SYSTEM;
	return WARD_OK;
}

#else

int
dns_sandbox_enter(void)
{
	errno = ENOSYS;
	return WARD_ERR_SYSTEM; /* no filter written for this architecture */
}

#endif
