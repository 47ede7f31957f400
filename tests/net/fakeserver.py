#!/usr/bin/python3
# fakeserver.py: a scripted, hostile XMPP server for ward's tests (stdlib only).
# Speaks just enough RFC 6120 (STARTTLS or direct TLS, a real SCRAM server,
# bind, roster) and then misbehaves as --mode says. Logs one line per event.
"""Scripted hostile XMPP server for ward's tests.

Log lines (--log, else stderr), one per event, "EVENT key=value ... conn=N":
  LISTEN, CONNECT, TLS-OK, TLS-FAIL, STALL, RECV stream, RECV starttls,
  RECV auth mechanism=M, RECV response, RECV abort, RECV iq, RECV message,
  RECV presence, RECV <name>, AUTH-OK, AUTH-FAIL, BIND, SENT <what>,
  RECV stream-close, XML-ERROR, TIMEOUT, EOF, ERROR, CLOSE, EXIT,
  GS2 flag=F (the client's gs2 channel-binding flag), SSDP d=B64.
"""

import argparse
import base64
import hashlib
import hmac
import os
import secrets
import selectors
import signal
import socket
import ssl
import sys
import threading
import xml.parsers.expat
from xml.sax.saxutils import escape, quoteattr

NS_CLIENT = 'jabber:client'
NS_STREAM = 'http://etherx.jabber.org/streams'
NS_STREAM_ERR = 'urn:ietf:params:xml:ns:xmpp-streams'
NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls'
NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl'
NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind'
NS_SESSION = 'urn:ietf:params:xml:ns:xmpp-session'
NS_STANZA_ERR = 'urn:ietf:params:xml:ns:xmpp-stanzas'
NS_ROSTER = 'jabber:iq:roster'
NS_PING = 'urn:xmpp:ping'
NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info'
NS_SM = 'urn:xmpp:sm:3'
NS_SASL_CB = 'urn:xmpp:sasl-cb:0'

# muc-typing: an occupant's nick with a bidi override (U+202E) and a bidi
# isolate (U+2066), as XML character references (in an attribute value);
# a control (CR, C1) would make the JID invalid to ward, which drops it
HOSTILE_NICK = 'm&#8238;x&#8294;y'

MODES = {
    'normal': 'complete login; answer roster, ping, disco; nothing else',
    'bad-server-signature': 'SCRAM success carries a wrong v=',
    'success-without-v': 'SCRAM success carries no additional data',
    'success-early': 'answer the SCRAM client-first with <success/> at once',
    'low-iterations': 'SCRAM with i=1000',
    'oversize': 'after bind, a <message> with a 300,000-byte body',
    'deep': 'after bind, a <message> with 100,000 nested <a>',
    'dtd': 'every stream header comes after a DOCTYPE with an entity',
    'billion-laughs': 'every stream header comes after a billion-laughs DTD',
    'tls12-only': 'TLS 1.2 at most',
    'never-answer-sasl': 'never answer <auth>',
    'stall-tls': 'accept TCP (and <starttls/>), never complete the TLS handshake',
    'garbage-after-close': 'after bind, </stream:stream> followed by a stanza and garbage',
    'plain-only': 'offer only SASL PLAIN',
    'no-tls': 'offer no STARTTLS; SASL on the plaintext stream',
    'tls-optional': 'offer <starttls/> without <required/> and the SASL mechanisms '
                    'before TLS too (authentication itself still needs TLS)',
    'tls-optional-register': 'offer <starttls/> without <required/> and no SASL before '
                             'TLS, but answer an iq get of jabber:iq:register in the clear '
                             'with a registration form (not advertised as a feature)',
    'cb-relay': 'SCRAM-PLUS as a relay sees it: the binding is taken unchecked and v= '
                'is signed over another TLS channel\'s binding data',
    'invalid-utf8': 'after login, a <message> whose body holds bytes that are not UTF-8',
    'raw-escape': 'after login, a <message> whose body holds a raw ESC (not allowed in XML)',
    'presence-flood': 'after login, 10,000 presences of room occupants, then a marker message',
    'forged-iq': 'answer the roster request first with a result of the same id from another '
                 'JID (with a fake contact), then for real; also an unsolicited result',
    'mam-wrong-query': 'after login, an archive result from the account\'s own JID for a '
                       'query id the client never sent, then a marker message',
    'muc-ghost': 'rooms on rooms.DOMAIN answer joins, but every self-ping (XEP-0410) says '
                 'not-acceptable, as after a room service restart that forgot the occupant',
    'muc-privacy': 'rooms on rooms.DOMAIN by their name: errdisco@ answers disco#info with an '
                   'error; logs@ puts status 170 in the self-presence; turns@ sends status 172 '
                   '(now non-anonymous) and anon@ status 174 in a room message after the join; '
                   'joins and leaves are logged (ROOM-JOIN, ROOM-LEAVE)',
    'muc-typing': 'rooms on rooms.DOMAIN are private (members-only, non-anonymous) and '
                  'hold bob and an occupant whose nick has a bidi override and a bidi '
                  'isolate (HOSTILE_NICK); a room message of the client\'s with body '
                  '"typing please" makes both send <composing/>, "hostile leaves" makes '
                  'that occupant leave (logged: TYPING-SENT, HOSTILE-LEFT)',
    'muc-hostile-form': 'rooms on rooms.DOMAIN answer joins (semi-anonymous) and send a '
                        'hostile configuration form (300 fields, a var twice with other '
                        'values, unknown types, a nested form, a bidi override and a C1 '
                        'control in labels); a submission is logged field by field '
                        '(FORM-FIELD var=... values=a|b, then FORM-SUBMIT)',
    'pep-silent': 'never answer a pubsub (PEP) request; log every message the client sends '
                  '(MESSAGE to=... body=yes|no encrypted=yes|no)',
    'mam-history-forged': 'answer archive (MAM) queries with results from the wrong JID, about '
                          'another conversation, with a future time and more than asked for, '
                          'around real ones (for /history)',
    'forged-carbons': 'after login, carbons from the account\'s own bare JID whose inner '
                      'message is not ours: a <sent/> from a stranger and a <received/> '
                      'between two other people; then a genuine <sent/> and <received/> '
                      'and a marker message',
    'log-injection': 'after login, stanzas that ward drops and logs, from JIDs holding LF, CR, '
                     'TAB, C1 (U+0085, U+009B), bidi (U+202E, U+2028) and zero-width '
                     '(U+200B) characters, one inner message with such a body, a marker '
                     'message, then a stream error whose text holds them too',
    'stanza-id': 'after login, two messages from bob stamped with a <stanza-id/> by the '
                 'account (ids sid-1, sid-2) and a marker; with --archive the account\'s '
                 'disco#info advertises urn:xmpp:mam:2 and urn:xmpp:sid:0 (else neither) and '
                 'archive catch-ups are answered: the first --mam-refuse of them per '
                 'connection with item-not-found, the next with one result '
                 '(RECOVERED-FROM-ARCHIVE) and complete; each logged MAM-QUERY after=ID; '
                 'a room joined sends a message stamped by the room (room-sid-1), its '
                 'disco#info listing MAM and stanza-ids with --archive',
    'subscribe-lookalike': 'after login (the roster holds bob@DOMAIN), subscription requests '
                           'from b\u043eb@DOMAIN (Cyrillic o: a look-alike of bob), '
                           'p\u0430ypal@DOMAIN (Latin with a Cyrillic a) and carol@DOMAIN, '
                           'then a marker message',
    'audit-services': 'for ward audit --account: the domain\'s disco#info carries a XEP-0157 '
                      'form whose abuse address holds a bidi override and controls; disco#items '
                      'lists upload.DOMAIN (XEP-0363), whose slots follow --slot-path; '
                      'XEP-0215 (extdisco:2) lists --stun services with TURN credentials. Each '
                      'slot is logged (SLOT get=URL put=URL), nothing else changes',
    'audit-silent': 'after bind, never answer an iq (each logged IQ-IGNORED)',
    'iq-without-from': 'after login, a ping, a roster push and a disco#info query without a '
                       'from attribute (as servers send their own), then a marker message; '
                       'log the answers (ANSWER id=... type=... to=...)',
}

