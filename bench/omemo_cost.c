/*
 * omemo_cost.c: what OMEMO costs ward per message (crypto/ alone: libsignal,
 * libgcrypt and the SQLite store, no XML, no network). Two accounts with a
 * confirmed session time N encryptions of a 100-byte chat message (for 1
 * recipient device, then 3) and its N decryptions, and print microseconds
 * per message (median of the rounds) and the peak RSS. make bench runs it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "omemo.h"

#define MAX_ROUNDS 50

/* A typical chat line: 100 bytes. */
static const char chat_line[] =
    "Are we still on for lunch tomorrow? I can book the place near the "
    "station for half past twelve. Ok?!";

struct acct {
	const char *jid;
	char path[256];
	sqlite3 *db;
	struct omemo *o;
};

static void
fail(const char *what, int rc)
{
	fprintf(stderr, "omemo_cost: %s: %s\n", what,
		rc < 0 ? omemo_strerror(rc) : sqlite3_errstr(rc));
	exit(1);
}

/* Opens an account on its own database, with the pragmas ward's store
 * uses (src/store/store.c). */
static void
acct_open(struct acct *a, const char *dir, const char *jid, const char *file)
{
	int rc;

	a->jid = jid;
	snprintf(a->path, sizeof(a->path), "%s/%s", dir, file);
	if ((rc = sqlite3_open(a->path, &a->db)) != SQLITE_OK)
		fail("sqlite3_open", rc);
	rc =
	    sqlite3_exec(a->db,
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 "PRAGMA secure_delete = ON; PRAGMA cache_size = -512",
			 NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fail("pragmas", rc);
	if ((rc = omemo_open(a->db, "bench", &a->o)) != OMEMO_OK)
		fail("omemo_open", rc);
}

static void
acct_close(struct acct *a)
{
	char p[300];

	omemo_close(a->o);
	sqlite3_close(a->db);
	unlink(a->path);
	snprintf(p, sizeof(p), "%s-wal", a->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", a->path);
	unlink(p);
}

static void
sql(struct acct *a, const char *s)
{
	int rc = sqlite3_exec(a->db, s, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		fail(s, rc);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* B decrypts M's key for B (from A); returns the nanoseconds it took. */
static int64_t
deliver(struct acct *b, struct acct *a, const struct omemo_message *m)
{
	struct omemo_received in = {
	    a->jid,       m->sid,     NULL,          0, false, m->iv,
	    OMEMO_IV_LEN, m->payload, m->payload_len};
	uint8_t *plain;
	size_t i, len;
	int64_t t;
	int rc;

	for (i = 0; i < m->n_keys; i++)
		if (m->keys[i].device == omemo_device_id(b->o) &&
		    strcmp(m->keys[i].jid, b->jid) == 0)
			break;
	if (i == m->n_keys)
		fail("no key for the receiver", OMEMO_ERR_NOKEY);
	in.key = m->keys[i].data;
	in.key_len = m->keys[i].len;
	in.prekey = m->keys[i].prekey;
	t = now_ns();
	rc = omemo_decrypt(b->o, &in, &plain, &len, NULL);
	t = now_ns() - t;
	if (rc != OMEMO_OK)
		fail("decrypt", rc);
	if (len != sizeof(chat_line) - 1 || memcmp(plain, chat_line, len) != 0)
		fail("decrypt: wrong plaintext", OMEMO_ERR_CRYPTO);
	free(plain);
	return t;
}

/* A encrypts the chat line for TO; the nanoseconds it took. */
static int64_t
send_one(struct acct *a, struct acct **to, size_t n, struct omemo_message *m)
{
	struct omemo_addr addr[3];
	int64_t t;
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		addr[i] =
		    (struct omemo_addr){to[i]->jid, omemo_device_id(to[i]->o)};
	t = now_ns();
	rc = omemo_encrypt(a->o, (const uint8_t *)chat_line,
			   sizeof(chat_line) - 1, addr, n, m);
	t = now_ns() - t;
	if (rc != OMEMO_OK || m->n_keys != n)
		fail("encrypt", rc);
	return t;
}

/* A starts a session with B and both send once: a confirmed session. */
static void
pair(struct acct *a, struct acct *b)
{
	struct omemo_bundle bundle;
	struct omemo_message m;
	int rc;

	if ((rc = omemo_own_bundle(b->o, &bundle)) != OMEMO_OK ||
	    (rc = omemo_session_start(a->o, b->jid, omemo_device_id(b->o),
				      &bundle)) != OMEMO_OK)
		fail("session start", rc);
	send_one(a, &b, 1, &m);
	deliver(b, a, &m);
	omemo_message_free(&m);
	send_one(b, &a, 1, &m);
	deliver(a, b, &m);
	omemo_message_free(&m);
}

/*
 * One round: N messages from ALICE to the N_TO devices of TO, each read
 * at once by TO[0]. Both stores keep one transaction for the round, as
 * ward batches its writes per loop turn, so fsync is not in the figures.
 * Stores microseconds per message in *ENC and *DEC.
 */
static void
round_run(struct acct *alice, struct acct **to, size_t n_to, long n,
	  bool commit_each, double *enc, double *dec)
{
	struct omemo_message m;
	int64_t te = 0, td = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (i == 0 || commit_each) {
			sql(alice, "BEGIN");
			sql(to[0], "BEGIN");
		}
		te += send_one(alice, to, n_to, &m);
		td += deliver(to[0], alice, &m);
		omemo_message_free(&m);
		if (i == n - 1 || commit_each) {
			sql(alice, "COMMIT");
			sql(to[0], "COMMIT");
		}
	}
	*enc = (double)te / 1000.0 / (double)n;
	*dec = (double)td / 1000.0 / (double)n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(const double *v, int n)
{
	double s[MAX_ROUNDS];

	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* A /proc/self/status field in kB (VmRSS, VmHWM). */
static long
status_kb(const char *field)
{
	char line[256];
	size_t flen = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, flen) == 0 && line[flen] == ':')
			kb = strtol(line + flen + 1, NULL, 10);
	fclose(f);
	return kb;
}

static void
print_list(const char *name, const double *v, int n, bool last)
{
	int i;

	printf("\"%s\": [", name);
	for (i = 0; i < n; i++)
		printf("%s%.2f", i ? ", " : "", v[i]);
	printf("]%s", last ? "" : ", ");
}

static void
usage(void)
{
	fprintf(stderr, "usage: omemo_cost [-n MESSAGES] [-r ROUNDS] [-c] "
			"[-j]\n  -c  commit after every message (fsync "
			"included)\n  -j  one JSON object on stdout\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/ward-omemo-cost.XXXXXX";
	struct acct alice, bob, bob2, carol, *to[3] = {&bob, &bob2, &carol};
	double e1[MAX_ROUNDS], d1[MAX_ROUNDS], e3[MAX_ROUNDS], d3[MAX_ROUNDS];
	long n = 5000, rss_start;
	int rounds = 5, r, c;
	bool commit_each = false, json = false;

	while ((c = getopt(argc, argv, "n:r:cj")) != -1) {
		switch (c) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'c':
			commit_each = true;
			break;
		case 'j':
			json = true;
			break;
		default:
			usage();
		}
	}
	if (n < 1 || rounds < 1 || rounds > MAX_ROUNDS || optind != argc)
		usage();
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "omemo_cost: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	rss_start = status_kb("VmRSS");
	acct_open(&alice, dir, "alice@example.test", "alice.db");
	acct_open(&bob, dir, "bob@example.test", "bob.db");
	acct_open(&bob2, dir, "bob@example.test", "bob2.db");
	acct_open(&carol, dir, "carol@example.test", "carol.db");
	pair(&alice, &bob);
	pair(&alice, &bob2);
	pair(&alice, &carol);

	for (r = 0; r < rounds; r++) {
		round_run(&alice, to, 1, n, commit_each, &e1[r], &d1[r]);
		round_run(&alice, to, 3, n, commit_each, &e3[r], &d3[r]);
	}

	if (json) {
		printf("{\"messages\": %ld, \"rounds\": %d, \"bytes\": %zu, "
		       "\"commit_each\": %s, ",
		       n, rounds, sizeof(chat_line) - 1,
		       commit_each ? "true" : "false");
		print_list("encrypt_1_us", e1, rounds, false);
		print_list("decrypt_1_us", d1, rounds, false);
		print_list("encrypt_3_us", e3, rounds, false);
		print_list("decrypt_3_us", d3, rounds, false);
		printf("\"rss_start_kb\": %ld, \"peak_rss_kb\": %ld}\n",
		       rss_start, status_kb("VmHWM"));
	} else {
		printf("OMEMO per message (%zu-byte chat line; %ld messages x "
		       "%d rounds, median; %s):\n",
		       sizeof(chat_line) - 1, n, rounds,
		       commit_each ? "a commit per message"
				   : "one transaction per round");
		printf("  1 device:  encrypt %.1f us, decrypt %.1f us\n",
		       median(e1, rounds), median(d1, rounds));
		printf("  3 devices: encrypt %.1f us, decrypt %.1f us (at one "
		       "receiver)\n",
		       median(e3, rounds), median(d3, rounds));
		printf("  RSS: %ld kB before the stores were opened, peak %ld "
		       "kB (4 accounts)\n",
		       rss_start, status_kb("VmHWM"));
	}
	acct_close(&alice);
	acct_close(&bob);
	acct_close(&bob2);
	acct_close(&carol);
	rmdir(dir);
	return 0;
}
