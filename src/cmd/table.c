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
	  "Send TEXT to JID, or privately to a room's occupant ROOM/NICK "
	  "(queued durably until the server has it)",
	  "/msg JID TEXT sends TEXT as it is: everything after the JID, "
	  "spaces\nincluded.\n"
	  "/msg -e JID TEXT reads two escapes in TEXT: \\n is a line break "
	  "and\n\\\\ a backslash; any other backslash is an error. This is "
	  "how a\nmulti-line message is written on one command line (the UI "
	  "sends\nAlt-Enter input this way).",
	  cmd_msg },
	{ "join", NULL, 1, 1, CMD_NEEDS_CONN, "ROOM@SERVICE[/NICK]",
	  "Join a group chat", NULL, cmd_join },
	{ "leave", NULL, 0, 1, CMD_NEEDS_CONN, "[ROOM@SERVICE]",
	  "Leave a group chat", NULL, cmd_leave },
	{ "subject", NULL, 2, 2, CMD_NEEDS_CONN | CMD_REST,
	  "ROOM@SERVICE TEXT",
	  "Set a group chat's subject (if the room lets you)", NULL,
	  cmd_subject },
	{ "occupants", NULL, 1, 1, 0, "ROOM@SERVICE",
	  "List a group chat's occupants again (occupant events)",
	  "One occupant event (status present) per occupant ward knows of, "
	  "then an\ninfo event \"occupants\" with their number. Changes come "
	  "by themselves as\noccupant events; this is for a frontend or script "
	  "that starts late.",
	  cmd_occupants },
	{ "roster", NULL, 0, 0, 0, "",
	  "List the roster again (roster events)",
	  "One roster event per contact as ward last stored it, then an info "
	  "event\n\"roster\" with their number. Works offline.",
	  cmd_roster },
	{ "nick", NULL, 2, 2, CMD_NEEDS_CONN, "ROOM@SERVICE NEWNICK",
	  "Change your nick in a group chat", NULL, cmd_nick },
	{ "kick", NULL, 2, 3, CMD_NEEDS_CONN | CMD_REST,
	  "ROOM@SERVICE NICK [REASON]",
	  "Kick an occupant out of a group chat (moderators)", NULL,
	  cmd_kick },
	{ "ban", NULL, 2, 3, CMD_NEEDS_CONN | CMD_REST,
	  "ROOM@SERVICE JID [REASON]",
	  "Ban a JID from a group chat (admins)", NULL, cmd_ban },
	{ "voice", NULL, 2, 2, CMD_NEEDS_CONN, "ROOM@SERVICE NICK",
	  "Give an occupant voice in a moderated group chat", NULL,
	  cmd_voice },
	{ "role", NULL, 3, 3, CMD_NEEDS_CONN, "ROOM@SERVICE NICK ROLE",
	  "Set an occupant's role: none, visitor, participant, moderator",
	  NULL, cmd_role },
	{ "affiliation", NULL, 3, 3, CMD_NEEDS_CONN,
	  "ROOM@SERVICE JID AFFILIATION",
	  "Set a JID's affiliation: none, outcast, member, admin, owner",
	  NULL, cmd_affiliation },
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
	{ "history", NULL, 1, 3, 0, "JID [BEFORE] [N]",
	  "Show a page of older messages with JID (a contact or a room)",
	  "The newest N messages (50 by default, at most 500) before the "
	  "cursor\nBEFORE, or the newest of all without one, as history "
	  "events (oldest\nfirst), then a history-end event whose cursor "
	  "asks for the next older\npage. Pages come from ward's database, "
	  "then from the server's archive\n(XEP-0313), which needs the "
	  "account online; what the archive gives is\nstored. "
	  "/history JID N asks for N without a cursor.",
	  cmd_history },
	{ "download", NULL, 0, 2, 0, "[ID|URL] [DIR]",
	  "Download a file someone sent (nothing is fetched without this)",
	  "Fetches the file of offer ID (a file-offer event; the newest "
	  "without\nID), or an https:// or aesgcm:// URL, into DIR or ward's "
	  "files directory\n(DATA_DIR/files, 0700; files 0600). https only, "
	  "also after a redirect;\nredirects only to the same host; the "
	  "host's address from ward's\nvalidating resolver (a BOGUS answer "
	  "refuses); TLS checked like the\naccount's; at most 100 MiB. The "
	  "name comes from the link, made safe.\nProgress and the end come "
	  "as transfer events; an interrupted download\nleaves no file.",
	  cmd_download },
	{ "upload", NULL, 1, 2, CMD_NEEDS_CONN, "PATH [JID]",
	  "Send a file to JID (a contact, a room or ROOM/NICK) by HTTP upload",
	  "Uploads PATH to the server's XEP-0363 service and sends the link "
	  "to JID\n(in the UI, without JID: to the current window's chat).\nWhen the chat with JID is OMEMO-encrypted, the file is "
	  "encrypted first\n(XEP-0454: AES-256-GCM, a random name on the "
	  "server) and the aesgcm://\nlink goes only inside the OMEMO "
	  "message; such a file is never uploaded\nin plaintext. The size is "
	  "checked against the server's limit first.\nhttps only, the "
	  "upload host's address from ward's validating resolver.\nProgress "
	  "and the end come as transfer events; /cancel ID stops it.",
	  cmd_upload },
	{ "cancel", NULL, 1, 1, 0, "ID",
	  "Stop a download or upload (its transfer id)", NULL, cmd_cancel },
	{ "files", NULL, 0, 0, 0, "",
	  "List the files offered and the transfers running",
	  "One file-offer event per link received (newest first, at most "
	  "64),\nthen one transfer event per transfer still running.",
	  cmd_files },
	{ "search", NULL, 1, 1, CMD_REST, "TEXT [in JID]",
	  "Find stored messages holding every word of TEXT",
	  "Searches every message in ward's database (all conversations, "
	  "or only\nthe one with JID after 'in'), ignoring case and accents; "
	  "a word ending\nin * matches as a prefix, and FTS5 syntax is "
	  "plain text. Up to 100\nsearch-result events, newest first (the "
	  "fields of a history event, and a\ncontext cursor: /history WITH "
	  "CONTEXT gives the page that ends with\nthe hit), then a "
	  "search-end event with the count. Works offline.",
	  cmd_search },
	{ "chat-security", NULL, 1, 1, 0, "JID",
	  "Show how safe the chat with JID (a contact or a room) is",
	  "One chat-security event: how new messages to JID travel (OMEMO or "
	  "not,\nand why not) and the trust in its OMEMO devices. The same "
	  "event comes by\nitself whenever that changes (a device list, a "
	  "trust decision, /omemo\non|off). Online, a device list not fetched "
	  "yet is asked for: its answer\ncomes as a second event.",
	  cmd_chat_security },
	{ "audit", NULL, 1, 1, 0, "DOMAIN",
	  "Measure a server against the manifesto's server rules, from outside",
	  "Runs `ward audit DOMAIN` as a child process (the loop never waits)\n"
	  "with the current account's DNS settings and ca_file, never its\n"
	  "password: one audit event per rule (verdict pass, partial, fail,\n"
	  "unknown, not-observable or needs-account, with the evidence), then\n"
	  "an audit-end event. It only reads: no login, no registration, no\n"
	  "message. One audit at a time.",
	  cmd_audit },
	{ "help", NULL, 0, 1, 0, "[COMMAND]",
	  "List commands, or explain one", NULL, cmd_help },
	{ "quit", NULL, 0, 0, 0, "",
	  "Disconnect every account and exit", NULL, cmd_quit },
	/* frontend commands: the curses UI runs these itself */
	{ "win", "w", 1, 1, CMD_FRONTEND, "N",
	  "Show window N (1 is the console; the list is on the top line)",
	  NULL, cmd_ui_only },
	{ "close", NULL, 0, 0, CMD_FRONTEND, "",
	  "Close the current window (a room stays joined until /leave)",
	  NULL, cmd_ui_only },
	{ "query", "q", 1, 1, CMD_FRONTEND, "JID",
	  "Open a chat window with JID; text typed there is sent to JID",
	  NULL, cmd_ui_only },
	{ "me", NULL, 1, 1, CMD_FRONTEND | CMD_REST, "TEXT",
	  "Send an action (\"/me TEXT\") to the current window's chat",
	  NULL, cmd_ui_only },
	{ "goto", NULL, 1, 1, CMD_FRONTEND, "N",
	  "Open the conversation of /search result N at that message",
	  NULL, cmd_ui_only },
	{ "find", NULL, 1, 1, CMD_FRONTEND | CMD_REST, "TEXT",
	  "Find TEXT in the current window, searching back from the view",
	  NULL, cmd_ui_only },
};

const size_t cmd_table_size = sizeof(cmd_table) / sizeof(cmd_table[0]);
