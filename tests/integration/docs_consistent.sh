#!/bin/bash
# docs_consistent.sh: the documentation says what the code does. Fails when
# docs/ward.1's COMMANDS section differs from `ward --man-commands` (both
# come from the one command table), when its KEYS section differs from
# `ward --man-keys` (both from the key map: a binding added without docs),
# when every [ui] key is not documented in its [ui] section, when a long option of src/main.c or a
# ward.conf key of src/core/config_keys.c is missing from docs/ward.1, when an event
# kind of src/core/event.c's event_kind_name() has no heading in docs/events.md,
# or when an error code the source can emit is missing from docs/events.md.
# No servers: only the binary and the source tree.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WARD_BIN=${WARD_BIN:-$REPO/build/san/ward}
MAN=$REPO/docs/ward.1
EVENTS=$REPO/docs/events.md
PIPE_DOC=$REPO/docs/pipe.md
TEST_NAME=docs_consistent
FAILS=0

pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; FAILS=$((FAILS + 1)); }

TMP=$(mktemp -d /tmp/ward-docs.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT

for f in "$MAN" "$EVENTS" "$PIPE_DOC"; do
	if [ -s "$f" ]; then
		pass "${f#"$REPO"/} exists"
	else
		fail "${f#"$REPO"/} is missing or empty"
	fi
done
if [ ! -x "$WARD_BIN" ]; then
	fail "no ward binary at $WARD_BIN (build it, or set WARD_BIN)"
	exit 1
fi
[ -s "$MAN" ] && [ -s "$EVENTS" ] || exit 1

# man_section NAME: the lines of docs/ward.1 from ".SH NAME" to the next .SH.
man_section() {
	awk -v want="$1" '
		/^\.SH / {
			name = substr($0, 5)
			gsub(/"/, "", name)
			on = (name == want)
			next
		}
		on { print }' "$MAN"
}

# --- 1. COMMANDS section == ward --man-commands -----------------------------
if ! "$WARD_BIN" --man-commands > "$TMP/man-commands" 2> "$TMP/err"; then
	fail "$WARD_BIN --man-commands failed: $(head -n 1 "$TMP/err")"
elif [ ! -s "$TMP/man-commands" ]; then
	fail "$WARD_BIN --man-commands printed nothing"
else
	begins=$(grep -c '^\.\\" BEGIN COMMANDS$' "$MAN")
	ends=$(grep -c '^\.\\" END COMMANDS$' "$MAN")
	if [ "$begins" != 1 ] || [ "$ends" != 1 ]; then
		fail "docs/ward.1 needs exactly one '.\\\" BEGIN COMMANDS' and one '.\\\" END COMMANDS' line (found $begins and $ends)"
	else
		awk '/^\.\\" END COMMANDS$/ { on = 0 }
		     on { print }
		     /^\.\\" BEGIN COMMANDS$/ { on = 1 }' "$MAN" \
		    > "$TMP/man-section"
		if cmp -s "$TMP/man-commands" "$TMP/man-section"; then
			pass "COMMANDS section of docs/ward.1 matches ward --man-commands"
		else
			fail "COMMANDS section of docs/ward.1 differs from ward --man-commands (regenerate it):"
			diff -u "$TMP/man-section" "$TMP/man-commands" |
			    sed -n '1,40p' | sed 's/^/    /'
		fi
		if man_section COMMANDS | grep -q '^\.\\" BEGIN COMMANDS$'; then
			pass "the generated commands sit in the COMMANDS section"
		else
			fail "the BEGIN COMMANDS marker is not inside .SH COMMANDS"
		fi
	fi
fi

# --- 1b. KEYS section == ward --man-keys ------------------------------------
if ! "$WARD_BIN" --man-keys > "$TMP/man-keys" 2> "$TMP/err"; then
	fail "$WARD_BIN --man-keys failed: $(head -n 1 "$TMP/err")"
elif [ "$(grep -c '^\.TP$' "$TMP/man-keys")" -lt 20 ]; then
	fail "$WARD_BIN --man-keys printed fewer than 20 bindings"
else
	begins=$(grep -c '^\.\\" BEGIN KEYS$' "$MAN")
	ends=$(grep -c '^\.\\" END KEYS$' "$MAN")
	if [ "$begins" != 1 ] || [ "$ends" != 1 ]; then
		fail "docs/ward.1 needs exactly one '.\\\" BEGIN KEYS' and one '.\\\" END KEYS' line (found $begins and $ends)"
	else
		awk '/^\.\\" END KEYS$/ { on = 0 }
		     on { print }
		     /^\.\\" BEGIN KEYS$/ { on = 1 }' "$MAN" \
		    > "$TMP/man-keys-section"
		if cmp -s "$TMP/man-keys" "$TMP/man-keys-section"; then
			pass "KEYS section of docs/ward.1 matches ward --man-keys ($(grep -c '^\.TP$' "$TMP/man-keys") bindings)"
		else
			fail "KEYS section of docs/ward.1 differs from ward --man-keys (regenerate it):"
			diff -u "$TMP/man-keys-section" "$TMP/man-keys" |
			    sed -n '1,40p' | sed 's/^/    /'
		fi
		if man_section KEYS | grep -q '^\.\\" BEGIN KEYS$'; then
			pass "the generated keys sit in the KEYS section"
		else
			fail "the BEGIN KEYS marker is not inside .SH KEYS"
		fi
	fi
fi

# --- 2. every section a man page needs ---------------------------------------
missing=""
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS CONFIGURATION KEYS FILES \
    ENVIRONMENT "EXIT STATUS" SECURITY "SEE ALSO"; do
	grep -q -E "^\.SH \"?$s\"?\$" "$MAN" || missing="$missing [$s]"
done
if [ -z "$missing" ]; then
	pass "docs/ward.1 has every section"
else
	fail "docs/ward.1 lacks the section(s)$missing"
fi

# --- 3. every option of src/main.c in OPTIONS --------------------------------
# Long options from the struct option table, short ones from getopt_long's
# option string.
man_section OPTIONS > "$TMP/options"
longopts=$(grep -o -E '\{ *"[a-z][a-z0-9-]*" *, *(no|required|optional)_argument' \
    "$REPO/src/main.c" | sed -E 's/^\{ *"([^"]*)".*/\1/' | sort -u)
shortopts=$(grep -o -E 'getopt_long\([^,]*,[^,]*, *"[^"]*"' "$REPO/src/main.c" |
    sed -E 's/.*"([^"]*)"$/\1/' | tr -d ':' | fold -w 1 | sort -u)
if [ -z "$longopts" ]; then
	fail "found no long options in src/main.c (has its option table changed shape?)"
fi
n=0; bad=""
for o in $longopts; do
	n=$((n + 1))
	# roff writes "--name" as "\-\-name" (or, carelessly, "--name"); the
	# name must not go on ("--config" is not "--config-dir")
	pat=$(printf '%s' "$o" | sed 's/-/(\\\\-|-)/g')
	re='(\\-|-)(\\-|-)'"$pat"'($|[^a-z0-9\-]|\\[^-])'
	grep -q -E "$re" "$TMP/options" || bad="$bad --$o"
done
for o in $shortopts; do
	n=$((n + 1))
	re='(\\-|^-|[^a-z\-]-)'"$o"'($|[^a-z0-9\-]|\\[^-])'
	grep -q -E "$re" "$TMP/options" || bad="$bad -$o"
done
if [ -z "$bad" ]; then
	pass "OPTIONS of docs/ward.1 names all $n options of src/main.c"
else
	fail "OPTIONS of docs/ward.1 misses:$bad"
fi

# --- 4. every ward.conf key in CONFIGURATION ---------------------------------
man_section CONFIGURATION > "$TMP/configuration"
keys=$(grep -o -E '\{ *"[a-z_]+" *, *SEC_(WARD|ACCOUNT)' "$REPO/src/core/config_keys.c" |
    sed -E 's/^\{ *"([^"]*)".*/\1/' | sort -u)
if [ -z "$keys" ]; then
	fail "found no keys in src/core/config_keys.c"
fi
n=0; bad=""
for k in $keys; do
	n=$((n + 1))
	# a key is documented as a tagged paragraph: ".TP" then ".B key"
	grep -q -x -E "\.B $k" "$TMP/configuration" || bad="$bad $k"
done
if [ -z "$bad" ]; then
	pass "CONFIGURATION of docs/ward.1 documents all $n ward.conf keys"
else
	fail "CONFIGURATION of docs/ward.1 misses the key(s):$bad"
fi

# every [ui] key in the [ui] subsection, and a [keys] subsection
uikeys=$(grep -o -E '\{ *"[a-z_]+" *, *SEC_UI' "$REPO/src/core/config_keys.c" |
    sed -E 's/^\{ *"([^"]*)".*/\1/' | sort -u)
awk '/^\.SS "\[ui\] section"/ { on = 1; next } /^\.S[SH] / { on = 0 } on' "$MAN" > "$TMP/ui-section"
n=0; bad=""
for k in $uikeys; do
	n=$((n + 1))
	grep -q -x -E "\.B $k" "$TMP/ui-section" || bad="$bad $k"
done
if [ -z "$uikeys" ]; then
	fail "found no [ui] keys (SEC_UI) in src/core/config_keys.c"
elif [ -z "$bad" ]; then
	pass "the [ui] section of docs/ward.1 documents all $n [ui] keys"
else
	fail "the [ui] section of docs/ward.1 misses the key(s):$bad"
fi
if grep -q -x '\.SS "\[keys\] section"' "$MAN"; then
	pass "docs/ward.1 has a [keys] section"
else
	fail "docs/ward.1 has no [keys] section"
fi

# --- 5. event kinds ------------------------------------------------------------
kinds=$(awk '/^event_kind_name\(/ { on = 1 } on && /^}/ { on = 0 } on' \
    "$REPO/src/core/event.c" |
    grep -o -E 'case EV_[A-Z_]+: *return "[a-z_-]+"' |
    sed -E 's/.*"([^"]*)"$/\1/' | sort -u)
if [ -z "$kinds" ]; then
	fail "found no event kinds in src/core/event.c's event_kind_name()"
fi
n=0; bad=""
for k in $kinds; do
	n=$((n + 1))
	grep -q -E "^#+ .*\`$k\`" "$EVENTS" || bad="$bad $k"
done
if [ -z "$bad" ]; then
	pass "docs/events.md has a section for each of the $n event kinds"
else
	fail "docs/events.md has no heading for the event kind(s):$bad"
fi
if grep -q -i 'event stream version [0-9]' "$EVENTS"; then
	pass "docs/events.md states the event stream version"
else
	fail "docs/events.md does not say \"event stream version N\""
fi

# --- 6. error codes --------------------------------------------------------------
# The string literals in one argument of every call of a function, across
# newlines: event_error(ACCOUNT, CODE, TEXT) and the functions whose code
# argument reaches event_error() unchanged: session_abort(a, CODE, TEXT),
# conn_fail(c, CODE, TEXT) -> session_closed(), tls_set_error(t, CODE, ...)
# -> tls_error_code() -> conn_fail(), xs_fail(xs, err, COND, TEXT) ->
# xmlstream_error_condition() -> conn_fail(), omemo_dev_error(a, CODE, TEXT,
# JID, ID) (an error event with the chat's JID and message id).
# call_literals FUNC ARGNO FILES...
call_literals() {
	local func=$1 argno=$2
	shift 2
	# one file at a time: the search below copies the rest of the text at
	# every call it finds, which over all of src/ at once took minutes
	local f
	for f in "$@"; do awk -v func_name="$func" -v argno="$argno" -v q="'" '
	{ text = text $0 "\n" }
	END {
		n = length(text); fl = length(func_name)
		start = 1
		while ((p = index(substr(text, start), func_name "(")) > 0) {
			i = start + p - 1
			start = i + fl + 1
			if (i > 1 && substr(text, i - 1, 1) ~ /[A-Za-z0-9_]/)
				continue
			arg = 1; depth = 0; lit = ""; inlit = 0
			for (j = i + fl + 1; j <= n; j++) {
				c = substr(text, j, 1)
				if (inlit) {
					if (c == "\\") {
						lit = lit substr(text, j, 2); j++
					} else if (c == "\"") {
						inlit = 0
						if (arg == argno && lit != "")
							print lit
					} else
						lit = lit c
					continue
				}
				if (c == "\"") { inlit = 1; lit = ""; continue }
				if (c == q) {		# a char literal
					j += (substr(text, j + 1, 1) == "\\") ? 3 : 2
					continue
				}
				if (c == "(" || c == "[" || c == "{") depth++
				else if (c == ")" || c == "]" || c == "}") {
					if (depth == 0) break
					depth--
				} else if (c == "," && depth == 0) arg++
				else if (c == ";" && depth == 0) break
			}
		}
	}' "$f"
	done
}
srcs=$(find "$REPO/src" -name '*.c' | sort)
# shellcheck disable=SC2086
{
	call_literals event_error 2 $srcs
	call_literals session_abort 2 $srcs
	call_literals conn_fail 2 $srcs
	call_literals tls_set_error 2 $srcs
	call_literals xs_fail 3 $srcs
	call_literals omemo_dev_error 2 $srcs
	grep -h -o -E '\bcond = "[a-z-]+"' $srcs | sed -E 's/.*"(.*)"/\1/'
} | sort -u > "$TMP/codes"
# shellcheck disable=SC2086
direct=$(call_literals event_error 2 $srcs | sort -u | wc -l)
if [ "$direct" -lt 5 ]; then
	fail "found only $direct literal codes passed to event_error( in src/ (has the extraction broken?)"
fi
n=0; bad=""
while IFS= read -r code; do
	n=$((n + 1))
	grep -q -F "\`$code\`" "$EVENTS" || bad="$bad $code"
done < "$TMP/codes"
if [ -z "$bad" ]; then
	pass "docs/events.md documents all $n error codes found in src/"
else
	fail "docs/events.md does not document the error code(s):$bad"
fi
# The codes of the contract (DESIGN.md) stay documented even before the
# code emits them.
bad=""
for code in dnssec-bogus dane-mismatch cert-untrusted cert-changed \
    tls-version auth-failed sasl-downgrade omemo-unavailable config; do
	grep -q -F "\`$code\`" "$EVENTS" || bad="$bad $code"
done
if [ -z "$bad" ]; then
	pass "docs/events.md documents every error code of the contract"
else
	fail "docs/events.md lacks contract error code(s):$bad"
fi

# --- 7. the man page renders cleanly -------------------------------------------
if command -v groff > /dev/null 2>&1; then
	groff -man -Tutf8 -ww "$MAN" > /dev/null 2> "$TMP/groff"
	if [ -s "$TMP/groff" ]; then
		fail "groff -ww warns about docs/ward.1: $(head -n 3 "$TMP/groff" | tr '\n' ' ')"
	else
		pass "docs/ward.1 renders without groff warnings"
	fi
else
	fail "groff not installed (groff-base is in DEPS_TEST, tests/lib/deps.sh): docs/ward.1 not rendered"
fi

[ "$FAILS" -eq 0 ]
