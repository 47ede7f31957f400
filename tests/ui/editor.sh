#!/bin/bash
# editor (UI): M-e hands the input line to $EDITOR: the file is 0600 in a
# fresh 0700 directory, the edited text comes back into the input line
# and is not sent by itself (Enter sends it, as one message of two
# lines), and the file and its directory are gone afterwards; an editor
# that fails leaves the input line as it was and removes them too.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
REC=$(ward_dir alice)/editor-record
ED=$(ward_dir alice)/fake-editor
# the fake editor: records the modes and the path, then edits the text
# (or fails when asked to)
cat > "$ED" << 'EOS'
#!/bin/sh
f=$1
d=$(dirname "$f")
{
	echo "file_mode=$(stat -c %a "$f")"
	echo "dir_mode=$(stat -c %a "$d")"
	echo "file=$f"
	echo "dir=$d"
	echo "text=$(cat "$f")"
} > "$REC.tmp"
mv "$REC.tmp" "$REC"
if [ -e "$REC.fail" ]; then
	echo "broken" > "$f"
	exit 3
fi
printf '%s\n%s\n' "$(cat "$f") edited 4471" "second line 4471" > "$f"
EOS
chmod 700 "$ED"

UI_ENV="EDITOR=$ED REC=$REC" check "the UI draws a first frame" ui_start alice
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30
check "alice logged in" ui_wait_for 'TLS ?v?1\.3' 30
ui_line "/query bob@good.test"
check "bob's window" ui_current_is 'bob@good\.test' 10

n0=$(ward_count bob '"event":"message"')
ui_type "draft from the line"
check "the input line holds the draft" ui_wait_input 'draft from the line$' 10
ui_keys M-e
for i in $(seq 1 100); do [ -s "$REC" ] && break; sleep 0.1; done
check "the editor ran" test -s "$REC"
check "the editor got the input line" grep -qx 'text=draft from the line' "$REC"
check "the file is 0600" grep -qx 'file_mode=600' "$REC"
check "its directory is 0700" grep -qx 'dir_mode=700' "$REC"
file=$(sed -n 's/^file=//p' "$REC")
dir=$(sed -n 's/^dir=//p' "$REC")
check "the edited text is back in the input line" ui_wait_for '^> draft from the line edited 4471$' 10
check "with its second line" ui_wait_for 'second line 4471' 10
for i in $(seq 1 50); do [ -e "$file" ] || [ -e "$dir" ] || break; sleep 0.1; done
check "the file is gone" test ! -e "$file"
check "its directory is gone" test ! -e "$dir"
sleep 2
check "the edited text is not sent by itself" test "$(ward_count bob '"event":"message"')" -eq "$n0"
ui_keys Enter
line=$(ward_wait bob 'edited 4471' 20)
check "Enter sends it" test -n "$line"
check "as one message of two lines" test "$(json_field "$line" body)" = $'draft from the line edited 4471\nsecond line 4471'

# a failing editor: the line stays, the file and directory go
: > "$REC.fail"
rm -f "$REC"
ui_type "kept 5512"
check "a new draft" ui_wait_input 'kept 5512$' 10
ui_keys M-e
for i in $(seq 1 100); do [ -s "$REC" ] && break; sleep 0.1; done
check "the failing editor ran" test -s "$REC"
file=$(sed -n 's/^file=//p' "$REC")
dir=$(sed -n 's/^dir=//p' "$REC")
check "the failure is said" ui_wait_for 'EDITOR: the editor failed' 10
check "the input line is unchanged" ui_wait_input 'kept 5512$' 10
for i in $(seq 1 50); do [ -e "$file" ] || [ -e "$dir" ] || break; sleep 0.1; done
check "the file is gone after a failure" test ! -e "$file"
check "its directory is gone after a failure" test ! -e "$dir"

check "ward still runs" ui_alive
ui_stop; st=$?
check "ward exits 0 on /quit" test "$st" -eq 0
check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
