/*
 * apply_edit.c: corrections, retractions, reactions and replies in the
 * model. A line's text is composed of up to three parts, one per line of
 * text: the quoted line of a reply (LF_QUOTE), the body, the reactions
 * (LF_REACT); an edit replaces the body, a retraction the whole text with
 * ward's own tombstone (LF_RETRACTED), and the view draws the marks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "model/apply_priv.h"
#include "model/model.h"

/* How far back a change looks for its message among the lines held. */
#define EDIT_FIND_LIMIT 4096

struct parts {
	const char *quote, *body, *react;
	size_t qlen, blen, rlen;
};

/* Splits the text of L into its parts. */
static void
split(const struct line *l, const char *text, struct parts *p)
{
	const char *end = text + l->len, *nl;

	memset(p, 0, sizeof(*p));
	p->body = text;
	if ((l->flags & LF_QUOTE) &&
	    (nl = memchr(text, '\n', l->len)) != NULL) {
		p->quote = text;
		p->qlen = (size_t)(nl - text);
		p->body = nl + 1;
	}
	p->blen = (size_t)(end - p->body);
	if (l->flags & LF_REACT) {
		for (nl = end; nl > p->body && nl[-1] != '\n'; nl--)
			;
		if (nl > p->body) {
			p->react = nl;
			p->rlen = (size_t)(end - nl);
			p->blen = (size_t)(nl - 1 - p->body);
		}
	}
}

/* Writes the parts back as the text of line SEQ and sets the flags. */
static void
compose(struct uiwin *w, uint64_t seq, struct line *l, const struct parts *p)
{
	size_t n = p->qlen + p->blen + p->rlen + 3, o = 0;
	char *buf = malloc(n);

	if (buf == NULL)
		return;
	l->flags &= (uint8_t) ~(LF_QUOTE | LF_REACT);
	if (p->quote != NULL) {
		memcpy(buf, p->quote, p->qlen);
		o = p->qlen;
		buf[o++] = '\n';
		l->flags |= LF_QUOTE;
	}
	memcpy(buf + o, p->body, p->blen);
	o += p->blen;
	if (p->react != NULL && p->rlen > 0) {
		buf[o++] = '\n';
		memcpy(buf + o, p->react, p->rlen);
		o += p->rlen;
		l->flags |= LF_REACT;
	}
	lstore_set_text(w->lines, seq, buf, o);
	free(buf);
}

/* The line of the event's message, or NULL. */
static struct line *
find(struct model *m, const struct event *ev, struct uiwin **w, uint64_t *seq,
     const char **text)
{
	const char *with = model_field(ev, "with"), *id = model_field(ev, "id");

	if (with == NULL || id == NULL)
		return NULL;
	*w = model_window_for(m, ev->account, with, 0, 0);
	if (*w == NULL ||
	    (*seq = lstore_find_id((*w)->lines, id, EDIT_FIND_LIMIT)) == 0)
		return NULL;
	return lstore_get((*w)->lines, *seq, text);
}

static void
changed(struct model *m, struct uiwin *w)
{
	if (winlist_current(&m->wl) == w)
		m->dirty |= MD_CHAT;
}

const char *
model_line_body(const struct line *l, const char *text, size_t *len)
{
	struct parts p;

	split(l, text, &p);
	*len = p.blen;
	return p.body;
}

void
model_edited(struct model *m, const struct event *ev)
{
	const char *text, *body = model_field(ev, "body");
	struct uiwin *w;
	uint64_t seq;
	struct line *l = find(m, ev, &w, &seq, &text);
	struct parts p;
	char *q = NULL, *r = NULL;

	if (l == NULL || body == NULL || (l->flags & LF_RETRACTED))
		return;
	split(l, text, &p);
	/* copies: the parts point into the store that compose rewrites */
	if (p.quote && (q = strndup(p.quote, p.qlen)) == NULL)
		return;
	if (p.react && (r = strndup(p.react, p.rlen)) == NULL) {
		free(q);
		return;
	}
	p.quote = q;
	p.react = r;
	if (l->kind == LK_ME || strncmp(body, "/me ", 4) == 0) {
		l->kind = strncmp(body, "/me ", 4) == 0 ? LK_ME : LK_MSG;
		if (l->kind == LK_ME)
			body += 4;
	}
	p.body = body;
	p.blen = strlen(body);
	l->flags |= LF_EDITED;
	compose(w, seq, l, &p);
	free(q);
	free(r);
	changed(m, w);
}

void
model_retracted(struct model *m, const struct event *ev)
{
	static const char tomb[] = "(message retracted)";
	const char *text;
	struct uiwin *w;
	uint64_t seq;
	struct line *l = find(m, ev, &w, &seq, &text);

	if (l == NULL)
		return;
	l->flags = (uint8_t)((l->flags | LF_RETRACTED) &
			     ~(LF_QUOTE | LF_REACT | LF_EDITED));
	l->kind = LK_MSG;
	lstore_set_text(w->lines, seq, tomb, sizeof(tomb) - 1);
	changed(m, w);
}

void
model_reactions(struct model *m, const struct event *ev)
{
	const char *text, *sum = model_field(ev, "reactions");
	struct uiwin *w;
	uint64_t seq;
	struct line *l = find(m, ev, &w, &seq, &text);
	struct parts p;
	char *copy, *q = NULL;

	if (l == NULL || sum == NULL || (l->flags & LF_RETRACTED))
		return;
	split(l, text, &p);
	if ((copy = strndup(p.body, p.blen)) == NULL)
		return;
	if (p.quote && (q = strndup(p.quote, p.qlen)) == NULL) {
		free(copy);
		return;
	}
	p.quote = q;
	p.body = copy;
	p.react = sum[0] ? sum : NULL;
	p.rlen = strcspn(sum, "\n");
	compose(w, seq, l, &p);
	free(copy);
	free(q);
	changed(m, w);
}

void
model_version(struct model *m, const struct event *ev)
{
	const char *with = model_field(ev, "with"),
		   *body = model_field(ev, "body");
	struct uiwin *w = model_window_for(m, ev->account, with, 0, 0);
	char *line;

	if (body == NULL)
		return;
	if (asprintf(&line, "%s: %s",
		     model_field_bool(ev, "current") ? "now" : "earlier",
		     body) < 0)
		return;
	model_note(m, w, LK_INFO, line);
	free(line);
}

char *
model_with_quote(const char *quote, const char *body, uint8_t *flags)
{
	char *out;

	if (quote == NULL || quote[0] == '\0' || strchr(quote, '\n') != NULL)
		return NULL;
	if (asprintf(&out, "> %s\n%s", quote, body) < 0)
		return NULL;
	*flags |= LF_QUOTE;
	return out;
}
