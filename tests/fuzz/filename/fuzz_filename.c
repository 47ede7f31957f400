/*
 * fuzz_filename.c: libFuzzer harness for the names of received files and
 * the aesgcm:// link parser. Whatever the link, the name is valid UTF-8 of
 * at most FILENAME_MAX_BYTES, not empty, with no '/', '\\', control, bidi
 * or ESC, and no leading '.' or '-'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aesgcm_file.h"
#include "filename.h"
#include "sanitize.h"
#include "ward.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *n, *https = NULL;
	struct aesgcm_key k;
	size_t i, len;
	uint32_t cp;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = filename_from_url(s);
	len = strlen(n);
	if (len == 0 || len > FILENAME_MAX_BYTES || n[0] == '.' || n[0] == '-')
		abort();
	for (i = 0; i < len;) {
		size_t step = sanitize_utf8_next((const unsigned char *)n + i,
						 len - i, &cp);
		if (cp == SANITIZE_BAD_UTF8 || cp == '/' || cp == '\\' ||
		    sanitize_is_control(cp) || sanitize_is_format(cp))
			abort();
		i += step;
	}
	free(n);
	if (aesgcm_link_parse(s, &https, &k) == WARD_OK) {
		if (strncmp(https, "https://", 8) != 0 || strchr(https, '#'))
			abort();
		free(https);
	}
	free(s);
	return 0;
}
