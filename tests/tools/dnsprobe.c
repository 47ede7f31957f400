/*
 * dnsprobe.c: one lookup through ward's src/net/dns.c, printed for scripts
 * and for debugging DNSSEC set-ups (tests/integration/dns_zones.sh uses it).
 * Build: cc -std=c11 -D_GNU_SOURCE -Isrc/core -Isrc/net -o dnsprobe \
 *            tests/tools/dnsprobe.c \
 *            src/net/dns.c src/net/dns_answer.c src/net/dns_caa.c \
 *            src/core/util.c \
 *            $(pkg-config --cflags --libs libunbound)
 *
 * Usage: dnsprobe [-a ANCHOR] [-r ROOTKEY] [-s "ZONE ADDR@PORT"]... [-t]
 *                 srv DOMAIN | addr HOST PORT | tlsa HOST PORT | caa NAME
 * Output: first line "secure", "insecure" or "bogus" (for srv followed by
 * " fallback" or " no_service" when set), or "error TEXT"; then one line
 * per target ("target HOST PORT tls|starttls PRIO WEIGHT"), address
 * ("addr IP PORT"), TLSA record ("tlsa U S M HEX"), CAA record ("caa FLAGS
 * TAG "VALUE"", escaped; "caa-malformed N" for skipped ones) or "why TEXT"
 * for bogus.
 * -t prints "time N ms" (start of lookup to callback) on stderr.
 * Exit: 0 when an answer came, 1 on an error, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ward.h"
#include "dns.h"
#include "dns_helper.h"

static int probe_done;
static int probe_status = 1;

static void
probe_error(int err)
{
	printf("error %s\n", ward_strerror(err));
	probe_done = 1;
}

static void
probe_srv(void *arg, int err, struct dns_srv_result *res)
{
	size_t i;

	(void)arg;
	if (err != WARD_OK) {
		probe_error(err);
		return;
	}
	printf("%s%s%s\n", dns_sec_name(res->sec),
	       res->fallback ? " fallback" : "",
	       res->no_service ? " no_service" : "");
	for (i = 0; i < res->ntargets; i++)
		printf("target %s %u %s %u %u\n", res->targets[i].host,
		       res->targets[i].port,
		       res->targets[i].direct_tls ? "tls" : "starttls",
		       res->targets[i].priority, res->targets[i].weight);
	if (res->bogus_what != NULL)
		printf("why %s\n", res->bogus_what);
	dns_srv_result_free(res);
	probe_status = 0;
	probe_done = 1;
}

static void
probe_addr(void *arg, int err, struct dns_addr_result *res)
{
	char ip[INET6_ADDRSTRLEN];
	size_t i;

	(void)arg;
	if (err != WARD_OK) {
		probe_error(err);
		return;
	}
	printf("%s\n", dns_sec_name(res->sec));
	for (i = 0; i < res->naddrs; i++) {
		const struct sockaddr_storage *sa = &res->addrs[i];
		unsigned port;

		if (sa->ss_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const void *)sa;

			inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
			port = ntohs(s6->sin6_port);
		} else {
			const struct sockaddr_in *s4 = (const void *)sa;

			inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
			port = ntohs(s4->sin_port);
		}
		printf("addr %s %u\n", ip, port);
	}
	if (res->bogus_what != NULL)
		printf("why %s\n", res->bogus_what);
	dns_addr_result_free(res);
	probe_status = 0;
	probe_done = 1;
}

static void
probe_tlsa(void *arg, int err, struct dns_tlsa_result *res)
{
	size_t i, j;

	(void)arg;
	if (err != WARD_OK) {
		probe_error(err);
		return;
	}
	printf("%s\n", dns_sec_name(res->sec));
	for (i = 0; i < res->nrecords; i++) {
		printf("tlsa %u %u %u ", res->records[i].usage,
		       res->records[i].selector, res->records[i].mtype);
		for (j = 0; j < res->records[i].len; j++)
			printf("%02x", res->records[i].data[j]);
		printf("\n");
	}
	if (res->bogus_what != NULL)
		printf("why %s\n", res->bogus_what);
	dns_tlsa_result_free(res);
	probe_status = 0;
	probe_done = 1;
}

static void
probe_caa(void *arg, int err, struct dns_caa_result *res)
{
	char text[400];
	size_t i;

	(void)arg;
	if (err != WARD_OK) {
		probe_error(err);
		return;
	}
	printf("%s\n", dns_sec_name(res->sec));
	for (i = 0; i < res->nrecords; i++)
		printf("caa %s\n",
		       dns_caa_text(&res->records[i], text, sizeof(text)));
	if (res->nmalformed > 0)
		printf("caa-malformed %zu\n", res->nmalformed);
	if (res->bogus_what != NULL)
		printf("why %s\n", res->bogus_what);
	dns_caa_result_free(res);
	probe_status = 0;
	probe_done = 1;
}

static void
usage(void)
{
	fprintf(
	    stderr,
	    "usage: dnsprobe [-a ANCHOR] [-r ROOTKEY] "
	    "[-s \"ZONE ADDR@PORT\"]... [-t]\n"
	    "                srv DOMAIN | addr HOST PORT | tlsa HOST PORT | "
	    "caa NAME\n");
	exit(2);
}

/* "ZONE ADDR@PORT" -> stub; the strings point into spec (modified). */
static int
parse_stub(char *spec, struct dns_opts *o)
{
	char *sp = strchr(spec, ' '), *at;

	if (sp == NULL || o->nstubs == DNS_MAX_STUBS)
		return -1;
	*sp++ = '\0';
	if ((at = strrchr(sp, '@')) == NULL)
		return -1;
	*at++ = '\0';
	o->stubs[o->nstubs].zone = spec;
	o->stubs[o->nstubs].addr = sp;
	o->stubs[o->nstubs].port = (unsigned)strtoul(at, NULL, 10);
	o->nstubs++;
	return 0;
}

