/*
 * curl_lib.h: libcurl, loaded with dlopen the first time ward transfers a
 * file or reads a link's address. It is not linked: its dependencies
 * (GnuTLS, Kerberos, LDAP, SASL, SSH, RTMP: 28 libraries) would otherwise
 * be mapped, relocated and resident in every ward from its first
 * instruction, for a feature most sessions never use.
 */
#ifndef WARD_CURL_LIB_H
#define WARD_CURL_LIB_H

#include <curl/curl.h>

/* Only the calls ward makes. */
struct curl_lib {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_multi_init) *multi_init;
	__typeof__(curl_multi_setopt) *multi_setopt;
	__typeof__(curl_multi_add_handle) *multi_add_handle;
	__typeof__(curl_multi_remove_handle) *multi_remove_handle;
	__typeof__(curl_multi_assign) *multi_assign;
	__typeof__(curl_multi_socket_action) *multi_socket_action;
	__typeof__(curl_multi_info_read) *multi_info_read;
	__typeof__(curl_multi_cleanup) *multi_cleanup;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_url) *url;
	__typeof__(curl_url_set) *url_set;
	__typeof__(curl_url_get) *url_get;
	__typeof__(curl_url_cleanup) *url_cleanup;
	__typeof__(curl_free) *free;
};

/*
 * libcurl's calls, loaded and curl_global_init'ed on the first call (it
 * stays loaded). NULL when it cannot be: *why then says so in words
 * (which library is missing and the Debian package that has it).
 */
const struct curl_lib *curl_lib_get(const char **why);

#endif
