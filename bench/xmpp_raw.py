#!/usr/bin/python3
# xmpp_raw.py: the benchmark's own minimal XMPP client (Python stdlib only):
# direct TLS (XEP-0368) to the loopback Prosody, SCRAM-SHA-1 with the server
# signature checked, resource binding. Three jobs:
#   flood    log in, send N chat messages in one write, wait for the server
#            to answer a ping sent after them, print the times as JSON
#   sink     the ideal receiver: log in, send presence, then read and
#            discard until N </message> end tags went by; print the time.
#            With --sm it enables stream management (XEP-0198) first and
#            answers every <r/> at once, parsing the stream to count
#            stanzas: the floor for a client that uses stream management
#   online   the ideal client's start-up: log in, ask for the roster, send
#            presence, print when each step was done, stay --timeout s
#   observe  a contact that prints every presence it receives as a JSON
#            line with its arrival time, logging in again at once (every
#            50 ms) whenever the server goes away, until SIGTERM
# Times are time.time() (CLOCK_REALTIME), comparable with bash's
# $EPOCHREALTIME and the other bench tools.

import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import socket
import ssl
import sys
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS_CLIENT = 'jabber:client'
NS_STREAM = 'http://etherx.jabber.org/streams'
NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl'
NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind'
NS_PING = 'urn:xmpp:ping'
NS_SM = 'urn:xmpp:sm:3'


class LoginError(Exception):
    pass


def q(ns, name):
    return '{%s}%s' % (ns, name)


class Stream:
    """One TLS connection carrying one XMPP stream at a time."""

    def __init__(self, host, port, domain, ca):
        ctx = ssl.create_default_context(cafile=ca)
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.set_alpn_protocols(['xmpp-client'])
        raw = socket.create_connection((host, port), timeout=10)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = ctx.wrap_socket(raw, server_hostname=domain)
        self.domain = domain
        self.parser = None
        self.root = None
        self.depth = 0
        self.pending = []

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def open(self):
        """Sends a stream header and returns the <stream:features/>."""
        self.parser = ET.XMLPullParser(events=('start', 'end'))
        self.depth = 0
        self.pending = []
        self.send("<?xml version='1.0'?><stream:stream xmlns='%s' "
                  "xmlns:stream='%s' to=%s version='1.0'>"
                  % (NS_CLIENT, NS_STREAM, quoteattr(self.domain)))
        feats = self.next_stanza()
        if feats.tag != q(NS_STREAM, 'features'):
            raise LoginError('expected stream features, got %s' % feats.tag)
        return feats

    def next_stanza(self, timeout=10):
        """The next complete top-level element; LoginError on EOF."""
        self.sock.settimeout(timeout)
        while not self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise LoginError('server closed the connection')
            self.parser.feed(data)
            for ev, el in self.parser.read_events():
                if ev == 'start':
                    self.depth += 1
                    if self.depth == 1:
                        self.root = el
                else:
                    self.depth -= 1
                    if self.depth == 1:
                        self.pending.append(el)
                        # the parser hangs every stanza under the stream
                        # root: drop it there so a long stream stays small
                        self.root.remove(el)
                    elif self.depth == 0:
                        raise LoginError('server closed the stream')
        return self.pending.pop(0)

    def close(self):
        try:
            self.send('</stream:stream>')
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


def scram_sha1(stream, user, password):
    """SASL SCRAM-SHA-1 (RFC 5802), no channel binding; checks v=."""
    cnonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = 'n=%s,r=%s' % (user.replace('=', '=3D').replace(',', '=2C'),
                                cnonce)
    stream.send("<auth xmlns='%s' mechanism='SCRAM-SHA-1'>%s</auth>"
                % (NS_SASL, base64.b64encode(b'n,,' + first_bare.encode()).decode()))
    ch = stream.next_stanza()
    if ch.tag != q(NS_SASL, 'challenge'):
        raise LoginError('SASL: expected a challenge, got %s' % ch.tag)
    server_first = base64.b64decode(ch.text or '').decode()
    attrs = dict(kv.split('=', 1) for kv in server_first.split(','))
    nonce, salt, iters = attrs['r'], base64.b64decode(attrs['s']), int(attrs['i'])
    if not nonce.startswith(cnonce):
        raise LoginError('SASL: server nonce does not extend ours')
    salted = hashlib.pbkdf2_hmac('sha1', password.encode(), salt, iters)
    client_key = hmac.new(salted, b'Client Key', hashlib.sha1).digest()
    stored_key = hashlib.sha1(client_key).digest()
    final_bare = 'c=biws,r=%s' % nonce
    auth_msg = ('%s,%s,%s' % (first_bare, server_first, final_bare)).encode()
    sig = hmac.new(stored_key, auth_msg, hashlib.sha1).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, sig))
    final = '%s,p=%s' % (final_bare, base64.b64encode(proof).decode())
    stream.send("<response xmlns='%s'>%s</response>"
                % (NS_SASL, base64.b64encode(final.encode()).decode()))
    res = stream.next_stanza()
    if res.tag != q(NS_SASL, 'success'):
        raise LoginError('SASL failed: %s' % res.tag)
    server_final = base64.b64decode(res.text or '').decode()
    server_key = hmac.new(salted, b'Server Key', hashlib.sha1).digest()
    want = base64.b64encode(hmac.new(server_key, auth_msg, hashlib.sha1).digest()).decode()
    if server_final != 'v=' + want:
        raise LoginError('SASL: wrong server signature')


