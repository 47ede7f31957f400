-- prosody.cfg.lua: the Prosody 0.12 server of ward's local test network.
-- Everything comes from the environment (set by tests/net/prosody.sh):
-- loopback only, no s2s, HTTPS only for uploads, debug log with every stanza received.
-- With PROSODY_QUIET=1 (the benchmark, bench/run.sh) the same server logs
-- only info and above: the per-stanza log would make the server, not the
-- clients, the bottleneck of a 5,000-message flood.

-- The same file runs Prosody 13 (the sandbox, PROSODY_BIN in prosody.sh),
-- which warns about Lua's globals in a config and offers them as Lua.*.
local L = Lua or { assert = assert, tonumber = tonumber }
local dir = L.assert(ENV_PROSODY_DIR, "PROSODY_DIR not set")
local c2s_port = L.assert(L.tonumber(ENV_C2S_PORT), "C2S_PORT not set")
local c2s_tls_port = L.assert(L.tonumber(ENV_C2S_TLS_PORT), "C2S_TLS_PORT not set")
local cert = L.assert(ENV_SERVER_CERT, "SERVER_CERT not set")
local key = L.assert(ENV_SERVER_KEY, "SERVER_KEY not set")
local quiet = ENV_PROSODY_QUIET == "1"
-- XEP-0363 uploads over HTTPS (upload.good.test, 127.0.0.1 only)
local https_port = L.tonumber(ENV_HTTPS_PORT)

pidfile = dir .. "/prosody.pid"
data_path = dir .. "/data"
-- An empty folder: the certificate is given explicitly below, this only
-- keeps 0.12 from complaining about the default one.
certificates = dir .. "/certs"

-- debug and above; mod_stanza_debug adds "RECV: <...>" for everything the
-- server receives and "SEND: <...>" for everything it sends.
if quiet then
	log = { info = dir .. "/prosody-bench.log" }
else
	log = { debug = dir .. "/prosody.log" }
end

-- Diagnosis only (bench.py --server-nagle off): Prosody's default leaves
-- Nagle's algorithm on, which together with a client's delayed ACK can hold
-- a small reply back for 40 ms.
if ENV_BENCH_NAGLE == "off" then
	network_settings = { nagle = false }
end

interfaces = { "127.0.0.1", "::1" }
local_interfaces = { "127.0.0.1", "::1" }
c2s_ports = { c2s_port }
c2s_direct_tls_ports = { c2s_tls_port }
c2s_direct_tls_interfaces = { "127.0.0.1", "::1" }
s2s_ports = { }
http_ports = { }
https_ports = { https_port }
https_ssl = {
	certificate = cert;
	key = key;
}
http_interfaces = { "127.0.0.1" }
https_interfaces = { "127.0.0.1" }
component_ports = { }

ssl = {
	certificate = cert;
	key = key;
}

c2s_require_encryption = true
s2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_hashed"
storage = "internal"
allow_registration = false

modules_enabled = {
	"roster";
	"saslauth";
	"tls";
	"disco";
	"carbons";
	"pep";
	"private";
	"blocklist";
	"vcard4";
	"vcard_legacy";
	"bookmarks";
	"ping";
	"time";
	"uptime";
	"version";
	"mam";
	"smacks";
	"csi_simple";
	"admin_shell";      -- creates the rooms; the bench clears archives with it
	not quiet and "stanza_debug" or nil; -- logs every stanza/nonza in and out
}

-- No server-to-server at all (s2s is otherwise loaded automatically).
modules_disabled = {
	"s2s";
	"s2s_auth_certs";
	"dialback";
}

default_archive_policy = true
archive_expires_after = "never"

VirtualHost "good.test"
VirtualHost "bogus.test"
VirtualHost "expired.test"
VirtualHost "unsigned.test"
VirtualHost "nosrv.test"
VirtualHost "noservice.test"
VirtualHost "localhost"

Component "upload.good.test" "http_file_share"
	http_file_share_size_limit = 1024 * 1024
	-- UPLOAD_HOST: another host in the slots' URLs (a hostile test hands
	-- out slots on a BOGUS-signed host); UPLOAD_PORT: another port (a
	-- slow relay to the HTTPS port, for an upload still running when the
	-- test cancels it)
	http_external_url = "https://" .. (ENV_UPLOAD_HOST or "upload.good.test")
		.. ":" .. (L.tonumber(ENV_UPLOAD_PORT) or https_port or 0) .. "/"

Component "rooms.good.test" "muc"
	modules_enabled = { "muc_mam" }
	restrict_room_creation = false
	muc_room_default_public = true
