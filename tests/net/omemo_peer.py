#!/usr/bin/python3
# omemo_peer.py: an OMEMO 0.3 peer (eu.siacs.conversations.axolotl) for
# ward's integration tests: slixmpp 1.8 + python-omemo 1.0 + oldmemo, an
# implementation independent of ward's libsignal one. Run it with Debian's
# /usr/bin/python3 (python3-slixmpp, python3-omemo, python3-oldmemo and
# python3-xmlschema: tests/lib/deps.sh test).
#
#   omemo_peer.py --jid bob@good.test --password PW --ca CA.pem --port N \
#       --store DIR [--fifo PATH] [--no-fallback] [--echo] [--debug]
#
# With --echo it is an echo bot (the sandbox's bob, ./sandbox.sh): every
# chat message from another account is answered with "echo: BODY", OMEMO-
# encrypted when it came encrypted (to every device of the sender, blind
# trust), in plaintext when it came in plaintext. Messages it cannot
# decrypt, empty OMEMO messages and its own account's are not answered.
#
# Commands, one a line, on stdin (or on --fifo PATH, which is reopened
# forever so `echo CMD > PATH` works like ward's --pipe). They run one after
# the other, in order, after the peer is online; incoming stanzas are
# handled in the same queue, so events come out in a deterministic order.
#   send JID TEXT          OMEMO-encrypt TEXT to every device of JID (and
#                          our own other devices); fetches JID's device list
#                          and missing bundles first; blind trust.
#   sendplain JID TEXT     a plain chat message.
#   sendbad JID MODE TEXT  an OMEMO message spoiled after encryption. MODE:
#                          payload | iv | key (a bit flipped: the receiver's
#                          authentication must fail; every <key>, our own
#                          other devices' too), nokey (no <key> at all),
#                          replay (TEXT ignored: the last stanza `send` sent
#                          to JID, byte for byte, same id).
#                          Spoiling a <key> does not hurt the session: the
#                          next good message decrypts (skipped message key).
#   sendraw XML            XML sent as it is (for hostile tests; a stanza that
#                          is not well-formed makes the server close the stream).
#   devices JID            fetch JID's device list (and unknown bundles) now.
#   bundle JID DEVICE      fetch DEVICE's published bundle and show it.
#   fingerprint            own device id and fingerprint.
#   trust JID DEVICE LEVEL LEVEL = blind | distrusted (default for new: blind).
#   set fallback on|off    a fallback <body> next to <encrypted> (default on,
#                          like Conversations/Dino; python-omemo alone: off).
#   set eme on|off         the XEP-0380 <encryption/> marker (default on).
#   subscribe JID          presence subscription request (+ roster entry);
#                          incoming requests are accepted automatically.
#   join ROOM NICK         joins the room (XEP-0045) as NICK; "joined" when
#                          the room sent our own presence.
#   sendgroup ROOM TEXT    OMEMO-encrypt TEXT for every member of ROOM (its
#                          member, admin and owner lists and the occupants'
#                          real JIDs; our own other devices too) and send it
#                          as a groupchat message (a private room: members-
#                          only and non-anonymous). `sent` with to=ROOM.
#   sendgroupplain ROOM TEXT  a plain groupchat message.
#   roomconfig ROOM VAR=VALUE...  submits the room's configuration form
#                          (owner) with these fields (e.g.
#                          muc#roomconfig_membersonly=0): `configured` or error.
#   affiliate ROOM JID AFF sets JID's affiliation (member, none...): `affiliated`.
#   ping                   answers "pong" (a barrier: everything before is done).
#   quit                   disconnect and exit 0 (so does EOF on stdin).
#
# Events, one JSON object a line on stdout, always with "event":
#   online      jid, device, fingerprint, devices (own device list, stale
#                devices of earlier runs included), ms (login + OMEMO set-up,
#                not counting Python's ~0.5 s of imports before it)
#   message     from (full JID), id, type, encrypted (bool), body (plaintext,
#                or null when it could not be decrypted), device (sender's
#                OMEMO device id or null), prekey (bool: it carried a key
#                exchange), error (null, or "ExceptionName: text" when
#                decryption failed), fallback (the plain <body> that came
#                along an encrypted message, or null), eme (encrypted only:
#                the namespace of a XEP-0380 <encryption/> marker, or null)
#   empty       from, device, prekey: an OMEMO message without payload (key
#                exchange completion, ratchet heartbeat): not a chat message
#   sent        to, id, encrypted, devices ([{jid, device, prekey}] it was
#                encrypted for), failed ([{jid, device, error}]), mode (sendbad),
#                echo (true: an --echo answer)
#   devices     jid, devices (ids in the list just fetched), known
#                ([{device, fingerprint, trust, active}] with a bundle seen)
#   bundle      jid, device, signed_prekey_id, signed_prekey (base64),
#                prekeys (how many): the bundle as published
#   devicelist  jid, devices: a PEP notification of a device list (one
#                from a full JID is refused: error pep-forged)
#   fingerprint device, fingerprint
#   trust       jid, device, trust     set     fallback|eme: bool
#   subscribe   jid                    pong
#   signal      from, id, type, and what the message carried of: chatstate
#                (XEP-0085 state name), request (true: a XEP-0184 receipt
#                request), received (the id a receipt is for), markable
#                (true), displayed (the id a XEP-0333 marker is for); one
#                per message that carries any (before its message event)
#   error       code, text, and cmd (a failed command) or from (a stanza
#                that could not be handled; a <message type="error"> gives
#                code "stanza-error" with condition and id - Prosody drops
#                error messages sent to a bare JID, so address the peer's
#                full JID for that). Other codes: usage, unknown-command,
#                no-devices (send: JID has no device we could encrypt for),
#                devicelist-fetch, bundle-fetch (with the server's error
#                condition, e.g. forbidden), bundle-invalid, devicelist-invalid,
#                pep-forged, login, omemo-setup. A malformed <encrypted/>
#                is a `message` event with `error` set (e.g. the schema
#                violation). The peer keeps running after every error.
#   joined      room, nick: our own presence came back from the room
#   occupant    room, nick, jid (real JID or null), status (available or
#                unavailable)
#   A groupchat `message` has from=ROOM/NICK, type groupchat and sender
#                (the occupant's real bare JID, null when the room does not
#                show it); an OMEMO one is decrypted as from that JID. Our
#                own reflected OMEMO group messages are not reported.
#   configured  room            affiliated  room, jid, affiliation
#   offline     reason: the stream closed; the peer exits after it.
# Fingerprints are the 64 hex digits of the Curve25519 identity key (what
# profanity and Conversations show, without the leading 05 and spaces).
#
# One-shot helpers for other clients' accounts (used by profanity15.sh):
#   --empty-devicelist   publish an empty, open device list unless the
#                        account has one.
#   --open-nodes         reconfigure every axolotl PEP node of the account
#                        to access_model=open. With --wait-device ID|new:
#                        first wait (--wait-secs, 20) until device ID, or
#                        any device not listed at the start, is in the device
#                        list and its bundle is published.
# Both together in one run (what profanity15.sh does, saving a Python
# start): the empty list is published, "ready" is printed on stdout (start
# the account's real client then), and the nodes are opened once its
# device appears. Exit 0 when all went well, 1 otherwise (reason on stderr).
# They log in with a resource of their own and send no presence, so the
# account's real client never sees them.
#
# Exit status: 0 after quit/EOF/SIGTERM, 2 when login or OMEMO set-up failed,
# 3 when the server closed the stream.
#
# What was found while writing it (Prosody 0.12.3, python-omemo 1.0.2,
# oldmemo 1.0.3, slixmpp 1.8.3):
# - Prosody 0.12 honours publish-options: a node that does not exist yet is
#   created with the requested access_model; an existing node with another
#   one answers <conflict/> + <precondition-not-met/>. The peer then
#   reconfigures its node to open (pubsub#owner configure; Prosody merges the
#   submitted fields into the old config) and publishes again.
# - Asking for the items of another account's node that does not exist or
#   that one may not read (contacts-only, requester not a contact) both give
#   <forbidden/>; <item-not-found/> comes for one's own missing nodes. So
#   "devicelist-fetch ... forbidden" may just mean that JID has no OMEMO.
# - oldmemo's parse_device_list refuses an empty <list/> (its schema wants at
#   least one <device/>), but an empty list is what profanity's work-around
#   publishes: the peer parses device lists itself, leniently, and reports a
#   list that is not schema-valid as an error event (code devicelist-invalid).
# - oldmemo reads prekey="..." with Python's bool(str): prekey="false" or
#   prekey="0" counts as a key exchange. ward should write prekey="true" only
#   when it means it and leave it out otherwise.
# - SessionManager.create() uploads the bundle only on the first run: with an
#   old --store on a fresh server (a new test network) there would be no
#   bundle, so the peer publishes bundle and device list at every start.
# - python-omemo answers a key exchange with an empty OMEMO message (an
#   `empty` event on the other peer) and sends heartbeats after 53 messages.
# - A stale device (an earlier --store, another client's old id) stays in
#   the account's device list; `send` encrypts for it too (its bundle is
#   still there) - realistic, and what ward meets on real servers.
# - Timings (2 cores, loaded by other tests): Python + imports 0.5-0.9 s
#   (0.3 s of it is xmlschema compiling oldmemo's schemas; the one-shot
#   helpers skip that import), login + first-run OMEMO set-up (100 pre-keys,
#   bundle and list published) 0.2-0.4 s, so "online" 0.7-1.5 s after the
#   start; a restart with the same --store is a little faster. A first
#   message to a new device (two device-list fetches, bundle fetch, X3DH;
#   the receiver deletes the pre-key, republishes, answers with an empty
#   message) arrives in 0.1-0.4 s, later ones in 30-40 ms, plain ones 10 ms.

