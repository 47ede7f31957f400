/*
 * history.h: /history JID [BEFORE] [N]: a conversation's history a page at
 * a time, newest page first, as `history` events and one `history-end`:
 * from ward.db while it has older rows (history.c), then from the server's
 * archive (XEP-0313 with RSM paging backwards, history_mam.c), whose
 * results are stored before they are shown.
 */
#ifndef WARD_HISTORY_H
#define WARD_HISTORY_H

#include <stdint.h>
#include <strophe.h>

struct account;
struct event;
struct store_msg;

#define HISTORY_DEFAULT_PAGE 50

/* /history: WITH a JID (chat or room), BEFORE a cursor from a previous
 * page or NULL (the newest page), COUNT the page size as typed or NULL. */
int history_command(struct account *a, const char *with, const char *before,
		    const char *count);

/* The text history_fields formats: it must live until the event is
 * emitted (events borrow their strings). */
struct history_text {
	char when[40], cursor[64];
};
/* The fields of a `history` event for stored row M into EV, formatted
 * into T (the `search-result` event has them too). */
void history_fields(struct event *ev, struct history_text *t,
		    struct account *a, const struct store_msg *m,
		    const char *trust);
/* One `history` event for stored row M; TRUST NULL when not known. */
void history_emit(struct account *a, const struct store_msg *m,
		  const char *trust);
/* The `history-end` event closing a page; CURSOR NULL when there is no
 * older page to ask for. NEWEST: the page asked for without a cursor,
 * which ends with the messages still queued in the outbox. */
void history_end(struct account *a, const char *with, const char *cursor,
		 const char *source, int complete, int newest);
/* A cursor for the archive page before archive id ID (NULL: before time
 * END_TS, ms; 0: the newest), malloc'd. */
char *history_archive_cursor(int room, int64_t end_ts, const char *id);

/* history_mam.c */
/*
 * Asks WITH's archive (ROOM: the room's own; else the account's, filtered
 * by WITH) for MAX messages before archive id BEFORE_ID, or before END_TS
 * (ms; 0: none) when BEFORE_ID is NULL. The results are stored and
 * emitted as they come; the answer ends the page (NEWEST as for
 * history_end).
 */
int history_mam_ask(struct account *a, const char *with, int room,
		    int64_t end_ts, const char *before_id, int max, int newest);
/* A MAM result for one of these queries: 1 when M was one (handled, or
 * dropped when it is not from the archive asked), 0 otherwise. */
int history_mam_result(struct account *a, xmpp_stanza_t *m);
/* "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)" (XEP-0082) into ms since the
 * epoch; WARD_ERR_PARSE when it is not one. */
int history_parse_stamp(const char *s, int64_t *ms);

#endif