def login(args, resource):
    """Connects, authenticates and binds; returns (stream, full JID)."""
    user, domain = args.jid.split('@', 1)
    st = Stream(args.host, args.port, domain, args.ca)
    feats = st.open()
    mechs = [m.text for m in feats.iter(q(NS_SASL, 'mechanism'))]
    if 'SCRAM-SHA-1' not in mechs:
        raise LoginError('no SCRAM-SHA-1 offered (%s)' % mechs)
    scram_sha1(st, user, args.password)
    feats = st.open()
    if feats.find(q(NS_BIND, 'bind')) is None:
        raise LoginError('no resource binding offered')
    st.send("<iq type='set' id='bind1'><bind xmlns='%s'><resource>%s</resource>"
            "</bind></iq>" % (NS_BIND, escape(resource)))
    while True:
        el = st.next_stanza()
        if el.tag == q(NS_CLIENT, 'iq') and el.get('id') == 'bind1':
            break
    if el.get('type') != 'result':
        raise LoginError('bind failed')
    full = el.find('%s/%s' % (q(NS_BIND, 'bind'), q(NS_BIND, 'jid'))).text
    return st, full


def emit(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def do_flood(args):
    st, full = login(args, 'flood')
    body_pad = 'x' * max(0, args.body_len - 24)
    parts = []
    for i in range(args.count):
        parts.append("<message to=%s type='chat' id='%s-%d'><body>%s %05d %s</body>"
                     "</message>" % (quoteattr(args.to), args.run, i, args.run, i,
                                     body_pad))
    payload = ''.join(parts).encode()
    ping = "<iq type='get' id='flood-done'><ping xmlns='%s'/></iq>" % NS_PING
    emit({'event': 'ready', 't': time.time(), 'jid': full, 'bytes': len(payload)})
    t_start = time.time()
    st.send(payload)
    t_sent = time.time()
    st.send(ping)
    while True:
        el = st.next_stanza(timeout=120)
        if el.tag == q(NS_CLIENT, 'iq') and el.get('id') == 'flood-done':
            break
    t_acked = time.time()
    emit({'event': 'flooded', 't_start': t_start, 't_sent': t_sent,
          't_acked': t_acked, 'count': args.count})
    st.close()


def do_sink_sm(args, st, full):
    st.send("<enable xmlns='%s'/>" % NS_SM)
    st.send('<presence/>')
    if args.carbons:
        st.send("<iq type='set' id='carbons1'><enable xmlns='urn:xmpp:carbons:2'/></iq>")
    if args.csi_inactive:
        st.send("<inactive xmlns='urn:xmpp:csi:0'/>")
    handled, n, t_first, acks = 0, 0, None, 0
    while True:
        el = st.next_stanza()
        if el.tag == q(NS_SM, 'enabled'):
            break
        if el.tag in (q(NS_CLIENT, 'message'), q(NS_CLIENT, 'presence'), q(NS_CLIENT, 'iq')):
            handled += 1
    emit({'event': 'ready', 't': time.time(), 'jid': full, 'sm': True})
    try:
        while n < args.count:
            el = st.next_stanza(timeout=args.timeout)
            if el.tag == q(NS_SM, 'r'):
                st.send("<a xmlns='%s' h='%d'/>" % (NS_SM, handled))
                acks += 1
                continue
            if el.tag.startswith('{%s}' % NS_SM):
                continue
            handled += 1
            if el.tag == q(NS_CLIENT, 'message'):
                if t_first is None:
                    t_first = time.time()
                n += 1
    except socket.timeout:
        pass
    emit({'event': 'sunk', 't_done': time.time(), 'count': n, 't_first': t_first,
          'acks': acks})
    st.close()
    return 0 if n >= args.count else 1


def do_sink(args):
    st, full = login(args, 'sink')
    if args.sm:
        return do_sink_sm(args, st, full)
    st.send('<presence/>')
    emit({'event': 'ready', 't': time.time(), 'jid': full})
    st.sock.settimeout(args.timeout)
    marker = b'</message>'
    n, tail, t_first = 0, b'', None
    try:
        while n < args.count:
            data = st.sock.recv(262144)
            if not data:
                break
            if t_first is None:
                t_first = time.time()
            buf = tail + data
            n += buf.count(marker)
            tail = buf[-(len(marker) - 1):]
            # a marker split across reads is counted once: the tail only
            # keeps bytes that cannot hold a whole marker
    except socket.timeout:
        pass
    emit({'event': 'sunk', 't_done': time.time(), 'count': n, 't_first': t_first})
    st.close()
    return 0 if n >= args.count else 1


def do_online(args):
    t_start = time.time()
    st, full = login(args, 'bench')
    t_bound = time.time()
    st.send("<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>")
    st.send('<presence/>')
    t_presence = time.time()
    items = 0
    while True:
        el = st.next_stanza(timeout=args.timeout)
        if el.tag == q(NS_CLIENT, 'iq') and el.get('id') == 'roster1':
            items = len(list(el.iter('{jabber:iq:roster}item')))
            break
    t_roster = time.time()
    emit({'event': 'online', 't_start': t_start, 't_bound': t_bound,
          't_presence_sent': t_presence, 't_roster': t_roster, 'items': items})
    end = time.time() + args.timeout
    st.sock.settimeout(0.2)
    while time.time() < end:
        try:
            if not st.sock.recv(65536):
                break
        except socket.timeout:
            pass
    st.close()
    return 0


def do_observe(args):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    while not stop:
        try:
            st, full = login(args, 'observer')
        except (OSError, LoginError, ssl.SSLError) as e:
            time.sleep(0.05)
            continue
        st.send('<presence/>')
        emit({'event': 'online', 't': time.time(), 'jid': full})
        try:
            while not stop:
                try:
                    el = st.next_stanza(timeout=0.5)
                except socket.timeout:
                    continue
                if el.tag == q(NS_CLIENT, 'presence'):
                    emit({'event': 'presence', 't': time.time(),
                          'from': el.get('from'),
                          'type': el.get('type') or 'available'})
                elif el.tag == q(NS_CLIENT, 'iq') and el.get('type') == 'get':
                    st.send("<iq type='result' id=%s to=%s/>"
                            % (quoteattr(el.get('id') or ''),
                               quoteattr(el.get('from') or args.jid.split('@')[1])))
        except (OSError, LoginError, ssl.SSLError) as e:
            emit({'event': 'offline', 't': time.time(), 'why': str(e)})
            try:
                st.sock.close()
            except OSError:
                pass
            time.sleep(0.05)
            continue
        st.close()
    return 0


def main():
    p = argparse.ArgumentParser(description='minimal XMPP client for ward benchmarks')
    p.add_argument('mode', choices=['flood', 'sink', 'online', 'observe'])
    p.add_argument('--jid', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--ca', required=True)
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True, help='direct TLS port')
    p.add_argument('--to', help='flood: bare JID to send to')
    p.add_argument('--count', type=int, default=5000)
    p.add_argument('--run', default='r0', help='flood: run tag in ids and bodies')
    p.add_argument('--body-len', type=int, default=64)
    p.add_argument('--timeout', type=float, default=60)
    p.add_argument('--sm', action='store_true', help='sink: with stream management')
    p.add_argument('--carbons', action='store_true', help='sink --sm: enable carbons')
    p.add_argument('--csi-inactive', action='store_true',
                   help='sink --sm: tell the server nobody is looking (XEP-0352)')
    args = p.parse_args()
    try:
        if args.mode == 'flood':
            return do_flood(args) or 0
        if args.mode == 'sink':
            return do_sink(args)
        if args.mode == 'online':
            return do_online(args)
        return do_observe(args)
    except (OSError, LoginError, ssl.SSLError) as e:
        print('xmpp_raw.py %s: %s' % (args.mode, e), file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