SCRAM_HASHES = {'SCRAM-SHA-1': 'sha1', 'SCRAM-SHA-256': 'sha256',
                'SCRAM-SHA-512': 'sha512'}

RESTART = 'restart'     # handler result: the stream restarts (TLS, SASL)


def b64(data):
    return base64.b64encode(data).decode('ascii')


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog='modes:\n' + '\n'.join(
                                    '  %-22s %s' % kv for kv in MODES.items()))
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--cert', required=True, help='server certificate (PEM, may hold the chain)')
    p.add_argument('--key', required=True)
    p.add_argument('--mode', default='normal', choices=sorted(MODES))
    p.add_argument('--domain', default='good.test')
    p.add_argument('--user', default='alice')
    p.add_argument('--password', default=os.environ.get('ALICE_PW', 'alice-Test-pw-1'))
    p.add_argument('--log', help='event log file (appended); default stderr')
    p.add_argument('--tls-max', choices=('1.2', '1.3'), default='1.3')
    p.add_argument('--tls-min', choices=('1.0', '1.1', '1.2'), default='1.2',
                   help='below 1.2 the TLS 1.2 ciphers are ALL at security level 0 '
                        '(a weak server for ward audit)')
    p.add_argument('--ciphers', help='OpenSSL cipher list for TLS <= 1.2 (e.g. kRSA:@SECLEVEL=0)')
    p.add_argument('--direct-tls', action='store_true', help='TLS from the first byte (XEP-0368)')
    p.add_argument('--mechanisms',
                   help='comma-separated SASL mechanisms to offer (default SCRAM-SHA-1,PLAIN; '
                        'SCRAM-SHA-1/256/512, their -PLUS with tls-unique or '
                        'tls-server-end-point, and PLAIN are implemented)')
    p.add_argument('--cb-types',
                   help='comma-separated channel-binding types advertised with XEP-0440 '
                        '(default: no <sasl-channel-binding/>)')
    p.add_argument('--ssdp', action='store_true',
                   help='XEP-0474: put d= (hash of the offer) into server-first')
    p.add_argument('--ssdp-real',
                   help='with --ssdp: hash this mechanism list instead of the one offered '
                        '(what the real server offered before a man in the middle changed it)')
    p.add_argument('--iterations', type=int, help='SCRAM iteration count (default 4096)')
    p.add_argument('--after', choices=('bind', 'roster', 'presence'), default='bind',
                   help='when the post-login misbehaviour starts (default: after bind)')
    p.add_argument('--idle-timeout', type=float, default=120,
                   help='close a connection silent for this many seconds')
    p.add_argument('--ipv4-only', action='store_true')
    p.add_argument('--archive', action='store_true',
                   help='advertise MAM and stanza-ids in the account\'s disco#info')
    p.add_argument('--slot-path', default='/files/{user}/{file}',
                   help='audit-services: the path of each slot\'s URL; {user} the localpart, '
                        '{file} the file name, {rand} 32 random hex digits, {n} a counter')
    p.add_argument('--stun', default='stun:3478:udp,turns:5349:tcp',
                   help='audit-services: TYPE:PORT:TRANSPORT,... announced by XEP-0215 '
                        '(PORT "-": no port attribute)')
    p.add_argument('--mam-refuse', type=int, default=0,
                   help='stanza-id mode: refuse this many catch-up queries per connection')
    return p.parse_args()


class EventLog:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.out = open(path, 'a', buffering=1) if path else sys.stderr

    def write(self, line):
        with self.lock:
            self.out.write(line + '\n')
            self.out.flush()


def hostile_form():
    """A room configuration form built to mislead and to overload (mode
    muc-hostile-form)."""
    f = ["<x xmlns='jabber:x:data' type='form'><title>Evil \u202etxt.exe</title>",
         "<field type='hidden' var='FORM_TYPE'><value>"
         "http://jabber.org/protocol/muc#roomconfig</value></field>",
         # the same var twice: the first is what is shown and submitted
         "<field type='text-single' var='muc#roomconfig_roomname' label='Name'>"
         "<value>shown-name</value></field>",
         "<field type='text-single' var='muc#roomconfig_roomname' label='Name again'>"
         "<value>hidden-name</value></field>",
         "<field type='x-evil' var='evil_unknown' label='Unknown \u009b[2J'>"
         "<value>1</value></field>",
         "<field type='boolean' var='nested' label='Nested'><value>0<x xmlns="
         "'jabber:x:data' type='form'><field var='inner'><value>no</value></field>"
         "</x></value></field>",
         "<field type='text-private' var='muc#roomconfig_roomsecret' label='Password'>"
         "<value>server-side-secret</value></field>"]
    for i in range(300):
        f.append("<field type='text-single' var='filler_%d'><value>%d</value></field>"
                 % (i, i))
    f.append("</x>")
    return ''.join(f)


class Element:
    def __init__(self, name, attrs):
        self.name = name.split(':')[-1]
        self.attrs = attrs
        self.children = []
        self.text = ''

    def child(self, name):
        for c in self.children:
            if c.name == name:
                return c
        return None

    def ns(self):
        return self.attrs.get('xmlns', '')


class StreamReader:
    """Incremental parser of one XML stream; yields stream open/close and
    complete top-level elements. A new one is made at each stream restart."""

    def __init__(self):
        self.events = []
        self.stack = []
        self.depth = 0
        self.fresh = True       # nothing fed yet
        p = xml.parsers.expat.ParserCreate()
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text
        self.parser = p

    def _start(self, name, attrs):
        if self.depth == 0:
            self.events.append(('open', attrs))
        else:
            el = Element(name, attrs)
            if self.stack:
                self.stack[-1].children.append(el)
            self.stack.append(el)
        self.depth += 1

    def _end(self, _name):
        self.depth -= 1
        if self.depth == 0:
            self.events.append(('close', None))
        else:
            el = self.stack.pop()
            if not self.stack:
                self.events.append(('element', el))

    def _text(self, data):
        if self.stack:
            self.stack[-1].text += data

    def feed(self, data):
        self.fresh = False
        self.parser.Parse(data, False)
        events, self.events = self.events, []
        return events


