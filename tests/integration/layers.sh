#!/bin/bash
# layers.sh: the layering rules hold (DESIGN.md, UI.md's security section).
# - The core (src/, crypto/) includes nothing from ui/, except src/main.c,
#   the program entry, which includes ui/ui.h only.
# - ui/ includes no connection, XML, storage or crypto header.
# - Only ui/view/draw.c writes cell text to the terminal: no file calls
#   curses or terminfo output (tputs, putp) but draw.c, and in ui/ only
#   draw.c and ui/term/ write to standard output at all; only ui/term/
#   writes escape sequences of its own (and nothing sends OSC 52 or
#   queries the title).
# No servers, no binary: a grep over the tree. Each rule is checked on a
# planted violation too, so the grep cannot rot into passing everything.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
TEST_NAME=layers
FAILS=0
pass() { echo "PASS: $TEST_NAME: $*"; }
fail() { echo "FAIL: $TEST_NAME: $*"; FAILS=$((FAILS + 1)); }

FORBIDDEN='(conn[a-z_]*|tls|xmlstream[a-z_]*|stanza|store[a-z_]*|scram|sasl|omemo[a-z_]*|strophe|dns[a-z_]*|dane|serverpin|cbpin)\.h'
CURSES_OUT='\b(waddchstr|waddchnstr|mvwaddchstr|mvwaddchnstr|addchstr|addchnstr|mvaddchstr|mvaddchnstr|waddstr|waddnstr|mvwaddnstr|mvwaddstr|addstr|addnstr|mvaddstr|mvaddnstr|addch|waddch|mvaddch|mvwaddch|printw|wprintw|mvprintw|mvwprintw|vw_printw|wadd_wch|add_wch|wadd_wchstr|wadd_wchnstr|waddwstr|waddnwstr|addwstr|echochar|wechochar|insstr|winsstr|winsch|insch|putp|tputs)\s*\('
# writing to standard output by any other means
STDOUT_OUT='(\bwrite\s*\(\s*(1|STDOUT_FILENO)\s*,|\b(printf|puts|fputs|fwrite|putchar|fputc|vprintf)\s*\(|\bfprintf\s*\(\s*stdout)'
ESCAPES='(\\033|\\x1[bB]|\\e\[|\\e\]|\\233|\\x9[bBdD])'

# check_core DIR: files of the core that include a ui/ header.
check_core() {
	grep -rlE '^\s*#\s*include\s*[<"](ui/|text/|input/|model/|view/|term/)' \
	    "$1"/src "$1"/crypto 2>/dev/null | grep -v '/src/main\.c$'
}
# check_main DIR: ui/ headers src/main.c includes other than ui/ui.h.
check_main() {
	grep -E '^\s*#\s*include\s*[<"]ui/' "$1"/src/main.c 2>/dev/null |
	    grep -v '"ui/ui\.h"'
}
# check_ui DIR: ui/ files including a forbidden header or crypto/.
check_ui() {
	grep -rnE "^\s*#\s*include\s*[<\"]([^\">]*/)?$FORBIDDEN[\">]" "$1"/ui \
	    2>/dev/null
	grep -rnE '^\s*#\s*include\s*[<"](crypto/|\.\./)' "$1"/ui 2>/dev/null
}
# check_draw DIR: curses or terminfo output outside ui/view/draw.c, and
# writes to standard output in ui/ outside draw.c and ui/term/.
check_draw() {
	grep -rnE "$CURSES_OUT" "$1"/ui "$1"/src "$1"/crypto \
	    --include='*.c' --include='*.h' 2>/dev/null |
	    grep -v '^[^:]*/ui/view/draw\.c:'
	grep -rnE "$STDOUT_OUT" "$1"/ui --include='*.c' --include='*.h' \
	    2>/dev/null | grep -v '^[^:]*/ui/view/draw\.c:' |
	    grep -v '^[^:]*/ui/term/'
}
# check_esc DIR: escape sequences written outside ui/term/ (ui/ only; the
# core never writes to the terminal at all), or OSC 52 / title queries.
check_esc() {
	grep -rnE "$ESCAPES" "$1"/ui --include='*.c' 2>/dev/null |
	    grep -v '^[^:]*/ui/term/' | grep -v '^[^:]*/ui/input/' |
	    grep -v '^[^:]*/ui/text/'
	grep -rnE '\]52;|\[21t|\]l\\' "$1"/ui "$1"/src --include='*.c' \
	    2>/dev/null
}

