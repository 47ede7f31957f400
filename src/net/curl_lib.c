/*
 * curl_lib.c: loads libcurl by its SONAME (configure finds it, as it does
 * libunbound's) on first use and looks up the calls ward makes. RTLD_NOW:
 * every symbol is bound at load, as -z now binds ward's own.
 */
#include "curl_lib.h"

#include <dlfcn.h>
#include <stddef.h>

#include "ward-config.h"

static struct curl_lib lib;
static int lib_state; /* 0 not tried, 1 loaded, -1 failed */
static const char *lib_why;

static int
curl_lib_load(void)
{
	void *h;

	h = dlopen(WARD_CURL_LIB, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		lib_why =
		    "cannot load " WARD_CURL_LIB " (Debian package libcurl4)";
		return -1;
	}
#define CURL_SYM(f, name)                                                      \
	do {                                                                   \
		if ((*(void **)&lib.f = dlsym(h, name)) == NULL) {             \
			lib_why = WARD_CURL_LIB " lacks " name;                \
			return -1;                                             \
		}                                                              \
	} while (0)
	CURL_SYM(global_init, "curl_global_init");
	CURL_SYM(easy_init, "curl_easy_init");
	CURL_SYM(easy_setopt, "curl_easy_setopt");
	CURL_SYM(easy_getinfo, "curl_easy_getinfo");
	CURL_SYM(easy_cleanup, "curl_easy_cleanup");
	CURL_SYM(easy_strerror, "curl_easy_strerror");
	CURL_SYM(multi_init, "curl_multi_init");
	CURL_SYM(multi_setopt, "curl_multi_setopt");
	CURL_SYM(multi_add_handle, "curl_multi_add_handle");
	CURL_SYM(multi_remove_handle, "curl_multi_remove_handle");
	CURL_SYM(multi_assign, "curl_multi_assign");
	CURL_SYM(multi_socket_action, "curl_multi_socket_action");
	CURL_SYM(multi_info_read, "curl_multi_info_read");
	CURL_SYM(multi_cleanup, "curl_multi_cleanup");
	CURL_SYM(slist_append, "curl_slist_append");
	CURL_SYM(slist_free_all, "curl_slist_free_all");
	CURL_SYM(url, "curl_url");
	CURL_SYM(url_set, "curl_url_set");
	CURL_SYM(url_get, "curl_url_get");
	CURL_SYM(url_cleanup, "curl_url_cleanup");
	CURL_SYM(free, "curl_free");
#undef CURL_SYM
	if (lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		lib_why = "libcurl did not initialise";
		return -1;
	}
	return 0;
}

const struct curl_lib *
curl_lib_get(const char **why)
{
	if (lib_state == 0)
		lib_state = curl_lib_load() == 0 ? 1 : -1;
	if (lib_state < 0) {
		if (why != NULL)
			*why = lib_why;
		return NULL;
	}
	return &lib;
}
