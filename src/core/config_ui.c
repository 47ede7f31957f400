/*
 * config_ui.c: ward.conf's [ui] section (theme, colours, bell, title,
 * pane, time_format) and its [keys] section ("KEY = ACTION" lines, kept in
 * order; the key and action names belong to the UI, which checks them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config_priv.h"
#include "ward.h"

static int
ui_set_str(char **dst, const char *v)
{
	char *s = strdup(v);

	if (s == NULL)
		return WARD_ERR_NOMEM;
	free(*dst);
	*dst = s;
	return WARD_OK;
}

static int
ui_word(const char *v, const char *const *words, char *why, const char *say)
{
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0)
			return WARD_OK;
	snprintf(why, CONFIG_WHY_MAX, "must be %s", say);
	return WARD_ERR_INVAL;
}

static int
ui_bool(const char *v, int *out, char *why)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0) {
		*out = 1;
		return WARD_OK;
	}
	if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0) {
		*out = 0;
		return WARD_OK;
	}
	snprintf(why, CONFIG_WHY_MAX, "must be yes or no");
	return WARD_ERR_INVAL;
}

int
config_set_ui_theme(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	static const char *const w[] = {"default", "dark",       "light",
					"mono",    "monochrome", NULL};

	(void)a;
	if (ui_word(v, w, why, "default, light or monochrome") != WARD_OK)
		return WARD_ERR_INVAL;
	return ui_set_str(&c->ui_theme, v);
}

int
config_set_ui_colours(struct config *c, struct account_config *a, const char *v,
		      char *why)
{
	static const char *const w[] = {"auto", "none",      "16",
					"256",  "truecolor", NULL};

	(void)a;
	if (ui_word(v, w, why, "auto, none, 16, 256 or truecolor") != WARD_OK)
		return WARD_ERR_INVAL;
	return ui_set_str(&c->ui_colours, v);
}

int
config_set_ui_bell(struct config *c, struct account_config *a, const char *v,
		   char *why)
{
	(void)a;
	return ui_bool(v, &c->ui_bell, why);
}

int
config_set_ui_title(struct config *c, struct account_config *a, const char *v,
		    char *why)
{
	(void)a;
	return ui_bool(v, &c->ui_title, why);
}

int
config_set_ui_pane(struct config *c, struct account_config *a, const char *v,
		   char *why)
{
	(void)a;
	c->ui_pane_set = 1;
	return ui_bool(v, &c->ui_pane, why);
}

/* strftime conversions %H %M %S %I %p and the characters " :.-" only, at
 * most 16 bytes: the time column has a known width and nothing of the
 * locale's can reach the screen. */
int
config_set_ui_time_format(struct config *c, struct account_config *a,
			  const char *v, char *why)
{
	size_t i, n = strlen(v);

	(void)a;
	if (n > 16)
		goto bad;
	for (i = 0; i < n; i++) {
		if (v[i] == '%') {
			if (i + 1 >= n || strchr("HMSIp", v[i + 1]) == NULL)
				goto bad;
			i++;
		} else if (strchr(" :.-", v[i]) == NULL)
			goto bad;
	}
	return ui_set_str(&c->ui_time_format, v);
bad:
	snprintf(why, CONFIG_WHY_MAX,
		 "up to 16 bytes of %%H %%M %%S %%I %%p and \" :.-\"");
	return WARD_ERR_INVAL;
}

int
config_ui_defaults(struct config *c)
{
	c->ui_bell = 1;
	c->ui_title = 0;
	c->ui_pane = 1;
	if (ui_set_str(&c->ui_theme, "dark") != WARD_OK ||
	    ui_set_str(&c->ui_colours, "auto") != WARD_OK ||
	    ui_set_str(&c->ui_time_format, "%H:%M") != WARD_OK)
		return WARD_ERR_NOMEM;
	return WARD_OK;
}

void
config_ui_free(struct config *c)
{
	size_t i;

	free(c->ui_theme);
	free(c->ui_colours);
	free(c->ui_time_format);
	for (i = 0; i < c->nkeys; i++) {
		free(c->keys[i].key);
		free(c->keys[i].action);
	}
	free(c->keys);
	c->keys = NULL;
	c->nkeys = 0;
}