import argparse
import asyncio
import base64
import json
import logging
import os
import signal
import ssl
import sys
import threading
import time
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

import omemo
from omemo.storage import Just, Nothing
import oldmemo

from peer_sasl import no_channel_binding

_etree = None


def om_etree():
    """oldmemo.etree, imported on first use: it compiles XML schemas with
    xmlschema (0.3 s), which the one-shot helpers do without."""
    global _etree
    if _etree is None:
        import oldmemo.etree
        _etree = oldmemo.etree
    return _etree

NS_OMEMO = oldmemo.oldmemo.NAMESPACE            # eu.siacs.conversations.axolotl
NODE_DEVICELIST = NS_OMEMO + '.devicelist'
NODE_BUNDLES = NS_OMEMO + '.bundles:'
NS_PUBSUB = 'http://jabber.org/protocol/pubsub'
NS_PUBSUB_OWNER = NS_PUBSUB + '#owner'
NS_PUBSUB_EVENT = NS_PUBSUB + '#event'
NS_PUBSUB_ERRORS = NS_PUBSUB + '#errors'
NS_DATA = 'jabber:x:data'
NS_CLIENT = 'jabber:client'
NS_EME = 'urn:xmpp:eme:0'
NS_HINTS = 'urn:xmpp:hints'
NS_CHATSTATES = 'http://jabber.org/protocol/chatstates'
NS_RECEIPTS = 'urn:xmpp:receipts'
NS_MARKERS = 'urn:xmpp:chat-markers:0'
NS_MUC = 'http://jabber.org/protocol/muc'
NS_MUC_USER = NS_MUC + '#user'
NS_MUC_ADMIN = NS_MUC + '#admin'
NS_MUC_OWNER = NS_MUC + '#owner'
FALLBACK_BODY = ('I sent you an OMEMO encrypted message but your client '
                 'doesn\u2019t seem to support that.')


def q(ns, tag):
    return '{%s}%s' % (ns, tag)


def emit(event, **fields):
    """One JSON event line on stdout."""
    obj = {'event': event}
    obj.update(fields)
    try:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(',', ':')) + '\n')
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass


def errtext(e):
    text = str(e)
    if isinstance(e, IqError):
        text = '%s %s' % (e.iq['error']['condition'], e.iq['error']['text'] or '')
    return '%s: %s' % (type(e).__name__, text.strip())


class JsonStorage(omemo.Storage):
    """python-omemo's key/value storage as one JSON file in a directory,
    rewritten (atomically) at every change, so a killed peer restarts with
    the same identity and sessions."""

    def __init__(self, directory):
        super().__init__(disable_cache=True)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.path = os.path.join(directory, 'omemo.json')
        self.data = {}
        if os.path.exists(self.path):
            with open(self.path, encoding='utf-8') as f:
                self.data = json.load(f)

    def _save(self):
        tmp = self.path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(self.data, f)
        os.replace(tmp, self.path)

    async def _load(self, key):
        if key in self.data:
            return Just(self.data[key])
        return Nothing()

    async def _store(self, key, value):
        self.data[key] = value
        self._save()

    async def _delete(self, key):
        if self.data.pop(key, None) is not None:
            self._save()


class PubsubError(Exception):
    def __init__(self, condition, text=''):
        super().__init__('%s %s' % (condition, text))
        self.condition = condition


