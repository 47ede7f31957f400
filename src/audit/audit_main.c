/*
 * audit_main.c: `ward audit DOMAIN [--json] [--account NAME]
 * [--config-dir DIR] [--ca-file FILE] [--timeout MS]`: sets up the
 * resolver (the account's dns_stub, dns_trust_anchor and ca_file when one is
 * named), runs the DNS, TLS and stream checks in that order and prints the
 * table or the JSON object. Exit status 0 only when every MUST observed
 * held; 2 for a usage error.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "ward-config.h"
#include "ward.h"

static void
audit_usage(FILE *f)
{
	fprintf(f, "usage: ward audit DOMAIN [--json] [--account NAME] "
		   "[--config-dir DIR] [--ca-file FILE] [--timeout MS]\n"
		   "       [--server HOST [--port N]]\n"
		   "       [--dns-trust-anchor FILE] [--dns-stub \"ZONE "
		   "ADDR[@PORT]\"]...\n");
}

static char *
config_dir_default(void)
{
	const char *v = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (v != NULL && v[0] == '/')
		xasprintf(&p, "%s/ward", v);
	else if (home != NULL && home[0] == '/')
		xasprintf(&p, "%s/.config/ward", home);
	return p;
}

/* The resolver from the account's settings (or none: the root anchor,
 * recursion from the root). */
static int
audit_resolver(struct audit *au, const struct account_config *ac)
{
	struct dns_opts o;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.root_anchor_file = WARD_ROOT_ANCHOR;
	if (ac != NULL) {
		o.trust_anchor_file = ac->dns_trust_anchor;
		for (i = 0; i < ac->nstubs && i < DNS_MAX_STUBS; i++) {
			o.stubs[i].zone = ac->stubs[i].zone;
			o.stubs[i].addr = ac->stubs[i].addr;
			o.stubs[i].port = ac->stubs[i].port;
		}
		o.nstubs = i;
	}
	return dns_new(&o, &au->dns);
}

