/*
 * complete.c: the completion engine. Works out what the word before the
 * cursor is (a command, a command's argument as its usage string in the
 * one command table describes it, or a word of a message), gathers
 * candidates from the table, the frontend's providers or the file system,
 * and steps through them: common prefix first, then cycling.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmdparse.h"

#include "input/complete.h"
#include "text/width.h"

struct complete_cand {
	char *s;
	size_t len;
	const char *suffix; /* "", " " or ": " */
};

struct complete_list {
	struct complete_cand *v;
	size_t n, cap;
	const char *prefix; /* the word being completed */
	size_t plen;
	int icase;          /* match the prefix ignoring ASCII case */
	const char *suffix; /* for complete_add() */
};

struct complete {
	struct complete_list l;
	int active;   /* a cycle is under way */
	long idx;     /* candidate shown, -1 before cycling */
	size_t start; /* where the word starts in the line */
	char *ins;    /* what the last step inserted there */
	size_t ins_len;
	int nosuffix; /* a space already follows the cursor */
};

struct complete *
complete_new(void)
{
	return calloc(1, sizeof(struct complete));
}

static void
complete_clear_list(struct complete_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
complete_reset(struct complete *c)
{
	complete_clear_list(&c->l);
	free(c->ins);
	c->ins = NULL;
	c->ins_len = 0;
	c->active = 0;
	c->idx = -1;
}

void
complete_free(struct complete *c)
{
	if (c == NULL)
		return;
	complete_reset(c);
	free(c);
}

size_t
complete_count(const struct complete *c)
{
	return c->l.n;
}

const char *
complete_candidate(const struct complete *c, size_t i)
{
	return i < c->l.n ? c->l.v[i].s : NULL;
}

/* Valid UTF-8 without controls or blanks. */
static int
complete_word_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;

		i += uw_decode(s + i, len - i, &cp);
		if (cp == UW_INVALID || cp <= 0x20 || (cp >= 0x7f && cp < 0xa0))
			return 0;
	}
	return len > 0;
}

static void
complete_add_s(struct complete_list *l, const char *word, size_t len,
	       const char *suffix)
{
	struct complete_cand *v;
	char *s;

	if (l->n >= COMPLETE_MAX || len > COMPLETE_WORD_MAX || len < l->plen ||
	    !complete_word_ok(word, len))
		return;
	if (l->icase ? strncasecmp(word, l->prefix, l->plen) != 0
		     : memcmp(word, l->prefix, l->plen) != 0)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].len == len && memcmp(l->v[i].s, word, len) == 0)
			return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;

		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return;
		l->v = v;
		l->cap = cap;
	}
	if ((s = malloc(len + 1)) == NULL)
		return;
	memcpy(s, word, len);
	s[len] = '\0';
	l->v[l->n].s = s;
	l->v[l->n].len = len;
	l->v[l->n].suffix = suffix;
	l->n++;
}

void
complete_add(struct complete_list *l, const char *word, size_t len)
{
	complete_add_s(l, word, len, l->suffix);
}

static int
complete_cand_cmp(const void *a, const void *b)
{
	return strcmp(((const struct complete_cand *)a)->s,
		      ((const struct complete_cand *)b)->s);
}

/* File names in the word's directory ("~/" is $HOME); directories end in
 * '/' and take no space after, so Tab goes on into them. */
static void
complete_paths(struct complete_list *l, const char *word, size_t wlen)
{
	const char *slash = memrchr(word, '/', wlen);
	size_t dlen = slash ? (size_t)(slash - word) + 1 : 0;
	const char *base = word + dlen;
	size_t blen = wlen - dlen, from = l->n;
	char dir[PATH_MAX], cand[PATH_MAX], full[PATH_MAX];
	const char *home = getenv("HOME");
	struct dirent *de;
	DIR *d;
	int n;

	if (dlen == 0)
		n = snprintf(dir, sizeof(dir), ".");
	else if (wlen >= 2 && word[0] == '~' && word[1] == '/' && home)
		n = snprintf(dir, sizeof(dir), "%s/%.*s", home, (int)(dlen - 2),
			     word + 2);
	else
		n = snprintf(dir, sizeof(dir), "%.*s", (int)dlen, word);
	if (n < 0 || (size_t)n >= sizeof(dir) || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && l->n < COMPLETE_MAX) {
		const char *name = de->d_name;
		size_t nlen = strlen(name);
		struct stat st;
		int isdir;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    (name[0] == '.' && (blen == 0 || base[0] != '.')) ||
		    nlen < blen || memcmp(name, base, blen) != 0)
			continue;
		n = snprintf(full, sizeof(full), "%s/%s", dir, name);
		isdir = n > 0 && (size_t)n < sizeof(full) &&
			stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		n = snprintf(cand, sizeof(cand), "%.*s%s%s", (int)dlen, word,
			     name, isdir ? "/" : "");
		if (n > 0 && (size_t)n < sizeof(cand))
			complete_add_s(l, cand, (size_t)n, isdir ? "" : " ");
	}
	closedir(d);
	qsort(l->v + from, l->n - from, sizeof(l->v[0]), complete_cand_cmp);
}

