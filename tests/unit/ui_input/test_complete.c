/*
 * test_complete.c: Tab completion of commands and their sub-words from the
 * real command table, JIDs and nicks from providers (recent speakers
 * first, "nick: " at the start of a message), file paths in a temporary
 * directory, the common prefix first and cycling both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "input/complete.h"
#include "tests.h"

static void
jids(void *arg, const char *prefix, size_t len, struct complete_list *out)
{
	static const char *const j[] = {"bob@example.org", "Bea@example.org",
					"carol@example.net",
					"dev@rooms.example.org"};

	(void)arg;
	(void)prefix;
	(void)len;
	for (size_t i = 0; i < sizeof(j) / sizeof(j[0]); i++)
		complete_add(out, j[i], strlen(j[i]));
	/* Junk a provider might pass on is refused. */
	complete_add(out, "b\x1b[2Jad", 7);
	complete_add(out, "b ad", 4);
}

static void
nicks(void *arg, const char *prefix, size_t len, struct complete_list *out)
{
	/* Most recent speakers first. */
	static const char *const n[] = {"zoe",    "Bob",   "alice",
					"albert", "bobby", "Bob"};

	(void)arg;
	(void)prefix;
	(void)len;
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		complete_add(out, n[i], strlen(n[i]));
}

static const struct complete_sources src = {
    NULL, 0, jids, nicks, NULL, NULL,
};

/* One Tab step on line (cursor at its end unless cur >= 0) applied to
 * buf; returns the step's result. */
static int
step(struct complete *c, const struct complete_sources *s, char *buf,
     size_t *cur, int dir)
{
	struct complete_edit e;
	size_t len = strlen(buf);
	char tmp[1024];
	int r = complete_step(c, s, buf, len, *cur, dir, &e);

	if (!r)
		return 0;
	assert_true(e.start <= e.end && e.end <= len);
	snprintf(tmp, sizeof(tmp), "%.*s%.*s%s", (int)e.start, buf, (int)e.len,
		 e.text, buf + e.end);
	strcpy(buf, tmp);
	*cur = e.start + e.len;
	return 1;
}

/* Tabs n times from line and checks the result. */
static void
tabs(const struct complete_sources *s, const char *line, int n,
     const char *want)
{
	struct complete *c = complete_new();
	char buf[1024];
	size_t cur = strlen(line);

	strcpy(buf, line);
	for (int i = 0; i < n; i++)
		step(c, s, buf, &cur, 1);
	assert_string_equal(buf, want);
	assert_int_equal(cur, strlen(want));
	complete_free(c);
}

static void
test_commands(void **state)
{
	(void)state;
	/* /o is unique in the real table: /omemo. */
	tabs(&src, "/om", 1, "/omemo ");
	/* /re: /reject only. /ac: /account, /accept share "/acc". */
	tabs(&src, "/ac", 1, "/acc");
	tabs(&src, "/ac", 2, "/account ");
	tabs(&src, "/ac", 3, "/accept ");
	tabs(&src, "/ac", 4, "/account ");
	tabs(&src, "  /qu", 1, "  /quit ");
	tabs(&src, "/zzz", 1, "/zzz");
	/* Sub-words of /omemo's first argument, from its usage string. */
	tabs(&src, "/omemo v", 1, "/omemo verify ");
	tabs(&src, "/omemo ", 1, "/omemo on ");
	tabs(&src, "/omemo o", 2, "/omemo off ");
	tabs(&src, "/omemo a", 1, "/omemo accept-key ");
	/* Its second argument is a JID. */
	tabs(&src, "/omemo verify b", 1, "/omemo verify bob@example.org ");
	tabs(&src, "/omemo verify b", 2, "/omemo verify Bea@example.org ");
	tabs(&src, "/omemo verify bo", 1, "/omemo verify bob@example.org ");
	tabs(&src, "/omemo  verify  c", 1,
	     "/omemo  verify  carol@example.net ");
	/* /join's ROOM@SERVICE[/NICK] is a JID; /help takes a command. */
	tabs(&src, "/join d", 1, "/join dev@rooms.example.org ");
	tabs(&src, "/help se", 1, "/help security ");
	/* An alias or a unique prefix of the command still works. */
	tabs(&src, "/m c", 1, "/m carol@example.net ");
	tabs(&src, "/omem f", 1, "/omem fingerprints ");
	/* /msg JID TEXT: the rest of the line is text, where nicks are. */
	tabs(&src, "/msg bob@example.org hi al", 2,
	     "/msg bob@example.org hi albert ");
	tabs(&src, "/msg bob@example.org hi ali", 1,
	     "/msg bob@example.org hi alice ");
	/* Beyond the arguments: nothing. */
	tabs(&src, "/quit x", 1, "/quit x");
	tabs(&src, "/accept 12 x", 1, "/accept 12 x");
}

