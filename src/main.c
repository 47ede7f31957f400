/*
 * main.c: ward's program entry: options, the config and data directories,
 * the frontend (headless for now), signals, and the loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/opensslv.h>
#include <sqlite3.h>
#include <expat.h>

#include "account.h"
#include "cmd/cmd.h"
#include "config.h"
#include "dns_helper.h"
#include "core.h"
#include "headless.h"
#include "loop.h"
#include "audit.h"
#include "pipe.h"
#include "ward.h"
#include "ward-config.h"
#include "ui/ui.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: ward [--headless] [-a NAME] [--config-dir DIR] "
	    "[--data-dir DIR] [--pipe PATH] [--events FILE] [--no-connect]\n"
	    "       ward audit DOMAIN [--json] [--account NAME] [--ca-file FILE]\n"
	    "       ward --check-config | --list-commands | --man-commands | "
	    "--man-keys | --version | --help\n");
}

static void
version(void)
{
	printf("ward %s\n", WARD_VERSION);
	printf("features: dnssec(libunbound) scram-sha-1/256/512 "
	    "headless command-pipe\n");
	printf("built with: %s, SQLite %s, expat %d.%d.%d, libstrophe "
	    "(stanzas only)\n", OPENSSL_VERSION_TEXT, sqlite3_libversion(),
	    XML_MAJOR_VERSION, XML_MINOR_VERSION, XML_MICRO_VERSION);
}

/* $XDG_x_HOME/ward or ~/fallback/ward; malloc'd. */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home;
	char *p;

	if (v != NULL && v[0] == '/') {
		xasprintf(&p, "%s/ward", v);
		return p;
	}
	home = getenv("HOME");
	if (home == NULL || home[0] != '/')
		return NULL;
	xasprintf(&p, "%s/%s/ward", home, fallback);
	return p;
}

/* ward.conf's log_level word (validated by config.c); default info. */
static enum log_level
log_level_parse(const char *s)
{
	if (s == NULL)
		return LOG_INFO;
	if (strcmp(s, "debug") == 0)
		return LOG_DEBUG;
	if (strcmp(s, "warn") == 0)
		return LOG_WARN;
	if (strcmp(s, "error") == 0)
		return LOG_ERROR;
	return LOG_INFO;
}