class Server:
    def __init__(self, args):
        self.args = args
        self.log = EventLog(args.log)
        self.mode = args.mode
        if args.mechanisms:
            self.mechanisms = [m.strip() for m in args.mechanisms.split(',') if m.strip()]
        elif args.mode == 'plain-only':
            self.mechanisms = ['PLAIN']
        else:
            self.mechanisms = ['SCRAM-SHA-1', 'PLAIN']
        self.cb_types = [t.strip() for t in (args.cb_types or '').split(',') if t.strip()]
        self.iterations = args.iterations or (1000 if args.mode == 'low-iterations' else 4096)
        self.salt = secrets.token_bytes(16)
        self.salted = {}
        with open(args.cert, 'rb') as f:
            first_pem = f.read().decode('ascii').split('-----END CERTIFICATE-----')[0]
        self.cert_der = ssl.PEM_cert_to_DER_cert(first_pem + '-----END CERTIFICATE-----\n')
        self.ssl_ctx = self._make_ssl_context()
        self.counter = 0
        self.counter_lock = threading.Lock()

    def _make_ssl_context(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.args.cert, self.args.key)
        ctx.minimum_version = {'1.0': ssl.TLSVersion.TLSv1, '1.1': ssl.TLSVersion.TLSv1_1,
                               '1.2': ssl.TLSVersion.TLSv1_2}[self.args.tls_min]
        if self.args.tls_min != '1.2':
            ctx.set_ciphers('ALL:@SECLEVEL=0')
        if self.args.ciphers:
            ctx.set_ciphers(self.args.ciphers)
        if self.args.tls_max == '1.2' or self.mode == 'tls12-only':
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_alpn_protocols(['xmpp-client'])

        def remember_sni(sslsock, name, _ctx):
            sslsock.ward_sni = name
        ctx.sni_callback = remember_sni
        return ctx

    def salted_password(self, hashname):
        if hashname not in self.salted:
            self.salted[hashname] = hashlib.pbkdf2_hmac(
                hashname, self.args.password.encode('utf-8'), self.salt, self.iterations)
        return self.salted[hashname]

    def listen(self):
        socks = []
        addrs = [(socket.AF_INET, '127.0.0.1')]
        if not self.args.ipv4_only and socket.has_ipv6:
            addrs.append((socket.AF_INET6, '::1'))
        for family, addr in addrs:
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((addr, self.args.port))
                s.listen(16)
                socks.append(s)
            except OSError as e:
                if family == socket.AF_INET:
                    raise
                self.log.write('LISTEN-FAIL addr=%s reason=%s' % (addr, e))
        return socks

    def serve(self):
        socks = self.listen()
        sel = selectors.DefaultSelector()
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        self.log.write('LISTEN port=%d mode=%s direct_tls=%s mechanisms=%s'
                       % (self.args.port, self.mode, int(self.args.direct_tls),
                          ','.join(self.mechanisms)))
        while True:
            for key, _ in sel.select():
                try:
                    conn, peer = key.fileobj.accept()
                except OSError:
                    continue
                with self.counter_lock:
                    self.counter += 1
                    n = self.counter
                t = threading.Thread(target=Session(self, conn, peer, n).run, daemon=True)
                t.start()


