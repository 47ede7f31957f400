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
	{ "correct", NULL, 2, 2, CMD_REST, "JID [-i ID] TEXT",
	  "Correct your last message to JID (or message ID) to TEXT "
	  "(XEP-0308)",
	  "/correct JID TEXT replaces your last message in the chat with "
	  "JID (a\ncontact, a room or ROOM/NICK); /correct JID -i ID TEXT "
	  "the message ID.\nThe earlier text is kept (/versions). In the UI, "
	  "the JID is the\ncurrent window's and M-Up puts your last message "
	  "into the input\nas a /correct.",
	  cmd_correct },
	{ "retract", NULL, 1, 2, 0, "JID [ID]",
	  "Retract your last message to JID, or message ID (XEP-0424)",
	  "Asks the other clients to remove the message; ward erases its "
	  "text and\nearlier versions and leaves a tombstone line. In the UI "
	  "the JID is\nthe current window's.",
	  cmd_retract },
	{ "react", NULL, 2, 3, CMD_REST, "JID ID [EMOJI...]",
	  "Set your reactions to message ID (XEP-0444; none: remove them)",
	  "The reactions replace your earlier ones to that message, "
	  "separated by\nspaces (at most 16). ID ^ is the last message you "
	  "received in that chat.\nIn the UI the JID is the current "
	  "window's.",
	  cmd_react },
	{ "reply", NULL, 3, 3, CMD_REST, "JID ID TEXT",
	  "Reply to message ID with TEXT, quoting its first line "
	  "(XEP-0461)",
	  "Clients without replies see the quote as a \"> \" line "
	  "(XEP-0428\nfallback). ID ^ is the last message you received in "
	  "that chat.\nIn the UI the JID is the current window's.",
	  cmd_reply },
	{ "versions", NULL, 2, 2, 0, "JID ID",
	  "Show the earlier versions of an edited message (message-version "
	  "events)",
	  "ID ^ is the last message you received in that chat. In the UI the "
	  "JID is\nthe current window's.",
	  cmd_versions },
	{ "join", NULL, 1, 4, CMD_NEEDS_CONN,
	  "ROOM@SERVICE[/NICK] [NICK] [password PASS]",
	  "Join a group chat (with its password if it has one)",
	  "NICK is your nick in the room (default: ROOM's /NICK, else the "
	  "local part\nof your JID). password PASS (one word) is the room's "
	  "password; ward\nkeeps it in memory for rejoins only: it is never "
	  "written to ward.log,\nthe database or an event. A room that wants "
	  "one refuses the join with\nerror muc-password-required (or "
	  "muc-password-wrong); join again with it.",
	  cmd_join },
	{ "leave", NULL, 0, 1, CMD_NEEDS_CONN, "[ROOM@SERVICE]",
	  "Leave a group chat", NULL, cmd_leave },
	{ "bookmark", NULL, 0, 7, 0,
	  "[add|remove|list] [ROOM] [autojoin] [name NAME] [nick NICK]",
	  "List, add or remove your bookmarked rooms (XEP-0402)",
	  "/bookmark or /bookmark list: one bookmark event per bookmarked "
	  "room, then\nan info event \"bookmarks\" with their number.\n"
	  "/bookmark add ROOM [autojoin] [name NAME] [nick NICK] stores (or "
	  "changes)\nthe bookmark on your server, readable only by your "
	  "account; autojoin\njoins it at every login (a room that would see "
	  "your address asks\nfirst, once). /bookmark remove ROOM deletes "
	  "it. Bookmarks kept the old\nway (XEP-0048) are moved once, at the "
	  "first login.",
	  cmd_bookmark },
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
	{ "invite", NULL, 2, 3, CMD_NEEDS_CONN | CMD_REST,
	  "ROOM@SERVICE JID [REASON]",
	  "Invite JID to a group chat you are in",
	  "A contact gets a direct invitation (XEP-0249, with the room's "
	  "password if\nyou joined with one), unless the room is "
	  "members-only; anyone else,\nand everyone for a members-only room, "
	  "an invitation through the room\n(XEP-0045), which the room may "
	  "refuse. In the UI's room window the\nroom may be left out: "
	  "/invite JID [REASON].\n"
	  "\n"
	  "Invitations to you come as prompts of kind muc-invite: /accept "
	  "joins\n(a non-anonymous room still asks first), /reject declines "
	  "(through the\nroom, unless the inviter is a stranger).",
	  cmd_invite },
	{ "room", NULL, 2, 4, CMD_NEEDS_CONN | CMD_REST,
	  "config|set|submit|cancel|create|destroy ROOM@SERVICE [ARGS]",
	  "A room's configuration form, creation and destruction (owners)",
	  "/room config ROOM asks the room for its configuration form "
	  "(XEP-0004): it\ncomes as room-config events (the UI draws it in "
	  "the room's window).\n"
	  "/room set ROOM FIELD VALUE (or /room config ROOM set FIELD VALUE) "
	  "changes\none field of that form: VALUE is the rest of the line; a "
	  "list-multi or\njid-multi field takes one value per word; a boolean "
	  "is 1, 0, true or\nfalse. Nothing reaches the room until\n"
	  "/room submit ROOM sends the form; /room cancel ROOM drops it.\n"
	  "/room create ROOM[/NICK] [instant] creates a room that does not "
	  "exist yet:\nit stays locked until you submit its form (shown as "
	  "for /room config),\nor, with instant, takes the service's "
	  "defaults.\n"
	  "/room destroy ROOM [REASON] destroys the room (its occupants are "
	  "told the\nreason).\n"
	  "In the UI's room window ROOM may be left out.",
	  cmd_room },
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
	{ "accept", NULL, 1, 1, CMD_CHANGES_TRUST, "ID|JID",
	  "Accept the decision asked for by prompt ID, or JID's message "
	  "request",
	  "/accept ID answers yes to the prompt ID.\n"
	  "/accept JID opens the conversation with a stranger whose messages "
	  "wait\nin /requests (or accepts it ahead): they are shown from then "
	  "on (no\nreceipts or chat states all the same: JID is still not a "
	  "contact;\n/add JID makes it one).",
	  cmd_accept },
	{ "requests", NULL, 0, 0, 0, "",
	  "List the message requests: strangers whose messages are held",
	  "A message from a stranger (no presence subscription either way) "
	  "whose\nconversation you did not accept or start is stored but "
	  "held: no window,\nno bell, no receipt. One request event per "
	  "sender (with the number of\nmessages held), then an info event "
	  "\"requests\" with their number.\n/accept JID opens one, /block "
	  "JID blocks the sender.",
	  cmd_requests },
	{ "reject", NULL, 1, 1, CMD_CHANGES_TRUST, "ID",
	  "Reject the decision asked for by prompt ID", NULL, cmd_reject },
	{ "block", NULL, 1, 2, CMD_NEEDS_CONN, "JID [spam]",
	  "Block JID on the server (and report it as spam)",
	  "Adds JID to the account's block list on the server (XEP-0191): "
	  "the\nserver drops what JID sends, and JID cannot see your presence. "
	  "With\nspam, the request also reports JID to the server as a "
	  "spammer\n(XEP-0377). A message request from JID is dropped from "
	  "/requests.\nThe server's confirmation comes as a block event.",
	  cmd_block },
	{ "unblock", NULL, 1, 1, CMD_NEEDS_CONN, "JID",
	  "Take JID off the block list", NULL, cmd_unblock },
	{ "blocked", NULL, 0, 0, 0, "",
	  "List the blocked JIDs (block events)",
	  "One block event (state listed) per JID on the server's block list "
	  "as\nward last received it, then an info event \"blocked: N\".",
	  cmd_blocked },
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
	{ "history", NULL, 0, 3, 0, "JID [BEFORE] [N]",
	  "Show a page of older messages with JID (a contact or a room)",
	  "The newest N messages (50 by default, at most 500) before the "
	  "cursor\nBEFORE, or the newest of all without one, as history "
	  "events (oldest\nfirst), then a history-end event whose cursor "
	  "asks for the next older\npage. Pages come from ward's database, "
	  "then from the server's archive\n(XEP-0313), which needs the "
	  "account online; what the archive gives is\nstored. "
	  "/history JID N asks for N without a cursor. The JID comes first\n"
	  "(without one: an error saying to give it); in the UI, /history "
	  "[N]\nin a chat window is that chat's.",
	  cmd_history },
	{ "chatstate", NULL, 2, 2, 0,
	  "JID active|composing|paused|inactive|gone",
	  "Tell JID you are typing, paused... (contacts and private rooms "
	  "only)",
	  "Sends the chat state (XEP-0085) when it changed and the policy "
	  "allows it:\nto a contact, or to a private room (members-only and "
	  "non-anonymous),\nwith chat_states on in ward.conf. A stranger, a "
	  "room occupant or a public\nroom is told nothing, whatever it asked "
	  "for, and no error says so. The\nUI sends these as you type.",
	  cmd_chatstate },
	{ "read", NULL, 1, 1, 0, "JID",
	  "Tell JID you read its last message (contacts, private rooms)",
	  "Marks the last markable message from JID (a contact, a room or "
	  "ROOM/NICK)\ndisplayed (XEP-0333) when the policy allows it: a "
	  "contact, or a private\nroom, with markers on in ward.conf; else "
	  "nothing is sent. The UI sends\nthis when you look at the "
	  "conversation.",
	  cmd_read },
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
	  "Runs `ward audit DOMAIN --account NAME` as a child process (the\n"
	  "loop never waits) with the current account's settings: one audit\n"
	  "event per rule (verdict pass, partial, fail, unknown,\n"
	  "not-observable or needs-account, with the evidence), then an\n"
	  "audit-end event. When DOMAIN is the account's own server, the\n"
	  "child logs in once more (password from ward.conf, never passed to\n"
	  "it; a resource of its own, no presence) for the abuse address,\n"
	  "the upload slot paths and the STUN/TURN ports. It only reads: no\n"
	  "registration, no message, nothing uploaded. One audit at a time.",
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