def parse_device_list_lenient(elt, who, validate=True):
    """Device ids of a <list/>; schema problems are reported, not fatal."""
    ids = {}
    if elt is None:
        return ids
    if len(elt) > 0 and validate:
        try:
            om_etree().DEVICE_LIST_SCHEMA.validate(elt)
        except Exception as e:      # xmlschema's validation errors
            emit('error', code='devicelist-invalid', **{'from': who},
                 text=str(e).splitlines()[0] if str(e) else type(e).__name__)
    for d in elt.iter(q(NS_OMEMO, 'device')):
        try:
            i = int(d.get('id', ''))
        except ValueError:
            continue
        if 1 <= i <= 2 ** 32 - 1:
            ids[i] = None
    return ids


class Manager(omemo.SessionManager):
    """The XMPP side of python-omemo: PEP through the peer's slixmpp client
    (a class attribute: create() instantiates the class without arguments)."""

    peer = None

    async def _upload_bundle(self, bundle):
        node = NODE_BUNDLES + str(bundle.device_id)
        try:
            await self.peer.publish_open(node, om_etree().serialize_bundle(bundle))
        except Exception as e:
            raise omemo.BundleUploadFailed(errtext(e)) from e

    async def _download_bundle(self, namespace, bare_jid, device_id):
        if namespace != NS_OMEMO:
            raise omemo.UnknownNamespace(namespace)
        node = NODE_BUNDLES + str(device_id)
        try:
            item = await self.peer.fetch_item(bare_jid, node)
        except PubsubError as e:
            if e.condition == 'item-not-found':
                raise omemo.BundleNotFound('%s %s: %s' % (bare_jid, node, e)) from e
            emit('error', code='bundle-fetch', **{'from': bare_jid}, text='%s: %s' % (node, e))
            raise omemo.BundleDownloadFailed('%s %s: %s' % (bare_jid, node, e)) from e
        except Exception as e:
            raise omemo.BundleDownloadFailed(errtext(e)) from e
        elt = item.find(q(NS_OMEMO, 'bundle')) if item is not None else None
        if elt is None:
            raise omemo.BundleNotFound('%s %s: no <bundle/> item' % (bare_jid, node))
        try:
            return om_etree().parse_bundle(elt, bare_jid, device_id)
        except Exception as e:
            emit('error', code='bundle-invalid', **{'from': bare_jid},
                 text='%s: %s' % (node, str(e).splitlines()[0] if str(e) else type(e).__name__))
            raise omemo.BundleDownloadFailed(errtext(e)) from e

    async def _delete_bundle(self, namespace, device_id):
        try:
            await self.peer.delete_node(NODE_BUNDLES + str(device_id))
        except PubsubError as e:
            if e.condition != 'item-not-found':
                raise omemo.BundleDeletionFailed(str(e)) from e

    async def _upload_device_list(self, namespace, device_list):
        try:
            await self.peer.publish_open(NODE_DEVICELIST,
                                         om_etree().serialize_device_list(device_list))
        except Exception as e:
            raise omemo.DeviceListUploadFailed(errtext(e)) from e

    async def _download_device_list(self, namespace, bare_jid):
        try:
            item = await self.peer.fetch_item(bare_jid, NODE_DEVICELIST)
        except PubsubError as e:
            if e.condition == 'item-not-found':
                return {}
            emit('error', code='devicelist-fetch', **{'from': bare_jid}, text=str(e))
            raise omemo.DeviceListDownloadFailed('%s: %s' % (bare_jid, e)) from e
        except Exception as e:
            raise omemo.DeviceListDownloadFailed(errtext(e)) from e
        if item is None:
            return {}
        return parse_device_list_lenient(item.find(q(NS_OMEMO, 'list')), bare_jid)

    async def _evaluate_custom_trust_level(self, device):
        level = device.trust_level_name
        if level == 'blind':
            return omemo.TrustLevel.TRUSTED
        if level == 'distrusted':
            return omemo.TrustLevel.DISTRUSTED
        if level == 'undecided':
            return omemo.TrustLevel.UNDECIDED
        raise omemo.UnknownTrustLevel(level)

    async def _make_trust_decision(self, undecided, identifier):
        for device in undecided:
            await self.set_trust(device.bare_jid, device.identity_key, 'blind')

    async def _send_message(self, message, bare_jid):
        # Protocol messages (key exchange completion, heartbeats): no body.
        try:
            self.peer.send_encrypted(bare_jid, om_etree().serialize_message(message),
                                     body=False)
        except Exception as e:
            raise omemo.MessageSendingFailed(errtext(e)) from e


def fingerprint(identity_key):
    return ''.join(omemo.SessionManager.format_identity_key(identity_key))