run_all() {
	check_core "$1"
	check_main "$1"
	check_ui "$1"
	check_draw "$1"
	check_esc "$1"
}

out=$(check_core "$REPO")
[ -z "$out" ] && pass "the core includes nothing from ui/" ||
    fail "core files include ui/ headers: $out"
out=$(check_main "$REPO")
[ -z "$out" ] && pass "src/main.c includes ui/ui.h only" ||
    fail "src/main.c includes: $out"
out=$(check_ui "$REPO")
[ -z "$out" ] && pass "ui/ includes no connection, XML, storage or crypto header" ||
    fail "ui/ includes forbidden headers: $out"
out=$(check_draw "$REPO")
[ -z "$out" ] && pass "only ui/view/draw.c writes cell text to the terminal" ||
    fail "terminal output outside draw.c: $out"
out=$(check_esc "$REPO")
[ -z "$out" ] && pass "only ui/term/ writes escape sequences; no OSC 52, no title query" ||
    fail "escape sequences outside ui/term/: $out"
if grep -qE "$CURSES_OUT" "$REPO"/ui/view/draw.c 2>/dev/null &&
    grep -qE "$STDOUT_OUT" "$REPO"/ui/view/draw.c; then
	pass "ui/view/draw.c is where drawing happens"
else
	fail "ui/view/draw.c neither expands terminfo nor writes (the check is blind)"
fi

# The checks catch planted violations (a copy of the tree's layout).
T=$(mktemp -d /tmp/ward-layers.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$T"/src "$T"/crypto "$T"/ui/view "$T"/ui/term "$T"/ui/model "$T"/ui/input
printf '#include "ui/ui.h"\n' > "$T"/src/main.c
printf 'int x;\n' > "$T"/ui/view/draw.c
plant() {	# plant FILE LINE WHAT
	local saved
	saved=$(mktemp "$T"/saved.XXXXXX)
	[ -f "$T/$1" ] && cp "$T/$1" "$saved"
	printf '%s\n' "$2" >> "$T/$1"
	if [ -n "$(run_all "$T")" ]; then
		pass "a planted violation is caught: $3"
	else
		fail "a planted violation is missed: $3"
	fi
	if [ -s "$saved" ]; then cp "$saved" "$T/$1"; else rm -f "$T/$1"; fi
	printf '#include "ui/ui.h"\n' > "$T"/src/main.c
}
[ -z "$(run_all "$T")" ] && pass "a clean tree passes" ||
    fail "a clean tree fails: $(run_all "$T")"
plant src/im.c '#include "ui/ui.h"' "the core including ui/ui.h"
plant crypto/x.c '#include "view/draw.h"' "crypto including a ui header"
plant src/main.c '#include "ui/view/grid.h"' "main.c including more than ui/ui.h"
plant ui/model/a.c '#include "conn.h"' "ui including conn.h"
plant ui/model/b.c '#include <strophe.h>' "ui including strophe.h"
plant ui/model/c.c '#include "omemo_im.h"' "ui including an omemo header"
plant ui/model/d.c '#include "crypto/omemo.h"' "ui including crypto/"
plant ui/model/e.c '#include "store.h"' "ui including store.h"
plant ui/view/f.c '	mvwaddnstr(w, 0, 0, s, n);' "curses output outside draw.c"
plant ui/view/g.c '	printw("%s", s);' "printw outside draw.c"
plant ui/view/h.c '	mvwaddchnstr(w, 0, 0, run, n);' "waddchnstr outside draw.c"
plant ui/model/h.c '	write(1, "\033[2J", 4);' "an escape sequence outside ui/term/"
plant ui/model/j.c '	write(1, buf, n);' "a write to the terminal outside draw.c"
plant ui/view/k.c '	fputs(s, stdout);' "fputs to standard output outside draw.c"
plant ui/input/l.c '	tputs(cup, 1, outc);' "terminfo output outside draw.c"
plant ui/term/i.c '	write(1, "\033]52;c;eA==\007", 12);' "OSC 52 anywhere"

echo "$TEST_NAME: $FAILS failure(s)"
[ "$FAILS" -eq 0 ]
