#!/bin/bash
# colours (UI): the colours come from the terminal's capability and the
# user's wishes, read from the raw bytes ward writes (tmux pipe-pane):
# NO_COLOR (any non-empty value, even with COLORTERM=truecolor) and the
# monochrome theme of ward.conf [ui] send no SGR colour at all (no 3x/4x,
# 9x/10x, 38/48), yet the screen still says everything in words and
# attributes; COLORTERM=truecolor gives direct colour (38;2 / 38:2
# sequences, the form of the terminal's -direct terminfo entry: colons for
# tmux-direct); without it, tmux-256color's 256 colours (38;5) and no
# direct colour.
set -u
. "$(dirname "$0")/../lib/uitest.sh"
ui_net_up

ward_setup alice alice@good.test "$ALICE_PW"
ward_setup bob bob@good.test "$BOB_PW"
ward_start bob
RAW=$(ward_dir alice)/raw.log
CONF=$(ward_dir alice)/config/ward.conf
cp "$CONF" "$CONF.orig"

# sgr_report FILE: one line per SGR parameter group seen ("38:2", "31",
# "7", ...), from every CSI ... m of the raw output.
sgr_report() {
	python3 - "$1" << 'EOF_PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
for m in re.finditer(rb'\x1b\[([0-9;:]*)m', data):
    ps = m.group(1).decode().split(';') if m.group(1) else ['0']
    i = 0
    while i < len(ps):
        p = ps[i]
        head = p.split(':')[0]
        if head in ('38', '48') and ':' not in p and i + 1 < len(ps):
            # 38;5;N and 38;2;R;G;B
            kind = ps[i + 1]
            print(head + ';' + kind)
            i += 3 if kind == '5' else 5
            continue
        print(head + (':' + p.split(':')[1] if ':' in p else ''))
        i += 1
EOF_PY
}
# colour_sgr FILE: the colour parameters among them (none is the goal of
# NO_COLOR): 30-49 and 90-107, 38/48 in any form.
colour_sgr() {
	sgr_report "$1" | grep -E '^(3[0-9]|4[0-9]|9[0-7]|10[0-7])([;:]|$)'
}

# a message from bob, so that a nick colour is drawn
bob_speaks() {
	local try e0 i
	# alice publishes her OMEMO device as she logs in: a message bob
	# sends before it is there is refused (omemo-unavailable); send again
	for try in 1 2 3 4 5; do
		e0=$(ward_count bob '"code":"omemo-unavailable"')
		ward_cmd bob "/msg alice@good.test colour check $1"
		for i in $(seq 1 50); do
			[ "$(ward_count bob '"code":"omemo-unavailable"')" -gt "$e0" ] && break
			ui_match "\\[2 bob" && break
			sleep 0.2
		done
		[ "$(ward_count bob '"code":"omemo-unavailable"')" -gt "$e0" ] || break
		sleep 2
	done
	check "bob's message ($1) listed" ui_wait_for '\[2 bob' 20
	ui_keys M-2
	check "bob's message ($1) drawn" ui_wait_for "colour check $1" 20
	sleep 1
}

# --- NO_COLOR wins over COLORTERM=truecolor ---------------------------------
UI_ENV="NO_COLOR=1 COLORTERM=truecolor" check "the UI starts with NO_COLOR=1" ui_start alice
check "logged in" ui_wait_for 'TLS ?v?1\.3' 30
# bob is a stranger: accepted ahead, or his messages would be requests
ward_cmd alice "/accept bob@good.test"
check "bob (headless) connected" ward_seen bob '"event":"connected"' 30
bob_speaks nocolor
check "NO_COLOR: not one SGR colour sequence" test -z "$(colour_sgr "$RAW" | head -n 3)"
has_sgr() { sgr_report "$1" | grep -qx -- "$2"; }
check "NO_COLOR: attributes still mark the bars (reverse video)" has_sgr "$RAW" 7
check "NO_COLOR: and bold" has_sgr "$RAW" 1
check "NO_COLOR: the conversation's security said in words" ui_wait_for 'OMEMO' 10
check "NO_COLOR: the connection's security said in words" ui_wait_for 'TLS ?v?1\.3.*DNSSEC' 10
ui_stop; st=$?
check "ward exits 0 on /quit (NO_COLOR)" test "$st" -eq 0

# --- truecolor by COLORTERM ---------------------------------------------------
UI_ENV="COLORTERM=truecolor" check "the UI starts with COLORTERM=truecolor" ui_restart alice
check "logged in (truecolor)" ui_wait_for 'TLS ?v?1\.3' 30
bob_speaks truecolor
check "truecolor: direct-colour SGR sequences (38;2 or 38:2)" \
    bash -c "grep -qaE $'\x1b\\\\[[0-9;:]*38[;:]2[;:]' '$RAW'"
check "truecolor: no 256-colour palette sequences for names (38;5)" \
    test -z "$(sgr_report "$RAW" | grep -E '^38;5$' | head -n 1)"
ui_stop; st=$?
check "ward exits 0 on /quit (truecolor)" test "$st" -eq 0

# --- the terminal's 256 colours without COLORTERM -------------------------------
check "the UI starts without COLORTERM" ui_restart alice
check "logged in (256)" ui_wait_for 'TLS ?v?1\.3' 30
bob_speaks palette
check "256 colours: palette sequences (38;5)" \
    test -n "$(sgr_report "$RAW" | grep -E '^38;5$' | head -n 1)"
check "default theme: the bars are blue (SGR 44)" has_sgr "$RAW" 44
check "256 colours: no direct colour" \
    bash -c "! grep -qaE $'\x1b\\\\[[0-9;:]*38[;:]2[;:]' '$RAW'"
ui_stop; st=$?
check "ward exits 0 on /quit (256)" test "$st" -eq 0

# --- the light theme from ward.conf --------------------------------------------------
printf '\n[ui]\ntheme = light\n' >> "$CONF"
check "the UI starts with theme = light" ui_restart alice
check "logged in (light)" ui_wait_for 'TLS ?v?1\.3' 30
bob_speaks light
check "light: the bars on a light background (SGR 47)" has_sgr "$RAW" 47
check "light: not the default theme's blue bars (SGR 44)" not has_sgr "$RAW" 44
ui_stop; st=$?
check "ward exits 0 on /quit (light)" test "$st" -eq 0
cp "$CONF.orig" "$CONF"

# --- the monochrome theme from ward.conf ------------------------------------------
printf '\n[ui]\ntheme = monochrome\n' >> "$CONF"
UI_ENV="COLORTERM=truecolor" check "the UI starts with theme = monochrome" ui_restart alice
check "logged in (monochrome)" ui_wait_for 'TLS ?v?1\.3' 30
bob_speaks mono
check "monochrome: not one SGR colour sequence" test -z "$(colour_sgr "$RAW" | head -n 3)"
check "monochrome: the conversation's security said in words" ui_wait_for 'OMEMO' 10
ui_stop; st=$?
check "ward exits 0 on /quit (monochrome)" test "$st" -eq 0
cp "$CONF.orig" "$CONF"

check "no sanitizer report" ward_sanitizer_clean alice
ward_stop bob
test_exit
