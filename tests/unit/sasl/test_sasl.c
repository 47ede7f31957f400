/*
 * test_sasl.c: unit tests for src/xmpp/cbpin.c and the SASL parts of scram.c:
 * choice of mechanism and binding, the pin comparison in every dimension,
 * stored pin strings, GS2 headers and the XEP-0474 hash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ward.h"
#include "cbpin.h"
#include "scram.h"

/* An offer from a list of mechanism names and XEP-0440 types (NULL: no
 * <sasl-channel-binding/>). */
static struct cbpin_offer
offer(int tls13, const char *mechs, const char *types)
{
	struct cbpin_offer o;
	char buf[256], *tok, *save = NULL;

	memset(&o, 0, sizeof(o));
	o.tls13 = tls13;
	snprintf(buf, sizeof(buf), "%s", mechs);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		cbpin_offer_mech(&o, tok);
	if (types != NULL) {
		o.xep0440 = 1;
		snprintf(buf, sizeof(buf), "%s", types);
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save))
			cbpin_offer_cb(&o, tok);
	}
	return o;
}

static void
expect_choice(int tls13, const char *mechs, const char *types,
	      const char *mech, const char *cb)
{
	struct cbpin_offer o = offer(tls13, mechs, types);
	struct cbpin_choice c;

	assert_int_equal(cbpin_choose(&o, &c), WARD_OK);
	assert_string_equal(scram_mech_name(c.hash, c.plus), mech);
	assert_string_equal(cb_type_name(c.cb), cb);
}

static void
test_choose(void **state)
{
	struct cbpin_offer o;
	struct cbpin_choice c;

	(void)state;
	/* Prosody 13, TLS 1.3 and 1.2 */
	expect_choice(1, "SCRAM-SHA-1,SCRAM-SHA-1-PLUS,OAUTHBEARER,PLAIN",
		      "tls-exporter,tls-server-end-point", "SCRAM-SHA-1-PLUS",
		      "tls-exporter");
	expect_choice(0, "PLAIN,SCRAM-SHA-1-PLUS,SCRAM-SHA-1",
		      "tls-unique,tls-server-end-point", "SCRAM-SHA-1-PLUS",
		      "tls-server-end-point");
	/* Prosody 0.12: TLS 1.2 -PLUS without XEP-0440 is tls-unique */
	expect_choice(0, "SCRAM-SHA-1,SCRAM-SHA-1-PLUS,PLAIN", NULL,
		      "SCRAM-SHA-1-PLUS", "tls-unique");
	/* ... TLS 1.3: no -PLUS, plain SCRAM ("y") */
	expect_choice(1, "SCRAM-SHA-1,PLAIN", NULL, "SCRAM-SHA-1", "none");
	/* tls-unique advertised on 1.3 is skipped for end-point */
	expect_choice(1, "SCRAM-SHA-256-PLUS", "tls-unique,tls-server-end-point",
		      "SCRAM-SHA-256-PLUS", "tls-server-end-point");
	/* exporter is never taken below TLS 1.3 */
	expect_choice(0, "SCRAM-SHA-1-PLUS", "tls-exporter,tls-unique",
		      "SCRAM-SHA-1-PLUS", "tls-unique");
	/* the strongest hash with -PLUS; any -PLUS beats any plain SCRAM */
	expect_choice(1, "SCRAM-SHA-1-PLUS,SCRAM-SHA-512-PLUS,SCRAM-SHA-256",
		      "tls-exporter", "SCRAM-SHA-512-PLUS", "tls-exporter");
	expect_choice(1, "SCRAM-SHA-512,SCRAM-SHA-1-PLUS", "tls-exporter",
		      "SCRAM-SHA-1-PLUS", "tls-exporter");
	/* ejabberd 23.01 on TLS 1.3: -PLUS means tls-unique: refused */
	o = offer(1, "PLAIN,SCRAM-SHA-256-PLUS,SCRAM-SHA-256,X-OAUTH2", NULL);
	assert_int_equal(cbpin_choose(&o, &c), WARD_ERR_POLICY);
	/* only unknown binding types advertised */
	o = offer(1, "SCRAM-SHA-1-PLUS,SCRAM-SHA-1", "tls-foo");
	assert_int_equal(cbpin_choose(&o, &c), WARD_ERR_POLICY);
	/* no SCRAM at all */
	o = offer(1, "PLAIN,DIGEST-MD5,X-OAUTH2", NULL);
	assert_int_equal(cbpin_choose(&o, &c), WARD_ERR_NOTFOUND);
	assert_int_equal(cbpin_choose(NULL, &c), WARD_ERR_INVAL);
}

