#!/usr/bin/python3
# bench.py: ward (headless, and its curses UI in tmux) against Debian's
# profanity 0.13.1 and mcabber 1.1.2 on one loopback Prosody, in one run. Started by bench/run.sh (which brings the
# test network up and exports its variables); docs/performance.md says what
# each number means and how it is taken. Writes results.json and results.md into --out and
# prints the table.

import argparse
import ctypes
import glob
import json
import os
import platform
import pwd
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = os.environ
DOMAIN = 'good.test'
PY = '/usr/bin/python3'
RAW = os.path.join(HERE, 'xmpp_raw.py')
STAMP = os.path.join(HERE, 'stamp.sh')
CLK_TCK = os.sysconf('SC_CLK_TCK')
T_BEGIN = time.time()

# CPU quiescence: a process has "gone idle" once it used less than
# QUIET_CPU_NS of CPU over QUIET_WINDOW seconds (sampled every SAMPLE_S).
SAMPLE_S = 0.01
QUIET_WINDOW = 0.7
REST_S = 3                   # "at rest": this long after a burst ended
QUIET_CPU_NS = 3_000_000
ACTIVE_STEP_NS = 500_000     # a sample step with more CPU than this is "busy"


def log(msg):
    sys.stderr.write('[bench %6.1fs] %s\n' % (time.time() - T_BEGIN, msg))
    sys.stderr.flush()


def env(name):
    v = ENV.get(name)
    if not v:
        sys.exit('bench.py: %s is not set (run bench/run.sh)' % name)
    return v


# ---------------------------------------------------------------- /proc

def proc_alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(')') + 2] not in 'ZX'


def proc_stat_ticks(pid):
    """utime + stime of the whole process (all threads, dead ones too)."""
    with open('/proc/%d/stat' % pid) as f:
        st = f.read()
    fields = st[st.rindex(')') + 2:].split()
    return int(fields[11]) + int(fields[12])


def proc_cpu_ns(pid):
    """CPU time in ns of the live threads (schedstat: finer than ticks)."""
    total = 0
    for p in glob.glob('/proc/%d/task/*/schedstat' % pid):
        try:
            with open(p) as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def proc_ctx(pid):
    """(voluntary, non-voluntary) context switches summed over all threads."""
    vol = nonvol = 0
    for p in glob.glob('/proc/%d/task/*/status' % pid):
        try:
            with open(p) as f:
                for line in f:
                    if line.startswith('voluntary_ctxt_switches:'):
                        vol += int(line.split()[1])
                    elif line.startswith('nonvoluntary_ctxt_switches:'):
                        nonvol += int(line.split()[1])
        except OSError:
            pass
    return vol, nonvol


def proc_threads(pid):
    return len(glob.glob('/proc/%d/task/*' % pid))


def proc_rss_kb(pid):
    return proc_mem(pid).get('VmRSS')


def proc_mem(pid):
    """VmRSS and its parts (RssAnon: heap etc.; RssFile: library pages
    touched, shared with other processes) in kB."""
    out = {}
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            k = line.split(':')[0]
            if k in ('VmRSS', 'RssAnon', 'RssFile', 'RssShmem'):
                out[k] = int(line.split()[1])
    return out


def settle_io(server_pid, timeout=20):
    """Before an ingest round: flushes what earlier rounds left for the disk
    (profanity's fsync-bound rounds leave megabytes of dirty pages whose
    writeback otherwise lands in the next client's round) and waits until
    the server is quiet. Returns the seconds it took."""
    t0 = time.time()
    os.sync()
    deadline = t0 + timeout
    while time.time() < deadline:
        with open('/proc/meminfo') as f:
            kb = {l.split(':')[0]: int(l.split()[1]) for l in f}
        if kb.get('Dirty', 0) + kb.get('Writeback', 0) < 1024:
            break
        time.sleep(0.1)
    wait_quiet(server_pid, time.time(), 10)
    return round(time.time() - t0, 2)


def wait_quiet(pid, after, timeout):
    """Samples the process's CPU until it has been quiet for QUIET_WINDOW,
    starting no earlier than `after`. Returns the time of its last busy
    sample step (when its work ended), or None on timeout / exit."""
    samples = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not proc_alive(pid):
            return None
        t, c = time.time(), proc_cpu_ns(pid)
        samples.append((t, c))
        if t >= after + QUIET_WINDOW:
            # the oldest sample inside the window
            i = len(samples) - 1
            while i > 0 and samples[i - 1][0] >= t - QUIET_WINDOW:
                i -= 1
            ws = samples[i]
            if ws[0] >= after and t - ws[0] >= QUIET_WINDOW * 0.95 and c - ws[1] < QUIET_CPU_NS:
                last_busy = None
                for j in range(i, 0, -1):
                    if samples[j][1] - samples[j - 1][1] > ACTIVE_STEP_NS:
                        last_busy = samples[j][0]
                        break
                return last_busy if last_busy is not None and last_busy >= after else max(after, samples[0][0])
        time.sleep(SAMPLE_S)
    return None


