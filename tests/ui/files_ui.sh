#!/bin/bash
# files_ui (UI): a file link from bob (OMEMO, headless ward) is shown in his
# window as an offer with the /download hint, nothing fetched; /download N
# typed in the UI fetches it and the console shows the end with the path;
# /upload PATH typed in bob's window (no JID) sends a file to bob, which
# bob's ward decrypts to the original bytes.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
check "the UI draws a first frame" ui_start alice
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30
check "alice connected" ui_wait_for 'TLS ?v?1\.3' 30
# bob is a stranger: accepted ahead, or his messages would be requests
ward_cmd alice "/accept bob@good.test"
sleep 1

# bob uploads a file to alice: she sees an offer in bob's window
src=$WARD_TEST_DIR/notes-4471.txt
printf 'the notes, line %s\n' $(seq 1 500) > "$src"
ward_cmd bob "/upload $src alice@good.test"
check "bob's upload done" ward_seen bob '"direction":"upload","state":"done"' 30
check "a window for bob appears" ui_wait_for '\[2 bob' 20
ui_keys M-2
check "the offer is drawn in bob's window" \
    ui_wait_for 'file offered: [0-9a-f]{16}\.txt from upload\.good\.test' 15
check "... with the /download hint" ui_match '/download 1 to fetch it'
check "... and said to be encrypted" ui_match '\(encrypted\)'
check "the aesgcm:// link (its key) is not drawn" ui_match '\(an encrypted file; its key is not shown'
check "... no aesgcm:// on the screen" eval "! ui_match aesgcm"
check "nothing fetched by itself" test ! -e "$(ward_dir alice)/data/files"

ui_line "/download 1"
ui_keys M-1
check "the console shows the download's end with its path" \
    ui_wait_for 'download 1 [0-9a-f]{16}\.txt: done, [0-9]+ bytes in ' 30
got=$(ls "$(ward_dir alice)"/data/files/*.txt 2>/dev/null | head -n 1)
check "... the file decrypted to bob's bytes" cmp -s "$src" "$got"

# /upload PATH in bob's window: to bob
ui_keys M-2
up=$WARD_TEST_DIR/reply-8812.txt
printf 'a reply file\n' > "$up"
ui_line "/upload $up"
offer=$(ward_wait bob '"event":"file-offer"' 30)
check "/upload PATH in a chat window sends to that chat" test -n "$offer"
ward_cmd bob "/download $(json_field "$offer" id)"
line=$(ward_wait bob '"direction":"download","state":"done"' 30)
check "... bob gets the file" cmp -s "$up" "$(json_field "$line" path)"
ui_keys M-1
check "the console shows the upload's end" ui_wait_for 'upload [0-9]+ [0-9a-f]{16}\.txt: done' 15

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "alice: no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