/* Command names, with the '/' or without. */
static void
complete_commands(struct complete_list *l, const struct cmd_entry *t, size_t n,
		  int slash)
{
	char name[128];

	for (size_t i = 0; i < n; i++) {
		int k = snprintf(name, sizeof(name), "%s%s", slash ? "/" : "",
				 t[i].name);

		if (k > 0 && (size_t)k < sizeof(name))
			complete_add_s(l, name, (size_t)k, " ");
	}
}

static void
complete_provider(struct complete_list *l, complete_fn *fn,
		  const struct complete_sources *src, int icase,
		  const char *suffix)
{
	if (fn == NULL)
		return;
	l->icase = icase;
	l->suffix = suffix;
	/* icase stays set: complete_common() compares the same way. */
	fn(src->arg, l->prefix, l->plen, l);
}

/* One alternative of a usage word: a literal sub-word ("verify") or a
 * placeholder ("JID", "ROOM@SERVICE/NICK", "FILE") naming a source. */
static void
complete_alt(struct complete_list *l, const struct complete_sources *src,
	     const struct cmd_entry *t, size_t n, const char *alt, size_t len)
{
	int lower = 0, upper = 0;

	for (size_t i = 0; i < len; i++) {
		lower |= alt[i] >= 'a' && alt[i] <= 'z';
		upper |= alt[i] >= 'A' && alt[i] <= 'Z';
	}
	if (len == 0)
		return;
	if (lower && !upper) {
		complete_add_s(l, alt, len, " ");
		return;
	}
#define HAS(w) (memmem(alt, len, w, sizeof(w) - 1) != NULL)
	if (HAS("@") || HAS("JID"))
		complete_provider(l, src->jids, src, 1, " ");
	else if (HAS("NICK") || HAS("TEXT"))
		complete_provider(l, src->nicks, src, 1, " ");
	else if (HAS("COMMAND"))
		complete_commands(l, t, n, 0);
	else if (HAS("FILE") || HAS("PATH") || HAS("DIR"))
		complete_paths(l, l->prefix, l->plen);
	else if (HAS("ACCOUNT") || HAS("NAME"))
		complete_provider(l, src->accounts, src, 0, " ");
#undef HAS
}

/* The usage word for positional argument arg of e (brackets dropped),
 * into buf; the last word serves every later argument of a CMD_REST
 * command. Returns its length, 0 for none. */
static size_t
complete_usage_word(const struct cmd_entry *e, int arg, char *buf, size_t size)
{
	const char *u = e->usage ? e->usage : "";
	const char *w = NULL;
	size_t wl = 0, n = 0;
	int i = 0;

	if (u[0] == '/')
		u += strcspn(u, " ");
	for (;;) {
		u += strspn(u, " ");
		if (*u == '\0')
			break;
		if (i <= arg) {
			w = u;
			wl = strcspn(u, " ");
		}
		u += strcspn(u, " ");
		i++;
	}
	if (w == NULL || (arg >= i && !(e->flags & CMD_REST)))
		return 0;
	for (size_t k = 0; k < wl && n + 1 < size; k++)
		if (w[k] != '[' && w[k] != ']')
			buf[n++] = w[k];
	buf[n] = '\0';
	return n;
}