# ---------------------------------------------------------------- helpers

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def wait_until(pred, timeout, step=SAMPLE_S):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def read_json_lines(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    except OSError:
        pass
    return out


class Inotify:
    """Counts deletions of one file name in a directory (profanity's SQLite
    rollback journal is deleted at every commit, so this counts its
    committed transactions without touching the database's locks). Creations
    are watched too: inotify merges an event into an identical unread one
    before it, so a queue of deletions alone would lose counts."""
    IN_CREATE = 0x100
    IN_DELETE = 0x200
    IN_NONBLOCK = 0o4000

    def __init__(self, directory, name):
        self.libc = ctypes.CDLL('libc.so.6', use_errno=True)
        self.fd = self.libc.inotify_init1(self.IN_NONBLOCK)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_init1')
        wd = self.libc.inotify_add_watch(self.fd, directory.encode(),
                                         self.IN_CREATE | self.IN_DELETE)
        if wd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_add_watch ' + directory)
        self.name = name.encode()
        self.n = 0

    def count(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            off = 0
            while off + 16 <= len(data):
                _wd, mask, _cookie, ln = struct.unpack_from('iIII', data, off)
                name = data[off + 16:off + 16 + ln].rstrip(b'\0')
                if name == self.name and mask & self.IN_DELETE:
                    self.n += 1
                off += 16 + ln
        return self.n

    def close(self):
        os.close(self.fd)


class LineCounter:
    """Counts lines starting with a prefix appended to a file since creation."""

    def __init__(self, path, prefix):
        self.path, self.prefix = path, prefix
        self.off = os.path.getsize(path) if os.path.exists(path) else 0
        self.n, self.rest = 0, b''

    def count(self):
        try:
            with open(self.path, 'rb') as f:
                f.seek(self.off)
                data = f.read()
        except OSError:
            return self.n
        self.off += len(data)
        data = self.rest + data
        lines = data.split(b'\n')
        self.rest = lines.pop()
        self.n += sum(1 for ln in lines if ln.startswith(self.prefix))
        return self.n

    def close(self):
        pass


class SqliteCounter:
    """Rows of a table in a WAL-mode database (readers never block ward)."""

    def __init__(self, path, sql):
        self.db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
        self.sql = sql
        self.base = self._raw()

    def _raw(self):
        return self.db.execute(self.sql).fetchone()[0]

    def count(self):
        return self._raw() - self.base

    def close(self):
        self.db.close()


# ---------------------------------------------------------------- server

class Prosody:
    def __init__(self):
        self.dir = env('PROSODY_DIR')
        self.cfg = env('PROSODY_CFG')
        self.pid = int(env('PROSODY_PID'))
        self.user = env('TEST_USER')
        self.test_dir = env('WARD_TEST_DIR')
        self.port = int(env('C2S_TLS_PORT'))
        self.ca = env('TEST_CA')
        self.proc = None        # ours once restarted (the first is run.sh's)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if not wait_until(lambda: not proc_alive(self.pid), 10, 0.02):
            os.kill(self.pid, signal.SIGKILL)
            wait_until(lambda: not proc_alive(self.pid), 5, 0.02)
        if self.proc is not None:
            self.proc.wait()
            self.proc = None

    def ready(self):
        try:
            ctx = ssl.create_default_context(cafile=self.ca)
            with socket.create_connection(('127.0.0.1', self.port), timeout=1) as s:
                with ctx.wrap_socket(s, server_hostname=DOMAIN):
                    return True
        except OSError:
            return False

    def start(self):
        """Starts it as the test user; returns the time it answers TLS."""
        cmd = ['prosody', '--config', self.cfg, '-F']
        if os.getuid() == 0:
            pw = pwd.getpwnam(self.user)
            cmd = ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid,
                   '--init-groups', '--'] + cmd
        out = open(os.path.join(self.dir, 'stdout-bench.log'), 'ab')
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                             env=dict(ENV, HOME=self.test_dir), start_new_session=True)
        self.pid, self.proc = p.pid, p
        with open(os.path.join(self.test_dir, 'pids'), 'a') as f:
            f.write('%d\n' % p.pid)     # testnet_down stops it
        if not wait_until(self.ready, 20, 0.02):
            sys.exit('bench.py: Prosody did not come up')
        return time.time()

    def restart(self):
        t_stop = time.time()
        self.stop()
        return t_stop, self.start()

    def ctl(self, *args):
        cmd = ['prosodyctl', '--config', self.cfg] + list(args)
        if os.getuid() == 0:
            cmd = ['runuser', '-u', self.user, '--'] + cmd
        return subprocess.run(cmd, env=dict(ENV, HOME=self.test_dir), capture_output=True,
                              text=True, timeout=60)

    def clear_archives(self):
        """Empties every good.test user's MAM archive and offline store
        (Prosody 0.12 slows down past 10,000 archived messages a user)."""
        lua = ('>local n=0; local sm=require"core.storagemanager"; '
               'for u in require"core.usermanager".users("%s") do '
               'for _, s in ipairs({"archive","offline"}) do sm.open("%s", s, "archive"):delete(u) end '
               'n=n+1 end; return "archives" .. " cleared " .. n' % (DOMAIN, DOMAIN))
        r = self.ctl('shell', '--quiet', lua)
        if 'archives cleared' not in r.stdout:
            log('warning: clearing the archives failed: %s %s' % (r.stdout, r.stderr))


# ---------------------------------------------------------------- peers

def raw_args(jid, pw):
    return ['--jid', jid, '--password', pw, '--ca', env('TEST_CA'),
            '--port', env('C2S_TLS_PORT')]


class Observer:
    """A contact of every benchmarked account: logs each presence it gets."""

    def __init__(self, out_dir, pw):
        self.path = os.path.join(out_dir, 'observer.jsonl')
        self.f = open(self.path, 'w')
        self.p = subprocess.Popen([PY, RAW, 'observe'] + raw_args('obs@' + DOMAIN, pw),
                                  stdout=self.f, stderr=subprocess.DEVNULL)
        self.events, self.off = [], 0
        if not wait_until(lambda: self.poll() or any(e['event'] == 'online' for e in self.events), 20):
            sys.exit('bench.py: the observer did not log in')

    def poll(self):
        with open(self.path, 'rb') as f:
            f.seek(self.off)
            data = f.read()
        end = data.rfind(b'\n') + 1
        self.off += end
        for line in data[:end].decode('utf-8', 'replace').splitlines():
            try:
                self.events.append(json.loads(line))
            except ValueError:
                pass
        return False

    def seen(self, bare, after, kind='available'):
        self.poll()
        for e in self.events:
            if (e['event'] == 'presence' and e['t'] >= after and e['type'] == kind
                    and e['from'].split('/')[0] == bare):
                return e['t']
        return None

    def wait_online(self, after, timeout):
        def on():
            self.poll()
            return any(e['event'] == 'online' and e['t'] >= after for e in self.events)
        return wait_until(on, timeout)

    def wait(self, bare, after, timeout, kind='available'):
        return wait_until(lambda: self.seen(bare, after, kind), timeout)

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def flood(to, tag, count, pw, out_dir):
    """Sends `count` chats to `to`; returns the flooder's JSON report."""
    out = os.path.join(out_dir, 'flood-%s.jsonl' % tag)
    with open(out, 'w') as f:
        p = subprocess.Popen([PY, RAW, 'flood', '--to', to, '--run', tag, '--count', str(count)]
                             + raw_args('flood@' + DOMAIN, pw), stdout=f)
    return p, out


def flood_report(p, out, timeout=180):
    p.wait(timeout)
    for e in read_json_lines(out):
        if e['event'] == 'flooded':
            return e
    return None


# ---------------------------------------------------------------- clients

class Tmux:
    def __init__(self, out_dir):
        self.sock = os.path.join(out_dir, 'tmux.sock')
        subprocess.run(['tmux', '-S', self.sock, 'new-session', '-d', '-s', 'bench',
                        '-x', '160', '-y', '48', 'sleep', '86400'], check=True)

    def run(self, *cmd):
        return subprocess.run(['tmux', '-S', self.sock] + list(cmd), capture_output=True,
                              text=True)

    def new_window(self, argv):
        r = self.run('new-window', '-d', '-P', '-F', '#{window_id} #{pane_pid}', *argv)
        wid, pid = r.stdout.split()
        return wid, int(pid)

    def keys(self, target, *keys):
        self.run('send-keys', '-t', target, *keys)

    def close(self):
        self.run('kill-server')


