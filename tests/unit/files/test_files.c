/*
 * test_files.c: names of received files (filename.c) never leave their
 * directory, hide, or carry controls; collisions are numbered and nothing
 * is replaced; aesgcm:// links (XEP-0454) split into an https URL and a
 * key, and a file encrypted with a key decrypts only with it, unaltered;
 * the https-only URL check (http.c) refuses every other scheme; the links
 * of our own uploads kept for XEP-0066 (upload.c) are bounded.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aesgcm_file.h"
#include "core.h"
#include "filename.h"
#include "files.h"
#include "files_priv.h"
#include "http.h"
#include "ward.h"

static void
name_is(const char *url, const char *want)
{
	char *n = filename_from_url(url);

	assert_string_equal(n, want);
	free(n);
}

static void
test_names_from_links(void **state)
{
	(void)state;
	name_is("https://h.example/a/b/report.pdf", "report.pdf");
	name_is("https://h.example/a/report.pdf?x=1#frag", "report.pdf");
	name_is("https://h.example/..%2F..%2Fetc%2Fpasswd", "_.._etc_passwd");
	name_is("https://h.example/%2e%2e", "download");
	name_is("https://h.example/", "download");
	name_is("https://h.example", "download");
	name_is("https://h.example/.bashrc", "bashrc");
	name_is("https://h.example/-rf", "rf");
	name_is("https://h.example/a%E2%80%AEfdp.exe", "a_fdp.exe");
	name_is("https://h.example/x%1B%5B31m%0D%0A", "x_[31m__");
	name_is("https://h.example/z%E2%80%8Bw%00", "zw_");
	name_is("https://h.example/a%5Cb", "a_b");
	name_is("https://h.example/bad%ff%fe.txt", "bad__.txt");
	name_is("aesgcm://h.example/p/photo.jpg#00112233", "photo.jpg");
	name_is("https://h.example/%zz", "%zz");
}

static void
test_name_length_capped(void **state)
{
	char url[1200], *n;
	size_t i;

	(void)state;
	strcpy(url, "https://h.example/");
	for (i = 0; i < 300; i++)
		strcat(url, "\xc3\xa9"); /* é: two bytes each */
	n = filename_from_url(url);
	assert_true(strlen(n) <= FILENAME_MAX_BYTES);
	assert_int_equal(strlen(n) % 2, 0); /* cut at a whole character */
	free(n);
}

static void
test_commit_numbers_collisions(void **state)
{
	char dir[] = "/tmp/ward-files-test.XXXXXX", tmp[64], *fin = NULL;
	int dfd, fd, k;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	for (k = 1; k <= 3; k++) {
		fd = filename_tmp(dfd, tmp, sizeof(tmp));
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(write(fd, "x", 1), 1);
		close(fd);
		assert_int_equal(filename_commit(dfd, tmp, "a.txt", &fin),
				 WARD_OK);
		assert_string_equal(fin, k == 1   ? "a.txt"
					 : k == 2 ? "a (2).txt"
						  : "a (3).txt");
		assert_int_equal(faccessat(dfd, tmp, F_OK, 0), -1);
		free(fin);
	}
	unlinkat(dfd, "a.txt", 0);
	unlinkat(dfd, "a (2).txt", 0);
	unlinkat(dfd, "a (3).txt", 0);
	close(dfd);
	rmdir(dir);
}

static void
test_aesgcm_links(void **state)
{
	struct aesgcm_key k;
	char *https = NULL, *link;
	char hex[97];
	int i;

	(void)state;
	for (i = 0; i < 88; i++)
		hex[i] = "0123456789abcdef"[i % 16];
	hex[88] = '\0';
	xasprintf(&link, "aesgcm://h.example:8443/p/f.jpg#%s", hex);
	assert_int_equal(aesgcm_link_parse(link, &https, &k), WARD_OK);
	assert_string_equal(https, "https://h.example:8443/p/f.jpg");
	assert_int_equal(k.ivlen, 12);
	assert_int_equal(k.iv[0], 0x01);
	free(https);
	free(link);
	/* round trip */
	link = aesgcm_link_make("https://h.example/x", &k);
	assert_int_equal(aesgcm_link_parse(link, &https, NULL), WARD_OK);
	assert_string_equal(https, "https://h.example/x");
	free(https);
	free(link);
	/* refused: no key, short key, not hex, another scheme */
	assert_int_not_equal(aesgcm_link_parse("aesgcm://h/x", &https, &k),
			     WARD_OK);
	assert_int_not_equal(aesgcm_link_parse("aesgcm://h/x#0011", &https, &k),
			     WARD_OK);
	hex[3] = 'g';
	xasprintf(&link, "aesgcm://h/x#%s", hex);
	assert_int_not_equal(aesgcm_link_parse(link, &https, &k), WARD_OK);
	free(link);
	assert_int_not_equal(aesgcm_link_parse("https://h/x#00", &https, &k),
			     WARD_OK);
}