int
main(int argc, char **argv)
{
	struct dns_opts o;
	struct dns *d;
	int c, err, timing = 0;
	int64_t t0;

	dns_helper_dispatch(argc, argv); /* the resolver process */
	memset(&o, 0, sizeof(o));
	while ((c = getopt(argc, argv, "a:r:s:t")) != -1) {
		switch (c) {
		case 'a':
			o.trust_anchor_file = optarg;
			break;
		case 'r':
			o.root_anchor_file = optarg;
			break;
		case 's':
			if (parse_stub(optarg, &o) != 0)
				usage();
			break;
		case 't':
			timing = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if ((err = dns_new(&o, &d)) != WARD_OK) {
		printf("error dns_new: %s\n", ward_strerror(err));
		return 1;
	}
	t0 = now_ms();
	if (strcmp(argv[0], "srv") == 0 && argc == 2)
		err = dns_resolve_xmpp(d, argv[1], probe_srv, NULL);
	else if (strcmp(argv[0], "addr") == 0 && argc == 3)
		err = dns_resolve_addr(d, argv[1], (unsigned)atoi(argv[2]),
				       probe_addr, NULL);
	else if (strcmp(argv[0], "tlsa") == 0 && argc == 3)
		err = dns_resolve_tlsa(d, argv[1], (unsigned)atoi(argv[2]),
				       probe_tlsa, NULL);
	else if (strcmp(argv[0], "caa") == 0 && argc == 2)
		err = dns_resolve_caa(d, argv[1], probe_caa, NULL);
	else
		usage();
	if (err != WARD_OK) {
		probe_error(err);
		dns_free(d);
		return 1;
	}
	while (!probe_done) {
		struct pollfd p = {.fd = dns_fd(d), .events = POLLIN};
		int n = poll(&p, 1, 120000);

		if (n == 0) {
			printf("error timeout\n");
			break;
		}
		if (n > 0 && dns_process(d) != WARD_OK) {
			printf("error dns_process\n");
			break;
		}
	}
	if (timing)
		fprintf(stderr, "time %lld ms\n", (long long)(now_ms() - t0));
	dns_free(d);
	return probe_status;
}
