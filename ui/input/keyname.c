/*
 * keyname.c: canonical key names ("M-C-x", "S-Tab", "PgUp") to and from
 * struct keydec_key, for ward.conf [keys] lines and the key overlay.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "input/keyname.h"
#include "text/width.h"

static const struct {
	const char *name;
	uint32_t code;
} keyname_table[] = {
    {"Enter", KEYDEC_ENTER},
    {"Tab", KEYDEC_TAB},
    {"BSpace", KEYDEC_BSPACE},
    {"Esc", KEYDEC_ESC},
    {"Up", KEYDEC_UP},
    {"Down", KEYDEC_DOWN},
    {"Left", KEYDEC_LEFT},
    {"Right", KEYDEC_RIGHT},
    {"Home", KEYDEC_HOME},
    {"End", KEYDEC_END},
    {"PgUp", KEYDEC_PGUP},
    {"PgDn", KEYDEC_PGDN},
    {"Ins", KEYDEC_INS},
    {"Del", KEYDEC_DEL},
    {"WheelUp", KEYDEC_WHEEL_UP},
    {"WheelDown", KEYDEC_WHEEL_DOWN},
    {"Space", ' '},
    /* Aliases accepted when parsing (after the canonical names). */
    {"Return", KEYDEC_ENTER},
    {"Backspace", KEYDEC_BSPACE},
    {"Escape", KEYDEC_ESC},
    {"Delete", KEYDEC_DEL},
    {"Insert", KEYDEC_INS},
    {"PageUp", KEYDEC_PGUP},
    {"PageDown", KEYDEC_PGDN},
};

/* A code point a key may be: printable, not a control or surrogate. */
static int
keyname_printable(uint32_t cp)
{
	return cp > 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
	       !(cp >= 0xd800 && cp <= 0xdfff) && cp <= 0x10ffff;
}

size_t
keyname_format(const struct keydec_key *key, char *out, size_t size)
{
	char name[8];
	const char *base = NULL;
	int n;

	if (size > 0)
		out[0] = '\0';
	if (key->code >= KEYDEC_F1 && key->code <= KEYDEC_F12) {
		snprintf(name, sizeof(name), "F%u",
			 (unsigned)(key->code - KEYDEC_F1 + 1));
		base = name;
	} else {
		for (size_t i = 0;
		     i < sizeof(keyname_table) / sizeof(keyname_table[0]);
		     i++) {
			if (keyname_table[i].code == key->code) {
				base = keyname_table[i].name;
				break;
			}
		}
	}
	if (base == NULL) {
		if (!keyname_printable(key->code))
			return 0;
		name[uw_encode(key->code, name)] = '\0';
		base = name;
	}
	n = snprintf(out, size, "%s%s%s%s",
		     (key->mods & KEYDEC_MOD_META) ? "M-" : "",
		     (key->mods & KEYDEC_MOD_CTRL) ? "C-" : "",
		     (key->mods & KEYDEC_MOD_SHIFT) ? "S-" : "", base);
	if (n < 0 || (size_t)n >= size) {
		if (size > 0)
			out[0] = '\0';
		return 0;
	}
	return (size_t)n;
}

int
keyname_parse(const char *name, struct keydec_key *out)
{
	const char *s = name;
	size_t len;
	uint32_t cp;

	memset(out, 0, sizeof(*out));
	while (s[0] != '\0' && s[1] == '-' && s[2] != '\0') {
		switch (s[0]) {
		case 'c':
		case 'C':
			out->mods |= KEYDEC_MOD_CTRL;
			break;
		case 'm':
		case 'M':
		case 'a':
		case 'A':
			out->mods |= KEYDEC_MOD_META;
			break;
		case 's':
		case 'S':
			out->mods |= KEYDEC_MOD_SHIFT;
			break;
		default:
			goto fail;
		}
		s += 2;
	}
	len = strlen(s);
	if (len == 0)
		goto fail;
	if ((s[0] == 'F' || s[0] == 'f') && len >= 2 && len <= 3 &&
	    strspn(s + 1, "0123456789") == len - 1 && s[1] != '0') {
		int n = s[1] - '0';

		if (len == 3)
			n = n * 10 + (s[2] - '0');
		if (n < 1 || n > 12)
			goto fail;
		out->code = KEYDEC_F1 + (uint32_t)n - 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof(keyname_table) / sizeof(keyname_table[0]);
	     i++) {
		if (strcasecmp(s, keyname_table[i].name) == 0) {
			out->code = keyname_table[i].code;
			if (out->code == ' ' && (out->mods & KEYDEC_MOD_SHIFT))
				goto fail;
			return 0;
		}
	}
	/* One printable character. */
	if (uw_decode(s, len, &cp) != len || cp == UW_INVALID ||
	    !keyname_printable(cp) || (out->mods & KEYDEC_MOD_SHIFT))
		goto fail;
	if (out->mods & KEYDEC_MOD_CTRL) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		switch (cp) {
		case '/':
			cp = '_';
			break;
		case '@':
			cp = ' ';
			break;
		case 'i':
			cp = KEYDEC_TAB;
			break;
		case 'm':
		case 'j':
			cp = KEYDEC_ENTER;
			break;
		case '[':
			cp = KEYDEC_ESC;
			break;
		default:
			break;
		}
		if (cp >= KEYDEC_ENTER)
			out->mods &= ~(unsigned)KEYDEC_MOD_CTRL;
	}
	out->code = cp;
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -1;
}