class Client:
    kind = '?'

    def __init__(self, bench, user):
        self.b = bench
        self.user = user
        self.bare = '%s@%s' % (user, DOMAIN)
        self.dir = os.path.join(bench.work, '%s-%s' % (self.kind, user))
        self.pid = None
        self.t0 = None
        self.setup()

    def t0_file(self):
        return os.path.join(self.dir, 't0')

    def read_t0(self):
        def get():
            try:
                with open(self.t0_file()) as f:
                    return float(f.read())
            except (OSError, ValueError):
                return None
        self.t0 = wait_until(get, 10, 0.002)
        return self.t0

    def alive(self):
        return self.pid is not None and proc_alive(self.pid)

    def quit(self):
        if not self.alive():
            return
        self.send_quit()
        if not wait_until(lambda: not self.alive(), 5, 0.02):
            os.kill(self.pid, signal.SIGTERM)
            if not wait_until(lambda: not self.alive(), 3, 0.02):
                os.kill(self.pid, signal.SIGKILL)
        self.reap()

    def reap(self):
        pass

    def caught_up(self, t_online, timeout):
        """Roster caught up: by default, the process went idle after login."""
        return wait_quiet(self.pid, t_online, timeout)

    def after_online(self):
        pass


class Ward(Client):
    kind = 'ward'

    def setup(self):
        for d in (self.dir, self.dir + '/config', self.dir + '/data'):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o700)
        conf = self.dir + '/config/ward.conf'
        with open(conf, 'w') as f:
            f.write('[account %s]\njid = %s\npassword = %s\nresource = bench\n'
                    'ca_file = %s\ndns_trust_anchor = %s\ndns_stub = test. 127.0.0.1@%s\n'
                    % (self.user, self.bare, self.b.pw, env('TEST_CA'), env('DNS_ANCHOR'),
                       env('DNS_PORT')))
        os.chmod(conf, 0o600)
        self.fifo = self.dir + '/cmd.fifo'
        self.proc = None

    def start(self):
        try:
            os.unlink(self.t0_file())
        except FileNotFoundError:
            pass
        self.lines, self.nmsg, self.t_lastmsg = [], 0, None
        err = open(self.dir + '/stderr', 'ab')
        self.proc = subprocess.Popen(
            [STAMP, self.t0_file(), self.b.ward_bin, '--headless', '-a', self.user,
             '--config-dir', self.dir + '/config', '--data-dir', self.dir + '/data',
             '--pipe', self.fifo], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=err)
        self.pid = self.proc.pid
        self.reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self.reader.start()
        return self.read_t0()

    def _read(self, stream):
        with open(self.dir + '/events.log', 'ab') as f:
            for line in iter(stream.readline, b''):
                t = time.time()
                if line.startswith(b'{"event":"message"'):
                    self.nmsg += 1
                    self.t_lastmsg = t
                else:
                    self.lines.append((t, line))
                    f.write(b'%.6f ' % t + line)

    def line_time(self, needle):
        for t, line in list(self.lines):
            if needle in line:
                return t
        return None

    def caught_up(self, t_online, timeout):
        return wait_until(lambda: self.line_time(b'"roster received"'), timeout)

    def send_quit(self):
        try:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.write(fd, b'/quit\n')
            os.close(fd)
        except OSError:
            os.kill(self.pid, signal.SIGTERM)

    def reap(self):
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.reader.join(2)

    def store_counter(self):
        return SqliteCounter(self.dir + '/data/ward.db', 'SELECT count(*) FROM history')

    def stored(self, tag):
        db = sqlite3.connect('file:%s/data/ward.db?mode=ro' % self.dir, uri=True)
        try:
            return db.execute('SELECT count(*) FROM history WHERE body LIKE ?',
                              (tag + ' %',)).fetchone()[0]
        finally:
            db.close()


class Ideal(Client):
    """The bench's own raw client: the server's floor for start-up. Timed
    from just before it connects (the interpreter's start is left out)."""
    kind = 'ideal'

    def setup(self):
        os.makedirs(self.dir, exist_ok=True)

    def start(self):
        self.out = os.path.join(self.dir, 'online.jsonl')
        self.f = open(self.out, 'w')
        self.proc = subprocess.Popen([PY, RAW, 'online', '--timeout', '30']
                                     + raw_args(self.bare, self.b.pw), stdout=self.f,
                                     stderr=subprocess.DEVNULL)
        self.pid = self.proc.pid
        e = wait_until(lambda: self.report(), 30)
        self.t0 = e['t_start'] if e else None
        return self.t0

    def report(self):
        for e in read_json_lines(self.out):
            if e['event'] == 'online':
                return e
        return None

    def caught_up(self, t_online, timeout):
        e = self.report()
        return e['t_roster'] if e else None

    def send_quit(self):
        self.proc.terminate()

    def reap(self):
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.f.close()


class TmuxClient(Client):
    def start(self):
        try:
            os.unlink(self.t0_file())
        except FileNotFoundError:
            pass
        self.win, self.pid = self.b.tmux.new_window(self.argv())
        return self.read_t0()

    def send_quit(self):
        self.b.tmux.keys(self.win, '/quit', 'Enter')


class Profanity(TmuxClient):
    kind = 'profanity'

    def setup(self):
        for d in ('home', 'config/profanity', 'data/profanity'):
            os.makedirs(os.path.join(self.dir, d), exist_ok=True)
        with open(self.dir + '/config/profanity/profrc', 'w') as f:
            # vercheck would fetch a version file from the internet
            f.write('[connection]\ntls.certpath=%s\n\n[ui]\nvercheck=false\n'
                    % env('TEST_CA_PATH'))
        path = self.dir + '/data/profanity/accounts'
        with open(path, 'w') as f:
            f.write('[%s]\nenabled=true\njid=%s\nserver=127.0.0.1\nport=%s\n'
                    'resource=bench\npassword=%s\ntls.policy=force\n'
                    % (self.bare, self.bare, env('C2S_PORT'), self.b.pw))
        os.chmod(path, 0o600)

    def argv(self):
        return ['env', 'HOME=%s/home' % self.dir, 'XDG_CONFIG_HOME=%s/config' % self.dir,
                'XDG_DATA_HOME=%s/data' % self.dir, STAMP, self.t0_file(),
                'profanity', '-a', self.bare]

    def db_path(self):
        return '%s/data/profanity/database/%s_at_%s/chatlog.db' % (self.dir, self.user, DOMAIN)

    def store_counter(self):
        return Inotify(os.path.dirname(self.db_path()), 'chatlog.db-journal')

    def stored(self, tag):
        db = sqlite3.connect('file:%s?mode=ro' % self.db_path(), uri=True, timeout=10)
        try:
            return db.execute('SELECT count(*) FROM ChatLogs WHERE message LIKE ?',
                              (tag + ' %',)).fetchone()[0]
        finally:
            db.close()


