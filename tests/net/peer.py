#!/usr/bin/python3
# peer.py: a scripted XMPP peer (slixmpp 1.8) for ward's integration tests.
# Connects to an explicit address (no DNS), trusts only the given CA, sends
# messages, prints each received chat or normal message as one JSON line on
# stdout (from, body and the whole stanza as xml: room invitations), or
# asks for one disco#info (--disco-info: a room's name and features).
#
# Exit status: 0 when the expected message arrived (or, with nothing to
# expect, right after sending; with --echo/--stay and nothing expected, at
# --timeout); 1 on timeout while expecting; 2 when connecting, TLS or login
# failed, the session had no TLS, or the server closed the stream.

import argparse
import asyncio
import json
import logging
import ssl
import sys

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from peer_sasl import no_channel_binding


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--jid', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--ca', required=True, help='PEM file of the only trusted CA')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--direct-tls', action='store_true',
                   help='TLS from the first byte (XEP-0368) instead of STARTTLS')
    p.add_argument('--send', nargs=2, action='append', default=[],
                   metavar=('JID', 'BODY'), help='send a chat message (repeatable)')
    p.add_argument('--send-raw', action='append', default=[], metavar='XML',
                   help='send this stanza as it is, before the --send messages '
                        '(repeatable; for forged carbons, roster pushes...)')
    p.add_argument('--expect-from', help='bare JID the expected message comes from')
    p.add_argument('--expect-body', help='body of the expected message')
    p.add_argument('--expect-xml', metavar='TEXT',
                   help='expect a message (any type but groupchat) whose XML '
                        'holds TEXT: a room invitation, a decline...')
    p.add_argument('--disco-info', metavar='JID',
                   help='ask JID for its disco#info, print the answer (xml, or '
                        'the error condition) as one JSON line and exit 0')
    p.add_argument('--timeout', type=float, default=15)
    p.add_argument('--echo', action='store_true',
                   help='answer every chat message with "echo: BODY"')
    p.add_argument('--ready-file', metavar='PATH',
                   help='create PATH once logged in (presence sent, roster read)')
    p.add_argument('--stay', action='store_true',
                   help='stay online until --timeout even after the expected message')
    p.add_argument('--debug', action='store_true', help='slixmpp debug log on stderr')
    return p.parse_args()


class Peer(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.result = None          # exit status once decided
        self.session_started = False
        self.gone = False           # the stream is closed already
        self.done = asyncio.Event()
        self.expecting = bool(args.expect_from or args.expect_body or
                              args.expect_xml)
        # Trust exactly the test CA, verify the chain and the host name.
        ctx = ssl.create_default_context(cafile=args.ca)
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
        self.ssl_context = ctx
        self.ca_certs = args.ca
        # slixmpp takes the TLS server name (SNI and the name checked in the
        # certificate) from default_domain, which stays empty when it is
        # given an IP address: then it checks no name at all. Use the JID's.
        self.default_domain = self.boundjid.domain
        no_channel_binding(self)   # peer_sasl.py: why
        self.register_plugin('xep_0199')  # answer pings
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('message', self.on_message)
        # slixmpp's 'message' event needs a <body/>: an invitation (XEP-0249)
        # or a decline may have none
        self.register_handler(Callback('bodyless message',
                                       MatchXPath('{jabber:client}message'),
                                       self.on_bodyless))
        self.add_event_handler('failed_auth', self.on_failure)
        self.add_event_handler('ssl_invalid_chain', self.on_failure)
        self.add_event_handler('connection_failed', self.on_failure)
        self.add_event_handler('disconnected', self.on_disconnected)

    async def get_dns_records(self, domain, port=None):
        # Never ask DNS: the address comes from the command line.
        return [(domain, self.args.host, self.args.port)]

    def finish(self, status):
        if self.result is None:
            self.result = status
        self.done.set()

    async def on_session_start(self, _event):
        if self.transport is None or self.transport.get_extra_info('ssl_object') is None:
            print('peer.py: session without TLS, refusing it', file=sys.stderr)
            self.finish(2)
            return
        self.session_started = True
        self.send_presence()
        await self.get_roster()
        for xml in self.args.send_raw:
            self.send_raw(xml)
        for to, body in self.args.send:
            self.send_message(mto=to, mbody=body, mtype='chat')
        if self.args.ready_file:
            with open(self.args.ready_file, 'w'):
                pass
        if self.args.disco_info:
            iq = self.make_iq_get(queryxmlns='http://jabber.org/protocol/disco#info',
                                  ito=self.args.disco_info)
            try:
                res = await iq.send(timeout=10)
                print(json.dumps({'disco': self.args.disco_info, 'xml': str(res)}),
                      flush=True)
            except slixmpp.exceptions.IqError as e:
                print(json.dumps({'disco': self.args.disco_info,
                                  'error': e.iq['error']['condition']}), flush=True)
            self.finish(0)
            return
        if not self.expecting and not self.args.echo and not self.args.stay:
            # Give the server a moment to take the messages before closing.
            await asyncio.sleep(0.2)
            self.finish(0)

    def on_message(self, msg):
        if msg['type'] not in ('chat', 'normal'):
            return
        body = msg['body']
        sender = msg['from'].bare
        xml = str(msg)
        print(json.dumps({'from': str(msg['from']), 'body': body, 'xml': xml}),
              flush=True)
        if self.args.expect_xml is not None and self.args.expect_xml not in xml:
            return
        if self.args.echo and body:
            self.send_message(mto=msg['from'], mbody='echo: ' + body, mtype='chat')
        if self.expecting:
            if self.args.expect_from and sender != self.args.expect_from:
                return
            if self.args.expect_body is not None and body != self.args.expect_body:
                return
            if not self.args.stay:
                self.finish(0)
            else:
                self.result = 0

    def on_bodyless(self, msg):
        if not msg['body']:
            self.on_message(msg)

    def on_failure(self, *_):
        print('peer.py: login or TLS failed', file=sys.stderr)
        self.finish(2)

    def on_disconnected(self, *_):
        self.gone = True
        if self.result is None and not self.done.is_set():
            print('peer.py: disconnected', file=sys.stderr)
            self.finish(2)


async def run(args):
    peer = Peer(args)
    peer.connect(address=(args.host, args.port), use_ssl=args.direct_tls)
    try:
        await asyncio.wait_for(peer.done.wait(), timeout=args.timeout)
    except asyncio.TimeoutError:
        if peer.result is None:
            if not peer.session_started:
                print('peer.py: timeout before the session started', file=sys.stderr)
                peer.result = 2
            elif peer.expecting:
                print('peer.py: timeout', file=sys.stderr)
                peer.result = 1
            else:
                peer.result = 0     # --echo / --stay: ran for the whole time
    if not peer.gone:
        waiter = peer.disconnected
        peer.disconnect(wait=1.0)
        try:
            await asyncio.wait_for(waiter, timeout=2)
        except (asyncio.TimeoutError, Exception):
            pass
    peer.abort()
    return peer.result


def main():
    args = parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.CRITICAL,
                        stream=sys.stderr)
    status = asyncio.run(run(args))
    sys.exit(status)


if __name__ == '__main__':
    main()