/* cbpin_weaker for pin (mech, cb, adv) against an offer. */
static int
weaker(const char *pmech, const char *pcb, const char *padv, int tls13,
       const char *mechs, const char *types, char *why, size_t whylen)
{
	struct cbpin_pin pin;
	struct cbpin_offer o = offer(tls13, mechs, types);
	struct cbpin_choice c;

	cbpin_pin_parse(pmech, pcb, padv, &pin);
	assert_int_equal(cbpin_choose(&o, &c), WARD_OK);
	return cbpin_weaker(&pin, &o, &c, why, whylen);
}

static void
test_weaker_order(void **state)
{
	char why[200];

	(void)state;
	/* nothing pinned: anything goes */
	assert_int_equal(weaker(NULL, NULL, NULL, 1, "SCRAM-SHA-1", NULL, why,
				sizeof(why)),
			 0);
	assert_string_equal(why, "");
	/* the same again, and stronger in any part: fine */
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-exporter",
				"tls-exporter,tls-server-end-point", 1,
				"SCRAM-SHA-1-PLUS",
				"tls-exporter,tls-server-end-point", why,
				sizeof(why)),
			 0);
	assert_int_equal(weaker("SCRAM-SHA-1", "none", "none", 1,
				"SCRAM-SHA-256-PLUS", "tls-server-end-point",
				why, sizeof(why)),
			 0);
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-unique", "none", 1,
				"SCRAM-SHA-1-PLUS", "tls-server-end-point",
				why, sizeof(why)),
			 0);
	/* -PLUS stripped */
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-exporter", NULL, 1,
				"SCRAM-SHA-1,SCRAM-SHA-256", NULL, why,
				sizeof(why)),
			 1);
	assert_non_null(strstr(why, "no longer offers channel binding"));
	/* binding order: exporter > server-end-point > unique */
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-exporter", NULL, 0,
				"SCRAM-SHA-1-PLUS", "tls-server-end-point",
				why, sizeof(why)),
			 1);
	assert_non_null(strstr(why, "weaker channel binding"));
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-server-end-point",
				NULL, 0, "SCRAM-SHA-1-PLUS", NULL, why,
				sizeof(why)),
			 1);
	/* hash order: SHA-512 > SHA-256 > SHA-1, -PLUS or not */
	assert_int_equal(weaker("SCRAM-SHA-256-PLUS", "tls-exporter", NULL, 1,
				"SCRAM-SHA-1-PLUS", "tls-exporter", why,
				sizeof(why)),
			 1);
	assert_non_null(strstr(why, "weaker SCRAM hash"));
	assert_int_equal(weaker("SCRAM-SHA-512", "none", NULL, 1,
				"SCRAM-SHA-256", NULL, why, sizeof(why)),
			 1);
	/* a stronger binding does not excuse a weaker hash */
	assert_int_equal(weaker("SCRAM-SHA-512", "none", NULL, 1,
				"SCRAM-SHA-512,SCRAM-SHA-1-PLUS",
				"tls-exporter", why, sizeof(why)),
			 1);
	/* XEP-0440 types advertised before, missing now */
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-server-end-point",
				"tls-server-end-point,tls-unique", 1,
				"SCRAM-SHA-1-PLUS", "tls-server-end-point",
				why, sizeof(why)),
			 1);
	assert_non_null(strstr(why, "tls-unique"));
	assert_int_equal(weaker("SCRAM-SHA-1", "none", "tls-server-end-point",
				1, "SCRAM-SHA-1", NULL, why, sizeof(why)),
			 1);
	/* a tiny why buffer is cut, never overrun */
	assert_int_equal(weaker("SCRAM-SHA-1-PLUS", "tls-exporter", NULL, 1,
				"SCRAM-SHA-1", NULL, why, 8),
			 1);
	assert_int_equal(strlen(why), 7);
}

