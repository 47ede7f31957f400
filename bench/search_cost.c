/*
 * search_cost.c: what /search costs (src/store/store_search.c alone: SQLite
 * FTS5 over ward.db, no XML, no network). Stores N messages (100,000 by
 * default) of 6 to 20 words from a 5,000-word vocabulary in a fresh
 * ward.db, one of them holding a word found nowhere else, then times
 * searches: that rare word, a common word (the newest 100 of thousands),
 * a prefix, two words, one conversation. Prints the median and the worst
 * of the rounds in milliseconds. Usage: search_cost [N]
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_search.h"
#include "ward.h"

#define ROUNDS 21
#define VOCAB 5000
#define PEERS 50

static char vocab[VOCAB][12];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
count_cb(const struct store_msg *m, void *arg)
{
	(void)m;
	(*(size_t *)arg)++;
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
timed(struct store *st, const char *what, const char *peer, const char *text)
{
	double t[ROUNDS];
	size_t n = 0, got = 0;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		double t0 = now_s();
		n = 0;
		if (store_search(st, "bench", peer, text, 100, count_cb, &got,
				 &n) != WARD_OK) {
			fprintf(stderr, "search_cost: %s failed\n", what);
			exit(1);
		}
		t[i] = (now_s() - t0) * 1000;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_double);
	printf("%-28s %4zu hits  median %7.3f ms  worst %7.3f ms\n", what, n,
	       t[ROUNDS / 2], t[ROUNDS - 1]);
}

static int
rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(int argc, char **argv)
{
	long total = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	char base[] = "/tmp/ward-search-cost-XXXXXX", data[64], body[512];
	char peers[PEERS][32];
	struct store *st;
	struct store_msg m;
	double t0;
	long i;
	int w;

	if (total < 1 || mkdtemp(base) == NULL)
		return 1;
	snprintf(data, sizeof(data), "%s/data", base);
	if (store_open(data, &st, NULL) != WARD_OK)
		return 1;
	srandom(42);
	for (w = 0; w < VOCAB; w++) { /* pronounceable made-up words */
		static const char cons[] = "bcdfghklmnprstvz", vow[] = "aeiou";
		int len = 2 + (int)(random() % 3), k, o = 0;
		for (k = 0; k < len; k++) {
			vocab[w][o++] = cons[random() % 16];
			vocab[w][o++] = vow[random() % 5];
		}
		vocab[w][o] = '\0';
	}
	for (i = 0; i < PEERS; i++)
		snprintf(peers[i], sizeof(peers[i]), "peer%ld@bench.test", i);
	memset(&m, 0, sizeof(m));
	m.account = "bench";
	m.type = STORE_TYPE_CHAT;
	t0 = now_s();
	store_begin(st);
	for (i = 0; i < total; i++) {
		int words = 6 + (int)(random() % 15), k;
		size_t o = 0;
		for (k = 0; k < words; k++) {
			/* skewed: low word numbers are common */
			long r = random() % VOCAB;
			w = (int)(r * (random() % VOCAB) / VOCAB);
			o += (size_t)snprintf(body + o, sizeof(body) - o,
					      "%s%s", k ? " " : "", vocab[w]);
		}
		if (i == total / 3)
			snprintf(body + o, sizeof(body) - o, " zebracorn");
		m.peer = peers[i % PEERS];
		m.from_jid = m.peer;
		m.dir = i % 2 ? STORE_DIR_OUT : STORE_DIR_IN;
		m.body = body;
		m.ts = 1600000000000LL + i * 1000;
		if (store_history_add(st, &m, NULL) != WARD_OK)
			return 1;
		if (i % 5000 == 4999) {
			store_commit(st);
			store_begin(st);
		}
	}
	store_commit(st);
	printf("search_cost: %ld messages stored in %.1f s (indexed as "
	       "stored)\n",
	       total, now_s() - t0);
	timed(st, "rare word", NULL, "zebracorn");
	timed(st, "common word (newest 100)", NULL, vocab[0]);
	timed(st, "prefix", NULL, "zebra*");
	{
		char two[32];
		snprintf(two, sizeof(two), "%s %s", vocab[0], vocab[1]);
		timed(st, "two common words", NULL, two);
	}
	timed(st, "common word, one chat", peers[7], vocab[0]);
	timed(st, "word not stored", NULL, "xylophonequartz");
	store_close(st);
	nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