class Mcabber(TmuxClient):
    kind = 'mcabber'

    def setup(self):
        home = self.dir + '/home'
        os.makedirs(home + '/.mcabber', exist_ok=True)
        os.chmod(home + '/.mcabber', 0o700)
        self.histo = home + '/.mcabber/histo'
        self.rc = home + '/.mcabber/mcabberrc'
        with open(self.rc, 'w') as f:
            f.write('set jid = %s\nset password = %s\nset server = 127.0.0.1\n'
                    'set port = %s\nset resource = bench\nset disable_random_resource = 1\n'
                    'set tls = 1\nset ssl_ca = %s\n'
                    '# history on disk: off by default, needed to store messages at all\n'
                    'set logging = 1\nset logging_dir = %s/\n'
                    % (self.bare, self.b.pw, env('C2S_PORT'), env('TEST_CA'), self.histo))
        os.chmod(self.rc, 0o600)

    def argv(self):
        return ['env', 'HOME=%s/home' % self.dir, 'XDG_CONFIG_HOME=%s/home/.config' % self.dir,
                STAMP, self.t0_file(), 'mcabber', '-f', self.rc]

    def store_counter(self):
        return LineCounter('%s/flood@%s' % (self.histo, DOMAIN), b'MR ')

    def stored(self, tag):
        n, pre = 0, ('MR ').encode()
        try:
            with open('%s/flood@%s' % (self.histo, DOMAIN), 'rb') as f:
                for line in f:
                    if line.startswith(pre) and (' %s ' % tag).encode() in line[:40]:
                        n += 1
        except OSError:
            pass
        return n


class WardUI(TmuxClient):
    """ward's curses UI (no --headless) in the bench's tmux, like profanity
    and mcabber: the same accounts set-up, store and pipe as Ward."""
    kind = 'wardui'
    setup = Ward.setup
    send_quit = Ward.send_quit
    store_counter = Ward.store_counter
    stored = Ward.stored

    def argv(self):
        return ['env', 'TERM=tmux-256color', 'LANG=C.UTF-8', 'LC_ALL=C.UTF-8', STAMP,
                self.t0_file(), self.b.ward_bin, '-a', self.user, '--config-dir',
                self.dir + '/config', '--data-dir', self.dir + '/data', '--pipe', self.fifo]

    def after_online(self):
        # the flood goes into the open window, as a person would watch it
        self.b.tmux.keys(self.win, '-l', '/query flood@%s' % DOMAIN)
        self.b.tmux.keys(self.win, 'Enter')


# ---------------------------------------------------------------- the bench

