-- prosody-cb.cfg.lua: one Prosody (0.12 from Debian or 13 from backports,
-- same file) for the channel-binding tests, on one STARTTLS port with a
-- chosen TLS version. Everything comes from tests/net/prosody13.sh's
-- environment; loopback only, no s2s, every stanza received is logged.

local dir = assert(ENV_CBP_DIR, "CBP_DIR not set")
local port = assert(tonumber(ENV_CBP_PORT), "CBP_PORT not set")
local tls = ENV_CBP_TLS or "1.3"

pidfile = dir .. "/prosody.pid"
data_path = dir .. "/data"
certificates = dir .. "/certs"
log = { debug = assert(ENV_CBP_LOG, "CBP_LOG not set") }

interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { port }
c2s_direct_tls_ports = { }
s2s_ports = { }
http_ports = { }
https_ports = { }
component_ports = { }

ssl = {
	certificate = assert(ENV_SERVER_CERT, "SERVER_CERT not set");
	key = assert(ENV_SERVER_KEY, "SERVER_KEY not set");
	-- "tlsv1_2": exactly TLS 1.2; "tlsv1_3": exactly 1.3
	protocol = (tls == "1.2") and "tlsv1_2" or "tlsv1_3";
}
-- Prosody 13: tls-server-end-point needs the certificate's hash ("auto"
-- only works for the first session in 13.0.1). 0.12 ignores it.
if ENV_CBP_EP_HASH and ENV_CBP_EP_HASH ~= "" then
	tls_server_end_point_hash = ENV_CBP_EP_HASH
end

c2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_hashed"
storage = "internal"
allow_registration = false

modules_enabled = {
	"roster"; "saslauth"; "tls"; "disco"; "ping"; "stanza_debug";
}
-- CBP_ROOMS=1 (the room tests on Prosody 13): PEP, bookmarks, archives and
-- a MUC service with its archive (Prosody 13 stamps XEP-0421 occupant-ids)
local rooms = ENV_CBP_ROOMS == "1"
if rooms then
	-- CBP_BOOKMARKS=0: no XEP-0402 module, so XEP-0048 private storage
	-- stays apart from the PEP node (the migration test)
	local bookmarks = ENV_CBP_BOOKMARKS ~= "0" and "bookmarks" or "vcard4"
	modules_enabled = {
		"roster"; "saslauth"; "tls"; "disco"; "ping"; "stanza_debug";
		"pep"; "private"; bookmarks; "mam"; "offline";
	}
	default_archive_policy = true
end
-- CBP_AUDIT=1 (integration/audit_login.sh): what ward audit --account
-- reads after its login: XEP-0157 contact addresses and XEP-0215 STUN/TURN
-- services, both on ports other than 3478/5349 (the TURN one with a secret:
-- its credentials must never reach the audit's report)
if ENV_CBP_AUDIT == "1" then
	modules_enabled = {
		"roster"; "saslauth"; "tls"; "disco"; "ping"; "stanza_debug";
		"server_contact_info"; "external_services";
	}
	contact_info = {
		abuse = { "mailto:abuse@good.test", "xmpp:abuse@good.test" };
		admin = { "xmpp:admin@good.test" };
	}
	external_services = {
		{ type = "stun", transport = "udp", host = "127.0.0.1", port = 13478 };
		{ type = "turn", transport = "udp", host = "127.0.0.1", port = 13479,
		  secret = "ward-audit-turn-secret" };
	}
end
modules_disabled = { "s2s"; "s2s_auth_certs"; "dialback"; }

VirtualHost "good.test"

if rooms then
	-- CBP_ROOM_MAM=0: rooms without an archive (history at join only)
	Component "rooms.good.test" "muc"
		modules_enabled = ENV_CBP_ROOM_MAM ~= "0" and { "muc_mam" } or { }
		restrict_room_creation = false
		muc_room_default_public = true
		muc_room_locking = false
		muc_room_default_persistent = true
end