static void
test_pin_strings(void **state)
{
	struct cbpin_pin pin;
	char adv[CBPIN_ADV_MAX];
	enum cb_type t;

	(void)state;
	cbpin_pin_parse(NULL, NULL, NULL, &pin);
	assert_int_equal(pin.set, 0);
	cbpin_pin_parse("SCRAM-SHA-256-PLUS", "tls-server-end-point",
			"tls-exporter,tls-server-end-point", &pin);
	assert_int_equal(pin.set, 1);
	assert_int_equal(pin.hash, SCRAM_SHA256);
	assert_int_equal(pin.plus, 1);
	assert_int_equal(pin.cb, CB_END_POINT);
	assert_int_equal(pin.advertised,
			 CB_BIT(CB_EXPORTER) | CB_BIT(CB_END_POINT));
	/* unreadable values fail closed: the strongest */
	cbpin_pin_parse("SCRAM-SHA3-512", "tls-foo", "tls-bar", &pin);
	assert_int_equal(pin.hash, SCRAM_SHA512);
	assert_int_equal(pin.plus, 1);
	assert_int_equal(pin.cb, CB_EXPORTER);
	assert_int_equal(pin.advertised, CB_BIT(CB_EXPORTER) |
					     CB_BIT(CB_END_POINT) |
					     CB_BIT(CB_UNIQUE));
	/* a binding type implies -PLUS even with a damaged mechanism pin */
	cbpin_pin_parse("SCRAM-SHA-1", "tls-unique", "none", &pin);
	assert_int_equal(pin.plus, 1);
	assert_int_equal(pin.advertised, 0);
	cbpin_adv_string(0, adv, sizeof(adv));
	assert_string_equal(adv, "none");
	cbpin_adv_string(CB_BIT(CB_UNIQUE) | CB_BIT(CB_EXPORTER), adv,
			 sizeof(adv));
	assert_string_equal(adv, "tls-exporter,tls-unique");
	cbpin_adv_string(CB_BIT(CB_UNIQUE) | CB_BIT(CB_EXPORTER) |
			     CB_BIT(CB_END_POINT),
			 adv, 20);
	assert_string_equal(adv, "tls-exporter");
	assert_int_equal(cb_type_parse("tls-exporter", &t), WARD_OK);
	assert_int_equal(t, CB_EXPORTER);
	assert_int_equal(cb_type_parse("TLS-EXPORTER", &t), WARD_ERR_NOTFOUND);
	assert_null(cb_type_name((enum cb_type)7));
}

/* The client-first message of a fresh exchange with flag and data. */
static void
expect_first(const char *flag, const unsigned char *cb, size_t cblen,
	     const char *want)
{
	struct scram *s;
	char *first;
	size_t len;

	assert_int_equal(scram_new(SCRAM_SHA256, "alice", "pw", flag, cb,
				   cblen, "abc", &s),
			 WARD_OK);
	assert_int_equal(scram_client_first(s, &first, &len), WARD_OK);
	assert_string_equal(first, want);
	free(first);
	scram_free(s);
}

static void
test_gs2(void **state)
{
	static const unsigned char cb[4] = {1, 2, 3, 4};
	struct scram *s;

	(void)state;
	expect_first("y", NULL, 0, "y,,n=alice,r=abc");
	expect_first("n", NULL, 0, "n,,n=alice,r=abc");
	expect_first("p=tls-exporter", cb, sizeof(cb),
		     "p=tls-exporter,,n=alice,r=abc");
	expect_first("p=tls-server-end-point", cb, sizeof(cb),
		     "p=tls-server-end-point,,n=alice,r=abc");
	/* "p=" needs data; "y" and "n" take none */
	assert_int_equal(scram_new(SCRAM_SHA1, "a", "b", "p=tls-unique", NULL,
				   0, NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA1, "a", "b", "y", cb, sizeof(cb),
				   NULL, &s),
			 WARD_ERR_INVAL);
	assert_int_equal(scram_new(SCRAM_SHA1, "a", "b", "p=tls,unique", cb,
				   sizeof(cb), NULL, &s),
			 WARD_ERR_INVAL);
}

