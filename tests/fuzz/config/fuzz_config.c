/*
 * fuzz_config.c: libFuzzer harness for config_parse_buffer(). Whatever
 * parses must dump (with secrets) to text that reparses to an equal config.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ward.h"
#include "src/core/config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *c = NULL, *again = NULL;
	char *errors = NULL, *dump, *e2 = NULL;
	int r;

	r = config_parse_buffer("fuzz", (const char *)data, size, &c, &errors);
	if (r != WARD_OK) {
		if (errors == NULL || c != NULL)
			abort(); /* failure always explains itself */
		free(errors);
		return 0;
	}
	if (errors != NULL || c == NULL || c->accounts == NULL)
		abort();
	if ((dump = config_dump(c, 1)) == NULL)
		abort();
	if (config_parse_buffer("dump", dump, strlen(dump), &again, &e2) !=
		WARD_OK ||
	    !config_equal(c, again))
		abort();
	config_free(again);
	freezero_str(dump);
	config_free(c);
	return 0;
}