class Bench:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.work = os.path.join(env('WARD_TEST_DIR'), 'bench')   # removed by testnet_down
        self.pw = env('BENCH_PW')
        self.ward_bin = os.path.abspath(args.ward)
        self.server = Prosody()
        self.results = {'clients': {}, 'runs': {}}
        self.clients = []

    # accounts per client: one with a 1,000-contact roster (start-up), one
    # with two contacts (start-up, session) and five small ones (restart);
    # the two contacts are the observer and the flooder
    def provision(self):
        n = self.args.restart_instances
        main = {'ward': 'wardb', 'profanity': 'profb', 'mcabber': 'mcabb'}
        small_users = {'ward': 'wards', 'profanity': 'profs', 'mcabber': 'mcabs'}
        prefixes = [('ward', 'wr'), ('profanity', 'pr'), ('mcabber', 'mr')]
        if not self.args.no_ui:
            main['wardui'] = 'wuib'
            small_users['wardui'] = 'wuis'
            prefixes.append(('wardui', 'wu'))
        self.main_users = main
        self.small_users = small_users
        self.restart_users = {k: ['%s%d' % (p, i + 1) for i in range(n)] for k, p in prefixes}
        filler = ['c%04d' % i for i in range(1, self.args.roster - 1)]
        small = list(self.small_users.values()) + \
            [u for us in self.restart_users.values() for u in us]
        accounts = list(main.values()) + small + filler + ['obs', 'flood', 'sink']
        rosters = {}
        for u in main.values():
            rosters[u] = [['obs', 'both', 'Observer'], ['flood', 'both', 'Flood']] + \
                         [[c, 'both', 'Contact %s' % c[1:]] for c in filler]
        for u in small:
            rosters[u] = [['obs', 'both', 'Observer'], ['flood', 'both', 'Flood']]
        # every contact has the account back, so probes are answered with
        # their (offline) presence and no subscription ever changes
        for c in filler:
            rosters[c] = [[u, 'both', None] for u in main.values()]
        rosters['obs'] = [[u, 'both', None] for u in list(main.values()) + small]
        rosters['flood'] = [[u, 'both', None] for u in list(main.values()) + small]
        rosters['sink'] = []
        spec = os.path.join(self.work, 'accounts.json')
        with open(spec, 'w') as f:
            json.dump({'domain': DOMAIN, 'accounts': accounts, 'rosters': rosters}, f)
        tpl = os.path.join(env('PROSODY_DIR'), 'data', 'good%2etest', 'accounts', 'obs.dat')
        subprocess.run([PY, os.path.join(HERE, 'provision.py'),
                        os.path.join(env('PROSODY_DIR'), 'data'), tpl, spec], check=True)

    def make(self, kind, user):
        cls = {'ward': Ward, 'wardui': WardUI, 'profanity': Profanity, 'mcabber': Mcabber,
               'ideal': Ideal}[kind]
        c = cls(self, user)
        self.clients.append(c)
        return c

    # -- start-up -------------------------------------------------------
    def startup_run(self, c):
        t0 = c.start()
        if t0 is None:
            return {'online_ms': None, 'caught_up_ms': None, 'idle_ms': None, 'rss_kb': None}
        t_on = self.obs.wait(c.bare, t0, 30)
        t_caught = c.caught_up(t_on or t0, 30) if t_on else None
        t_idle = wait_quiet(c.pid, t_on or t0, 30) if c.kind != 'ideal' else None
        rss = proc_rss_kb(c.pid) if c.alive() and c.kind != 'ideal' else None
        c.quit()
        self.obs.wait(c.bare, t0, 5, kind='unavailable')
        ms = lambda t: None if t is None else round((t - t0) * 1000, 1)
        return {'online_ms': ms(t_on), 'caught_up_ms': ms(t_caught), 'idle_ms': ms(t_idle),
                'rss_kb': rss}

    def scenario_startup(self, name, mains):
        runs = {k: [] for k in mains}
        for r in range(self.args.startup_runs + 1):     # run 0 warms up
            for k, c in mains.items():
                # every start-up against a freshly started server: a client's
                # logins leave state behind in Prosody (after profanity's,
                # the next 1,000-contact login took twice as long)
                _, t_ready = self.server.restart()
                if not self.obs.wait_online(t_ready, 20):
                    log('the observer did not log in again')
                time.sleep(0.3)
                res = self.startup_run(c)
                log('%s %s run %d: %s' % (name, k, r, res))
                if r > 0:
                    runs[k].append(res)
        self.results['runs'][name] = runs

    # -- a long session: login, idle, ingest ------------------------------
    def scenario_session(self, mains):
        res = {k: {} for k in mains}
        for k, c in mains.items():
            t0 = c.start()
            t_on = self.obs.wait(c.bare, t0, 30)
            if t_on is None:
                sys.exit('bench.py: %s did not come online' % k)
        for k, c in mains.items():
            c.after_online()
        for k, c in mains.items():
            wait_quiet(c.pid, time.time(), 60)
        time.sleep(self.args.settle)
        for k, c in mains.items():
            res[k]['rss_login_kb'] = proc_rss_kb(c.pid)
            res[k]['mem_login'] = proc_mem(c.pid)
            res[k]['threads'] = proc_threads(c.pid)
        # idle, all three at once (nothing else happens on the server)
        log('idle for %d s' % self.args.idle)
        before = {k: (proc_ctx(c.pid), proc_stat_ticks(c.pid), proc_cpu_ns(c.pid))
                  for k, c in mains.items()}
        time.sleep(self.args.idle)
        for k, c in mains.items():
            (v0, n0), t0, ns0 = before[k]
            (v1, n1), t1, ns1 = proc_ctx(c.pid), proc_stat_ticks(c.pid), proc_cpu_ns(c.pid)
            res[k]['idle'] = {'seconds': self.args.idle, 'voluntary': v1 - v0,
                              'nonvoluntary': n1 - n0,
                              'cpu_ms': (t1 - t0) * 1000 / CLK_TCK,
                              'cpu_ms_schedstat': round((ns1 - ns0) / 1e6, 2)}
            log('idle %s: %s' % (k, res[k]['idle']))
        # ingest rounds: the ideal receiver, then each client
        res['ideal'] = {'ingest': []}
        res['ideal_sm'] = {'ingest': []}
        for k in mains:
            res[k]['ingest'] = []
        for r in range(self.args.ingest_runs):
            ideal = self.ingest_ideal('i%d' % r)
            log('ingest ideal run %d: %s' % (r, ideal))
            res['ideal']['ingest'].append(ideal)
            ideal = self.ingest_ideal('s%d' % r, sm=True)
            log('ingest ideal+SM run %d: %s' % (r, ideal))
            res['ideal_sm']['ingest'].append(ideal)
            for k, c in mains.items():
                ing = self.ingest(c, '%s%d' % (k[0], r))
                log('ingest %s run %d: %s' % (k, r, ing))
                res[k]['ingest'].append(ing)
                if r == 0:
                    res[k]['rss_after_kb'] = proc_rss_kb(c.pid)
                    res[k]['mem_after'] = proc_mem(c.pid)
                    time.sleep(REST_S)    # what a client keeps once at rest
                    res[k]['mem_rest'] = proc_mem(c.pid)
        for k, c in mains.items():
            res[k]['rss_end_kb'] = proc_rss_kb(c.pid)
            res[k]['mem_end'] = proc_mem(c.pid)
            c.quit()
        self.results['runs']['session'] = res

    def ingest_ideal(self, tag, sm=False):
        n = self.args.messages
        self.server.clear_archives()
        settle_io(self.server.pid)
        out = os.path.join(self.work, 'sink-%s.jsonl' % tag)
        with open(out, 'w') as f:
            sink = subprocess.Popen([PY, RAW, 'sink', '--count', str(n), '--timeout', '120']
                                    + (['--sm'] if sm else [])
                                    + raw_args('sink@' + DOMAIN, self.pw), stdout=f)
        if not wait_until(lambda: any(e['event'] == 'ready' for e in read_json_lines(out)), 20):
            sink.kill()
            return None
        srv0 = proc_stat_ticks(self.server.pid)
        p, fout = flood('sink@' + DOMAIN, tag, n, self.pw, self.work)
        rep = flood_report(p, fout)
        sink.wait(150)
        srv1 = proc_stat_ticks(self.server.pid)
        done = [e for e in read_json_lines(out) if e['event'] == 'sunk']
        if not rep or not done or done[0]['count'] < n:
            return None
        return {'wall_s': round(done[0]['t_done'] - rep['t_start'], 3),
                'server_s': round(rep['t_acked'] - rep['t_start'], 3),
                'server_cpu_us_per_msg': round((srv1 - srv0) * 1e6 / CLK_TCK / n, 1),
                'sm_acks': done[0].get('acks')}

    def ingest(self, c, tag):
        n = self.args.messages
        self.server.clear_archives()
        settle_io(self.server.pid)
        counter = c.store_counter()
        tick0, ns0 = proc_stat_ticks(c.pid), proc_cpu_ns(c.pid)
        srv0 = proc_stat_ticks(self.server.pid)
        p, fout = flood(c.bare, tag, n, self.pw, self.work)
        deadline = time.time() + self.args.ingest_timeout
        t_stored = None
        while time.time() < deadline:
            if counter.count() >= n:
                t_stored = time.time()
                break
            time.sleep(SAMPLE_S)
        got = counter.count()
        counter.close()
        rep = flood_report(p, fout)
        t_idle = wait_quiet(c.pid, t_stored or time.time(), 60) if t_stored else None
        tick1, ns1 = proc_stat_ticks(c.pid), proc_cpu_ns(c.pid)
        srv1 = proc_stat_ticks(self.server.pid)
        # work a client leaves for later counts too (ward fills its search
        # index a second after the last write): CPU again 2.5 s after idle
        time.sleep(2.5)
        ns2 = proc_cpu_ns(c.pid)
        stored = c.stored(tag)
        if rep is None:
            return None
        return {'wall_s': round(t_stored - rep['t_start'], 3) if t_stored else None,
                'until_idle_s': round(t_idle - rep['t_start'], 3) if t_idle else None,
                'server_s': round(rep['t_acked'] - rep['t_start'], 3),
                'cpu_us_per_msg': round((tick1 - tick0) * 1e6 / CLK_TCK / n, 1),
                'cpu_us_per_msg_schedstat': round((ns1 - ns0) / 1e3 / n, 1),
                'cpu_us_per_msg_rest': round((ns2 - ns0) / 1e3 / n, 1),
                'server_cpu_us_per_msg': round((srv1 - srv0) * 1e6 / CLK_TCK / n, 1),
                'seen_by_poller': got, 'stored_rows': stored}

    # -- server restart -----------------------------------------------------
    def scenario_restart(self):
        inst = {k: [self.make(k, u) for u in us] for k, us in self.restart_users.items()}
        allc = [c for cs in inst.values() for c in cs]
        # instance i of every client starts in second i: mcabber draws its
        # reconnect delay from a generator seeded with the start time, so
        # instances started in the same second would all wait alike
        for i in range(self.args.restart_instances):
            for cs in inst.values():
                cs[i].start()
            time.sleep(1.1)
        for c in allc:
            if self.obs.wait(c.bare, c.t0, 30) is None:
                log('restart: %s (%s) never came online' % (c.bare, c.kind))
        for c in allc:
            wait_quiet(c.pid, time.time(), 30)
        time.sleep(1)
        t_stop, t_ready = self.server.restart()
        log('restart: server down for %.2f s; waiting up to %d s for the clients'
            % (t_ready - t_stop, self.args.restart_cap))
        back = {}
        deadline = t_ready + self.args.restart_cap
        while time.time() < deadline:
            for c in allc:
                if c.bare not in back:
                    t = self.obs.seen(c.bare, t_ready)
                    if t is not None:
                        back[c.bare] = t
                        log('restart: %s (%s) back after %.2f s' % (c.bare, c.kind, t - t_ready))
            if len(back) == len(allc):
                break
            time.sleep(0.05)
        waited = time.time() - t_ready
        res = {'down_s': round(t_ready - t_stop, 3), 'waited_s': round(waited, 1)}
        for k, cs in inst.items():
            res[k] = [round(back[c.bare] - t_ready, 2) if c.bare in back else None for c in cs]
            res[k + '_alive'] = [c.alive() for c in cs]
        for c in allc:
            c.quit()
        self.results['runs']['restart'] = res

    # -- the whole run ------------------------------------------------------
    def machine(self):
        def cmd(argv):
            try:
                return subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
            except OSError:
                return ''
        cpu = ''
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            mem = int(f.readline().split()[1]) // 1024
        ver = lambda s: s.strip().splitlines()[0] if s.strip() else '?'
        return {
            'date': time.strftime('%Y-%m-%d %H:%M %Z'),
            'cpu': cpu, 'cores': os.cpu_count(), 'mem_mb': mem,
            'kernel': platform.release(),
            'os': cmd(['sh', '-c', '. /etc/os-release; echo $PRETTY_NAME']).strip(),
            'ward': ver(cmd([self.ward_bin, '--version'])),
            'ward_tree': cmd(['git', '-C', os.path.dirname(HERE), 'describe', '--always',
                              '--dirty']).strip(),
            'ward_sha256': cmd(['sha256sum', self.ward_bin]).split(' ')[0],
            'profanity': ver(cmd(['profanity', '--version'])),
            'mcabber': ver(cmd(['sh', '-c', 'mcabber -V 2>&1'])),
            'prosody': ver(cmd(['sh', '-c', "dpkg-query -W -f='prosody ${Version}' prosody"])),
        }

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        os.makedirs(self.work, exist_ok=True)
        # others may rebuild the tree while this runs: use a copy
        snap = os.path.join(self.work, 'ward')
        shutil.copy2(self.ward_bin, snap)
        self.ward_bin = snap
        self.results['machine'] = self.machine()
        self.results['params'] = vars(self.args)
        if self.args.omemo:
            with open(self.args.omemo) as f:
                self.results['runs']['omemo'] = json.load(f)
        log('provisioning %d-contact rosters' % self.args.roster)
        self.provision()
        # the test network's Prosody logs every stanza: swap in the bench one
        if self.args.server_nagle == 'off':
            ENV['BENCH_NAGLE'] = 'off'
        t_stop, t_ready = self.server.restart()
        log('Prosody (bench config) up in %.2f s' % (t_ready - t_stop))
        self.tmux = Tmux(self.work)
        self.obs = Observer(self.work, self.pw)
        try:
            bigs = {k: self.make(k, u) for k, u in self.main_users.items()}
            smalls = {k: self.make(k, u) for k, u in self.small_users.items()}
            if 'startup' in self.args.scenarios:
                # the raw client logs in as ward's accounts, between ward's runs
                ideal_s = self.make('ideal', self.small_users['ward'])
                ideal_b = self.make('ideal', self.main_users['ward'])
                self.scenario_startup('startup_small', dict(smalls, ideal=ideal_s))
                self.scenario_startup('startup', dict(bigs, ideal=ideal_b))
            if 'session' in self.args.scenarios:
                self.scenario_session(smalls)
            if 'restart' in self.args.scenarios:
                self.scenario_restart()
        finally:
            for c in self.clients:
                try:
                    c.quit()
                except OSError:
                    pass
            self.obs.stop()
            self.tmux.close()
            with open(os.path.join(self.out, 'results.json'), 'w') as f:
                json.dump(self.results, f, indent=1)
        table = report(self.results)
        with open(os.path.join(self.out, 'results.md'), 'w') as f:
            f.write(table)
        print(table)