static int
tmpfile_with(const void *data, size_t n)
{
	char path[] = "/tmp/ward-aesgcm.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void
test_aesgcm_round_trip_and_tamper(void **state)
{
	struct aesgcm_key k, other;
	char plain[200000], back[200001];
	int in, enc, dec, bad;
	const char *why;
	ssize_t n;
	unsigned char byte;

	(void)state;
	memset(plain, 'p', sizeof(plain));
	assert_int_equal(aesgcm_key_new(&k), WARD_OK);
	assert_int_equal(aesgcm_key_new(&other), WARD_OK);
	in = tmpfile_with(plain, sizeof(plain));
	enc = tmpfile_with("", 0);
	assert_int_equal(aesgcm_encrypt_fd(in, enc, &k, &why), WARD_OK);
	assert_int_equal(lseek(enc, 0, SEEK_END), sizeof(plain) + 16);
	lseek(enc, 0, SEEK_SET);
	dec = tmpfile_with("", 0);
	assert_int_equal(aesgcm_decrypt_fd(enc, dec, &k, &why), WARD_OK);
	lseek(dec, 0, SEEK_SET);
	n = read(dec, back, sizeof(back));
	assert_int_equal(n, sizeof(plain));
	assert_memory_equal(back, plain, sizeof(plain));
	/* the wrong key */
	lseek(enc, 0, SEEK_SET);
	bad = tmpfile_with("", 0);
	assert_int_not_equal(aesgcm_decrypt_fd(enc, bad, &other, &why),
			     WARD_OK);
	assert_non_null(why);
	close(bad);
	/* one flipped bit */
	assert_int_equal(pread(enc, &byte, 1, 1000), 1);
	byte ^= 0x10;
	assert_int_equal(pwrite(enc, &byte, 1, 1000), 1);
	lseek(enc, 0, SEEK_SET);
	bad = tmpfile_with("", 0);
	assert_int_not_equal(aesgcm_decrypt_fd(enc, bad, &k, &why), WARD_OK);
	close(bad);
	/* shorter than a tag */
	close(enc);
	enc = tmpfile_with("short", 5);
	bad = tmpfile_with("", 0);
	assert_int_not_equal(aesgcm_decrypt_fd(enc, bad, &k, &why), WARD_OK);
	close(bad);
	close(enc);
	close(dec);
	close(in);
}

static void
test_https_only(void **state)
{
	char *host = NULL;
	unsigned port = 0;
	const char *why;

	(void)state;
	assert_int_equal(http_url_target("https://Files.Example:8443/a?b",
					 &host, &port, &why),
			 WARD_OK);
	assert_string_equal(host, "files.example");
	assert_int_equal(port, 8443);
	free(host);
	assert_int_equal(http_url_target("https://[::1]/x", &host, &port, &why),
			 WARD_OK);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 443);
	free(host);
	assert_int_equal(http_url_target("http://h/x", &host, &port, &why),
			 WARD_ERR_POLICY);
	assert_null(host);
	assert_int_equal(
	    http_url_target("file:///etc/passwd", &host, &port, &why),
	    WARD_ERR_POLICY);
	assert_int_equal(http_url_target("HTTPS://u:p@h/x", &host, &port, &why),
			 WARD_ERR_POLICY);
	assert_int_not_equal(http_url_target("https://", &host, &port, &why),
			     WARD_OK);
	assert_int_not_equal(http_url_target("not a url", &host, &port, &why),
			     WARD_OK);
}

/* A long session's uploads: the newest FILES_SENT_LINKS_MAX links are
 * known as ours (their messages get XEP-0066 data), older ones are
 * forgotten, and the list never grows past the bound. */
static void
test_upload_links_bounded(void **state)
{
	struct ward w;
	char url[64];
	int i, n = FILES_SENT_LINKS_MAX * 3 + 5;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(files_link_is_ours(&w, "https://h/none"), 0);
	for (i = 0; i < n; i++) {
		snprintf(url, sizeof(url), "https://up.example/%d/f.jpg", i);
		files_link_remember(files_get(&w), url);
		assert_true(w.files->nsent_links <= FILES_SENT_LINKS_MAX);
		assert_int_equal(files_link_is_ours(&w, url), 1);
	}
	assert_int_equal(w.files->nsent_links, FILES_SENT_LINKS_MAX);
	for (i = 0; i < n; i++) {
		snprintf(url, sizeof(url), "https://up.example/%d/f.jpg", i);
		assert_int_equal(files_link_is_ours(&w, url),
				 i >= n - FILES_SENT_LINKS_MAX);
	}
	assert_int_equal(files_link_is_ours(&w, "https://up.example/"), 0);
	assert_int_equal(files_link_is_ours(&w, NULL), 0);
	files_free(&w);
	assert_null(w.files);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_from_links),
	    cmocka_unit_test(test_name_length_capped),
	    cmocka_unit_test(test_commit_numbers_collisions),
	    cmocka_unit_test(test_aesgcm_links),
	    cmocka_unit_test(test_aesgcm_round_trip_and_tamper),
	    cmocka_unit_test(test_https_only),
	    cmocka_unit_test(test_upload_links_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