class OmemoPeer(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.t0 = time.monotonic()
        self.status = None
        self.done = asyncio.Event()
        self.queue = asyncio.Queue()
        self.sm = None
        self.backend = None
        self.device_id = None
        self.fallback = not args.no_fallback
        self.eme = not args.no_fallback
        self.last_encrypted = {}        # bare JID -> last encrypted stanza (str)
        self.gone = False
        self.online = False             # logged in (and OMEMO set up)
        self.rooms = {}                 # room bare JID -> {nick: real JID or None}
        self.room_nick = {}             # room bare JID -> our nick
        ctx = ssl.create_default_context(cafile=args.ca)
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
        self.ssl_context = ctx
        self.ca_certs = args.ca
        # As in peer.py: check the certificate against the JID's domain.
        self.default_domain = self.boundjid.domain
        no_channel_binding(self)   # peer_sasl.py: why
        self.register_plugin('xep_0030')
        self.register_plugin('xep_0115')
        self.register_plugin('xep_0163')
        self.register_plugin('xep_0199')
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('failed_auth', self.on_failure)
        self.add_event_handler('ssl_invalid_chain', self.on_failure)
        self.add_event_handler('connection_failed', self.on_failure)
        self.add_event_handler('disconnected', self.on_disconnected)
        self.register_handler(Callback('omemo-peer message',
                                       MatchXPath(q(NS_CLIENT, 'message')),
                                       self.on_any_message))
        self.register_handler(Callback('omemo-peer presence',
                                       MatchXPath(q(NS_CLIENT, 'presence')),
                                       self.on_any_presence))

    async def get_dns_records(self, domain, port=None):
        return [(domain, self.args.host, self.args.port)]

    def finish(self, status):
        if self.status is None:
            self.status = status
        self.done.set()

    def on_failure(self, *_):
        if self.sm is None and not self.args.one_shot:
            emit('error', code='login', text='connection, TLS or authentication failed')
        print('omemo_peer.py: login or TLS failed', file=sys.stderr)
        self.finish(2)

    def on_disconnected(self, *_):
        self.gone = True
        if not self.done.is_set():
            emit('offline', reason='stream closed')
            self.finish(3)

    # ---- pubsub helpers -------------------------------------------------

    async def pubsub_iq(self, itype, to, payload, timeout=10):
        iq = self.make_iq(ito=to, itype=itype)
        iq.appendxml(payload)
        try:
            return await iq.send(timeout=timeout)
        except IqError as e:
            cond = e.iq['error']['condition']
            if e.iq.xml.find('.//' + q(NS_PUBSUB_ERRORS, 'precondition-not-met')) is not None:
                cond = 'precondition-not-met'
            raise PubsubError(cond, e.iq['error']['text'] or '') from e
        except IqTimeout as e:
            raise PubsubError('timeout') from e

    @staticmethod
    def access_form(form_type, model='open'):
        x = ET.Element(q(NS_DATA, 'x'), type='submit')
        f = ET.SubElement(x, q(NS_DATA, 'field'), var='FORM_TYPE', type='hidden')
        ET.SubElement(f, q(NS_DATA, 'value')).text = form_type
        f = ET.SubElement(x, q(NS_DATA, 'field'), var='pubsub#access_model')
        ET.SubElement(f, q(NS_DATA, 'value')).text = model
        return x

    async def configure_open(self, node):
        ps = ET.Element(q(NS_PUBSUB_OWNER, 'pubsub'))
        c = ET.SubElement(ps, q(NS_PUBSUB_OWNER, 'configure'), node=node)
        c.append(self.access_form(NS_PUBSUB + '#node_config'))
        await self.pubsub_iq('set', None, ps)

    async def publish_open(self, node, payload, item_id='current'):
        """Publishes with publish-options access_model=open; a node that
        exists with another access model is reconfigured first."""
        def make():
            ps = ET.Element(q(NS_PUBSUB, 'pubsub'))
            pub = ET.SubElement(ps, q(NS_PUBSUB, 'publish'), node=node)
            ET.SubElement(pub, q(NS_PUBSUB, 'item'), id=item_id).append(payload)
            opts = ET.SubElement(ps, q(NS_PUBSUB, 'publish-options'))
            opts.append(self.access_form(NS_PUBSUB + '#publish-options'))
            return ps
        try:
            await self.pubsub_iq('set', None, make())
        except PubsubError as e:
            if e.condition != 'precondition-not-met':
                raise
            await self.configure_open(node)
            await self.pubsub_iq('set', None, make())

    async def fetch_item(self, jid, node):
        """The newest item of a node (None when it has none)."""
        ps = ET.Element(q(NS_PUBSUB, 'pubsub'))
        ET.SubElement(ps, q(NS_PUBSUB, 'items'), node=node, max_items='1')
        res = await self.pubsub_iq('get', jid, ps)
        items = res.xml.find(q(NS_PUBSUB, 'pubsub') + '/' + q(NS_PUBSUB, 'items'))
        if items is None:
            return None
        found = items.findall(q(NS_PUBSUB, 'item'))
        return found[-1] if found else None

    async def delete_node(self, node):
        ps = ET.Element(q(NS_PUBSUB_OWNER, 'pubsub'))
        ET.SubElement(ps, q(NS_PUBSUB_OWNER, 'delete'), node=node)
        await self.pubsub_iq('set', None, ps)

    # ---- sending ----------------------------------------------------------

    def send_encrypted(self, to, encrypted, body=True, mid=None):
        msg = self.make_message(mto=to, mtype='chat')
        msg['id'] = mid or self.new_id()
        msg.appendxml(encrypted)
        if body and self.eme:
            ET.SubElement(msg.xml, q(NS_EME, 'encryption'), namespace=NS_OMEMO, name='OMEMO')
        if body and self.fallback:
            msg['body'] = FALLBACK_BODY
        ET.SubElement(msg.xml, q(NS_HINTS, 'store'))
        text = str(msg)
        self.send_raw(text)
        return msg['id'], text

    # ---- start-up ---------------------------------------------------------

    async def on_session_start(self, _event):
        try:
            await self.start_up()
        except Exception as e:
            emit('error', code='omemo-setup', text=errtext(e))
            logging.getLogger('omemo_peer').exception('set-up failed')
            self.finish(2)

    async def start_up(self):
        if self.transport is None or self.transport.get_extra_info('ssl_object') is None:
            emit('error', code='login', text='session without TLS, refused')
            self.finish(2)
            return
        if self.args.one_shot:
            self.online = True
            await self.one_shot()
            return
        # +notify for device lists, in the caps of the first presence.
        self['xep_0030'].add_feature(NODE_DEVICELIST + '+notify')
        await self['xep_0115'].update_caps(broadcast=False)
        self.send_presence()
        await self.get_roster()
        Manager.peer = self
        storage = JsonStorage(self.args.store)
        self.backend = oldmemo.Oldmemo(storage)
        own = self.boundjid.bare
        self.sm = await Manager.create([self.backend], storage, own, None, 'blind')
        me, _ = await self.sm.get_own_device_information()
        self.device_id = me.device_id
        # Every start: bundle and device list as the server should have them
        # (a reused --store on a fresh server has neither).
        await self.sm._upload_bundle(await self.backend.get_bundle(own, self.device_id))
        await self.sm.refresh_device_list(NS_OMEMO, own)
        await self.sm.after_history_sync()
        own_list = await self.sm._download_device_list(NS_OMEMO, own)
        emit('online', jid=str(self.boundjid), device=self.device_id,
             fingerprint=fingerprint(me.identity_key), devices=sorted(own_list),
             ms=int((time.monotonic() - self.t0) * 1000))
        self.online = True
        asyncio.ensure_future(self.worker())

    async def one_shot(self):
        status = 0
        try:
            before = await self.own_device_ids()
            if self.args.empty_devicelist and before is None:
                await self.publish_open(NODE_DEVICELIST, ET.Element(q(NS_OMEMO, 'list')))
                print('omemo_peer.py: published an empty open device list', file=sys.stderr)
            # The caller may start the account's real client now.
            print('ready', flush=True)
            if self.args.open_nodes and self.args.wait_device:
                await self.wait_published(self.args.wait_device, set(before or ()))
            if self.args.open_nodes:
                res = await self['xep_0030'].get_items(jid=self.boundjid.bare, timeout=10)
                nodes = [n for (_, n, _) in res['disco_items']['items']
                         if n and n.startswith(NS_OMEMO)]
                for n in nodes:
                    await self.configure_open(n)
                print('omemo_peer.py: opened ' + (' '.join(nodes) or 'no nodes'), file=sys.stderr)
        except Exception as e:
            print('omemo_peer.py: ' + errtext(e), file=sys.stderr)
            status = 1
        self.finish(status)

    async def own_device_ids(self):
        """The ids in the account's device list (None: no list at all)."""
        try:
            item = await self.fetch_item(self.boundjid.bare, NODE_DEVICELIST)
        except PubsubError as e:
            if e.condition != 'item-not-found':
                raise
            return None
        if item is None:
            return None
        return parse_device_list_lenient(item.find(q(NS_OMEMO, 'list')),
                                         self.boundjid.bare, validate=False)

    async def wait_published(self, want, before):
        """Until the account's device list holds device WANT (or, with WANT
        'new', any device not in BEFORE) and that device's bundle node has an
        item: another client of the account has published its keys."""
        secs = self.args.wait_secs
        deadline = time.monotonic() + secs
        while True:
            ids = await self.own_device_ids() or {}
            cands = [i for i in ids if (i not in before if want == 'new' else i == int(want))]
            for dev in cands:
                try:
                    if await self.fetch_item(self.boundjid.bare, NODE_BUNDLES + str(dev)) is not None:
                        print('omemo_peer.py: device %d published' % dev, file=sys.stderr)
                        return dev
                except PubsubError as e:
                    if e.condition != 'item-not-found':
                        raise
            if time.monotonic() > deadline:
                raise PubsubError('timeout', 'device %s not published after %gs' % (want, secs))
            await asyncio.sleep(0.05)

    # ---- the queue: commands and incoming stanzas, in order -------------

    async def worker(self):
        while True:
            kind, item = await self.queue.get()
            try:
                if kind == 'cmd':
                    if await self.command(item) is False:
                        self.finish(0)
                        return
                elif kind == 'msg':
                    await self.handle_message(item)
                elif kind == 'pres':
                    self.handle_presence(item)
            except Exception as e:
                logging.getLogger('omemo_peer').debug('worker', exc_info=True)
                if kind == 'cmd':
                    emit('error', code='command', cmd=item, text=errtext(e))
                else:
                    emit('error', code='stanza', **{'from': str(item['from'])}, text=errtext(e))

    def on_any_message(self, msg):
        self.queue.put_nowait(('msg', msg))

    def on_any_presence(self, pres):
        if pres['from'].bare in self.rooms:
            self.queue.put_nowait(('pres', pres))

    def handle_presence(self, pres):
        """A presence of a room we joined: its occupant list (real JIDs
        when the room shows them) and our own presence."""
        frm = pres['from']
        room, nick = frm.bare, frm.resource
        occ = self.rooms.get(room)
        if occ is None or not nick:
            return
        x = pres.xml.find(q(NS_MUC_USER, 'x'))
        item = x.find(q(NS_MUC_USER, 'item')) if x is not None else None
        real = item.get('jid') if item is not None else None
        ptype = pres.xml.get('type', 'available')
        if ptype == 'error':
            emit('error', code='muc-presence', **{'from': str(frm)}, text='error presence')
            return
        if ptype == 'unavailable':
            occ.pop(nick, None)
        else:
            occ[nick] = real
        emit('occupant', room=room, nick=nick, jid=real, status=ptype)
        codes = {s.get('code') for s in x.findall(q(NS_MUC_USER, 'status'))} if x is not None else set()
        if '110' in codes and ptype != 'unavailable':
            self.room_nick[room] = nick
            emit('joined', room=room, nick=nick)

    def real_sender(self, frm):
        real = self.rooms.get(frm.bare, {}).get(frm.resource)
        return slixmpp.JID(real).bare if real else None

    async def room_members(self, room):
        """Bare JIDs of the room's members, admins and owners and of its
        occupants (when shown); our own left out."""
        jids = set()
        for aff in ('member', 'admin', 'owner'):
            query = ET.Element(q(NS_MUC_ADMIN, 'query'))
            ET.SubElement(query, q(NS_MUC_ADMIN, 'item'), affiliation=aff)
            iq = self.make_iq(ito=room, itype='get')
            iq.appendxml(query)
            res = await iq.send(timeout=10)
            for it in res.xml.iter(q(NS_MUC_ADMIN, 'item')):
                if it.get('jid'):
                    jids.add(slixmpp.JID(it.get('jid')).bare)
        for real in self.rooms.get(room, {}).values():
            if real:
                jids.add(slixmpp.JID(real).bare)
        jids.discard(self.boundjid.bare)
        return jids

    async def room_command(self, verb, rest, line):
        """join, sendgroup, sendgroupplain, roomconfig, affiliate."""
        if verb == 'join':
            parts = rest.split()
            if len(parts) != 2:
                emit('error', code='usage', cmd=line, text='join ROOM NICK')
                return
            room = slixmpp.JID(parts[0]).bare
            self.rooms.setdefault(room, {})
            pres = self.make_presence(pto='%s/%s' % (room, parts[1]))
            ET.SubElement(pres.xml, q(NS_MUC, 'x'))
            pres.send()
        elif verb in ('sendgroup', 'sendgroupplain'):
            room, _, text = rest.partition(' ')
            if not room or room not in self.rooms:
                emit('error', code='usage', cmd=line, text='%s ROOM TEXT (a joined room)' % verb)
                return
            msg = self.make_message(mto=room, mtype='groupchat')
            msg['id'] = self.new_id()
            if verb == 'sendgroupplain':
                msg['body'] = text
                msg.send()
                emit('sent', to=room, id=msg['id'], encrypted=False, devices=[], failed=[])
                return
            jids = await self.room_members(room)
            for j in sorted(jids):
                await self.refresh(j, line)
            await self.refresh(self.boundjid.bare, line)
            try:
                messages, errors = await self.sm.encrypt(
                    frozenset(jids), {NS_OMEMO: text.encode('utf-8')})
            except omemo.NoEligibleDevices as e:
                emit('error', code='no-devices', cmd=line, text=str(e))
                return
            message = next(iter(messages))
            msg.appendxml(om_etree().serialize_message(message))
            if self.eme:
                ET.SubElement(msg.xml, q(NS_EME, 'encryption'), namespace=NS_OMEMO, name='OMEMO')
            if self.fallback:
                msg['body'] = FALLBACK_BODY
            ET.SubElement(msg.xml, q(NS_HINTS, 'store'))
            self.send_raw(str(msg))
            devices = [{'jid': k.bare_jid, 'device': k.device_id, 'prekey': kx is not None}
                       for (k, kx) in message.keys]
            emit('sent', to=room, id=msg['id'], encrypted=True, members=sorted(jids),
                 devices=sorted(devices, key=lambda d: (d['jid'], d['device'])),
                 failed=[{'jid': er.bare_jid, 'device': er.device_id,
                          'error': errtext(er.exception)} for er in errors])
        elif verb == 'roomconfig':
            parts = rest.split()
            if not parts or any('=' not in p for p in parts[1:]):
                emit('error', code='usage', cmd=line, text='roomconfig ROOM VAR=VALUE...')
                return
            query = ET.Element(q(NS_MUC_OWNER, 'query'))
            x = ET.SubElement(query, q(NS_DATA, 'x'), type='submit')
            f = ET.SubElement(x, q(NS_DATA, 'field'), var='FORM_TYPE', type='hidden')
            ET.SubElement(f, q(NS_DATA, 'value')).text = NS_MUC + '#roomconfig'
            for p in parts[1:]:
                var, _, value = p.partition('=')
                f = ET.SubElement(x, q(NS_DATA, 'field'), var=var)
                ET.SubElement(f, q(NS_DATA, 'value')).text = value
            iq = self.make_iq(ito=parts[0], itype='set')
            iq.appendxml(query)
            await iq.send(timeout=10)
            emit('configured', room=parts[0])
        elif verb == 'affiliate':
            parts = rest.split()
            if len(parts) != 3:
                emit('error', code='usage', cmd=line, text='affiliate ROOM JID AFFILIATION')
                return
            query = ET.Element(q(NS_MUC_ADMIN, 'query'))
            ET.SubElement(query, q(NS_MUC_ADMIN, 'item'), jid=parts[1], affiliation=parts[2])
            iq = self.make_iq(ito=parts[0], itype='set')
            iq.appendxml(query)
            await iq.send(timeout=10)
            emit('affiliated', room=parts[0], jid=parts[1], affiliation=parts[2])

    async def handle_message(self, msg):
        xml = msg.xml
        frm = msg['from']
        mtype = xml.get('type', 'normal')
        if mtype == 'error':
            err = xml.find(q(NS_CLIENT, 'error'))
            cond = None
            if err is not None:
                for c in err:
                    if c.tag.startswith('{urn:ietf:params:xml:ns:xmpp-stanzas}') and \
                            not c.tag.endswith('}text'):
                        cond = c.tag.split('}', 1)[1]
            emit('error', code='stanza-error', **{'from': str(frm)}, condition=cond,
                 id=xml.get('id'))
            return
        self.emit_signals(frm, mtype, xml)
        ev = xml.find(q(NS_PUBSUB_EVENT, 'event'))
        if ev is not None:
            await self.handle_pep(frm, ev)
            return
        enc = xml.find(q(NS_OMEMO, 'encrypted'))
        body_elt = xml.find(q(NS_CLIENT, 'body'))
        plain_body = body_elt.text or '' if body_elt is not None else None
        group = {}
        sender = frm.bare
        if mtype == 'groupchat':
            sender = self.real_sender(frm)
            group = {'sender': sender}
        if enc is None:
            if plain_body is None:
                return      # chat states, receipts...: not messages
            emit('message', **{'from': str(frm)}, id=xml.get('id'), type=mtype,
                 encrypted=False, body=plain_body, device=None, prekey=False,
                 error=None, fallback=None, **group)
            await self.echo(frm, mtype, plain_body, False)
            return
        eme_elt = xml.find(q(NS_EME, 'encryption'))
        eme = eme_elt.get('namespace') if eme_elt is not None else None
        header = enc.find(q(NS_OMEMO, 'header'))
        sid = None
        prekey = False
        if header is not None:
            try:
                sid = int(header.get('sid', ''))
            except ValueError:
                pass
            for k in header.iter(q(NS_OMEMO, 'key')):
                if k.get('rid') == str(self.device_id) and k.get('prekey') in ('true', '1'):
                    prekey = True
        if mtype == 'groupchat' and sender == self.boundjid.bare and sid == self.device_id:
            return      # our own group message, reflected by the room
        if mtype == 'groupchat' and sender is None:
            emit('message', **{'from': str(frm)}, id=xml.get('id'), type=mtype,
                 encrypted=True, body=None, device=sid, prekey=prekey,
                 error='unknown sender: the room does not show the real JID',
                 fallback=plain_body, eme=eme, **group)
            return
        try:
            message = await om_etree().parse_message(enc, sender, self.boundjid.bare, self.sm)
            plaintext, device, _ = await self.sm.decrypt(message)
        except Exception as e:
            text = str(e).splitlines()[0] if str(e) else ''
            emit('message', **{'from': str(frm)}, id=xml.get('id'), type=mtype,
                 encrypted=True, body=None, device=sid, prekey=prekey,
                 error='%s: %s' % (type(e).__name__, text), fallback=plain_body, eme=eme,
                 **group)
            return
        if plaintext is None:
            emit('empty', **{'from': str(frm)}, device=device.device_id, prekey=prekey)
            return
        try:
            body = plaintext.decode('utf-8')
            err = None
        except UnicodeDecodeError as e:
            body = plaintext.decode('utf-8', 'replace')
            err = 'UnicodeDecodeError: ' + str(e)
        emit('message', **{'from': str(frm)}, id=xml.get('id'), type=mtype,
             encrypted=True, body=body, device=device.device_id, prekey=prekey,
             error=err, fallback=plain_body, eme=eme, **group)
        if err is None:
            await self.echo(frm, mtype, body, True)

    def emit_signals(self, frm, mtype, xml):
        """The chat state, receipt and marker elements a message carried
        (the proof of what ward tells whom)."""
        sig = {}
        for c in xml:
            if not isinstance(c.tag, str) or not c.tag.startswith('{'):
                continue
            ns, _, name = c.tag[1:].partition('}')
            if ns == NS_CHATSTATES:
                sig['chatstate'] = name
            elif ns == NS_RECEIPTS and name == 'request':
                sig['request'] = True
            elif ns == NS_RECEIPTS and name == 'received':
                sig['received'] = c.get('id')
            elif ns == NS_MARKERS and name == 'markable':
                sig['markable'] = True
            elif ns == NS_MARKERS and name == 'displayed':
                sig['displayed'] = c.get('id')
        if sig:
            emit('signal', **{'from': str(frm)}, id=xml.get('id'), type=mtype, **sig)

    async def echo(self, frm, mtype, body, encrypted):
        """--echo: answers a chat message from another account the way it
        came (OMEMO or plaintext) with "echo: BODY"."""
        if not self.args.echo or mtype != 'chat' or not body:
            return
        if not frm.bare or frm.bare == self.boundjid.bare:
            return
        text = 'echo: ' + body
        if not encrypted:
            msg = self.make_message(mto=frm.bare, mbody=text, mtype='chat')
            msg['id'] = self.new_id()
            msg.send()
            emit('sent', to=frm.bare, id=msg['id'], encrypted=False, devices=[],
                 failed=[], echo=True)
            return
        message, info = await self.encrypt_for(frm.bare, text, 'echo')
        if message is None:
            return
        mid, _ = self.send_encrypted(frm.bare, om_etree().serialize_message(message))
        emit('sent', to=frm.bare, id=mid, encrypted=True, echo=True, **info)

    async def handle_pep(self, frm, ev):
        items = ev.find(q(NS_PUBSUB_EVENT, 'items'))
        if items is None or items.get('node') != NODE_DEVICELIST:
            return
        item = None
        for item in items.findall(q(NS_PUBSUB_EVENT, 'item')):
            pass
        if item is None:
            return
        if frm.resource:
            # PEP notifications come from the account's bare JID; one from a
            # full JID is a client forging them.
            emit('error', code='pep-forged', **{'from': str(frm)},
                 text='device list notification from a full JID, ignored')
            return
        who = frm.bare or self.boundjid.bare
        ids = parse_device_list_lenient(item.find(q(NS_OMEMO, 'list')), who)
        await self.sm.update_device_list(NS_OMEMO, who, ids)
        emit('devicelist', jid=who, devices=sorted(ids))

    # ---- commands ---------------------------------------------------------

    async def refresh(self, jid, cmd):
        try:
            ids = await self.sm._download_device_list(NS_OMEMO, jid)
            await self.sm.update_device_list(NS_OMEMO, jid, ids)
            return ids
        except Exception as e:
            emit('error', code='devicelist-fetch', cmd=cmd, text=errtext(e))
            return None

    async def encrypt_for(self, jid, text, cmd):
        await self.refresh(jid, cmd)
        if jid != self.boundjid.bare:
            await self.refresh(self.boundjid.bare, cmd)
        try:
            messages, errors = await self.sm.encrypt(frozenset([jid]), {NS_OMEMO: text.encode('utf-8')})
        except omemo.NoEligibleDevices as e:
            emit('error', code='no-devices', cmd=cmd, text=str(e))
            return None, None
        message = next(iter(messages))
        failed = [{'jid': er.bare_jid, 'device': er.device_id, 'error': errtext(er.exception)}
                  for er in errors]
        devices = [{'jid': k.bare_jid, 'device': k.device_id, 'prekey': kx is not None}
                   for (k, kx) in message.keys]
        return message, {'devices': sorted(devices, key=lambda d: (d['jid'], d['device'])),
                         'failed': failed}

    async def command(self, line):
        line = line.rstrip('\r\n')
        if not line.strip():
            return True
        verb, _, rest = line.lstrip().partition(' ')
        if verb == 'quit':
            return False
        if verb == 'ping':
            emit('pong')
        elif verb == 'fingerprint':
            me, _ = await self.sm.get_own_device_information()
            emit('fingerprint', device=self.device_id, fingerprint=fingerprint(me.identity_key))
        elif verb == 'send':
            jid, _, text = rest.partition(' ')
            if not jid:
                emit('error', code='usage', cmd=line, text='send JID TEXT')
                return True
            message, info = await self.encrypt_for(jid, text, line)
            if message is None:
                return True
            elt = om_etree().serialize_message(message)
            mid, stanza = self.send_encrypted(jid, elt)
            self.last_encrypted[jid] = stanza
            emit('sent', to=jid, id=mid, encrypted=True, **info)
        elif verb == 'sendbad':
            parts = rest.split(' ', 2)
            if len(parts) < 2 or parts[1] not in ('payload', 'iv', 'key', 'nokey', 'replay'):
                emit('error', code='usage', cmd=line,
                     text='sendbad JID payload|iv|key|nokey|replay [TEXT]')
                return True
            jid, mode = parts[0], parts[1]
            text = parts[2] if len(parts) > 2 else 'spoiled'
            if mode == 'replay':
                stanza = self.last_encrypted.get(jid)
                if stanza is None:
                    emit('error', code='usage', cmd=line, text='nothing sent to %s yet' % jid)
                    return True
                self.send_raw(stanza)
                emit('sent', to=jid, id=None, encrypted=True, mode=mode, devices=[], failed=[])
                return True
            message, info = await self.encrypt_for(jid, text, line)
            if message is None:
                return True
            elt = om_etree().serialize_message(message)
            self.spoil(elt, mode, jid)
            mid, _ = self.send_encrypted(jid, elt)
            emit('sent', to=jid, id=mid, encrypted=True, mode=mode, **info)
        elif verb == 'sendplain':
            jid, _, text = rest.partition(' ')
            if not jid:
                emit('error', code='usage', cmd=line, text='sendplain JID TEXT')
                return True
            msg = self.make_message(mto=jid, mbody=text, mtype='chat')
            msg['id'] = self.new_id()
            msg.send()
            emit('sent', to=jid, id=msg['id'], encrypted=False, devices=[], failed=[])
        elif verb == 'sendraw':
            if not rest:
                emit('error', code='usage', cmd=line, text='sendraw XML')
                return True
            self.send_raw(rest)
            emit('sent', to=None, id=None, encrypted=False, raw=True, devices=[], failed=[])
        elif verb == 'devices':
            jid = rest.strip() or self.boundjid.bare
            ids = await self.refresh(jid, line)
            if ids is None:
                return True
            known = []
            for d in sorted(await self.sm.get_device_information(jid), key=lambda d: d.device_id):
                known.append({'device': d.device_id, 'fingerprint': fingerprint(d.identity_key),
                              'trust': d.trust_level_name,
                              'active': bool(dict(d.active).get(NS_OMEMO, False))})
            emit('devices', jid=jid, devices=sorted(ids), known=known)
        elif verb == 'bundle':
            await self.show_bundle(rest.split(), line)
        elif verb == 'trust':
            parts = rest.split()
            if len(parts) != 3 or parts[2] not in ('blind', 'distrusted', 'undecided'):
                emit('error', code='usage', cmd=line, text='trust JID DEVICE blind|distrusted')
                return True
            devs = [d for d in await self.sm.get_device_information(parts[0])
                    if str(d.device_id) == parts[1]]
            if not devs:
                emit('error', code='unknown-device', cmd=line, text='no such device known')
                return True
            await self.sm.set_trust(parts[0], devs[0].identity_key, parts[2])
            emit('trust', jid=parts[0], device=devs[0].device_id, trust=parts[2])
        elif verb == 'set':
            parts = rest.split()
            if len(parts) != 2 or parts[0] not in ('fallback', 'eme') or parts[1] not in ('on', 'off'):
                emit('error', code='usage', cmd=line, text='set fallback|eme on|off')
                return True
            setattr(self, parts[0], parts[1] == 'on')
            emit('set', **{parts[0]: parts[1] == 'on'})
        elif verb in ('join', 'sendgroup', 'sendgroupplain', 'roomconfig', 'affiliate'):
            await self.room_command(verb, rest, line)
        elif verb == 'subscribe':
            jid = rest.strip()
            self.send_presence(pto=jid, ptype='subscribe')
            emit('subscribe', jid=jid)
        else:
            emit('error', code='unknown-command', cmd=line, text='unknown command ' + verb)
        return True

    async def show_bundle(self, parts, line):
        """The `bundle` command: what is published, read from the XML
        itself (not through python-omemo, which keeps what it saw)."""
        if len(parts) != 2 or not parts[1].isdigit():
            emit('error', code='usage', cmd=line, text='bundle JID DEVICE')
            return
        try:
            item = await self.fetch_item(parts[0], NODE_BUNDLES + parts[1])
        except Exception as e:
            emit('error', code='bundle-fetch', cmd=line, text=errtext(e))
            return
        b = item.find(q(NS_OMEMO, 'bundle')) if item is not None else None
        spk = b.find(q(NS_OMEMO, 'signedPreKeyPublic')) if b is not None else None
        if spk is None or not spk.get('signedPreKeyId', '').isdigit():
            emit('error', code='bundle-invalid', cmd=line, text='no signed prekey with an id')
            return
        emit('bundle', jid=parts[0], device=int(parts[1]),
             signed_prekey_id=int(spk.get('signedPreKeyId')),
             signed_prekey=(spk.text or '').strip(),
             prekeys=len(b.findall(q(NS_OMEMO, 'prekeys') + '/' + q(NS_OMEMO, 'preKeyPublic'))))

    def spoil(self, elt, mode, jid):
        header = elt.find(q(NS_OMEMO, 'header'))

        def flip(e):
            raw = bytearray(base64.b64decode(e.text or ''))
            if raw:
                raw[len(raw) // 2] ^= 0x01
            e.text = base64.b64encode(bytes(raw)).decode('ascii')
        if mode == 'payload':
            flip(elt.find(q(NS_OMEMO, 'payload')))
        elif mode == 'iv':
            flip(header.find(q(NS_OMEMO, 'iv')))
        elif mode in ('key', 'nokey'):
            for k in list(header.findall(q(NS_OMEMO, 'key'))):
                # Every <key>, our own other devices' ones too.
                if mode == 'key':
                    flip(k)
                else:
                    header.remove(k)


def start_reader(peer, loop, source):
    """Feeds command lines into the peer's queue from a thread (works for
    pipes, FIFOs, files and terminals alike)."""
    def run():
        try:
            for raw in source:
                try:
                    line = raw.decode('utf-8')
                except UnicodeDecodeError:
                    loop.call_soon_threadsafe(
                        emit, 'error', code='command', cmd=None, text='command is not UTF-8')
                    continue
                loop.call_soon_threadsafe(peer.queue.put_nowait, ('cmd', line))
        except Exception:
            pass
        loop.call_soon_threadsafe(peer.queue.put_nowait, ('cmd', 'quit'))
    threading.Thread(target=run, daemon=True).start()


def parse_args():
    p = argparse.ArgumentParser(description='OMEMO 0.3 test peer (see the comment at the top)')
    p.add_argument('--jid', required=True)
    p.add_argument('--password', required=True)
    p.add_argument('--ca', required=True, help='PEM file of the only trusted CA')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--store', help='directory of the OMEMO identity and sessions')
    p.add_argument('--fifo', help='read commands from this FIFO (reopened) instead of stdin')
    p.add_argument('--no-fallback', action='store_true',
                   help='encrypted messages without fallback body and EME marker')
    p.add_argument('--echo', action='store_true',
                   help='echo bot: answer every chat message with "echo: BODY", '
                        'encrypted when it came encrypted')
    p.add_argument('--login-timeout', type=float, default=20)
    p.add_argument('--empty-devicelist', action='store_true',
                   help='one shot: publish an empty open device list if the account has none')
    p.add_argument('--open-nodes', action='store_true',
                   help='one shot: make every axolotl PEP node of the account open')
    p.add_argument('--wait-device', metavar='ID|new',
                   help='with --open-nodes: first wait until device ID (or any device '
                        'not listed at the start) is in the device list and its bundle '
                        'is published')
    p.add_argument('--wait-secs', type=float, default=20,
                   help='how long --wait-device waits (default 20)')
    p.add_argument('--debug', action='store_true', help='slixmpp/omemo debug log on stderr')
    a = p.parse_args()
    a.one_shot = a.empty_devicelist or a.open_nodes
    if not a.one_shot and not a.store:
        p.error('--store is needed')
    if not a.one_shot and '/' not in a.jid:
        a.jid += '/omemo-peer'
    return a


async def run(args):
    peer = OmemoPeer(args)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: peer.finish(0))
    if not args.one_shot:
        if args.fifo:
            fd = os.open(args.fifo, os.O_RDWR)     # never sees EOF
            start_reader(peer, loop, os.fdopen(fd, 'rb', buffering=0))
        else:
            start_reader(peer, loop, sys.stdin.buffer)
    peer.connect(address=(args.host, args.port))
    try:
        await asyncio.wait_for(peer.done.wait(), timeout=args.login_timeout)
    except asyncio.TimeoutError:
        if not peer.online and peer.status is None:
            if args.one_shot:
                print('omemo_peer.py: not logged in after %gs' % args.login_timeout,
                      file=sys.stderr)
            else:
                emit('error', code='login', text='not online after %gs' % args.login_timeout)
            peer.finish(2)
        else:
            await peer.done.wait()
    if not peer.gone:
        waiter = peer.disconnected
        peer.disconnect(wait=1.0)
        try:
            await asyncio.wait_for(waiter, timeout=2)
        except Exception:
            pass
    peer.abort()
    return peer.status or 0


def main():
    args = parse_args()
    try:
        sys.stdout.reconfigure(encoding='utf-8', errors='backslashreplace')
    except AttributeError:
        pass
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.CRITICAL,
                        stream=sys.stderr)
    os.umask(0o077)
    sys.exit(asyncio.run(run(args)))


if __name__ == '__main__':
    main()