/* A key or action name: 1-32 bytes of printable ASCII, no blank, '=',
 * '#' or quote. */
static int
ui_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '=' || s[i] == '#' ||
		    s[i] == '"' || s[i] == '\'')
			return 0;
	return 1;
}

int
config_keybind_add(struct config *c, unsigned line, const char *s, size_t len,
		   char *why)
{
	const char *eq = memchr(s, '=', len), *v;
	size_t kl, vl, i;
	struct config_keybind *n;

	if (eq == NULL) {
		snprintf(why, CONFIG_WHY_MAX, "expected KEY = ACTION");
		return WARD_ERR_INVAL;
	}
	for (kl = (size_t)(eq - s);
	     kl > 0 && (s[kl - 1] == ' ' || s[kl - 1] == '\t');)
		kl--;
	v = eq + 1;
	vl = len - (size_t)(v - s);
	while (vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	if (!ui_name(s, kl) || !ui_name(v, vl)) {
		snprintf(why, CONFIG_WHY_MAX,
			 "KEY and ACTION are names like M-Left and "
			 "next_window");
		return WARD_ERR_INVAL;
	}
	for (i = 0; i < c->nkeys; i++)
		if (strlen(c->keys[i].key) == kl &&
		    memcmp(c->keys[i].key, s, kl) == 0) {
			snprintf(why, CONFIG_WHY_MAX,
				 "%.*s: duplicate (first bound on line %u)",
				 (int)kl, s, c->keys[i].line);
			return WARD_ERR_INVAL;
		}
	if (c->nkeys >= CONFIG_KEYS_MAX) {
		snprintf(why, CONFIG_WHY_MAX, "more than %d bindings",
			 CONFIG_KEYS_MAX);
		return WARD_ERR_INVAL;
	}
	if ((n = realloc(c->keys, (c->nkeys + 1) * sizeof(*n))) == NULL)
		return WARD_ERR_NOMEM;
	c->keys = n;
	n[c->nkeys].line = line;
	n[c->nkeys].key = strndup(s, kl);
	n[c->nkeys].action = strndup(v, vl);
	if (n[c->nkeys].key == NULL || n[c->nkeys].action == NULL) {
		free(n[c->nkeys].key);
		free(n[c->nkeys].action);
		return WARD_ERR_NOMEM;
	}
	c->nkeys++;
	return WARD_OK;
}

int
config_ui_dump(struct wbuf *b, const struct config *c)
{
	char line[128];
	size_t i;
	int r;

	snprintf(line, sizeof(line),
		 "\n[ui]\ntheme = %s\ncolours = %s\nbell = %s\ntitle = %s\n"
		 "pane = %s\n",
		 c->ui_theme, c->ui_colours, c->ui_bell ? "yes" : "no",
		 c->ui_title ? "yes" : "no", c->ui_pane ? "yes" : "no");
	if ((r = wbuf_puts(b, line)) != WARD_OK)
		return r;
	snprintf(line, sizeof(line), "time_format = \"%s\"\n",
		 c->ui_time_format);
	if ((r = wbuf_puts(b, line)) != WARD_OK)
		return r;
	if (c->nkeys > 0 && (r = wbuf_puts(b, "\n[keys]\n")) != WARD_OK)
		return r;
	for (i = 0; i < c->nkeys; i++) {
		snprintf(line, sizeof(line), "%s = %s\n", c->keys[i].key,
			 c->keys[i].action);
		if ((r = wbuf_puts(b, line)) != WARD_OK)
			return r;
	}
	return WARD_OK;
}

static int
ui_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
config_ui_equal(const struct config *a, const struct config *b)
{
	size_t i;

	if (!ui_streq(a->ui_theme, b->ui_theme) ||
	    !ui_streq(a->ui_colours, b->ui_colours) ||
	    !ui_streq(a->ui_time_format, b->ui_time_format) ||
	    a->ui_bell != b->ui_bell || a->ui_title != b->ui_title ||
	    a->ui_pane != b->ui_pane || a->nkeys != b->nkeys)
		return 0;
	for (i = 0; i < a->nkeys; i++)
		if (!ui_streq(a->keys[i].key, b->keys[i].key) ||
		    !ui_streq(a->keys[i].action, b->keys[i].action))
			return 0;
	return 1;
}
