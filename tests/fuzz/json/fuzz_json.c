/*
 * fuzz_json.c: libFuzzer harness for the event writer. Any string gives a
 * line that is valid UTF-8 with no raw control, DEL, C1 or bidi control,
 * decodes back to the input when the input was valid, and any sequence of
 * writer calls either fails cleanly or gives balanced output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "ward.h"

#include "../sanitize/oracle.h"

/* Checks the raw line: UTF-8, safe, one '\n' at the very end. */
static void
check_raw(const char *line, size_t len)
{
	if (len < 3 || strlen(line) != len || line[0] != '{' ||
	    line[len - 2] != '}' || line[len - 1] != '\n')
		abort();
	if (!oracle_safe((const unsigned char *)line, len - 1, 0, 0))
		abort();
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	abort(); /* the writer only uses lower-case hex */
}

/* Appends the UTF-8 form of a BMP code point. */
static size_t
put_utf8(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (unsigned char)(0xe0 | (cp >> 12));
	o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Decodes the JSON string starting at *p (after its '"'); returns its
 * length in out (sized by the caller) and leaves *p after the '"'. */
static size_t
decode_string(const char **p, unsigned char *out)
{
	const char *s = *p;
	size_t n = 0;
	uint32_t cp;
	int i;

	for (;;) {
		if (*s == '"')
			break;
		if (*s == '\0')
			abort();
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		if (*s == '"' || *s == '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		if (*s != 'u')
			abort();
		s++;
		cp = 0;
		for (i = 0; i < 4; i++)
			cp = (cp << 4) | (uint32_t)hexval(*s++);
		if (cp >= 0xd800 && cp <= 0xdfff)
			abort();
		/* Only what must be escaped is escaped (controls, bidi,
		 * and since msg-hist the invisible ones too). */
		if (!oracle_unsafe(cp) && !oracle_invisible(cp) &&
		    cp != 0xfffd)
			abort();
		n += put_utf8(out + n, cp);
	}
	*p = s + 1;
	return n;
}

/* {"v":<data>}: the value round-trips. */
static void
fuzz_value(const uint8_t *data, size_t size)
{
	struct json j;
	unsigned char *dec;
	const char *p;
	size_t len, n;
	char *line;

	json_begin(&j);
	json_strn(&j, "v", (const char *)data, size);
	line = json_end(&j, &len);
	if (line == NULL) {
		if (json_error(&j) != WARD_ERR_LIMIT)
			abort();
		return;
	}
	check_raw(line, len);
	if (strncmp(line, "{\"v\":\"", 6) != 0)
		abort();
	if ((dec = malloc(len)) == NULL)
		abort();
	p = line + 6;
	n = decode_string(&p, dec);
	if (strcmp(p, "}\n") != 0)
		abort();
	if (!oracle_valid(dec, n))
		abort();
	if (oracle_valid(data, size) &&
	    (n != size || memcmp(dec, data, size) != 0))
		abort();
	free(dec);
	free(line);
}

/* Bytes as writer calls; the stack mirrors what the writer should track. */
static void
fuzz_calls(const uint8_t *data, size_t size)
{
	unsigned char stack[64]; /* 1 = array */
	int depth = 1, ok = 1, in_str = 0, esc = 0, level = 0;
	struct json j;
	size_t i, len, k;
	char key[2] = {'k', '\0'};
	const char *kp;
	char *line;

	json_begin(&j);
	stack[0] = 0;
	for (i = 0; i < size; i++) {
		uint8_t op = data[i] & 7, wrong = data[i] & 0x80;
		int arr = stack[depth - 1];

		kp = arr ? NULL : key;
		if (wrong) /* a deliberately misplaced key */
			kp = arr ? key : NULL;
		switch (op) {
		case 0:
			k = (size_t)(data[i] >> 3) & 0x7;
			if (k > size - i - 1)
				k = size - i - 1;
			json_strn(&j, kp, (const char *)data + i + 1, k);
			i += k;
			break;
		case 1:
			json_int(&j, kp, (long long)data[i] - 100);
			break;
		case 2:
			json_bool(&j, kp, data[i] & 8);
			break;
		case 3:
		case 5:
			if (op == 3)
				json_obj_open(&j, kp);
			else
				json_arr_open(&j, kp);
			if (!wrong && depth < JSON_MAX_DEPTH)
				stack[depth++] = op == 5;
			else
				ok = 0;
			break;
		case 4:
			json_obj_close(&j);
			if (depth > 1 && !stack[depth - 1])
				depth--;
			else
				ok = 0;
			break;
		case 6:
			json_arr_close(&j);
			if (depth > 1 && stack[depth - 1])
				depth--;
			else
				ok = 0;
			break;
		case 7:
			json_null(&j, kp);
			break;
		}
		if (wrong && op != 4 && op != 6)
			ok = 0;
		if (!ok)
			break;
	}
	if (ok && json_error(&j) != WARD_OK)
		abort(); /* the writer refused a valid sequence */
	if (!ok && json_error(&j) == WARD_OK)
		abort(); /* ... or accepted an invalid one */
	line = json_end(&j, &len);
	if ((line != NULL) != (ok && depth == 1))
		abort();
	if (line == NULL)
		return;
	check_raw(line, len);
	/* Brackets balance outside strings. */
	for (i = 0; i < len; i++) {
		char c = line[i];

		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			level++;
		else if (c == '}' || c == ']')
			if (--level < 0)
				abort();
	}
	if (level != 0 || in_str)
		abort();
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_value(data, size);
	fuzz_calls(data, size);
	return 0;
}
