/*
 * filename.c: the local name of a received file (filename.h). Nothing from
 * the network decides where a file goes or what it may overwrite.
 */
#include "filename.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "buf.h"
#include "sanitize.h"
#include "ward.h"

/* Zero-width and invisible code points that make two names look alike. */
static int
filename_invisible(uint32_t cp)
{
	return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
	       cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x180E ||
	       cp == 0x034F;
}

/* Appends cp as UTF-8. */
static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *
filename_sanitize(const char *name, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	char *out = xmalloc(FILENAME_MAX_BYTES + 1);
	size_t i = 0, o = 0, n;
	uint32_t cp;

	while (i < len) {
		char enc[4];
		size_t k;

		n = sanitize_utf8_next(s + i, len - i, &cp);
		i += n;
		if (cp == SANITIZE_BAD_UTF8 || cp == 0xFFFD)
			cp = '_';
		else if (cp == '/' || cp == '\\' || sanitize_is_control(cp) ||
			 sanitize_is_format(cp) ||
			 (cp >= 0xFFF9 && cp <= 0xFFFB))
			cp = '_';
		else if (filename_invisible(cp))
			continue;
		else if (cp == ':' || cp == '*' || cp == '?' || cp == '"' ||
			 cp == '<' || cp == '>' || cp == '|')
			cp = '_'; /* harmless here, trouble when copied */
		k = put_utf8(enc, cp);
		if (o + k > FILENAME_MAX_BYTES)
			break; /* cut at a whole character */
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
	/* no leading dot (hidden file, "." and ".."), no leading '-' (an
	 * option to the next command), no leading or trailing space */
	for (i = 0; out[i] == '.' || out[i] == '-' || out[i] == ' '; i++)
		;
	memmove(out, out + i, o - i + 1);
	o -= i;
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '.'))
		out[--o] = '\0';
	if (o == 0) {
		free(out);
		return xstrdup("download");
	}
	return out;
}

char *
filename_from_url(const char *url)
{
	const char *p = url, *end, *seg;
	char *dec, *res;
	size_t n = 0;

	/* past "scheme://authority" */
	if ((p = strstr(url, "://")) != NULL) {
		p += 3;
		p += strcspn(p, "/?#");
	} else
		p = url;
	end = p + strcspn(p, "?#");
	seg = end;
	while (seg > p && seg[-1] != '/')
		seg--;
	dec = xmalloc((size_t)(end - seg) + 1);
	while (seg < end) {
		if (seg[0] == '%' && end - seg >= 3 &&
		    hex_digit((unsigned char)seg[1]) >= 0 &&
		    hex_digit((unsigned char)seg[2]) >= 0) {
			dec[n++] =
			    (char)(hex_digit((unsigned char)seg[1]) * 16 +
				   hex_digit((unsigned char)seg[2]));
			seg += 3;
		} else
			dec[n++] = *seg++;
	}
	res = filename_sanitize(dec, n);
	free(dec);
	return res;
}

/* "NAME (k)" with the number before the extension, when there is one. */
static char *
numbered(const char *name, unsigned k)
{
	const char *dot = strrchr(name, '.');
	char *s;

	if (dot == NULL || dot == name)
		xasprintf(&s, "%s (%u)", name, k);
	else
		xasprintf(&s, "%.*s (%u)%s", (int)(dot - name), name, k, dot);
	return s;
}

int
filename_commit(int dirfd, const char *tmp, const char *name, char **final)
{
	unsigned k;

	*final = NULL;
	for (k = 1; k < 1000; k++) {
		char *try = k == 1 ? xstrdup(name) : numbered(name, k);

		/* linkat never replaces: EEXIST means taken */
		if (linkat(dirfd, tmp, dirfd, try, 0) == 0) {
			unlinkat(dirfd, tmp, 0);
			*final = try;
			return WARD_OK;
		}
		free(try);
		if (errno != EEXIST)
			return WARD_ERR_SYSTEM;
	}
	errno = EEXIST;
	return WARD_ERR_LIMIT;
}

int
filename_tmp(int dirfd, char *name, size_t size)
{
	unsigned char r[8];
	int i, fd;

	for (i = 0; i < 16; i++) {
		if (size < 40 || getrandom(r, sizeof(r), 0) != sizeof(r))
			return -1;
		snprintf(name, size,
			 ".ward-part-%02x%02x%02x%02x%02x%02x%02x%02x", r[0],
			 r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
		fd = openat(dirfd, name,
			    O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}