# ---------------------------------------------------------------- the table

def summarise(res):
    """One value per (measure, client) and, where there is one, the floor
    (the bench's raw client on the same server); lower is better everywhere."""
    runs = res['runs']
    rows = []
    kinds = ('ward', 'wardui', 'profanity', 'mcabber')

    def row(key, label, unit, target, vals, fmt='%.0f', info=False, floor=None, notes=None,
            spread=None):
        rows.append({'key': key, 'label': label, 'unit': unit, 'target': target,
                     'vals': vals, 'fmt': fmt, 'info': info, 'floor': floor,
                     'notes': notes or {}, 'spread': spread or {}})

    def col(st, k, f):
        return [r[f] for r in st.get(k, []) if r and r.get(f) is not None]

    mb = lambda kb: None if kb is None else kb / 1024
    st = runs.get('startup_small')
    if st:
        row('online', 'start to presence seen by a contact, 2 contacts (median of %d)'
            % len(st['ward']), 'ms', 60, {k: median(col(st, k, 'online_ms')) for k in kinds},
            floor=median(col(st, 'ideal', 'online_ms')),
            spread={k: col(st, k, 'online_ms') for k in kinds + ('ideal',)})
    st = runs.get('startup')
    if st:
        row('online_big', 'start to presence seen by a contact, 1,000 contacts (median of %d)'
            % len(st['ward']), 'ms', None, {k: median(col(st, k, 'online_ms')) for k in kinds},
            floor=median(col(st, 'ideal', 'online_ms')),
            spread={k: col(st, k, 'online_ms') for k in kinds + ('ideal',)})
        row('caught', '1,000-contact roster: caught up (median)', 'ms', None,
            {k: median(col(st, k, 'caught_up_ms')) for k in kinds},
            floor=median(col(st, 'ideal', 'caught_up_ms')),
            spread={k: col(st, k, 'caught_up_ms') for k in kinds + ('ideal',)})
        row('idle_after_start', '1,000-contact roster: start to process idle (median)', 'ms',
            None, {k: median(col(st, k, 'idle_ms')) for k in kinds},
            spread={k: col(st, k, 'idle_ms') for k in kinds})
        row('rss_big', 'RSS after login, 1,000 contacts (median)', 'MB', 12,
            {k: mb(median(col(st, k, 'rss_kb'))) for k in kinds}, '%.1f')
    se = runs.get('session')
    if se:
        row('rss_login', 'RSS after login, 2 contacts, settled', 'MB', 12,
            {k: mb(se.get(k, {}).get('rss_login_kb')) for k in kinds}, '%.1f')
        row('rss_after', 'RSS after receiving 5,000 messages', 'MB', 12,
            {k: mb(se.get(k, {}).get('rss_after_kb')) for k in kinds}, '%.1f')
        # the part a client controls: library text is file-backed, shared
        # and mapped by the kernel in large folios, whole segments at once
        anon = lambda k, f: mb((se.get(k, {}).get(f) or {}).get('RssAnon'))
        row('rss_anon_login', 'RSS after login: anonymous (heap, stacks; the rest is '
            'library text)', 'MB', None, {k: anon(k, 'mem_login') for k in kinds}, '%.1f',
            info=True)
        row('rss_anon_after', 'RSS after 5,000 messages: anonymous', 'MB', None,
            {k: anon(k, 'mem_after') for k in kinds}, '%.1f', info=True)
        if any(se.get(k, {}).get('mem_rest') for k in kinds):
            row('rss_rest', 'RSS %.0f s after the 5,000 messages (at rest)' % REST_S, 'MB', 12,
                {k: mb((se.get(k, {}).get('mem_rest') or {}).get('VmRSS')) for k in kinds}, '%.1f')
        idle = lambda k, f: se.get(k, {})['idle'][f] if 'idle' in se.get(k, {}) else None
        secs = se['ward']['idle']['seconds'] if 'idle' in se['ward'] else 60
        row('idle_vol', 'idle %d s: voluntary context switches' % secs, '', 2,
            {k: idle(k, 'voluntary') for k in kinds})
        # preemptions while running: the machine's other load, not a wake-up
        row('idle_nonvol', 'idle %d s: non-voluntary context switches (preempted by other '
            'load)' % secs, '', None, {k: idle(k, 'nonvoluntary') for k in kinds}, info=True)
        # the scheduler's run time in ns; utime+stime only counts 10 ms ticks,
        # so one tick landing in a 0.1 ms wake-up reads as 10 ms
        row('idle_cpu', 'idle %d s: CPU (run time, /proc/PID/schedstat)' % secs, 'ms', None,
            {k: idle(k, 'cpu_ms_schedstat') for k in kinds}, '%.2f')
        row('idle_cpu_ticks', 'idle %d s: CPU (utime+stime, 10 ms ticks)' % secs, 'ms', None,
            {k: idle(k, 'cpu_ms') for k in kinds}, info=True)
        ing = lambda k: se.get(k, {}).get('ingest', [])
        walls = {k: [r['wall_s'] if r else None for r in ing(k)]
                 for k in kinds + ('ideal', 'ideal_sm')}
        walls = {k: v for k, v in walls.items() if v or k in ('ward', 'ideal', 'ideal_sm')}
        ideal = median(walls['ideal'])
        nr = len(walls['ward'])
        row('ingest_wall', 'ingest 5,000 chats: wall until all stored (median of %d)' % nr, 's',
            round(ideal * 1.1, 2) if ideal else None,
            {k: median(walls.get(k) or []) for k in kinds}, '%.2f', floor=ideal,
            spread={k: walls.get(k) for k in kinds + ('ideal', 'ideal_sm')})
        # each client against the ideal receiver of the same round: the
        # server's speed drifts with the machine's other load
        ratios = {}
        for k in kinds:
            rr = [a / b for a, b in zip(walls.get(k) or [], walls['ideal']) if a and b]
            ratios[k] = median(rr)
        row('ingest_ratio', 'ingest wall ÷ ideal receiver of the same round (median)', '', 1.1,
            ratios, '%.2f', spread={k: [round(a / b, 2) for a, b in
                                        zip(walls.get(k) or [], walls['ideal']) if a and b]
                                    for k in kinds})
        # issue 12: ward acknowledges with stream management (XEP-0198),
        # which costs the server work per message; mcabber and profanity
        # 0.13 do not. Each client against the ideal receiver doing the same
        # stream work in the same round: ward and its UI against the one
        # with stream management, the others against the plain one
        if any(walls['ideal_sm']):
            ratios_same = {}
            for k in kinds:
                ref = walls['ideal_sm'] if k in ('ward', 'wardui') else walls['ideal']
                rr = [a / b for a, b in zip(walls.get(k) or [], ref) if a and b]
                ratios_same[k] = median(rr)
            row('ingest_ratio_same', 'ingest wall ÷ ideal receiver doing the same stream '
                'work, same round (ward: with stream management; peers: without)', '', 1.1,
                ratios_same, '%.2f')
        if any(walls['ideal_sm']):
            row('ideal_sm', 'ingest: ideal receiver with stream management (answers every <r/>)',
                's', None, {}, '%.2f', info=True, floor=median(walls['ideal_sm']))
        # the scheduler's run time up to 2.5 s after the client went idle
        # (work done at rest counted); older results: the 10 ms ticks
        cpu = {k: [r.get('cpu_us_per_msg_rest', r['cpu_us_per_msg']) for r in ing(k) if r]
               for k in kinds}
        row('ingest_cpu', 'ingest 5,000 chats: CPU per message (to 2.5 s after idle: '
            'work left for later counted)', 'µs', 28,
            {k: median(cpu[k]) for k in kinds}, '%.1f', spread=cpu)
        srv = {k: [r['server_cpu_us_per_msg'] for r in ing(k) if r and 'server_cpu_us_per_msg' in r]
               for k in kinds + ('ideal', 'ideal_sm')}
        row('server_cpu', 'ingest: Prosody CPU per message delivered', 'µs', None,
            {k: median(srv[k]) for k in kinds}, '%.0f', info=True, floor=median(srv['ideal']),
            spread=srv)
    rs = runs.get('restart')
    if rs:
        vals, notes = {}, {}
        for k in kinds:
            xs = rs.get(k) or []
            got = [x for x in xs if x is not None]
            if xs and len(got) * 2 > len(xs):
                vals[k] = statistics.median([x if x is not None else float('inf') for x in xs])
            else:
                vals[k] = None
                notes[k] = ('no reconnect (issue 5)' if k == 'ward' else 'not back') + \
                    ' in %.0f s' % rs['waited_s']
        row('restart', 'back online after a server restart (median of %d)'
            % len(rs.get('ward') or []), 's', 3, vals, '%.1f', notes=notes,
            spread={k: rs.get(k) for k in kinds})
    om = runs.get('omemo')    # bench/omemo_cost -j (run.sh --omemo)
    if om:
        both = [e + d for e, d in zip(om['encrypt_1_us'], om['decrypt_1_us'])]
        row('omemo', 'OMEMO encrypt + decrypt per message, 1 device, %d-byte chat (crypto/ '
            'alone, median of %d rounds of %d; the bench process with 4 accounts peaks at %.1f MB)'
            % (om['bytes'], om['rounds'], om['messages'], om['peak_rss_kb'] / 1024),
            'µs', None, {'ward': median(both)}, '%.0f', info=True,
            notes={'profanity': 'not measured', 'mcabber': 'no OMEMO'},
            spread={'encrypt': om['encrypt_1_us'], 'decrypt': om['decrypt_1_us'],
                    'encrypt for 3 devices': om['encrypt_3_us']})
    else:
        row('omemo', 'OMEMO encrypt + decrypt per message', '', None, {}, '%s',
            notes={'ward': 'not measured (make omemo-cost)'})
    return rows