/* Gathers the candidates for the word [start, cursor) of line. */
static void
complete_gather(struct complete *c, const struct complete_sources *src,
		const char *line, size_t start, size_t cursor)
{
	struct complete_list *l = &c->l;
	const struct cmd_entry *t = src->table ? src->table : cmd_table;
	size_t n = src->table ? src->ntable : cmd_table_size;
	size_t b = 0;

	while (b < cursor && (line[b] == ' ' || line[b] == '\t'))
		b++;
	l->prefix = line + start;
	l->plen = cursor - start;
	if (b < cursor && line[b] == '/' &&
	    memchr(line, '\n', cursor) == NULL) {
		const struct cmd_entry *e;
		char name[64], word[256];
		size_t nlen = strcspn(line + b, " \t");
		int arg = -1; /* the command name is word -1 */

		if (start == b) {
			complete_commands(l, t, n, 1);
			return;
		}
		/* Count the words before this one. */
		for (size_t i = b; i < start; i++)
			if (line[i] != ' ' && line[i] != '\t' &&
			    (i == b || line[i - 1] == ' ' ||
			     line[i - 1] == '\t'))
				arg++;
		if (nlen >= sizeof(name))
			return;
		memcpy(name, line + b, nlen);
		name[nlen] = '\0';
		if (cmd_find(t, n, name, &e, NULL) != 0)
			return;
		if (complete_usage_word(e, arg, word, sizeof(word)) == 0)
			return;
		for (char *w = word, *bar; *w != '\0'; w = bar + 1) {
			bar = w + strcspn(w, "|");
			complete_alt(l, src, t, n, w, (size_t)(bar - w));
			if (*bar == '\0')
				break;
		}
		return;
	}
	/* A message: nicks, addressed as "nick: " at the very start. */
	complete_provider(l, src->nicks, src, 1, start == 0 ? ": " : " ");
}

/* Sets *out to replace [c->start, end) of the line with s and suffix. */
static int
complete_emit(struct complete *c, size_t end, const char *s, size_t len,
	      const char *suffix, struct complete_edit *out)
{
	size_t sl = c->nosuffix ? 0 : strlen(suffix);
	char *ins = malloc(len + sl + 1);

	if (ins == NULL)
		return 0;
	memcpy(ins, s, len);
	memcpy(ins + len, suffix, sl);
	ins[len + sl] = '\0';
	free(c->ins);
	c->ins = ins;
	c->ins_len = len + sl;
	out->start = c->start;
	out->end = end;
	out->text = c->ins;
	out->len = c->ins_len;
	return 1;
}

/* The candidates' common prefix, ending on a character boundary. */
static size_t
complete_common(const struct complete_list *l, int icase)
{
	size_t lcp = l->v[0].len;

	for (size_t i = 1; i < l->n; i++) {
		size_t k = 0;

		while (k < lcp && k < l->v[i].len &&
		       (icase
			    ? strncasecmp(l->v[0].s + k, l->v[i].s + k, 1) == 0
			    : l->v[0].s[k] == l->v[i].s[k]))
			k++;
		lcp = k;
	}
	while (lcp > 0 && lcp < l->v[0].len && (l->v[0].s[lcp] & 0xc0) == 0x80)
		lcp--;
	return lcp;
}

int
complete_step(struct complete *c, const struct complete_sources *src,
	      const char *line, size_t len, size_t cursor, int dir,
	      struct complete_edit *out)
{
	size_t start, n;
	const struct complete_cand *cand;

	memset(out, 0, sizeof(*out));
	if (cursor > len)
		return 0;
	if (!(c->active && c->ins != NULL && cursor == c->start + c->ins_len &&
	      memcmp(line + c->start, c->ins, c->ins_len) == 0)) {
		complete_reset(c);
		start = cursor;
		while (start > 0 && line[start - 1] != ' ' &&
		       line[start - 1] != '\t' && line[start - 1] != '\n')
			start--;
		if (cursor - start > COMPLETE_WORD_MAX)
			return 0;
		c->start = start;
		c->nosuffix = cursor < len && line[cursor] == ' ';
		complete_gather(c, src, line, start, cursor);
		if ((n = c->l.n) == 0)
			return 0;
		if (n == 1) {
			/* The only one: done, the next Tab starts afresh. */
			int r =
			    complete_emit(c, cursor, c->l.v[0].s, c->l.v[0].len,
					  c->l.v[0].suffix, out);

			c->active = 0;
			return r;
		}
		c->active = 1;
		n = complete_common(&c->l, c->l.icase);
		if (n > cursor - start)
			return complete_emit(c, cursor, c->l.v[0].s, n, "",
					     out);
		/* No common progress: start cycling at once. */
		c->ins_len = cursor - start;
	}
	n = c->l.n;
	if (dir >= 0)
		c->idx = (c->idx + 1) % (long)n;
	else
		c->idx = c->idx <= 0 ? (long)n - 1 : c->idx - 1;
	cand = &c->l.v[c->idx];
	return complete_emit(c, c->start + c->ins_len, cand->s, cand->len,
			     cand->suffix, out);
}
