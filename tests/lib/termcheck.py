#!/usr/bin/python3
# termcheck.py: checks for tests/ui/terminal_attacks.sh, on what ward wrote
# to its terminal (tmux pipe-pane's raw byte log) and on what the terminal
# then showed (capture-pane screens before and after one message).
#
#   termcheck.py raw LOG [--not HEX]...   exit 1 (reasons on stderr) when
#       the raw log holds a C1 control (as UTF-8 or as a lone byte), a bidi
#       control, a zero-width or invisible format character, a line or
#       paragraph separator, an OSC 52 (ESC ] 52), or any OSC/DCS/APC/PM
#       string carrying "pwn" (every payload's secret word); or any byte
#       string given with --not (hex), e.g. a marker followed by the raw
#       control that the payload put right after it. --only: just the
#       --not strings.
#   termcheck.py diff BEFORE AFTER ERE    exit 1 when the screen AFTER
#       differs from BEFORE in more than the new message's rows: the top and
#       bottom rows must be equal, the one above the bottom (the conversation
#       line) may change but not show ERE; the rows between (the chat view and any
#       pane beside it, split at a vertical rule) may scroll, and every row
#       that is new must hold a match of ERE (the message's markers) or be
#       blank or continue (wrap, with a hanging indent) such a row.
import difflib
import re
import sys

FORBIDDEN = {}
for cp in range(0x80, 0xA0):
    FORBIDDEN[cp] = 'C1 control'
for cp in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)) + [0x200E, 0x200F, 0x061C]:
    FORBIDDEN[cp] = 'bidi control'
for cp in [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E] + list(range(0x2061, 0x2065)):
    FORBIDDEN[cp] = 'zero-width/invisible'
for cp in [0x2028, 0x2029]:
    FORBIDDEN[cp] = 'line/paragraph separator'

STRING_RE = re.compile(rb'\x1b[\]P_^](.*?)(?:\x07|\x1b\\)', re.S)


def raw(path, nots, only):
    data = open(path, 'rb').read()
    bad = []
    text = data.decode('utf-8', errors='surrogateescape')
    for i, ch in enumerate('' if only else text):
        cp = ord(ch)
        if cp in FORBIDDEN:
            bad.append('%s U+%04X at char %d: %r' % (FORBIDDEN[cp], cp, i, text[max(0, i - 20):i + 10]))
        elif 0xDC80 <= cp <= 0xDC9F:
            bad.append('raw C1 byte 0x%02X at char %d: %r' % (cp - 0xDC00, i, text[max(0, i - 20):i + 10]))
    for m in re.finditer(rb'\x1b\]52', b'' if only else data):
        bad.append('OSC 52 at byte %d: %r' % (m.start(), data[m.start():m.start() + 40]))
    for m in STRING_RE.finditer(b'' if only else data):
        if b'pwn' in m.group(1):
            bad.append('a terminal string with remote text at byte %d: %r' % (m.start(), m.group(0)[:60]))
    for h in nots:
        b = bytes.fromhex(h)
        k = data.find(b)
        if k >= 0:
            bad.append('forbidden sequence %r at byte %d: %r' % (b, k, data[max(0, k - 20):k + 40]))
    for b in bad[:20]:
        print('termcheck raw: ' + b, file=sys.stderr)
    return 1 if bad else 0


VRULE = set('│|┃║')


def split_cols(rows, lo, hi):
    """Columns of a vertical rule running through the content rows."""
    width = max((len(r) for r in rows), default=0)
    cols = []
    n = hi - lo
    for c in range(width):
        k = sum(1 for r in rows[lo:hi] if c < len(r) and r[c] in VRULE)
        if n and k >= 0.6 * n:
            cols.append(c)
    return cols


def regions(row, cols):
    out, start = [], 0
    for c in cols:
        out.append(row[start:c])
        start = c + 1
    out.append(row[start:])
    return [s.rstrip() for s in out]


def diff(before, after, pattern):
    b = open(before, encoding='utf-8', errors='replace').read().split('\n')
    a = open(after, encoding='utf-8', errors='replace').read().split('\n')
    if b and b[-1] == '':
        b.pop()
    if a and a[-1] == '':
        a.pop()
    rx = re.compile(pattern)
    bad = []
    if len(a) != len(b):
        print('termcheck diff: %d rows before, %d after' % (len(b), len(a)), file=sys.stderr)
        return 1
    h = len(a)
    if h < 4:
        print('termcheck diff: screen too small', file=sys.stderr)
        return 1
    for r in (0, h - 1):
        if a[r].rstrip() != b[r].rstrip():
            bad.append('row %d changed:\n  before %r\n  after  %r' % (r, b[r], a[r]))
    # the conversation line above the input may change (the chat's state,
    # e.g. PLAINTEXT -> OMEMO once an encrypted message came) but never
    # shows the message's text
    if rx.search(a[h - 2]) or 'pwn' in a[h - 2]:
        bad.append('row %d (conversation line) shows the message: %r' % (h - 2, a[h - 2]))
    lo, hi = 1, h - 2
    cols = split_cols(b, lo, hi)
    if cols != split_cols(a, lo, hi):
        bad.append('the vertical rules moved: %s -> %s' % (cols, split_cols(a, lo, hi)))
    else:
        nreg = len(cols) + 1
        for g in range(nreg):
            bc = [regions(r, cols)[g] for r in b[lo:hi]]
            ac = [regions(r, cols)[g] for r in a[lo:hi]]
            sm = difflib.SequenceMatcher(None, bc, ac, autojunk=False)
            matched_b = []
            new_ok = [False] * len(ac)
            for op, i1, i2, j1, j2 in sm.get_opcodes():
                if op == 'equal':
                    matched_b.extend(range(i1, i2))
                    for j in range(j1, j2):
                        new_ok[j] = True
            # deleted rows of before: blank, or scrolled off above every kept row
            first_kept = min(matched_b) if matched_b else len(bc)
            kept = set(matched_b)
            for i in range(len(bc)):
                if i in kept or not bc[i].strip() or i < first_kept:
                    continue
                bad.append('region %d: row %d %r is gone' % (g, i + lo, bc[i]))
            # new rows of after: blank, a marker row, or continuing one
            in_msg = False
            for j in range(len(ac)):
                if new_ok[j]:
                    in_msg = False
                    continue
                if rx.search(ac[j]):
                    in_msg = True
                    continue
                if not ac[j].strip():
                    continue
                if in_msg and ac[j][:1].isspace():
                    continue  # a wrapped row of the message (hanging indent)
                in_msg = False
                bad.append('region %d: row %d is new and not the message: %r' % (g, j + lo, ac[j]))
    for x in bad[:20]:
        print('termcheck diff: ' + x, file=sys.stderr)
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'raw':
        nots = []
        only = False
        args = sys.argv[3:]
        while args:
            if args[0] == '--only':
                only = True
                args = args[1:]
            elif args[0] == '--not' and len(args) > 1:
                nots.append(args[1])
                args = args[2:]
            else:
                print('usage: termcheck.py raw LOG [--only] [--not HEX]...', file=sys.stderr)
                return 2
        return raw(sys.argv[2], nots, only)
    if len(sys.argv) == 5 and sys.argv[1] == 'diff':
        return diff(sys.argv[2], sys.argv[3], sys.argv[4])
    print('usage: termcheck.py raw LOG [--not HEX]... | diff BEFORE AFTER ERE', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
