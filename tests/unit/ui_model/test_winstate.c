/*
 * test_winstate.c: ui/model/winstate.c: what is saved comes back; hostile
 * or damaged files open nothing (strict parse), a symlink or a file others
 * can read is not read.
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

#include "model/winstate.h"

#include "tests.h"

void
test_winstate_roundtrip(void **state)
{
	char dir[] = "/tmp/ward-winstate-XXXXXX", path[128];
	struct winlist wl, back;
	int pane = -1;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ui-windows", dir);
	winlist_init(&wl, 100);
	winlist_open(&wl, WK_CHAT, "home", "bob@good.test");
	winlist_open(&wl, WK_ROOM, "home", "dev@rooms.good.test");
	winlist_open(&wl, WK_PRIV, "home", "dev@rooms.good.test/carol");
	winlist_open(&wl, WK_CHAT, "home", "has space@x"); /* not saved */
	assert_int_equal(winstate_save(path, &wl, 1), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	winlist_init(&back, 100);
	assert_int_equal(winstate_load(path, &back, "home", &pane, -1), 0);
	assert_int_equal(pane, 1);
	assert_int_equal(back.n, 4);
	assert_int_equal(back.w[2]->kind, WK_ROOM);
	assert_string_equal(back.w[3]->jid, "dev@rooms.good.test/carol");
	/* a forced pane setting wins */
	winlist_free(&back);
	winlist_init(&back, 100);
	winstate_load(path, &back, "home", &pane, 0);
	assert_int_equal(pane, 0);
	/* readable by others: ignored */
	chmod(path, 0644);
	winlist_free(&back);
	winlist_init(&back, 100);
	assert_int_equal(winstate_load(path, &back, "home", &pane, -1), -1);
	assert_int_equal(back.n, 1);
	unlink(path);
	rmdir(dir);
	winlist_free(&back);
	winlist_free(&wl);
}

void
test_winstate_hostile(void **state)
{
	static const char *bad[] = {
	    "",
	    "# ward ui windows 2\n",
	    "# ward ui windows 1",               /* no newline */
	    "# ward ui windows 1\nchat a bob@x", /* last line cut */
	    "# ward ui windows 1\nchat a\n",
	    "# ward ui windows 1\nchat a bob@x extra\n",
	    "# ward ui windows 1\nchat  a bob@x\n",
	    "# ward ui windows 1\nconsole a bob@x\n",
	    "# ward ui windows 1\nchat a bob\n",    /* not a JID */
	    "# ward ui windows 1\npriv a room@x\n", /* no nick */
	    "# ward ui windows 1\nchat a bob@x\x1b[2J\n",
	    "# ward ui windows 1\nchat a b\tob@x\n",
	    "# ward ui windows 1\nchat a bob@x\r\n",
	    "# ward ui windows 1\npane maybe\n",
	    "# ward ui windows 1\npane on\npane off\n",
	    "# ward ui windows 1\nchat a bob@x\n\n",
	};
	struct winlist wl;
	size_t i;
	int pane = 7;
	char *big;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		winlist_init(&wl, 100);
		assert_int_equal(
		    winstate_parse(bad[i], strlen(bad[i]), &wl, &pane), -1);
		assert_int_equal(wl.n, 1);
		assert_int_equal(pane, 7);
		winlist_free(&wl);
	}
	/* an embedded NUL */
	winlist_init(&wl, 100);
	assert_int_equal(winstate_parse("# ward ui windows 1\nchat a b\0b@x\n",
					33, &wl, &pane),
			 -1);
	winlist_free(&wl);
	/* too many windows */
	big = malloc(WINSTATE_MAX_BYTES);
	assert_non_null(big);
	strcpy(big, "# ward ui windows 1\n");
	for (i = 0; i <= WINSTATE_MAX_WINDOWS; i++)
		sprintf(big + strlen(big), "chat a u%zu@x\n", i);
	winlist_init(&wl, 100);
	assert_int_equal(winstate_parse(big, strlen(big), &wl, &pane), -1);
	assert_int_equal(wl.n, 1);
	winlist_free(&wl);
	free(big);
	/* a good one */
	winlist_init(&wl, 100);
	assert_int_equal(winstate_parse("# ward ui windows 1\npane off\n"
					"chat a bob@x\nroom a r@x\n",
					53, &wl, &pane),
			 0);
	assert_int_equal(wl.n, 3);
	assert_int_equal(pane, 0);
	winlist_free(&wl);
}
