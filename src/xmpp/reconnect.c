/*
 * reconnect.c: what happens when a session is lost. Errors that a retry
 * cannot fix or that must not be retried blindly (bad password, forged DNS,
 * untrusted certificate, downgrade) stop; everything else (server restart,
 * network loss, timeouts) is retried with jittered backoff: about once a
 * second for the first four tries (a rebooting server is usually back in
 * seconds, and a refused connection costs nothing), then doubling up to 5
 * minutes. The count is of attempts that did not reach a session: every
 * login starts it again, so a server that reboots often (or twenty times in
 * a test) is rejoined within about a second each time.
 */
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "core.h"
#include "event.h"
#include "loop.h"
#include "ward.h"

#define RECONNECT_FIRST_MS 1000
#define RECONNECT_CAP_MS (5 * 60 * 1000)
#define RECONNECT_QUICK_TRIES 4

/* Codes after which ward waits for the user instead of retrying. */
static int
reconnect_is_final(const char *code)
{
	static const char *final[] = {
		"auth-failed", "dnssec-bogus", "dnssec-insecure",
		"cert-untrusted", "cert-changed", "dane-mismatch",
		"tls-version", "config", "no-service", "sasl-downgrade",
		"bind-failed", "conflict",
	};
	size_t i;

	if (code == NULL)
		return 0;
	for (i = 0; i < sizeof(final) / sizeof(final[0]); i++)
		if (strcmp(code, final[i]) == 0)
			return 1;
	return 0;
}

static void
reconnect_fire(void *arg)
{
	struct account *a = arg;

	a->reconnect_timer = 0;
	if (a->want_online && a->state == AS_OFFLINE)
		account_connect_again(a);
}

/* Delay for the next attempt: 1 s for the first tries, then doubling;
 * jittered to [50 %, 100 %] so clients of one server do not return in
 * lockstep. */
static int64_t
reconnect_delay(unsigned attempt)
{
	int64_t d = RECONNECT_FIRST_MS;

	if (attempt < RECONNECT_QUICK_TRIES)
		attempt = 0;
	else
		attempt -= RECONNECT_QUICK_TRIES - 1;
	while (attempt-- > 0 && d < RECONNECT_CAP_MS)
		d *= 2;
	if (d > RECONNECT_CAP_MS)
		d = RECONNECT_CAP_MS;
	return d / 2 + (int64_t)arc4random_uniform((uint32_t)(d / 2) + 1);
}

void
reconnect_schedule(struct account *a, const char *code)
{
	struct event ev;
	int64_t delay;

	if (!a->want_online || a->w->quit_requested)
		return;
	if (reconnect_is_final(code)) {
		a->want_online = 0;
		return;
	}
	delay = reconnect_delay(a->reconnect_attempt);
	if (a->reconnect_attempt < 16)
		a->reconnect_attempt++;
	loop_timer_cancel(a->w->loop, a->reconnect_timer);
	a->reconnect_timer = loop_timer_add(a->w->loop, delay, reconnect_fire,
	    a);
	event_init(&ev, EV_INFO, a->name);
	event_str(&ev, "text", "reconnecting");
	event_int(&ev, "delay_ms", (long long)delay);
	event_emit(&ev);
}

void
reconnect_cancel(struct account *a)
{
	loop_timer_cancel(a->w->loop, a->reconnect_timer);
	a->reconnect_timer = 0;
}