/* RFC 5802 section 5, with server-first extended by ext. */
#define NONCE "fyko+d2lbbFgONRv9qkxdawL"
#define SFIRST "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"
/* base64(SHA-1("PLAIN,SCRAM-SHA-1,SCRAM-SHA-1-PLUS|tls-exporter,tls-server-
 * end-point")), computed with Python's hashlib. */
#define D_SHA1 "WTwinSEhcQO/yEO+C9lB8L8Jvsw="
#define OFFER "PLAIN,SCRAM-SHA-1,SCRAM-SHA-1-PLUS|tls-exporter,tls-server-end-point"

static int
ssdp_rc(const char *sfirst, const char *offer_str)
{
	struct scram *s;
	char *first, *fin = NULL;
	size_t len;
	int r;

	assert_int_equal(scram_new(SCRAM_SHA1, "user", "pencil", "n", NULL, 0,
				   NONCE, &s),
			 WARD_OK);
	assert_int_equal(scram_ssdp_check(s, "x", 1), WARD_ERR_INVAL);
	assert_int_equal(scram_client_first(s, &first, &len), WARD_OK);
	free(first);
	r = scram_client_final(s, sfirst, strlen(sfirst), &fin, &len);
	if (r == WARD_OK)
		r = scram_ssdp_check(s, offer_str, strlen(offer_str));
	free(fin);
	scram_free(s);
	return r;
}

static void
test_ssdp(void **state)
{
	const char *mechs[] = {"SCRAM-SHA-1-PLUS", "PLAIN", NULL,
			       "SCRAM-SHA-1"};
	const char *types[] = {"tls-server-end-point", "tls-exporter"};
	char *str;

	(void)state;
	str = cbpin_ssdp_string(mechs, 4, types, 2);
	assert_non_null(str);
	assert_string_equal(str, OFFER);
	free(str);
	str = cbpin_ssdp_string(mechs, 4, NULL, 0);
	assert_string_equal(str, "PLAIN,SCRAM-SHA-1,SCRAM-SHA-1-PLUS");
	free(str);
	str = cbpin_ssdp_string(NULL, 0, NULL, 0);
	assert_string_equal(str, "");
	free(str);

	assert_int_equal(ssdp_rc(SFIRST ",d=" D_SHA1, OFFER), WARD_OK);
	/* what a man in the middle who stripped -PLUS would make ward see */
	assert_int_equal(ssdp_rc(SFIRST ",d=" D_SHA1,
				 "PLAIN,SCRAM-SHA-1|tls-server-end-point"),
			 WARD_ERR_AUTH);
	assert_int_equal(ssdp_rc(SFIRST, OFFER), WARD_ERR_NOTFOUND);
	assert_int_equal(ssdp_rc(SFIRST ",d=!!!!", OFFER), WARD_ERR_PROTO);
	/* a SHA-256 value is not a SHA-1 one */
	assert_int_equal(
	    ssdp_rc(SFIRST ",d=uRXNmYOdYnZFgcJqJgeOw6MHJs1QAe1u40LXP22g8/I=",
		    "SCRAM-SHA-1,SCRAM-SHA-256"),
	    WARD_ERR_AUTH);
	/* two d= are refused as a protocol error */
	assert_int_equal(ssdp_rc(SFIRST ",d=" D_SHA1 ",d=" D_SHA1, OFFER),
			 WARD_ERR_PROTO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_choose),
	    cmocka_unit_test(test_weaker_order),
	    cmocka_unit_test(test_pin_strings),
	    cmocka_unit_test(test_gs2),
	    cmocka_unit_test(test_ssdp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
