#!/usr/bin/python3
# ui_bench.py: the curses UI's own lines of issue 12, measured from outside
# on the real binary: ward's UI runs on a pseudo-terminal this script owns
# (no tmux in between, so a key written to the terminal and the first byte
# ward draws back are timed to the microsecond), next to a headless ward
# doing the same work. Started by bench/run.sh after bench.py (the test
# network is up and exported); docs/performance.md says what each number
# is. Writes ui.json and ui.md into --out. Measurements, never assertions.
#
#   start to first frame     STAMP's exec time to the first output holding
#                            the account's JID (and to "TLS1.3": the network);
#                            also ward's CPU time up to its first byte
#                            (schedstat, minus the stamping shell's), which
#                            the machine's load does not stretch
#   keypress to screen       a key written to the terminal to the first
#                            byte drawn back, with N lines in the window
#                            (seeded into ward.db, then the window opened)
#   PgUp                     the PgUp sequence to the first byte and to the
#                            end of the burst (no output for 30 ms); and
#                            ward's CPU time per PgUp and per key
#   RSS added by the UI      UI ward minus headless ward, each after the
#                            same 20 x 2,000 messages from 20 contacts
#   memory per stored line   (the UI's RSS growth - headless growth) / lines
#                            - mean body bytes: an upper bound
#   idle wake-ups            voluntary context switches and bytes drawn in
#                            --idle seconds with nothing happening
#   flood CPU per message    5,000 chats into the open window, UI and
#                            headless, CPU (schedstat) per message

import argparse
import fcntl
import json
import os
import pty
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench as B  # noqa: E402  (the bench's helpers: /proc, Prosody, waits)

DOMAIN = B.DOMAIN
T0 = time.time()


def log(msg):
    sys.stderr.write('[ui-bench %6.1fs] %s\n' % (time.time() - T0, msg))
    sys.stderr.flush()


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


class Ward:
    """One ward instance: its dirs and config (as bench.py's Ward)."""

    def __init__(self, work, user, pw, ward_bin):
        self.user, self.bin = user, ward_bin
        self.bare = '%s@%s' % (user, DOMAIN)
        self.dir = os.path.join(work, 'ui-%s' % user)
        self.first_cpu_ns = None
        for d in (self.dir, self.dir + '/config', self.dir + '/data'):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o700)
        conf = self.dir + '/config/ward.conf'
        with open(conf, 'w') as f:
            f.write('[account %s]\njid = %s\npassword = %s\nresource = bench\n'
                    'ca_file = %s\ndns_trust_anchor = %s\ndns_stub = test. 127.0.0.1@%s\n'
                    % (user, self.bare, pw, B.env('TEST_CA'), B.env('DNS_ANCHOR'),
                       B.env('DNS_PORT')))
        os.chmod(conf, 0o600)
        self.fifo = self.dir + '/cmd.fifo'
        self.proc = None
        self.pid = None

    def argv(self, headless):
        t0 = self.dir + '/t0'
        try:
            os.unlink(t0)
        except FileNotFoundError:
            pass
        return [os.path.join(HERE, 'stamp.sh'), t0, self.bin] + \
            (['--headless'] if headless else []) + \
            ['-a', self.user, '--config-dir', self.dir + '/config', '--data-dir',
             self.dir + '/data', '--pipe', self.fifo]

    def t0_cpu_ns(self):
        try:
            with open(self.dir + '/t0.cpu') as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def t0(self):
        def get():
            try:
                with open(self.dir + '/t0') as f:
                    return float(f.read())
            except (OSError, ValueError):
                return None
        return B.wait_until(get, 10, 0.002)

    def cmd(self, line):
        fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, line.encode() + b'\n')
        os.close(fd)

    def quit(self):
        if self.proc is None:
            return
        try:
            self.cmd('/quit')
        except OSError:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait(5)
        self.proc = None

    def stored(self):
        try:
            db = sqlite3.connect('file:%s/data/ward.db?mode=ro' % self.dir, uri=True, timeout=10)
            try:
                return db.execute('SELECT count(*) FROM history').fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error:
            return 0

    def mean_body(self):
        db = sqlite3.connect('file:%s/data/ward.db?mode=ro' % self.dir, uri=True, timeout=10)
        try:
            return db.execute('SELECT avg(length(body)) FROM history').fetchone()[0] or 0
        finally:
            db.close()


