# peer_sasl.py: SASL set-up shared by the slixmpp test peers (peer.py,
# omemo_peer.py). slixmpp 1.8 binds SCRAM-*-PLUS only with tls-unique, which
# does not exist under TLS 1.3 (RFC 9266): Prosody 13 (the sandbox) answers
# it with "Proposed channel binding type isn't supported", and a plain SCRAM
# with the gs2 flag "y" would look like a stripped -PLUS to it. So the peers
# use SCRAM without channel binding (gs2 flag "n"). ward's own binding is
# what the tests check; the peers are only its correspondents.

PEER_MECHS = {'SCRAM-SHA-512', 'SCRAM-SHA-256', 'SCRAM-SHA-1'}


def no_channel_binding(xmpp):
    """Limits a slixmpp client to SCRAM without channel binding."""
    mechs = xmpp['feature_mechanisms']
    mechs.use_mechs = set(PEER_MECHS)
    credentials = mechs.sasl_callback

    def without_binding(required, optional):
        result = credentials(required, optional)
        if 'channel_binding' in result:
            result['channel_binding'] = None
        return result
    mechs.sasl_callback = without_binding