def report(res):
    m = res.get('machine', {})
    out = ['ward benchmark, %s' % m.get('date', '?'),
           'machine: %s, %s cores, %s MB, %s, kernel %s' % (m.get('cpu'), m.get('cores'),
                                                          m.get('mem_mb'), m.get('os'),
                                                          m.get('kernel')),
           'clients: %s (tree %s) | %s | %s' % (
               m.get('ward'), m.get('ward_tree'), m.get('profanity'), m.get('mcabber')),
           'server: %s, %s' % (m.get('prosody'), 'Nagle off (network_settings, a diagnosis run)'
                               if res.get('params', {}).get('server_nagle') == 'off'
                               else 'stock network settings'),
           '',
           '| measure | ward | ward UI | profanity | mcabber | floor | ward ÷ best peer '
           '| ward UI ÷ best peer | target | met | met (UI) |',
           '|---|---|---|---|---|---|---|---|---|---|---|']
    inf = float('inf')
    rows = summarise(res)
    for r in rows:
        notes = r['notes']

        def fmt(v):
            if v is None:
                return '—'
            if v == inf:
                return 'none'
            return (r['fmt'] % v) + (' ' + r['unit'] if r['unit'] else '')

        def cell(k):
            v = r['vals'].get(k)
            return notes.get(k, '—') if v is None else fmt(v)
        peers = [r['vals'].get(k) for k in ('profanity', 'mcabber')]
        peers = [p for p in peers if p is not None]
        best = min(peers) if peers else None

        def ratio_met(key):
            w = r['vals'].get(key)
            if w is None or best is None:
                ratio = '—'
            elif w == inf:
                ratio = '∞'
            elif best == 0:
                ratio = '1.00' if w == 0 else '∞'
            else:
                ratio = '%.2f' % (w / best)
            met = ''
            if not r['info']:
                tgt = r['target']
                if w is not None and w != inf:
                    ok = best is None or w < best or (best == 0 and w == 0)
                    if tgt is not None:
                        ok = ok and w <= tgt
                    met = 'yes' if ok else 'NO'
                elif key in notes or w == inf:
                    met = 'NO'
            return ratio, met
        floor = fmt(r['floor']) if r['floor'] is not None else ''
        if r['info']:
            tgt_s = '(information)'
        else:
            tgt = r['target']
            if tgt is None:
                tgt_s = 'ahead of best' if best is not None else ''
            else:
                tgt_s = '≤ ' + fmt(tgt)
        ratio, met = ratio_met('ward')
        ratio_ui, met_ui = ratio_met('wardui')
        out.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            r['label'], cell('ward'), cell('wardui'), cell('profanity'), cell('mcabber'), floor,
            ratio, ratio_ui, tgt_s, met, met_ui))
    out += ['', 'floor: the bench\'s raw client on the same server (start-up: log in, roster, '
            'presence; ingest: read and discard). Every run:', '']
    for r in rows:
        if not r['spread']:
            continue
        parts = []
        for k, xs in r['spread'].items():
            if xs:
                parts.append('%s %s' % (k, ' '.join('—' if x is None else
                                                    ('%g' % round(x, 2)) for x in xs)))
        out.append('- %s: %s' % (r['label'], '; '.join(parts)))
    out.append('')
    return '\n'.join(out) + '\n'