class Session:
    def __init__(self, server, sock, peer, n):
        self.srv = server
        self.args = server.args
        self.mode = server.mode
        self.sock = sock
        self.peer = peer
        self.n = n
        self.tls = False
        self.authed = False
        self.user = None
        self.jid = None
        self.scram = None
        self.silent = False         # never-answer-sasl: stop answering
        self.triggered = False
        self.after_close = False    # garbage-after-close: we closed the stream
        self.closed = False
        self.reader = None
        self.mam_queries = 0

    # --- plumbing -------------------------------------------------------
    def log(self, event, **kv):
        parts = [event] + ['%s=%s' % (k, v) for k, v in kv.items()] + ['conn=%d' % self.n]
        self.srv.log.write(' '.join(parts))

    def send(self, data):
        if isinstance(data, str):
            data = data.encode('utf-8')
        self.sock.sendall(data)

    def stream_error(self, condition, text=None):
        extra = ''
        if text:
            extra = "<text xmlns='%s'>%s</text>" % (NS_STREAM_ERR, escape(text))
        self.send("<stream:error><%s xmlns='%s'/>%s</stream:error></stream:stream>"
                  % (condition, NS_STREAM_ERR, extra))
        self.log('SENT stream-error', condition=condition)
        self.closed = True

    def run(self):
        reason = 'done'
        try:
            self.sock.settimeout(self.args.idle_timeout)
            self.log('CONNECT', peer='%s:%d' % (self.peer[0], self.peer[1]),
                     direct_tls=int(self.args.direct_tls))
            if self.args.direct_tls:
                if self.mode == 'stall-tls':
                    self.stall()
                    return
                if not self.start_tls():
                    return
            self.reader = StreamReader()
            self.loop()
        except socket.timeout:
            self.log('TIMEOUT')
        except (OSError, ssl.SSLError) as e:
            reason = type(e).__name__
            self.log('ERROR', reason=reason)
        finally:
            try:
                self.sock.close()
            except OSError:
                pass
            self.log('CLOSE')

    def loop(self):
        while not self.closed:
            data = self.sock.recv(65536)
            if not data:
                self.log('EOF')
                return
            if self.after_close:
                self.log('RECV-AFTER-CLOSE', bytes=len(data))
                continue
            if self.reader.fresh and data.lstrip().startswith(b'</stream:stream>'):
                # A client giving up right after a restart point (e.g. after a
                # bad <success/>) closes the old stream, not a new document.
                self.log('RECV stream-close', restart=1)
                self.send('</stream:stream>')
                return
            try:
                events = self.reader.feed(data)
            except xml.parsers.expat.ExpatError as e:
                self.log('XML-ERROR', reason=quoteattr(str(e)))
                self.stream_error('not-well-formed')
                return
            for kind, payload in events:
                result = self.handle(kind, payload)
                if result == RESTART:
                    self.reader = StreamReader()
                    break       # anything after a restart point is dropped
                if self.closed or self.after_close:
                    break

    def stall(self):
        """Read and discard until the client gives up; never answer."""
        self.log('STALL')
        while True:
            data = self.sock.recv(65536)
            if not data:
                self.log('EOF')
                return
            self.log('RECV-STALLED', bytes=len(data))

    def start_tls(self):
        try:
            s = self.srv.ssl_ctx.wrap_socket(self.sock, server_side=True,
                                             do_handshake_on_connect=False)
            s.settimeout(self.args.idle_timeout)
            s.do_handshake()
        except (ssl.SSLError, OSError) as e:
            self.log('TLS-FAIL', reason=quoteattr(str(e)))
            self.closed = True
            return False
        self.sock = s
        self.tls = True
        self.log('TLS-OK', version=s.version(), cipher=s.cipher()[0],
                 sni=getattr(s, 'ward_sni', None) or '-',
                 alpn=s.selected_alpn_protocol() or '-')
        return True

    # --- stream ---------------------------------------------------------
    def handle(self, kind, payload):
        if kind == 'open':
            return self.on_stream_open(payload)
        if kind == 'close':
            self.log('RECV stream-close')
            self.send('</stream:stream>')
            self.closed = True
            return None
        return self.on_element(payload)

    def prolog(self):
        if self.mode == 'dtd':
            return ("<?xml version='1.0'?><!DOCTYPE stream:stream ["
                    "<!ENTITY ward 'entity-was-expanded'>"
                    "<!ENTITY ext SYSTEM 'file:///etc/passwd'>]>")
        if self.mode == 'billion-laughs':
            ents = ["<!ENTITY lol0 'lol'>"]
            for i in range(1, 10):
                ents.append("<!ENTITY lol%d '%s'>" % (i, ('&lol%d;' % (i - 1)) * 10))
            return "<?xml version='1.0'?><!DOCTYPE stream:stream [%s]>" % ''.join(ents)
        return "<?xml version='1.0'?>"

    def entity_bait(self):
        """An element using the DTD's entities (only in the DTD modes)."""
        if self.mode == 'dtd':
            return "<ward-dtd xmlns='urn:ward:test'>&ward;</ward-dtd>"
        if self.mode == 'billion-laughs':
            return "<ward-dtd xmlns='urn:ward:test'>&lol9;</ward-dtd>"
        return ''

    def on_stream_open(self, attrs):
        self.log('RECV stream', to=attrs.get('to', '-'), version=attrs.get('version', '-'),
                 tls=int(self.tls), authed=int(self.authed))
        to = ''
        if attrs.get('from'):
            to = ' to=%s' % quoteattr(attrs['from'])
        self.send("%s<stream:stream xmlns='%s' xmlns:stream='%s' id='%s' from=%s%s "
                  "version='1.0' xml:lang='en'>"
                  % (self.prolog(), NS_CLIENT, NS_STREAM, secrets.token_hex(8),
                     quoteattr(self.args.domain), to, ))
        if self.mode in ('dtd', 'billion-laughs'):
            self.log('SENT ' + self.mode)
        self.send('<stream:features>%s%s</stream:features>'
                  % (self.features(), self.entity_bait()))
        return None

    def features(self):
        if self.authed:
            return ("<bind xmlns='%s'/><session xmlns='%s'><optional/></session>"
                    % (NS_BIND, NS_SESSION))
        if not self.tls and self.mode == 'tls-optional-register':
            return "<starttls xmlns='%s'/>" % NS_TLS
        if not self.tls and self.mode not in ('no-tls', 'tls-optional'):
            return "<starttls xmlns='%s'><required/></starttls>" % NS_TLS
        starttls = "<starttls xmlns='%s'/>" % NS_TLS if not self.tls and \
            self.mode == 'tls-optional' else ''
        cb = ''
        if self.args.cb_types is not None:
            cb = "<sasl-channel-binding xmlns='%s'>%s</sasl-channel-binding>" % (
                NS_SASL_CB, ''.join("<channel-binding type=%s/>" % quoteattr(t)
                                    for t in self.srv.cb_types))
        return "%s<mechanisms xmlns='%s'>%s</mechanisms>%s" % (
            starttls, NS_SASL,
            ''.join('<mechanism>%s</mechanism>' % m for m in self.srv.mechanisms), cb)

    def on_element(self, el):
        name = el.name
        if name == 'starttls':
            self.log('RECV starttls')
            return self.on_starttls()
        if name == 'auth':
            self.log('RECV auth', mechanism=el.attrs.get('mechanism', '-'))
            return self.on_auth(el)
        if name == 'response':
            self.log('RECV response')
            return self.on_response(el)
        if name == 'abort':
            self.log('RECV abort')
            self.scram = None
            if not self.silent:
                self.sasl_failure('aborted')
            return None
        if name in ('iq', 'message', 'presence'):
            self.log('RECV ' + name, type=el.attrs.get('type', '-'),
                     to=el.attrs.get('to', '-'), id=el.attrs.get('id', '-'),
                     child=el.children[0].name if el.children else '-')
            if (not self.authed and name == 'iq' and not self.tls
                    and self.mode == 'tls-optional-register'
                    and el.attrs.get('type') == 'get' and el.children
                    and el.children[0].name == 'query'
                    and el.children[0].ns() == 'jabber:iq:register'):
                self.send("<iq type='result' id=%s><query xmlns='jabber:iq:register'>"
                          "<instructions>Choose a name</instructions><username/>"
                          "<password/></query></iq>" % quoteattr(el.attrs.get('id', '')))
                self.log('SENT register-form')
                return None
            if not self.authed:
                self.stream_error('not-authorized')
                return None
            return getattr(self, 'on_' + name)(el)
        self.log('RECV ' + name, xmlns=el.ns() or '-')
        if name == 'enable' and el.ns() == NS_SM:
            self.send("<failed xmlns='%s'><feature-not-implemented xmlns='%s'/></failed>"
                      % (NS_SM, NS_STANZA_ERR))
        return None

    def on_starttls(self):
        if self.tls or self.args.direct_tls or self.mode == 'no-tls':
            self.send("<failure xmlns='%s'/></stream:stream>" % NS_TLS)
            self.closed = True
            return None
        self.send("<proceed xmlns='%s'/>" % NS_TLS)
        if self.mode == 'stall-tls':
            self.stall()
            self.closed = True
            return None
        if not self.start_tls():
            return None
        return RESTART

    # --- SASL -----------------------------------------------------------
    def sasl_failure(self, condition, reason=None):
        self.send("<failure xmlns='%s'><%s/></failure>" % (NS_SASL, condition))
        self.log('AUTH-FAIL', condition=condition, reason=reason or condition)
        self.scram = None

    def sasl_success(self, additional=None):
        if additional is None:
            self.send("<success xmlns='%s'/>" % NS_SASL)
        else:
            self.send("<success xmlns='%s'>%s</success>" % (NS_SASL, b64(additional)))
        self.authed = True
        self.scram = None
        self.log('AUTH-OK', user=self.user)
        return RESTART

    def decode_payload(self, el):
        text = el.text.strip()
        if text in ('', '='):
            return b''
        return base64.b64decode(text, validate=True)

    def on_auth(self, el):
        mech = el.attrs.get('mechanism', '')
        if self.silent:
            return None
        if self.mode == 'never-answer-sasl':
            self.silent = True
            self.log('SILENT')
            return None
        if not self.tls and self.mode != 'no-tls':
            self.sasl_failure('encryption-required')
            return None
        if self.authed:
            self.stream_error('policy-violation', 'already authenticated')
            return None
        if mech not in self.srv.mechanisms:
            self.sasl_failure('invalid-mechanism')
            return None
        try:
            data = self.decode_payload(el)
        except ValueError:
            self.sasl_failure('incorrect-encoding')
            return None
        if mech == 'PLAIN':
            return self.plain(data)
        base = mech[:-5] if mech.endswith('-PLUS') else mech
        if base in SCRAM_HASHES:
            return self.scram_first(mech, SCRAM_HASHES[base], data)
        self.sasl_failure('invalid-mechanism', 'not-implemented')
        return None

    def plain(self, data):
        parts = data.split(b'\0')
        if len(parts) != 3:
            self.sasl_failure('malformed-request')
            return None
        authcid = parts[1].decode('utf-8', 'replace')
        if authcid != self.args.user or parts[2] != self.args.password.encode('utf-8'):
            self.sasl_failure('not-authorized', 'bad-credentials')
            return None
        self.user = authcid
        return self.sasl_success()

    @staticmethod
    def scram_attrs(msg):
        out = {}
        for part in msg.split(b','):
            if len(part) >= 2 and part[1:2] == b'=':
                out[part[:1].decode('ascii', 'replace')] = part[2:]
        return out

    def channel_binding_data(self, cbtype):
        if cbtype == 'tls-unique':
            # Undefined under TLS 1.3 (RFC 9266), though Python still returns
            # bytes for it there.
            if self.sock.version() == 'TLSv1.3':
                return None
            return self.sock.get_channel_binding('tls-unique')
        if cbtype == 'tls-server-end-point':
            # RFC 5929: the certificate's signature hash, SHA-256 for MD5/SHA-1
            # (our test certificates are all ecdsa-with-SHA256).
            return hashlib.sha256(self.srv.cert_der).digest()
        return None     # tls-exporter needs RFC 5705 export, absent from Python's ssl

    def scram_first(self, mech, hashname, data):
        parts = data.split(b',', 2)
        if len(parts) != 3:
            self.sasl_failure('malformed-request')
            return None
        cbflag, authzid, bare = parts
        self.log('GS2', flag=cbflag.decode('ascii', 'replace'))
        plus = mech.endswith('-PLUS')
        cbdata = b''
        if plus:
            if not cbflag.startswith(b'p='):
                self.sasl_failure('malformed-request', 'plus-without-p')
                return None
            cbtype = cbflag[2:].decode('ascii', 'replace')
            cbdata = self.channel_binding_data(cbtype)
            if cbdata is None:
                self.sasl_failure('malformed-request', 'cb-unsupported-' + cbtype)
                return None
        elif cbflag == b'y':
            if any(m.endswith('-PLUS') for m in self.srv.mechanisms):
                self.sasl_failure('not-authorized', 'cb-downgrade')
                return None
        elif cbflag != b'n':
            self.sasl_failure('malformed-request', 'bad-gs2-flag')
            return None
        attrs = self.scram_attrs(bare)
        if 'n' not in attrs or 'r' not in attrs or 'm' in attrs:
            self.sasl_failure('malformed-request')
            return None
        user = attrs['n'].decode('utf-8', 'replace').replace('=2C', ',').replace('=3D', '=')
        if self.mode == 'success-early':
            self.user = user
            self.log('SENT success-early')
            return self.sasl_success()
        nonce = attrs['r'] + secrets.token_urlsafe(18).encode('ascii')
        server_first = b'r=%s,s=%s,i=%d' % (nonce, b64(self.srv.salt).encode('ascii'),
                                            self.srv.iterations)
        if self.args.ssdp:
            server_first += b',d=' + self.ssdp_hash(hashname).encode('ascii')
        self.scram = {'mech': mech, 'hash': hashname, 'gs2': cbflag + b',' + authzid + b',',
                      'cbdata': cbdata, 'bare': bare, 'user': user, 'nonce': nonce,
                      'server_first': server_first}
        self.send("<challenge xmlns='%s'>%s</challenge>" % (NS_SASL, b64(server_first)))
        return None

    def ssdp_hash(self, hashname):
        """XEP-0474: base64 of H(sorted mechanisms joined by ',' ['|' sorted
        channel-binding types joined by ','])."""
        mechs = self.srv.mechanisms
        if self.args.ssdp_real:
            mechs = [m.strip() for m in self.args.ssdp_real.split(',') if m.strip()]
        text = ','.join(sorted(mechs))
        if self.srv.cb_types:
            text += '|' + ','.join(sorted(self.srv.cb_types))
        d = b64(hashlib.new(hashname, text.encode('utf-8')).digest())
        self.log('SSDP', text=quoteattr(text), d=d)
        return d

    def on_response(self, el):
        if self.silent:
            return None
        st = self.scram
        if st is None:
            self.sasl_failure('malformed-request', 'unexpected-response')
            return None
        try:
            data = self.decode_payload(el)
        except ValueError:
            self.sasl_failure('incorrect-encoding')
            return None
        cut = data.rfind(b',p=')
        if cut < 0:
            self.sasl_failure('malformed-request', 'no-proof')
            return None
        without_proof = data[:cut]
        attrs = self.scram_attrs(data)
        try:
            cbind = base64.b64decode(attrs.get('c', b''), validate=True)
            proof = base64.b64decode(attrs.get('p', b''), validate=True)
        except ValueError:
            self.sasl_failure('incorrect-encoding')
            return None
        signed = without_proof
        if self.mode == 'cb-relay' and st['cbdata']:
            # A server behind a relay sits on another TLS channel; this one
            # does not check the binding, and signs the one it sees.
            seen = bytes(b ^ 0xff for b in st['cbdata'])
            signed = (b'c=' + b64(st['gs2'] + seen).encode('ascii')
                      + without_proof[without_proof.index(b',r='):])
            self.log('CB-RELAY', binding='unchecked')
        elif cbind != st['gs2'] + st['cbdata']:
            self.sasl_failure('not-authorized', 'channel-binding-mismatch')
            return None
        if attrs.get('r') != st['nonce']:
            self.sasl_failure('not-authorized', 'nonce-mismatch')
            return None
        h = st['hash']
        salted = self.srv.salted_password(h)
        client_key = hmac.new(salted, b'Client Key', h).digest()
        stored_key = hashlib.new(h, client_key).digest()
        auth_message = st['bare'] + b',' + st['server_first'] + b',' + without_proof
        client_sig = hmac.new(stored_key, auth_message, h).digest()
        if len(proof) != len(client_sig):
            self.sasl_failure('not-authorized', 'bad-proof-length')
            return None
        recovered = bytes(a ^ b for a, b in zip(proof, client_sig))
        if (not hmac.compare_digest(hashlib.new(h, recovered).digest(), stored_key)
                or st['user'] != self.args.user):
            self.sasl_failure('not-authorized', 'bad-credentials')
            return None
        server_key = hmac.new(salted, b'Server Key', h).digest()
        signed_message = st['bare'] + b',' + st['server_first'] + b',' + signed
        server_sig = hmac.new(server_key, signed_message, h).digest()
        self.user = st['user']
        if self.mode == 'bad-server-signature':
            self.log('SENT bad-server-signature')
            return self.sasl_success(b'v=' + b64(bytes(b ^ 0x5a for b in server_sig)).encode())
        if self.mode == 'success-without-v':
            self.log('SENT success-without-v')
            return self.sasl_success(None)
        return self.sasl_success(b'v=' + b64(server_sig).encode('ascii'))

    # --- stanzas after login ----------------------------------------------
    def iq_reply(self, el, payload='', frm=None):
        self.send("<iq type='result' id=%s to=%s%s>%s</iq>"
                  % (quoteattr(el.attrs.get('id', '')), quoteattr(self.jid or ''),
                     '' if frm is None else ' from=%s' % quoteattr(frm), payload))

    def on_iq(self, el):
        typ = el.attrs.get('type')
        if typ in ('result', 'error'):
            if el.attrs.get('id', '').startswith('nofrom-'):
                self.log('ANSWER', id=el.attrs['id'], type=typ, to=el.attrs.get('to', '-'))
            return None
        q = el.children[0] if el.children else None
        if q is None or typ not in ('get', 'set'):
            self.send("<iq type='error' id=%s><error type='modify'><bad-request xmlns='%s'/>"
                      "</error></iq>" % (quoteattr(el.attrs.get('id', '')), NS_STANZA_ERR))
            return None
        ns = q.ns()
        if self.mode == 'audit-silent' and self.jid is not None:
            self.log('IQ-IGNORED', id=el.attrs.get('id', '-'), child=q.name, xmlns=ns or '-')
            return None
        if self.mode == 'audit-services' and self.audit_iq(el, q, ns):
            return None
        if self.room_iq(el, q, ns, typ):
            return None
        if self.mode == 'pep-silent' and ns == 'http://jabber.org/protocol/pubsub':
            self.log('PEP-IGNORED', to=el.attrs.get('to', '-'))
            return None
        if q.name == 'bind' and ns == NS_BIND and typ == 'set':
            res = q.child('resource')
            resource = (res.text.strip() if res is not None else '') or secrets.token_hex(4)
            self.jid = '%s@%s/%s' % (self.user, self.args.domain, resource)
            self.iq_reply(el, "<bind xmlns='%s'><jid>%s</jid></bind>" % (NS_BIND, escape(self.jid)))
            self.log('BIND', jid=self.jid)
            if self.args.after == 'bind':
                self.misbehave()
        elif q.name == 'session' and ns == NS_SESSION:
            self.iq_reply(el)
        elif q.name == 'query' and ns == NS_ROSTER and typ == 'get':
            if self.mode == 'forged-iq':
                self.send("<iq type='result' id='guessed-1' to=%s/>" % quoteattr(self.jid or ''))
                self.send("<iq type='result' id=%s from='mallory@evil.test/x' to=%s>"
                          "<query xmlns='%s' ver='1'><item jid='mallory@evil.test' "
                          "name='Mallory' subscription='both'/></query></iq>"
                          % (quoteattr(el.attrs.get('id', '')), quoteattr(self.jid or ''),
                             NS_ROSTER))
                self.log('SENT forged-iq')
            self.iq_reply(el, "<query xmlns='%s' ver='1'><item jid='bob@%s' name='Bob' "
                              "subscription='both'/></query>" % (NS_ROSTER, self.args.domain))
            if self.args.after == 'roster':
                self.misbehave()
        elif q.name == 'ping' and ns == NS_PING:
            self.iq_reply(el)
        elif (q.name == 'query' and ns == 'urn:xmpp:mam:2' and typ == 'set'
              and self.mode == 'mam-history-forged'):
            self.mam_forged(el, q)
        elif (q.name == 'query' and ns == 'urn:xmpp:mam:2' and typ == 'set'
              and self.mode == 'stanza-id'):
            self.mam_catch_up(el, q)
        elif q.name == 'query' and ns == NS_DISCO_INFO and typ == 'get':
            extra = ''
            if self.args.archive:
                extra = "<feature var='urn:xmpp:mam:2'/><feature var='urn:xmpp:sid:0'/>"
            self.log('DISCO', to=el.attrs.get('to', '-'), archive=int(self.args.archive))
            self.iq_reply(el, "<query xmlns='%s'><identity category='server' type='im' "
                              "name='ward fake server'/><feature var='%s'/>"
                              "<feature var='%s'/>%s</query>"
                          % (NS_DISCO_INFO, NS_DISCO_INFO, NS_PING, extra))
        else:
            self.send("<iq type='error' id=%s><error type='cancel'>"
                      "<service-unavailable xmlns='%s'/></error></iq>"
                      % (quoteattr(el.attrs.get('id', '')), NS_STANZA_ERR))
        return None

    def audit_iq(self, el, q, ns):
        """Mode audit-services: XEP-0157, XEP-0363 and XEP-0215 as a server
        would answer them, with the slot paths and ports the test chose."""
        to = el.attrs.get('to', '')
        dom = self.args.domain
        upload = 'upload.' + dom
        if q.name == 'query' and ns == NS_DISCO_INFO and to in ('', dom):
            self.log('DISCO', to=to or '-', archive=0)
            self.iq_reply(el, "<query xmlns='%s'><identity category='server' type='im'/>"
                              "<feature var='%s'/><x xmlns='jabber:x:data' type='result'>"
                              "<field var='FORM_TYPE' type='hidden'><value>"
                              "http://jabber.org/network/serverinfo</value></field>"
                              "<field var='abuse-addresses'><value>mailto:abuse@%s"
                              "‮evil</value><value>xmpp:abuse@%s</value></field>"
                              "</x></query>" % (NS_DISCO_INFO, NS_DISCO_INFO, dom, dom),
                          frm=to or None)
            return True
        if q.name == 'query' and ns == 'http://jabber.org/protocol/disco#items' and to == dom:
            self.iq_reply(el, "<query xmlns='http://jabber.org/protocol/disco#items'>"
                              "<item jid='rooms.%s'/><item jid='%s'/></query>" % (dom, upload),
                          frm=dom)
            return True
        if q.name == 'query' and ns == NS_DISCO_INFO and to == 'rooms.' + dom:
            self.iq_reply(el, "<query xmlns='%s'><identity category='conference' type='text'/>"
                              "<feature var='http://jabber.org/protocol/muc'/></query>"
                          % NS_DISCO_INFO, frm=to)
            return True
        if q.name == 'query' and ns == NS_DISCO_INFO and to == upload:
            self.iq_reply(el, "<query xmlns='%s'><identity category='store' type='file'/>"
                              "<feature var='urn:xmpp:http:upload:0'/></query>" % NS_DISCO_INFO,
                          frm=to)
            return True
        if q.name == 'request' and ns == 'urn:xmpp:http:upload:0' and to == upload:
            self.slot_n = getattr(self, 'slot_n', 0) + 1
            path = self.args.slot_path.format(user=self.user, file=q.attrs.get('filename', ''),
                                              rand=secrets.token_hex(16), n=self.slot_n)
            url = 'https://%s%s' % (upload, path)
            self.log('SLOT', get=url, put=url)
            self.iq_reply(el, "<slot xmlns='urn:xmpp:http:upload:0'><put url=%s>"
                              "<header name='Authorization'>Bearer %s</header></put>"
                              "<get url=%s/></slot>"
                          % (quoteattr(url), secrets.token_hex(8), quoteattr(url)), frm=to)
            return True
        if q.name == 'services' and ns == 'urn:xmpp:extdisco:2' and to == dom:
            items = []
            for spec in self.args.stun.split(','):
                typ, port, tr = spec.split(':')
                cred = ''
                if typ.startswith('turn'):
                    cred = " username='1700000000:alice' password='TURN-SECRET-%s'" % port
                items.append("<service type=%s host='turn.%s' transport=%s%s%s/>"
                             % (quoteattr(typ), dom, quoteattr(tr),
                                '' if port == '-' else " port=%s" % quoteattr(port), cred))
            self.iq_reply(el, "<services xmlns='urn:xmpp:extdisco:2'>%s</services>"
                          % ''.join(items), frm=dom)
            return True
        return False

    def mam_forged(self, el, q):
        """An archive page with forgeries among the real results."""
        qid = q.attrs.get('queryid', '')
        to = el.attrs.get('to', '')
        bare = (self.jid or '').split('/')[0]
        dom = self.args.domain

        def result(frm, rid, inner_from, inner_to, body, stamp, typ='chat'):
            self.send("<message%s to=%s><result xmlns='urn:xmpp:mam:2' queryid=%s id=%s>"
                      "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' "
                      "stamp='%s'/><message xmlns='jabber:client' from=%s to=%s type='%s'>"
                      "<body>%s</body></message></forwarded></result></message>"
                      % ('' if frm is None else ' from=%s' % quoteattr(frm),
                         quoteattr(self.jid or ''), quoteattr(qid), quoteattr(rid), stamp,
                         quoteattr(inner_from), quoteattr(inner_to), typ, body))
        if self.is_room(to):
            room = to.split('/')[0]
            result(bare, 'r-1', room + '/mallory', bare, 'FORGED-ROOM-FROM-OWN',
                   '2020-01-01T00:00:00Z', 'groupchat')
            result(room, 'r-2', 'other@rooms.%s/x' % dom, bare, 'FORGED-ROOM-OTHER',
                   '2020-01-01T00:00:01Z', 'groupchat')
            result(room, 'r-3', room + '/carol', bare, 'LEGIT-ROOM',
                   '2020-01-01T00:00:02Z', 'groupchat')
        else:
            bob = 'bob@%s' % dom
            result('bob@%s/x' % dom, 'c-1', bob + '/x', bare, 'FORGED-FROM-BOB',
                   '2020-01-01T00:00:00Z')
            result(None, 'c-2', 'dave@%s/x' % dom, bare, 'FORGED-OTHER-CHAT',
                   '2020-01-01T00:00:01Z')
            result(bare, 'c-3', bob + '/x', bare, 'LEGIT-OLD', '2020-01-01T00:00:02Z')
            result(None, 'c-4', bob + '/x', bare, 'LEGIT-FUTURE', '2099-01-01T00:00:00Z')
            result(None, 'c-5', bob + '/x', bare, 'EXTRA-BEYOND-MAX', '2020-01-01T00:00:03Z')
        self.send("<iq type='result' id=%s%s to=%s><fin xmlns='urn:xmpp:mam:2' "
                  "complete='true'><set xmlns='http://jabber.org/protocol/rsm'>"
                  "<first>x-1</first><last>x-5</last></set></fin></iq>"
                  % (quoteattr(el.attrs.get('id', '')),
                     ' from=%s' % quoteattr(to) if to else '', quoteattr(self.jid or '')))
        self.log('SENT mam-history-forged', to=to or '-')

    def mam_catch_up(self, el, q):
        """stanza-id mode: refuse --mam-refuse catch-ups, then answer one."""
        after = '-'
        for c in q.children:
            if c.name == 'set':
                a = c.child('after')
                after = a.text if a is not None else '-'
        self.mam_queries += 1
        self.log('MAM-QUERY', after=after, n=self.mam_queries)
        iq_id = quoteattr(el.attrs.get('id', ''))
        if self.mam_queries <= self.args.mam_refuse:
            self.send("<iq type='error' id=%s to=%s><error type='cancel'>"
                      "<item-not-found xmlns='%s'/></error></iq>"
                      % (iq_id, quoteattr(self.jid or ''), NS_STANZA_ERR))
            return
        bare = (self.jid or '').split('/')[0]
        self.send("<message to=%s><result xmlns='urn:xmpp:mam:2' queryid=%s id='sid-3'>"
                  "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' "
                  "stamp='2030-01-01T00:00:00Z'/><message xmlns='jabber:client' "
                  "from='bob@%s/x' to=%s type='chat'><body>RECOVERED-FROM-ARCHIVE</body>"
                  "</message></forwarded></result></message>"
                  % (quoteattr(self.jid or ''), quoteattr(q.attrs.get('queryid', '')),
                     self.args.domain, quoteattr(bare)))
        self.send("<iq type='result' id=%s to=%s><fin xmlns='urn:xmpp:mam:2' complete='true'>"
                  "<set xmlns='http://jabber.org/protocol/rsm'><first>sid-3</first>"
                  "<last>sid-3</last></set></fin></iq>" % (iq_id, quoteattr(self.jid or '')))

    def on_message(self, el):
        to, body = el.attrs.get('to', ''), el.child('body')
        if (self.mode == 'muc-typing' and self.is_room(to) and body is not None
                and el.attrs.get('type') == 'groupchat'):
            if body.text == 'typing please':
                for nick in (HOSTILE_NICK, 'bob'):
                    self.send("<message from='%s/%s' to=%s type='groupchat'><composing "
                              "xmlns='http://jabber.org/protocol/chatstates'/></message>"
                              % (to, nick, quoteattr(self.jid or '')))
                self.log('TYPING-SENT', to=to)
            elif body.text == 'hostile leaves':
                self.send("<presence from='%s/%s' to=%s type='unavailable'><x xmlns="
                          "'http://jabber.org/protocol/muc#user'><item affiliation='member' "
                          "role='none'/></x></presence>"
                          % (to, HOSTILE_NICK, quoteattr(self.jid or '')))
                self.log('HOSTILE-LEFT', to=to)
        if self.mode == 'pep-silent':
            body = el.child('body')
            enc = any(c.name == 'encrypted' for c in el.children)
            self.log('MESSAGE', to=el.attrs.get('to', '-'),
                     body='yes' if body is not None else 'no',
                     plaintext='yes' if body is not None and 'OMEMO' not in body.text else 'no',
                     encrypted='yes' if enc else 'no')
        return None

    def is_room(self, jid):
        return '@' in jid and jid.split('@', 1)[1].split('/')[0] == 'rooms.' + self.args.domain

    def room_iq(self, el, q, ns, typ):
        """Minimal XEP-0045 room service: disco#info and self-pings."""
        to = el.attrs.get('to', '')
        if not self.is_room(to):
            return False
        if (q.name == 'query' and ns == NS_DISCO_INFO and typ == 'get'
                and self.mode == 'muc-privacy' and to.startswith('errdisco@')):
            self.log('ROOM-DISCO-ERROR', to=to)
            self.send("<iq type='error' id=%s from=%s to=%s><error type='cancel'>"
                      "<internal-server-error xmlns='%s'/></error></iq>"
                      % (quoteattr(el.attrs.get('id', '')), quoteattr(to),
                         quoteattr(self.jid or ''), NS_STANZA_ERR))
        elif q.name == 'query' and ns == NS_DISCO_INFO and typ == 'get':
            extra = ''
            if self.args.archive:
                extra = "<feature var='urn:xmpp:mam:2'/><feature var='urn:xmpp:sid:0'/>"
            privacy = "<feature var='muc_semianonymous'/>"
            if self.mode == 'muc-typing':
                privacy = ("<feature var='muc_nonanonymous'/>"
                           "<feature var='muc_membersonly'/>")
            self.send("<iq type='result' id=%s from=%s to=%s><query xmlns='%s'>"
                      "<identity category='conference' type='text'/>"
                      "<feature var='http://jabber.org/protocol/muc'/>"
                      "%s%s</query></iq>"
                      % (quoteattr(el.attrs.get('id', '')), quoteattr(to),
                         quoteattr(self.jid or ''), NS_DISCO_INFO, privacy, extra))
        elif (q.name == 'query' and ns == 'http://jabber.org/protocol/muc#owner'
              and self.mode == 'muc-hostile-form'):
            iid, frm, dst = (quoteattr(el.attrs.get('id', '')), quoteattr(to),
                             quoteattr(self.jid or ''))
            if typ == 'get':
                self.send("<iq type='result' id=%s from=%s to=%s><query xmlns="
                          "'http://jabber.org/protocol/muc#owner'>%s</query></iq>"
                          % (iid, frm, dst, hostile_form()))
                self.log('FORM-SENT', to=to)
            else:
                x = q.child('x')
                for f in (x.children if x is not None else []):
                    if f.name == 'field':
                        vals = [v.text for v in f.children if v.name == 'value']
                        self.log('FORM-FIELD', var=f.attrs.get('var', '-'),
                                 values='|'.join(vals))
                self.log('FORM-SUBMIT', type=x.attrs.get('type', '-') if x is not None
                         else '-')
                self.send("<iq type='result' id=%s from=%s to=%s/>" % (iid, frm, dst))
        elif q.name == 'ping' and ns == NS_PING:
            self.log('SELFPING', to=to)
            if self.mode == 'muc-ghost':
                self.send("<iq type='error' id=%s from=%s to=%s><error type='modify'>"
                          "<not-acceptable xmlns='%s'/></error></iq>"
                          % (quoteattr(el.attrs.get('id', '')), quoteattr(to),
                             quoteattr(self.jid or ''), NS_STANZA_ERR))
            else:
                self.send("<iq type='result' id=%s from=%s to=%s/>"
                          % (quoteattr(el.attrs.get('id', '')), quoteattr(to),
                             quoteattr(self.jid or '')))
        else:
            return False
        return True

    def on_presence(self, el):
        to = el.attrs.get('to', '')
        if self.is_room(to) and '/' in to and 'type' not in el.attrs:
            self.log('ROOM-JOIN', to=to)
            extra = ''
            if self.mode == 'muc-privacy' and to.startswith('logs@'):
                extra = "<status code='170'/>"
            if self.mode == 'muc-typing':
                extra = "<status code='100'/>"
                room = to.split('/')[0]
                for nick, real in ((HOSTILE_NICK, 'mallory'), ('bob', 'bob')):
                    self.send("<presence from='%s/%s' to=%s><x xmlns="
                              "'http://jabber.org/protocol/muc#user'><item "
                              "affiliation='member' role='participant' jid='%s@%s/x'/>"
                              "</x></presence>" % (room, nick, quoteattr(self.jid or ''),
                                                   real, self.args.domain))
            self.send("<presence from=%s to=%s><x xmlns='http://jabber.org/protocol/muc#user'>"
                      "<item affiliation='none' role='participant'/>%s<status code='110'/></x>"
                      "</presence>" % (quoteattr(to), quoteattr(self.jid or ''), extra))
            room = to.split('/')[0]
            if self.mode == 'stanza-id':
                self.send("<message from=%s to=%s type='groupchat' id='rs-1'>"
                          "<body>ROOM-STAMPED</body><stanza-id xmlns='urn:xmpp:sid:0' by=%s "
                          "id='room-sid-1'/></message>"
                          % (quoteattr(room + '/carol'), quoteattr(self.jid or ''),
                             quoteattr(room)))
            code = {'turns': '172', 'anon': '174'}.get(room.split('@')[0])
            if self.mode == 'muc-privacy' and code:
                self.send("<message from=%s to=%s type='groupchat' id='cfg-%s'>"
                          "<x xmlns='http://jabber.org/protocol/muc#user'><status code='%s'/></x>"
                          "</message>" % (quoteattr(room), quoteattr(self.jid or ''), code, code))
            return None
        if self.is_room(to) and el.attrs.get('type') == 'unavailable':
            self.log('ROOM-LEAVE', to=to)
            return None
        if (self.args.after == 'presence' and 'type' not in el.attrs
                and 'to' not in el.attrs):
            self.misbehave()
        return None

    def misbehave(self):
        if self.triggered:
            return
        self.triggered = True
        peer = 'bob@%s/fake' % self.args.domain
        head = "<message from='%s' to=%s type='chat' id='%%s'>" % (peer, quoteattr(self.jid or ''))
        if self.mode == 'oversize':
            body = 'A' * 300000
            self.send(head % 'oversize' + '<body>' + body + '</body></message>')
            self.log('SENT oversize', body_bytes=len(body))
        elif self.mode == 'deep':
            depth = 100000
            self.send(head % 'deep' + '<a>' * depth + '</a>' * depth + '</message>')
            self.log('SENT deep', depth=depth)
        elif self.mode == 'invalid-utf8':
            self.send((head % 'badutf8').encode('ascii') + b'<body>ok \xc3\x28 \xff\xfe '
                      b'\xed\xa0\x80 \xf8\x88\x80\x80\x80</body></message>')
            self.log('SENT invalid-utf8')
        elif self.mode == 'raw-escape':
            self.send((head % 'esc').encode('ascii') + b'<body>x\x1b[2J\x1b]52;c;cHduZWQ=\x07'
                      b'</body></message>')
            self.log('SENT raw-escape')
        elif self.mode == 'presence-flood':
            room = 'lobby@rooms.%s' % self.args.domain
            chunk = []
            for i in range(10000):
                chunk.append("<presence from='%s/occupant%d' to=%s><x xmlns="
                             "'http://jabber.org/protocol/muc#user'><item affiliation='none' "
                             "role='participant'/></x></presence>"
                             % (room, i, quoteattr(self.jid or '')))
                if len(chunk) == 500:
                    self.send(''.join(chunk))
                    chunk = []
            self.send(''.join(chunk))
            self.send(head % 'flood-done' + '<body>flood done</body></message>')
            self.log('SENT presence-flood', count=10000)
        elif self.mode == 'iq-without-from':
            self.send("<iq type='get' id='nofrom-ping'><ping xmlns='%s'/></iq>" % NS_PING)
            self.send("<iq type='set' id='nofrom-push'><query xmlns='%s'><item "
                      "jid='zed@%s' subscription='both'/></query></iq>"
                      % (NS_ROSTER, self.args.domain))
            self.send("<iq type='get' id='nofrom-disco'><query xmlns='%s'/></iq>"
                      % NS_DISCO_INFO)
            self.send(head % 'nofrom-done' + '<body>after the iqs without from</body></message>')
            self.log('SENT iq-without-from')
        elif self.mode == 'forged-carbons':
            bare = (self.jid or '').split('/')[0]
            dom = self.args.domain

            def carbon(kind, inner_from, inner_to, body):
                self.send("<message from=%s to=%s type='chat'><%s xmlns='urn:xmpp:carbons:2'>"
                          "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' "
                          "from=%s to=%s type='chat'><body>%s</body></message></forwarded>"
                          "</%s></message>"
                          % (quoteattr(bare), quoteattr(self.jid or ''), kind,
                             quoteattr(inner_from), quoteattr(inner_to), body, kind))
            carbon('sent', 'mallory@evil.test/x', 'bob@%s' % dom, 'FORGED-SENT-BY-STRANGER')
            carbon('received', 'bob@%s/x' % dom, 'carol@%s/y' % dom, 'FORGED-RECEIVED-BY-OTHER')
            carbon('sent', bare + '/other', 'bob@%s' % dom, 'GENUINE-SENT')
            carbon('received', 'bob@%s/x' % dom, bare + '/other', 'GENUINE-RECEIVED')
            self.send(head % 'carbons-done' + '<body>after the carbons</body></message>')
            self.log('SENT forged-carbons')
        elif self.mode == 'log-injection':
            bare = (self.jid or '').split('/')[0]
            me = quoteattr(self.jid or '')
            evil = ('&#10;1700000000.000 warn fake: INJECTED-LF&#13;INJECTED-CR&#9;'
                    '\u0085NEL\u009b2J\u202eRLO\u2028LS\u200bZW')
            # a carbon from a stranger: dropped by the table's sender rule
            self.send("<message from='mallory@evil.test/x%s' to=%s><received "
                      "xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>"
                      "<message xmlns='jabber:client' from='bob@%s/x' to=%s><body>x</body>"
                      "</message></forwarded></received></message>"
                      % (evil, me, self.args.domain, quoteattr(bare)))
            # a roster push from a contact: dropped, logged
            self.send("<iq type='set' id='push-evil' from='bob@%s/%s' to=%s><query "
                      "xmlns='jabber:iq:roster'><item jid='z@evil.test'/></query></iq>"
                      % (self.args.domain, evil, me))
            # a sent carbon of a stranger's message, with the text in the body too
            self.send("<message from=%s to=%s><sent xmlns='urn:xmpp:carbons:2'>"
                      "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' "
                      "from='mallory@evil.test/%s' to='bob@%s'><body>BODY%s</body></message>"
                      "</forwarded></sent></message>"
                      % (quoteattr(bare), me, evil, self.args.domain, evil))
            # an archive result for a query never sent
            self.send("<message from=%s to=%s><result xmlns='urn:xmpp:mam:2' queryid='q%s' "
                      "id='a1'><forwarded xmlns='urn:xmpp:forward:0'><message "
                      "xmlns='jabber:client' from='bob@%s/x' to=%s><body>BODY%s</body>"
                      "</message></forwarded></result></message>"
                      % (quoteattr(bare), me, evil, self.args.domain, quoteattr(bare), evil))
            self.send(head % 'log-done' + '<body>after the log injections</body></message>')
            self.log('SENT log-injection')
            self.send("<stream:error><conflict xmlns='%s'/><text xmlns='%s'>BYE%s</text>"
                      "</stream:error></stream:stream>" % (NS_STREAM_ERR, NS_STREAM_ERR, evil))
            self.after_close = True     # read on until the client closes
            self.sock.settimeout(min(self.args.idle_timeout, 10))
        elif self.mode == 'stanza-id':
            bare = (self.jid or '').split('/')[0]
            for n in (1, 2):
                self.send(head % ('stamped-%d' % n)
                          + "<body>STAMPED-%d</body><stanza-id xmlns='urn:xmpp:sid:0' by=%s "
                            "id='sid-%d'/></message>" % (n, quoteattr(bare), n))
            self.send(head % 'stamped-done' + '<body>after the stamped ones</body></message>')
            self.log('SENT stanza-id')
        elif self.mode == 'subscribe-lookalike':
            dom = self.args.domain
            for who in ('b\u043eb', 'p\u0430ypal', 'carol'):
                self.send("<presence from=%s to=%s type='subscribe'/>"
                          % (quoteattr('%s@%s' % (who, dom)), quoteattr(bare_of(self.jid))))
            self.send(head % 'subs-done' + '<body>after the requests</body></message>')
            self.log('SENT subscribe-lookalike')
        elif self.mode == 'mam-wrong-query':
            bare = (self.jid or '').split('/')[0]
            self.send("<message from=%s to=%s><result xmlns='urn:xmpp:mam:2' "
                      "queryid='never-sent' id='arch-1'><forwarded xmlns='urn:xmpp:forward:0'>"
                      "<message xmlns='jabber:client' from='%s' to=%s type='chat'>"
                      "<body>FORGED-MAM-QUERY</body></message></forwarded></result></message>"
                      % (quoteattr(bare), quoteattr(self.jid or ''), peer, quoteattr(bare)))
            self.send(head % 'mam-done' + '<body>after the archive result</body></message>')
            self.log('SENT mam-wrong-query')
        elif self.mode == 'garbage-after-close':
            self.send('</stream:stream>'.encode('ascii')
                      + (head % 'ghost' + '<body>after close</body></message>').encode('ascii')
                      + b'\x00\xff\xfe<<garbage>>\x1b]52;c;Z2FyYmFnZQ==\x07')
            self.log('SENT close+garbage')
            self.after_close = True
            self.sock.settimeout(min(self.args.idle_timeout, 10))


def bare_of(jid):
    return (jid or '').split('/')[0]


def main():
    args = parse_args()

    def on_term(_signum, _frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    server = Server(args)
    try:
        server.serve()
    except SystemExit:
        server.log.write('EXIT')
        os._exit(0)


if __name__ == '__main__':
    main()
