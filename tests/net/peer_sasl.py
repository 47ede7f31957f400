# peer_sasl.py: SASL set-up shared by the slixmpp test peers (peer.py,
# omemo_peer.py). slixmpp 1.8 binds SCRAM-*-PLUS only with tls-unique, which
# does not exist under TLS 1.3 (RFC 9266): Prosody 13 (the sandbox) answers
# it with "Proposed channel binding type isn't supported", and a plain SCRAM
# with the gs2 flag "y" would look like a stripped -PLUS to it. So on TLS 1.3
# the peers use SCRAM without channel binding (gs2 flag "n"); on TLS 1.2
# slixmpp's tls-unique -PLUS stays (testnet_smoke logs in with it). ward's
# own binding is what the tests check; the peers are only its correspondents.

import slixmpp.util.sasl as sasl

NO_PLUS = {m for m in sasl.MECHANISMS if not m.endswith('-PLUS')}


def no_channel_binding(xmpp):
    """Makes a slixmpp client log in without channel binding on TLS 1.3."""
    mechs = xmpp['feature_mechanisms']
    state = {'tls13': False}
    credentials = mechs.sasl_callback
    choose_and_auth = mechs._handle_sasl_auth

    def without_binding(required, optional):
        result = credentials(required, optional)
        if state['tls13'] and 'channel_binding' in result:
            result['channel_binding'] = None
        return result

    def on_mechanisms(features):
        tls = xmpp.transport.get_extra_info('ssl_object') if xmpp.transport else None
        state['tls13'] = tls is not None and tls.version() == 'TLSv1.3'
        mechs.use_mechs = set(NO_PLUS) if state['tls13'] else None
        return choose_and_auth(features)

    mechs.sasl_callback = without_binding
    xmpp.unregister_feature('mechanisms', mechs.order)
    xmpp.register_feature('mechanisms', on_mechanisms, restart=True, order=mechs.order)
