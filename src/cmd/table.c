/*
 * table.c: the one command table. /help, completion, --list-commands and
 * the COMMANDS section of docs/ward.1 are all generated from it.
 */
#include "cmd.h"

const struct cmd_entry cmd_table[] = {
	{ "connect", NULL, 0, 1, 0, "[ACCOUNT]",
	  "Connect the current (or named) account", NULL, cmd_connect },
	{ "disconnect", NULL, 0, 0, 0, "",
	  "Close the current account's connection; queued messages stay",
	  NULL, cmd_disconnect },
	{ "account", NULL, 1, 1, 0, "NAME",
	  "Make NAME the account that commands apply to", NULL, cmd_account },
	{ "msg", "m", 2, 2, CMD_REST, "JID TEXT",
	  "Send TEXT to JID (queued durably until the server has it)",
	  NULL, cmd_msg },
	{ "join", NULL, 1, 1, CMD_NEEDS_CONN, "ROOM@SERVICE[/NICK]",
	  "Join a group chat", NULL, cmd_join },
	{ "leave", NULL, 0, 1, CMD_NEEDS_CONN, "[ROOM@SERVICE]",
	  "Leave a group chat", NULL, cmd_leave },
	{ "subject", NULL, 2, 2, CMD_NEEDS_CONN | CMD_REST,
	  "ROOM@SERVICE TEXT",
	  "Set a group chat's subject (if the room lets you)", NULL,
	  cmd_subject },
	{ "add", NULL, 1, 3, CMD_NEEDS_CONN | CMD_REST, "JID [NAME] [GROUP]",
	  "Add a contact and ask to see its presence", NULL, cmd_add },
	{ "remove", NULL, 1, 1, CMD_NEEDS_CONN, "JID",
	  "Remove a contact (both subscriptions end)", NULL, cmd_remove },
	{ "rename", NULL, 2, 2, CMD_NEEDS_CONN | CMD_REST, "JID NAME",
	  "Set a contact's name", NULL, cmd_rename },
	{ "group", NULL, 1, 2, CMD_NEEDS_CONN | CMD_REST, "JID [GROUP]",
	  "Put a contact in GROUP (none: no group)", NULL, cmd_group },
	{ "status", NULL, 1, 2, CMD_NEEDS_CONN | CMD_REST,
	  "online|chat|away|xa|dnd [TEXT]",
	  "Set your presence, seen by contacts you let see it", NULL,
	  cmd_status },
	{ "away", NULL, 0, 1, CMD_NEEDS_CONN | CMD_REST, "[TEXT]",
	  "Set your presence to away", NULL, cmd_away },
	{ "priority", NULL, 1, 1, CMD_NEEDS_CONN, "N",
	  "Set this session's presence priority (-128 to 127)", NULL,
	  cmd_priority },
	{ "accept", NULL, 1, 1, CMD_CHANGES_TRUST, "ID",
	  "Accept the decision asked for by prompt ID", NULL, cmd_accept },
	{ "reject", NULL, 1, 1, CMD_CHANGES_TRUST, "ID",
	  "Reject the decision asked for by prompt ID", NULL, cmd_reject },
	{ "security", NULL, 0, 0, 0, "",
	  "Show the connection security report again", NULL, cmd_security },
	{ "omemo", NULL, 1, 3, CMD_REST | CMD_CHANGES_TRUST,
	  "on|off|verify|fingerprints|accept-key [JID [FPR|DEVICE]]",
	  "OMEMO for a chat (on by default), device verification, "
	  "fingerprints",
	  "/omemo on JID, /omemo off JID, /omemo verify JID FINGERPRINT,\n"
	  "/omemo fingerprints [JID], /omemo accept-key JID DEVICE.\n"
	  "\n"
	  "1:1 chats are OMEMO-encrypted unless you turn it off; a message "
	  "that\ncannot be encrypted is not sent (error omemo-unavailable), "
	  "never sent\nin plaintext instead.\n"
	  "\n"
	  "on|off JID: off makes the chat with JID explicitly plaintext "
	  "(remembered;\nmessages queued before keep their encryption); on "
	  "undoes it.\n"
	  "verify JID FINGERPRINT: marks JID's device with that fingerprint "
	  "as\nverified (64 hex digits; spaces and colons are ignored). From "
	  "then on a\nnew device of JID gets nothing until you /accept it "
	  "(blind trust before\nverification).\n"
	  "fingerprints [JID]: one fingerprint event for this device, our "
	  "other\ndevices and JID's devices, with their trust.\n"
	  "accept-key JID DEVICE: a device of JID that now shows another "
	  "identity\nkey (error omemo-key-changed, or omemo-decrypt) gets "
	  "nothing until you\naccept the new key; it is then trusted as a "
	  "new device would be.",
	  cmd_omemo },
	{ "help", NULL, 0, 1, 0, "[COMMAND]",
	  "List commands, or explain one", NULL, cmd_help },
	{ "quit", NULL, 0, 0, 0, "",
	  "Disconnect every account and exit", NULL, cmd_quit },
};

const size_t cmd_table_size = sizeof(cmd_table) / sizeof(cmd_table[0]);
