/*
 * cmd.h: the command table every frontend shares (STYLE §2) and the
 * context its handlers get. One file per command family in src/cmd/.
 */
#ifndef WARD_CMD_H
#define WARD_CMD_H

#include <stddef.h>

#include "cmdparse.h"

struct ward;
struct account;

struct cmd_ctx {
	struct ward *w;
	struct account *a;	/* the current account (may be NULL) */
};

extern const struct cmd_entry cmd_table[];
extern const size_t cmd_table_size;

/* Handlers: return WARD_OK or an error already reported as an event. */
int cmd_connect(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_audit(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_disconnect(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_account(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_msg(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_correct(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_retract(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_react(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_reply(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_versions(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_join(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_leave(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_bookmark(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_subject(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_nick(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_invite(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_room(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_kick(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_ban(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_voice(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_role(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_affiliation(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_accept(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_reject(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_security(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_omemo(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_add(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_remove(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_rename(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_group(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_status(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_away(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_priority(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_history(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_search(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_roster(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_occupants(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_chatstate(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_read(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_requests(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_block(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unblock(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_blocked(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_chat_security(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_download(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_upload(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_cancel(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_files(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_help(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_quit(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_ui_only(struct cmd_ctx *ctx, int argc, char **argv);

#endif