class Headless(Ward):
    def start(self):
        self.proc = subprocess.Popen(self.argv(True), stdin=subprocess.DEVNULL,
                                     stdout=open(self.dir + '/events.jsonl', 'ab'),
                                     stderr=open(self.dir + '/stderr', 'ab'))
        self.pid = self.proc.pid
        return self.t0()


class UI(Ward):
    """ward's UI on a pseudo-terminal of ours; every output chunk is kept
    with its arrival time."""

    def start(self, cols=160, rows=48):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        env = dict(os.environ, TERM='xterm-256color', LANG='C.UTF-8', LC_ALL='C.UTF-8')
        env.pop('NO_COLOR', None)
        self.proc = subprocess.Popen(
            self.argv(False), stdin=slave, stdout=slave, stderr=open(self.dir + '/stderr', 'ab'),
            env=env, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.pid = self.proc.pid
        self.master = master
        self.chunks = []          # (time, bytes)
        self.total = 0
        self.cv = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self.t0()

    def _read(self):
        while True:
            try:
                b = os.read(self.master, 65536)
            except OSError:
                break
            if not b:
                break
            t = time.time()
            if not self.chunks:
                self.first_cpu_ns = B.proc_cpu_ns(self.pid)
            with self.cv:
                self.chunks.append((t, b))
                self.total += len(b)
                self.cv.notify_all()

    def first_with(self, needle, after=0.0, timeout=30):
        """Time of the first chunk (after `after`) that completes `needle`
        (a needle without runs of one character: ncurses may send REP)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.cv:
                buf = b''
                for t, b in self.chunks:
                    if t < after:
                        continue
                    buf += b
                    if needle in buf:
                        return t
                    buf = buf[-len(needle):]
                self.cv.wait(0.05)
        return None

    def quiet(self, gap=0.05, timeout=10):
        """Waits until nothing was drawn for `gap` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.cv:
                last = self.chunks[-1][0] if self.chunks else 0
            if time.time() - last >= gap:
                return True
            time.sleep(gap / 2)
        return False

    def press(self, data, burst_gap=0.03, timeout=5):
        """Writes `data`; returns (first byte drawn, end of the burst) in ms."""
        self.quiet()
        with self.cv:
            n = len(self.chunks)
            t_send = time.time()
            os.write(self.master, data)
            while len(self.chunks) == n and time.time() - t_send < timeout:
                self.cv.wait(0.5)
            if len(self.chunks) == n:
                return None, None
            first = self.chunks[n][0]
        last = first
        while True:
            time.sleep(burst_gap)
            with self.cv:
                t = self.chunks[-1][0]
            if t == last:
                break
            last = t
        return (first - t_send) * 1000, (last - t_send) * 1000

    def type(self, data):
        os.write(self.master, data)

    def quit(self):
        super().quit()
        try:
            os.close(self.master)
        except OSError:
            pass


def flood(sender, to, count, tag, pw, work):
    out = os.path.join(work, 'uiflood-%s.jsonl' % tag)
    with open(out, 'w') as f:
        p = subprocess.Popen([B.PY, B.RAW, 'flood', '--to', to, '--run', tag, '--count',
                              str(count), '--timeout', '600'] + B.raw_args(sender, pw), stdout=f)
    return p


SEED_NEWEST = 'the newest seeded line'


def seed(w, peer, n):
    """n history rows from peer, one a second up to an hour ago, written
    into the stopped ward's database in one transaction."""
    db = sqlite3.connect('%s/data/ward.db' % w.dir, timeout=30)
    now = int(time.time() * 1000) - 3600 * 1000
    # bodies without runs of one character: ncurses may draw a run with
    # REP (ESC [ N b), and the newest is found by its text in the output
    rows = (((w.user, peer, 'in', 'chat', peer + '/seed', 'seed-%d' % i,
              SEED_NEWEST if i == n - 1 else 'seed %d of the long window, a line to page' % i,
              'none', now - (n - i) * 1000)) for i in range(n))
    with db:
        db.executemany('INSERT INTO history (account, peer, direction, type, from_jid, '
                       'stanza_id, body, encryption, ts) VALUES (?,?,?,?,?,?,?,?,?)', rows)
    db.close()


def wait_stored(w, n, timeout):
    return B.wait_until(lambda: w.stored() >= n, timeout, 0.05)


def mem(pid):
    m = B.proc_mem(pid)
    return {k: m.get(k) for k in ('VmRSS', 'RssAnon')}


def lat_stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {'n': len(xs), 'p50_ms': round(statistics.median(xs), 3),
            'p99_ms': round(pct(xs, 99), 3), 'max_ms': round(max(xs), 3),
            # the slowest five with their place in the run: a tail that
            # comes back at the same places is ward's, not the machine's
            'slowest': sorted(((round(x, 3), i) for i, x in enumerate(xs)),
                              reverse=True)[:5]}


def main():
    p = argparse.ArgumentParser(description='ward UI bench')
    p.add_argument('--ward', required=True)
    p.add_argument('--out', default='build/bench')
    p.add_argument('--frames', type=int, default=5)
    p.add_argument('--lines', type=int, default=100000)
    p.add_argument('--windows', type=int, default=20)
    p.add_argument('--per-window', type=int, default=2000)
    p.add_argument('--messages', type=int, default=5000)
    p.add_argument('--keys', type=int, default=300)
    p.add_argument('--pgups', type=int, default=40)
    p.add_argument('--idle', type=int, default=60)
    args = p.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    work = os.path.join(B.env('WARD_TEST_DIR'), 'ui-bench')
    os.makedirs(work, exist_ok=True)
    pw = B.env('BENCH_PW')
    ward_bin = os.path.join(work, 'ward')
    subprocess.run(['cp', '-p', os.path.abspath(args.ward), ward_bin], check=True)
    res = {'machine': {'date': time.strftime('%Y-%m-%d %H:%M %Z'),
                       'ward_tree': subprocess.run(['git', '-C', os.path.dirname(HERE), 'describe',
                                                    '--always', '--dirty'], capture_output=True,
                                                   text=True).stdout.strip(),
                       'cores': os.cpu_count(),
                       'load': open('/proc/loadavg').read().split()[:3]},
           'params': vars(args)}

    senders = ['f%02d' % (i + 1) for i in range(args.windows)]
    accounts = ['uiu', 'uih', 'uiflood'] + senders
    spec = os.path.join(work, 'accounts.json')
    with open(spec, 'w') as f:
        json.dump({'domain': DOMAIN, 'accounts': accounts,
                   'rosters': {a: [] for a in accounts}}, f)
    tpl = os.path.join(B.env('PROSODY_DIR'), 'data', 'good%2etest', 'accounts', 'obs.dat')
    subprocess.run([B.PY, os.path.join(HERE, 'provision.py'),
                    os.path.join(B.env('PROSODY_DIR'), 'data'), tpl, spec], check=True)
    server = B.Prosody()
    server.restart()
    log('Prosody (bench config) up')

    ui = UI(work, 'uiu', pw, ward_bin)
    hl = Headless(work, 'uih', pw, ward_bin)
    try:
        # start to first frame (network up; the frame should not wait for it)
        frames = []
        for i in range(args.frames + 1):
            t0 = ui.start()
            t_frame = ui.first_with(b'uiu@' + DOMAIN.encode(), 0, 20)
            t_net = ui.first_with(b'TLS1.3', 0, 20)
            ui.quiet(0.3)
            ui.quit()
            c0 = ui.t0_cpu_ns()
            r = {'first_byte_ms': round((ui.chunks[0][0] - t0) * 1000, 2) if ui.chunks else None,
                 'cpu_to_first_byte_ms': round((ui.first_cpu_ns - c0) / 1e6, 2)
                 if ui.first_cpu_ns and c0 is not None else None,
                 'load': open('/proc/loadavg').read().split()[0],
                 'frame_ms': round((t_frame - t0) * 1000, 2) if t_frame else None,
                 'tls_shown_ms': round((t_net - t0) * 1000, 2) if t_net else None}
            log('first frame run %d: %s' % (i, r))
            if i > 0:
                frames.append(r)
        res['first_frame'] = frames

        ui.start()
        hl.start()
        ui.first_with(b'TLS1.3', 0, 30)
        B.wait_quiet(ui.pid, time.time(), 30)
        B.wait_quiet(hl.pid, time.time(), 30)
        time.sleep(3)
        res['mem_login'] = {'ui': mem(ui.pid), 'headless': mem(hl.pid)}

        # idle
        log('idle %d s' % args.idle)
        c0 = {k: (B.proc_ctx(w.pid), B.proc_cpu_ns(w.pid)) for k, w in (('ui', ui), ('headless', hl))}
        bytes0 = ui.total
        time.sleep(args.idle)
        res['idle'] = {'seconds': args.idle, 'ui_bytes_drawn': ui.total - bytes0}
        for k, w in (('ui', ui), ('headless', hl)):
            (v0, n0), ns0 = c0[k]
            (v1, n1), ns1 = B.proc_ctx(w.pid), B.proc_cpu_ns(w.pid)
            res['idle'][k] = {'voluntary': v1 - v0, 'nonvoluntary': n1 - n0,
                              'cpu_ms': round((ns1 - ns0) / 1e6, 2)}
        log('idle: %s' % res['idle'])

        # 20 windows x 2,000 lines, the same into the headless ward
        log('%d contacts x %d messages into each' % (args.windows, args.per_window))
        m0 = {'ui': mem(ui.pid), 'headless': mem(hl.pid)}
        n_ui0, n_hl0 = ui.stored(), hl.stored()
        for s in senders:
            for w in (ui, hl):
                fp = flood('%s@%s' % (s, DOMAIN), w.bare, args.per_window, s, pw, work)
                fp.wait(600)
        total = args.windows * args.per_window
        ok = wait_stored(ui, n_ui0 + total, 300) and wait_stored(hl, n_hl0 + total, 300)
        B.wait_quiet(ui.pid, time.time(), 60)
        B.wait_quiet(hl.pid, time.time(), 60)
        time.sleep(3)
        m1 = {'ui': mem(ui.pid), 'headless': mem(hl.pid)}
        body = ui.mean_body()
        grow_ui = m1['ui']['VmRSS'] - m0['ui']['VmRSS']
        grow_hl = m1['headless']['VmRSS'] - m0['headless']['VmRSS']
        res['windows'] = {
            'stored_all': bool(ok), 'lines': total, 'before': m0, 'after': m1,
            'rss_added_by_ui_kb': m1['ui']['VmRSS'] - m1['headless']['VmRSS'],
            'anon_added_by_ui_kb': m1['ui']['RssAnon'] - m1['headless']['RssAnon'],
            'mean_body_bytes': round(body, 1),
            'per_line_bytes_beyond_text': round((grow_ui - grow_hl) * 1024 / total - body, 1)}
        log('windows: %s' % res['windows'])

        # a 5,000-message flood into the open window, UI and headless
        ui.type(b'/query uiflood@' + DOMAIN.encode() + b'\r')
        ui.quiet(0.3)
        flood_res = {}
        for k, w in (('ui', ui), ('headless', hl)):
            server.clear_archives()
            n0 = w.stored()
            ns0 = B.proc_cpu_ns(w.pid)
            t = time.time()
            fp = flood('uiflood@' + DOMAIN, w.bare, args.messages, 'c' + k[0], pw, work)
            got = wait_stored(w, n0 + args.messages, 300)
            fp.wait(600)
            B.wait_quiet(w.pid, time.time(), 60)
            ns1 = B.proc_cpu_ns(w.pid)
            flood_res[k] = {'stored_all': bool(got), 'wall_s': round(time.time() - t, 2),
                            'cpu_us_per_msg': round((ns1 - ns0) / 1e3 / args.messages, 1)}
        res['flood'] = flood_res
        log('flood: %s' % flood_res)

        # keys and PgUp with --lines lines in a window: seeded into ward.db
        # while the UI is stopped (a flood of 100,000 goes through Prosody's
        # archive, which slows down past 10,000 messages a user: many
        # minutes), then the window opened and its history paged in
        log('%d lines into ward.db for uiseed@%s' % (args.lines, DOMAIN))
        ui.quit()
        seed(ui, 'uiseed@' + DOMAIN, args.lines)
        ui.start()
        ui.first_with(b'TLS1.3', 0, 30)
        B.wait_quiet(ui.pid, time.time(), 30)
        ui.type(b'/query uiseed@' + DOMAIN.encode() + b'\r')
        got = ui.first_with(SEED_NEWEST.encode(), time.time() - 1, 60)
        B.wait_quiet(ui.pid, time.time(), 60)
        ui.quiet(0.5)
        window_lines = args.lines
        keys = []
        cpu_keys = 0
        for i in range(args.keys):
            c = B.proc_cpu_ns(ui.pid)
            f, _ = ui.press(b'x')
            cpu_keys += B.proc_cpu_ns(ui.pid) - c
            keys.append(f)
            if i % 50 == 49:
                ui.press(b'\x15')     # C-u: the input line stays short
        ui.press(b'\x15')
        pg = []
        cpu_pg = 0
        for i in range(args.pgups):
            c = B.proc_cpu_ns(ui.pid)
            pg.append(ui.press(b'\x1b[5~'))
            cpu_pg += B.proc_cpu_ns(ui.pid) - c
        ui.press(b'\x1b[F')           # End
        ui.press(b'\x1b[4~')
        res['big_window'] = {
            'stored_all': bool(got), 'lines_in_window': window_lines,
            'keys': lat_stats(keys),
            'pgup_first': lat_stats([a for a, _ in pg]),
            'pgup_done': lat_stats([b for _, b in pg]),
            'cpu_us_per_key': round(cpu_keys / 1e3 / max(1, args.keys), 1),
            'cpu_us_per_pgup': round(cpu_pg / 1e3 / max(1, args.pgups), 1),
            'load': open('/proc/loadavg').read().split()[:3],
            'rss': mem(ui.pid)}
        # the same in the console (a short window) for comparison
        ui.press(b'\x1b1')
        keys = []
        for i in range(min(args.keys, 100)):
            f, _ = ui.press(b'x')
            keys.append(f)
        ui.press(b'\x15')
        res['console_keys'] = lat_stats(keys)
        log('big window: %s; console keys: %s' % (res['big_window'], res['console_keys']))
    finally:
        ui.quit()
        hl.quit()
    with open(os.path.join(out, 'ui.json'), 'w') as f:
        json.dump(res, f, indent=1)
    md = report(res)
    with open(os.path.join(out, 'ui.md'), 'w') as f:
        f.write(md)
    print(md)
    return 0


def report(res):
    def g(d, *ks):
        for k in ks:
            if not isinstance(d, dict) or d.get(k) is None:
                return None
            d = d[k]
        return d

    def f(v, fmt, unit=''):
        return '—' if v is None else (fmt % v) + unit
    fr = res.get('first_frame') or []
    med = lambda k: statistics.median([r[k] for r in fr if r.get(k) is not None]) \
        if any(r.get(k) is not None for r in fr) else None
    bw = res.get('big_window') or {}
    w = res.get('windows') or {}
    fl = res.get('flood') or {}
    idle = res.get('idle') or {}
    ratio = None
    if g(fl, 'ui', 'cpu_us_per_msg') and g(fl, 'headless', 'cpu_us_per_msg'):
        ratio = fl['ui']['cpu_us_per_msg'] / fl['headless']['cpu_us_per_msg']
    rows = [
        ('start to first frame (median of %d; network up)' % len(fr), f(med('frame_ms'), '%.1f', ' ms'),
         '≤ 30 ms', 'first byte %s; ward CPU to its first byte %s; TLS1.3 on screen at %s' % (
             f(med('first_byte_ms'), '%.1f', ' ms'), f(med('cpu_to_first_byte_ms'), '%.1f', ' ms'),
             f(med('tls_shown_ms'), '%.1f', ' ms'))),
        ('keypress to screen, p99, %s lines in the window' % f(bw.get('lines_in_window'), '%d'),
         f(g(bw, 'keys', 'p99_ms'), '%.2f', ' ms'), '≤ 2 ms',
         'p50 %s, max %s; CPU per key %s; console p99 %s' % (
             f(g(bw, 'keys', 'p50_ms'), '%.2f', ' ms'), f(g(bw, 'keys', 'max_ms'), '%.2f', ' ms'),
             f(g(bw, 'cpu_us_per_key'), '%.0f', ' µs'),
             f(g(res, 'console_keys', 'p99_ms'), '%.2f', ' ms'))),
        ('PgUp, first byte drawn, p99', f(g(bw, 'pgup_first', 'p99_ms'), '%.2f', ' ms'), '≤ 1 ms',
         'p50 %s; whole redraw p50 %s (burst end, 30 ms gap not counted); CPU per PgUp %s' % (
             f(g(bw, 'pgup_first', 'p50_ms'), '%.2f', ' ms'), f(g(bw, 'pgup_done', 'p50_ms'), '%.1f', ' ms'),
             f(g(bw, 'cpu_us_per_pgup'), '%.0f', ' µs'))),
        ('memory per stored line beyond its text (upper bound, from RSS)',
         f(w.get('per_line_bytes_beyond_text'), '%.0f', ' B'), '≤ 48 B',
         '%s lines, mean body %s B' % (w.get('lines'), w.get('mean_body_bytes'))),
        ('UI idle wake-ups, %s s' % idle.get('seconds'), f(g(idle, 'ui', 'voluntary'), '%d'), '0',
         'headless %s; %s bytes drawn while idle' % (g(idle, 'headless', 'voluntary'),
                                                     idle.get('ui_bytes_drawn'))),
        ('RSS added by the UI, %s lines in 20 windows' % w.get('lines'),
         f((w.get('rss_added_by_ui_kb') or 0) / 1024 if w else None, '%.1f', ' MB'), '≤ 3 MB',
         'anonymous part %s' % f((w.get('anon_added_by_ui_kb') or 0) / 1024 if w else None,
                                 '%.1f', ' MB')),
        ('5,000-message flood into the open window: CPU per message, UI ÷ headless',
         f(ratio, '%.2f'), '≤ 2', 'UI %s, headless %s' % (f(g(fl, 'ui', 'cpu_us_per_msg'), '%.0f', ' µs'),
                                                      f(g(fl, 'headless', 'cpu_us_per_msg'), '%.0f', ' µs'))),
    ]
    m = res.get('machine', {})
    out = ['ward UI bench, %s, tree %s, %s cores, load %s' % (
        m.get('date'), m.get('ward_tree'), m.get('cores'), ' '.join(m.get('load') or [])), '',
        '| measure | ward UI | target | notes |', '|---|---|---|---|']
    for r in rows:
        out.append('| %s | %s | %s | %s |' % r)
    return '\n'.join(out) + '\n'


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == '--report':
        with open(sys.argv[2]) as fh:
            print(report(json.load(fh)))
        sys.exit(0)
    sys.exit(main())