static void
on_quit_signal(void *arg, int signo)
{
	(void)signo;
	ward_quit(arg);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "account", required_argument, NULL, 'a' },
		{ "config-dir", required_argument, NULL, 'c' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "pipe", required_argument, NULL, 'p' },
		{ "no-connect", no_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "list-commands", no_argument, NULL, 'L' },
		{ "man-commands", no_argument, NULL, 'M' },
		{ "man-keys", no_argument, NULL, 'K' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *config_dir = NULL, *data_dir = NULL, *pipe_path = NULL;
	char *conf_path = NULL, *errors = NULL, *why = NULL, *logp;
	const char *account_name = NULL, *events_path = NULL;
	int headless = 0, check = 0, no_connect = 0, c, status = 1;
	struct config *cfg = NULL;
	struct account_config *ac;
	struct loop *loop;
	struct ward *w;
	struct headless *h = NULL;
	struct ui *ui = NULL;
	struct account *a;

	/* the resolver process is this program again (dns_helper.c) */
	dns_helper_dispatch(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "audit") == 0)
		return audit_main(argc - 1, argv + 1);
	while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': headless = 1; break;
		case 'a': account_name = optarg; break;
		case 'c': config_dir = xstrdup(optarg); break;
		case 'd': data_dir = xstrdup(optarg); break;
		case 'p': pipe_path = xstrdup(optarg); break;
		case 'n': no_connect = 1; break;
		case 'e': events_path = optarg; break;
		case 'C': check = 1; break;
		case 'L': {
			char *t = cmd_help_text(cmd_table, cmd_table_size, NULL);
			fputs(t ? t : "", stdout);
			free(t);
			return 0;
		}
		case 'M': {
			/* the COMMANDS section of docs/ward.1, from the table */
			char *t = cmd_man_section(cmd_table, cmd_table_size);
			fputs(t ? t : "", stdout);
			free(t);
			return 0;
		}
		case 'K': {
			/* the KEYS section of docs/ward.1, from the key map */
			char *t = ui_man_keys();
			fputs(t ? t : "", stdout);
			free(t);
			return t ? 0 : 1;
		}
		case 'V': version(); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	umask(077);
	if (config_dir == NULL &&
	    (config_dir = xdg_dir("XDG_CONFIG_HOME", ".config")) == NULL) {
		fprintf(stderr, "ward: cannot find the config directory "
		    "(set HOME or use --config-dir)\n");
		goto out;
	}
	if (data_dir == NULL &&
	    (data_dir = xdg_dir("XDG_DATA_HOME", ".local/share")) == NULL) {
		fprintf(stderr, "ward: cannot find the data directory "
		    "(set HOME or use --data-dir)\n");
		goto out;
	}
	xasprintf(&conf_path, "%s/ward.conf", config_dir);
	if (config_load(conf_path, &cfg, &errors) != WARD_OK) {
		fputs(errors ? errors : "ward: cannot load the config\n",
		    stderr);
		if (errors == NULL)
			fprintf(stderr, "ward: %s: cannot load\n", conf_path);
		free(errors);
		goto out;
	}
	if (check) {
		char *dump;
		size_t i;
		for (i = 0; i < cfg->nkeys; i++) {
			char *kwhy = NULL;
			if (ui_check_key(cfg->keys[i].key, cfg->keys[i].action,
					 &kwhy) != 0) {
				fprintf(stderr, "%s:%u: [keys] %s\n", conf_path,
					cfg->keys[i].line,
					kwhy ? kwhy : "bad binding");
				free(kwhy);
				goto out;
			}
		}
		dump = config_dump(cfg, 0);
		fputs(dump ? dump : "", stdout);
		free(dump);
		status = 0;
		goto out;
	}
	if ((ac = config_account(cfg, account_name)) == NULL) {
		fprintf(stderr, "ward: %s: no account named %s\n", conf_path,
		    account_name ? account_name : "(any)");
		goto out;
	}
	if (!headless && (!isatty(0) || !isatty(1))) {
		fprintf(stderr, "ward: the UI needs a terminal on standard "
		    "input and output; for scripts run ward --headless\n");
		status = 2;
		goto out;
	}
	if (headless && events_path != NULL) {
		fprintf(stderr, "ward: --events is for the UI; --headless "
		    "writes the events to standard output\n");
		status = 2;
		goto out;
	}
	if (pipe_path == NULL && pipe_default_path(ac->name, &pipe_path) !=
	    WARD_OK) {
		fprintf(stderr, "ward: XDG_RUNTIME_DIR is not set: give the "
		    "command pipe with --pipe PATH\n");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	loop = loop_new();
	/*
	 * The UI shows its first frame before the database is opened (SQL
	 * statements compiled, migrations checked): the store is opened
	 * right after it, before the loop runs.
	 */
	w = headless ? ward_new(loop, cfg, data_dir, &why)
		     : ward_new_nostore(loop, cfg, &why);
	cfg = NULL;	/* transferred, even on failure */
	if (w == NULL) {
		fprintf(stderr, "ward: %s\n", why ? why : "cannot start");
		free(why);
		loop_free(loop);
		goto out;
	}
	xasprintf(&logp, "%s/ward.log", data_dir);
	log_open(logp, log_level_parse(w->cfg->log_level));
	free(logp);
	w->current = ward_account(w, ac->name);
	if (!headless) {
		struct ui_options uo;
		struct ui_key_binding *kb;
		size_t i;
		memset(&uo, 0, sizeof(uo));
		uo.account = ac->name;
		uo.own_jid = ac->jid;
		uo.several_accounts = w->cfg->accounts != NULL &&
		    w->cfg->accounts->next != NULL;
		uo.data_dir = data_dir;
		uo.pipe_path = pipe_path;
		uo.events_path = events_path;
		uo.theme = w->cfg->ui_theme;
		uo.colours = w->cfg->ui_colours;
		uo.time_format = w->cfg->ui_time_format;
		uo.pane = -1; /* as saved; a [ui] pane line wins */
		if (w->cfg->ui_pane_set)
			uo.pane = w->cfg->ui_pane;
		uo.bell = w->cfg->ui_bell;
		uo.title = w->cfg->ui_title;
		kb = xcalloc(w->cfg->nkeys + 1, sizeof(*kb));
		for (i = 0; i < w->cfg->nkeys; i++) {
			kb[i].line = (int)w->cfg->keys[i].line;
			kb[i].key = w->cfg->keys[i].key;
			kb[i].action = w->cfg->keys[i].action;
		}
		uo.keys = kb;
		uo.nkeys = w->cfg->nkeys;
		ui = ui_new(w, &uo, &why);
		free(kb);
	}
	if (!headless && ui == NULL) {
		fprintf(stderr, "ward: %s\n", why ? why : "cannot start the UI");
		free(why);
		ward_free(w);
		loop_free(loop);
		goto out;
	}
	if (!headless && ward_open_store(w, data_dir, &why) != WARD_OK) {
		ui_free(ui);
		fprintf(stderr, "ward: %s\n", why ? why : "cannot start");
		free(why);
		ward_free(w);
		loop_free(loop);
		goto out;
	}
	if (headless &&
	    (h = headless_new(w, pipe_path, !isatty(0), &why)) == NULL) {
		fprintf(stderr, "ward: %s\n", why ? why : "cannot start");
		free(why);
		ward_free(w);
		loop_free(loop);
		goto out;
	}
	loop_signal(loop, SIGINT, on_quit_signal, w);
	loop_signal(loop, SIGTERM, on_quit_signal, w);
	loop_signal(loop, SIGHUP, on_quit_signal, w);
	a = w->current;
	if (!no_connect)
		account_connect(a);
	status = loop_run(loop) == 0 ? 0 : 1;
	headless_free(h);
	ui_free(ui);
	ward_free(w);
	loop_free(loop);
	log_close();
out:
	config_free(cfg);
	free(config_dir);
	free(data_dir);
	free(pipe_path);
	free(conf_path);
	return status;
}
