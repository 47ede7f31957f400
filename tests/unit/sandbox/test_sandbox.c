/*
 * test_sandbox.c: the resolver's seccomp filter (src/net/dns_sandbox.c), for
 * real: a child enters it and tries what it must still do (UDP and TCP
 * sockets, reading and writing a descriptor, memory, time, randomness, a
 * thread) and what it must not (opening a file, a UNIX or netlink socket,
 * ioctl, exec, a signal to another process). The parent reads the verdicts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "ward.h"
#include "dns_helper.h"

/* One line per check, "name ok" or "name FAIL errno", to the parent. */
static void
report(int fd, const char *name, int ok)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "%s %s %d\n", name,
			 ok ? "ok" : "FAIL", errno);

	if (write(fd, line, (size_t)n) != n)
		_exit(3);
}

static void *
thread_main(void *arg)
{
	return arg;
}

/* Wants ENOSYS: what the filter answers for everything it refuses. */
#define REFUSED(expr) ((expr) < 0 && errno == ENOSYS)

static void __attribute__((noreturn))
child(int out, pid_t parent)
{
	unsigned char rnd[16];
	struct timespec ts;
	pthread_t th;
	void *p;
	int s, r;

	if (dns_sandbox_enter() != WARD_OK) {
		report(out, "enter", 0);
		_exit(2);
	}
	report(out, "enter", 1);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	report(out, "udp4", s >= 0);
	close(s);
	s = socket(AF_INET6, SOCK_STREAM, 0);
	report(out, "tcp6", s >= 0);
	close(s);
	p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report(out, "mmap", p != MAP_FAILED);
	report(out, "time", clock_gettime(CLOCK_MONOTONIC, &ts) == 0);
	report(out, "random", getrandom(rnd, sizeof(rnd), 0) == 16);
	p = malloc(1 << 20);
	report(out, "malloc", p != NULL);
	free(p);
	report(out, "open-file", REFUSED(open("/etc/hostname", O_RDONLY)));
	report(out, "open-write",
	       REFUSED(open("/tmp/ward-sandbox-probe", O_WRONLY | O_CREAT,
			    0600)));
	report(out, "unix-socket", REFUSED(socket(AF_UNIX, SOCK_STREAM, 0)));
	report(out, "netlink-socket",
	       REFUSED(socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)));
	report(out, "ioctl", REFUSED(ioctl(2, TIOCSTI, "x")));
	report(out, "kill-other", REFUSED(kill(parent, 0)));
	report(out, "exec",
	       REFUSED(execl("/bin/true", "true", (char *)NULL)));
	report(out, "fork", REFUSED(fork()));
	/* threads made before the filter are the resolver's; a new one is
	 * refused too (clone3), which nothing there needs */
	r = pthread_create(&th, NULL, thread_main, NULL);
	report(out, "new-thread-refused", r != 0);
	_exit(0);
}

static void
test_sandbox(void **state)
{
	const char *want[] = {
	    "enter ok",	      "udp4 ok",	   "tcp6 ok",
	    "mmap ok",	      "time ok",	   "random ok",
	    "malloc ok",      "open-file ok",	   "open-write ok",
	    "unix-socket ok", "netlink-socket ok", "ioctl ok",
	    "kill-other ok",  "exec ok",	   "fork ok",
	    "new-thread-refused ok",
	};
	char buf[4096];
	size_t len = 0, i;
	ssize_t n;
	int pfd[2], st;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(pfd[0]);
		child(pfd[1], getppid());
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	print_message("%s", buf);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(buf, want[i]) == NULL)
			fail_msg("missing \"%s\"", want[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sandbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