def main():
    p = argparse.ArgumentParser(description='ward vs profanity vs mcabber')
    p.add_argument('--ward', default='build/rel/ward')
    p.add_argument('--out', default='build/bench')
    p.add_argument('--roster', type=int, default=1000)
    p.add_argument('--startup-runs', type=int, default=5)
    p.add_argument('--messages', type=int, default=5000)
    p.add_argument('--ingest-runs', type=int, default=3)
    p.add_argument('--ingest-timeout', type=float, default=120)
    p.add_argument('--idle', type=int, default=60)
    p.add_argument('--settle', type=float, default=5)
    p.add_argument('--restart-instances', type=int, default=5)
    p.add_argument('--restart-cap', type=int, default=180)
    p.add_argument('--scenarios', default='startup,session,restart')
    p.add_argument('--server-nagle', choices=['on', 'off'], default='on',
                   help="diagnosis: 'off' runs Prosody with network_settings nagle = false")
    p.add_argument('--omemo', metavar='JSON', help='bench/omemo_cost -j output (the OMEMO row)')
    p.add_argument('--report', metavar='RESULTS_JSON', help='only print the table of a results.json')
    p.add_argument('--no-ui', action='store_true',
                   help="leave out ward's terminal UI (run in tmux like profanity and mcabber)")
    args = p.parse_args()
    if args.report:
        with open(args.report) as f:
            print(report(json.load(f)))
        return 0
    args.scenarios = args.scenarios.split(',')
    Bench(args).run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