static void
test_nicks(void **state)
{
	(void)state;
	/* At the start of a message, "nick: ". */
	tabs(&src, "z", 1, "zoe: ");
	tabs(&src, "ali", 1, "alice: ");
	tabs(&src, "hi ali", 1, "hi alice ");
	/* Case is ignored; the common prefix first, then the most recent
	 * speaker. */
	tabs(&src, "b", 1, "Bob");
	tabs(&src, "b", 2, "Bob: ");
	tabs(&src, "b", 3, "bobby: ");
	tabs(&src, "b", 4, "Bob: ");
	/* "al" is shared by alice and albert: no progress, so cycle. */
	tabs(&src, "al", 1, "alice: ");
	tabs(&src, "al", 2, "albert: ");
	/* A second line of a message is not the start. */
	tabs(&src, "x\nzo", 1, "x\nzoe ");
	/* No provider: nothing. */
	{
		struct complete_sources none = {0};

		tabs(&none, "zo", 1, "zo");
	}
}

static void
test_cycle_backwards_and_reset(void **state)
{
	struct complete *c = complete_new();
	char buf[256] = "/omemo ";
	size_t cur = strlen(buf);

	(void)state;
	assert_int_equal(step(c, &src, buf, &cur, -1), 1);
	/* on|off|verify|fingerprints|accept-key share nothing: S-Tab
	 * starts at the last. */
	assert_string_equal(buf, "/omemo accept-key ");
	assert_int_equal(complete_count(c), 5);
	assert_string_equal(complete_candidate(c, 0), "on");
	assert_null(complete_candidate(c, 5));
	step(c, &src, buf, &cur, -1);
	assert_string_equal(buf, "/omemo fingerprints ");
	step(c, &src, buf, &cur, 1);
	assert_string_equal(buf, "/omemo accept-key ");
	/* The line changed under it: a fresh start on the new word. */
	strcpy(buf, "/omemo accept-key b");
	cur = strlen(buf);
	step(c, &src, buf, &cur, 1);
	assert_string_equal(buf, "/omemo accept-key bob@example.org ");
	complete_reset(c);
	assert_int_equal(complete_count(c), 0);
	/* Completing in the middle keeps what follows; no second space. */
	strcpy(buf, "/omemo ver bob");
	cur = strlen("/omemo ver");
	assert_int_equal(step(c, &src, buf, &cur, 1), 1);
	assert_string_equal(buf, "/omemo verify bob");
	assert_int_equal(cur, strlen("/omemo verify"));
	complete_free(c);
}

static const struct cmd_entry upload_table[] = {
    {"upload", NULL, 1, 1, 0, "FILE", "Send a file", NULL, NULL},
    {"account", NULL, 1, 1, 0, "NAME", "Pick", NULL, NULL},
};

static void
accounts(void *arg, const char *prefix, size_t len, struct complete_list *out)
{
	(void)arg;
	(void)prefix;
	(void)len;
	complete_add(out, "work", 4);
	complete_add(out, "Home", 4);
}

static void
test_paths(void **state)
{
	char dir[] = "/tmp/ward-complete-XXXXXX";
	char path[512], line[600], want[600];
	struct complete_sources s = {upload_table, 2,        jids,
				     nicks,        accounts, NULL};
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/photos", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/photo.jpg", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/photos/cat.png", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/ph\x1b[2J", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);

	/* "photo" is common; then photo.jpg and photos/ in order. */
	snprintf(line, sizeof(line), "/upload %s/p", dir);
	snprintf(want, sizeof(want), "/upload %s/photo", dir);
	tabs(&s, line, 1, want);
	snprintf(want, sizeof(want), "/upload %s/photo.jpg ", dir);
	tabs(&s, line, 2, want);
	/* A directory ends in '/' with no space: Tab goes on into it. */
	snprintf(want, sizeof(want), "/upload %s/photos/", dir);
	tabs(&s, line, 3, want);
	snprintf(line, sizeof(line), "/upload %s/photos/", dir);
	snprintf(want, sizeof(want), "/upload %s/photos/cat.png ", dir);
	tabs(&s, line, 1, want);
	/* Hidden files only when asked for. */
	snprintf(line, sizeof(line), "/upload %s/.", dir);
	snprintf(want, sizeof(want), "/upload %s/.hidden ", dir);
	tabs(&s, line, 1, want);
	/* A missing directory: nothing. */
	snprintf(line, sizeof(line), "/upload %s/nope/", dir);
	tabs(&s, line, 1, line);
	/* NAME asks the accounts provider, case-sensitively. */
	tabs(&s, "/account w", 1, "/account work ");
	tabs(&s, "/account h", 1, "/account h");

	snprintf(path, sizeof(path), "%s/photos/cat.png", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/photos", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/photo.jpg", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ph\x1b[2J", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int
complete_tests(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commands),
	    cmocka_unit_test(test_nicks),
	    cmocka_unit_test(test_cycle_backwards_and_reset),
	    cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests_name("complete", tests, NULL, NULL);
}
