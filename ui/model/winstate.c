/*
 * winstate.c: saving and restoring the open windows (winstate.h).
 *   # ward ui windows 1
 *   pane on|off
 *   chat|room|priv ACCOUNT JID
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/winstate.h"

#define WINSTATE_HEADER "# ward ui windows 1"
#define WINSTATE_MAX_WORD 1023

/* A word ward could have written: 1..1023 bytes, no control, no space,
 * valid as bytes >= 0x21 (UTF-8 is checked by the core when used). */
static int
good_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > WINSTATE_MAX_WORD)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] == 0x7f)
			return 0;
	return 1;
}

struct wsent {
	enum win_kind kind;
	char acct[WINSTATE_MAX_WORD + 1], jid[WINSTATE_MAX_WORD + 1];
};

/* Splits one line into three words. */
static int
parse_line(const char *l, size_t n, struct wsent *e)
{
	const char *sp1 = memchr(l, ' ', n), *sp2;
	size_t k, a, j;

	if (sp1 == NULL)
		return -1;
	k = (size_t)(sp1 - l);
	sp2 = memchr(sp1 + 1, ' ', n - k - 1);
	if (sp2 == NULL)
		return -1;
	a = (size_t)(sp2 - sp1 - 1);
	j = n - k - a - 2;
	if (k == 4 && memcmp(l, "chat", 4) == 0)
		e->kind = WK_CHAT;
	else if (k == 4 && memcmp(l, "room", 4) == 0)
		e->kind = WK_ROOM;
	else if (k == 4 && memcmp(l, "priv", 4) == 0)
		e->kind = WK_PRIV;
	else
		return -1;
	if (!good_word(sp1 + 1, a) || !good_word(sp2 + 1, j))
		return -1;
	if (memchr(sp2 + 1, '@', j) == NULL)
		return -1;
	if (e->kind == WK_PRIV && memchr(sp2 + 1, '/', j) == NULL)
		return -1;
	memcpy(e->acct, sp1 + 1, a);
	e->acct[a] = '\0';
	memcpy(e->jid, sp2 + 1, j);
	e->jid[j] = '\0';
	return 0;
}

int
winstate_parse(const char *text, size_t len, struct winlist *wl, int *pane)
{
	struct wsent *ents;
	size_t n = 0, i = 0, hl = strlen(WINSTATE_HEADER), ll;
	int p = -1, r = -1;
	const char *nl;

	if (len > WINSTATE_MAX_BYTES || len < hl + 1 ||
	    memcmp(text, WINSTATE_HEADER "\n", hl + 1) != 0)
		return -1;
	if ((ents = calloc(WINSTATE_MAX_WINDOWS, sizeof(*ents))) == NULL)
		return -1;
	i = hl + 1;
	while (i < len) {
		nl = memchr(text + i, '\n', len - i);
		if (nl == NULL)
			goto out; /* every line ends in a newline */
		ll = (size_t)(nl - (text + i));
		if (ll == 7 && memcmp(text + i, "pane on", 7) == 0 && p < 0)
			p = 1;
		else if (ll == 8 && memcmp(text + i, "pane off", 8) == 0 &&
			 p < 0)
			p = 0;
		else if (n >= WINSTATE_MAX_WINDOWS ||
			 parse_line(text + i, ll, &ents[n++]) != 0)
			goto out;
		i += ll + 1;
	}
	for (i = 0; i < n; i++)
		winlist_open(wl, ents[i].kind, ents[i].acct, ents[i].jid);
	if (p >= 0 && pane != NULL)
		*pane = p;
	r = 0;
out:
	free(ents);
	return r;
}

int
winstate_load(const char *path, struct winlist *wl, const char *account,
	      int *pane, int forced_pane)
{
	char *buf;
	struct stat st;
	ssize_t got;
	size_t have = 0;
	int fd, r = -1;

	(void)account;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		goto done;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != getuid() || (st.st_mode & 077) != 0 ||
	    st.st_size > WINSTATE_MAX_BYTES) {
		close(fd);
		goto done;
	}
	if ((buf = malloc(WINSTATE_MAX_BYTES + 1)) == NULL) {
		close(fd);
		goto done;
	}
	while ((got = read(fd, buf + have, WINSTATE_MAX_BYTES + 1 - have)) > 0)
		have += (size_t)got;
	close(fd);
	if (got == 0)
		r = winstate_parse(buf, have, wl, pane);
	free(buf);
done:
	if (forced_pane >= 0 && pane != NULL)
		*pane = forced_pane;
	return r;
}

int
winstate_save(const char *path, const struct winlist *wl, int pane)
{
	char tmp[4096];
	FILE *f;
	size_t i, saved = 0;
	int fd;
	static const char *kinds[] = {"console", "chat", "room", "priv"};

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -1;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(f, "%s\npane %s\n", WINSTATE_HEADER, pane ? "on" : "off");
	for (i = 1; i < wl->n && saved < WINSTATE_MAX_WINDOWS; i++) {
		const struct uiwin *w = wl->w[i];
		if (w->account == NULL || w->jid == NULL ||
		    !good_word(w->account, strlen(w->account)) ||
		    !good_word(w->jid, strlen(w->jid)) ||
		    strchr(w->jid, '@') == NULL)
			continue;
		fprintf(f, "%s %s %s\n", kinds[w->kind], w->account, w->jid);
		saved++;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}