int
audit_main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"account", required_argument, NULL, 'a'},
	    {"config-dir", required_argument, NULL, 'c'},
	    {"ca-file", required_argument, NULL, 'f'},
	    {"timeout", required_argument, NULL, 't'},
	    {"dns-trust-anchor", required_argument, NULL, 'A'},
	    {"dns-stub", required_argument, NULL, 'S'},
	    {"tsv", no_argument, NULL, 'T'},
	    {"server", required_argument, NULL, 's'},
	    {"port", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *account = NULL, *ca_file = NULL;
	char *config_dir = NULL, *conf_path = NULL, *errors = NULL;
	char domain[DNS_NAME_MAX + 1];
	struct config *cfg = NULL;
	const struct account_config *ac = NULL;
	struct audit *au;
	int json = 0, tsv = 0, c, status = 2;
	const char *server = NULL;
	unsigned long server_port = 0;
	char server_host[DNS_NAME_MAX + 1];
	struct account_config flags; /* --dns-stub, --dns-trust-anchor */
	struct dns_stub stubs[DNS_MAX_STUBS];
	unsigned long timeout = 5000;

	memset(&flags, 0, sizeof(flags));
	flags.stubs = stubs;
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'a':
			account = optarg;
			break;
		case 'c':
			free(config_dir);
			config_dir = xstrdup(optarg);
			break;
		case 'f':
			ca_file = optarg;
			break;
		case 't':
			timeout = strtoul(optarg, NULL, 10);
			if (timeout < 100 || timeout > 120000) {
				fprintf(stderr, "ward audit: --timeout is "
						"100..120000 ms\n");
				free(config_dir);
				return 2;
			}
			break;
		case 'A':
			flags.dns_trust_anchor = optarg;
			break;
		case 'S': {
			/* "ZONE ADDR[@PORT]", as dns_stub in ward.conf */
			char *sp, *at;
			if (flags.nstubs >= DNS_MAX_STUBS ||
			    (sp = strchr(optarg, ' ')) == NULL) {
				fprintf(stderr, "ward audit: --dns-stub "
						"\"ZONE ADDR[@PORT]\"\n");
				free(config_dir);
				return 2;
			}
			*sp = '\0';
			stubs[flags.nstubs].zone = optarg;
			stubs[flags.nstubs].addr = sp + 1;
			stubs[flags.nstubs].port = 53;
			if ((at = strchr(sp + 1, '@')) != NULL) {
				*at = '\0';
				stubs[flags.nstubs].port =
				    (unsigned)strtoul(at + 1, NULL, 10);
			}
			flags.nstubs++;
			break;
		}
		case 'T':
			tsv = 1;
			break;
		case 's':
			server = optarg;
			break;
		case 'p':
			server_port = strtoul(optarg, NULL, 10);
			if (server_port == 0 || server_port > 65535) {
				fprintf(stderr,
					"ward audit: --port 1..65535\n");
				free(config_dir);
				return 2;
			}
			break;
		case 'h':
			audit_usage(stdout);
			free(config_dir);
			return 0;
		default:
			audit_usage(stderr);
			free(config_dir);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		audit_usage(stderr);
		free(config_dir);
		return 2;
	}
	if (dns_name_check(argv[optind], domain) != WARD_OK) {
		fprintf(stderr, "ward audit: not a domain name (ASCII, "
				"A-labels): give the server's domain\n");
		free(config_dir);
		return 2;
	}
	if (server != NULL && dns_name_check(server, server_host) != WARD_OK &&
	    snprintf(server_host, sizeof(server_host), "%s", server) &&
	    strspn(server, "0123456789.:abcdefABCDEF") != strlen(server)) {
		fprintf(stderr, "ward audit: --server takes a host name or "
				"an IP address\n");
		free(config_dir);
		return 2;
	}
	if (account != NULL) {
		if (config_dir == NULL &&
		    (config_dir = config_dir_default()) == NULL) {
			fprintf(stderr,
				"ward audit: cannot find the config "
				"directory (set HOME or use --config-dir)\n");
			return 2;
		}
		xasprintf(&conf_path, "%s/ward.conf", config_dir);
		if (config_load(conf_path, &cfg, &errors) != WARD_OK) {
			fputs(errors ? errors
				     : "ward audit: cannot load the "
				       "config\n",
			      stderr);
			goto out;
		}
		if ((ac = config_account(cfg, account)) == NULL) {
			fprintf(stderr, "ward audit: no account named %s\n",
				account);
			goto out;
		}
		if (ca_file == NULL)
			ca_file = ac->ca_file;
	}
	if (ac == NULL && (flags.nstubs > 0 || flags.dns_trust_anchor))
		ac = &flags;
	signal(SIGPIPE, SIG_IGN);
	au = xcalloc(1, sizeof(*au));
	au->domain = domain;
	au->ca_file = ca_file;
	au->timeout_ms = (unsigned)timeout;
	au->server = server ? server_host : NULL;
	au->server_port = (unsigned)server_port;
	au->account = account != NULL ? ac : NULL;
	au->account_name = account;
	au->progress = !json && !tsv && isatty(2);
	au->tsv = tsv ? stdout : NULL;
	if (audit_resolver(au, ac) != WARD_OK) {
		fprintf(stderr, "ward audit: cannot set up the DNS resolver "
				"(check dns_trust_anchor and dns_stub)\n");
		free(au);
		status = 1;
		goto out;
	}
	audit_dns(au);
	audit_tls(au);
	audit_features(au);
	audit_unobservable(au);
	audit_account(au);
	if (au->progress)
		fputs("\r\033[K", stderr);
	if (tsv)
		audit_print_tsv(au, stdout);
	else if (json)
		audit_print_json(au, stdout);
	else
		audit_print_table(au, stdout);
	fflush(stdout);
	status = audit_exit_status(au);
	for (size_t i = 0; i < au->ntargets; i++)
		dns_tlsa_result_free(au->targets[i].tlsa);
	dns_free(au->dns);
	free(au);
out:
	free(errors);
	config_free(cfg);
	free(conf_path);
	free(config_dir);
	return status;
}
