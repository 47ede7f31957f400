-- prosody.cfg.lua: the benchmark's Prosody 0.12. The same server as the test
-- network's (tests/net/prosody.cfg.lua: same modules, certificate, data and
-- ports, loopback only) but without the per-stanza debug log, which would
-- make the server, not the clients, the bottleneck of a 5,000-message flood.

local dir = assert(ENV_PROSODY_DIR, "PROSODY_DIR not set")
local c2s_port = assert(tonumber(ENV_C2S_PORT), "C2S_PORT not set")
local c2s_tls_port = assert(tonumber(ENV_C2S_TLS_PORT), "C2S_TLS_PORT not set")
local cert = assert(ENV_SERVER_CERT, "SERVER_CERT not set")
local key = assert(ENV_SERVER_KEY, "SERVER_KEY not set")

pidfile = dir .. "/prosody.pid"
data_path = dir .. "/data"
certificates = dir .. "/certs"

log = {
	info = dir .. "/prosody-bench.log";
}

interfaces = { "127.0.0.1", "::1" }
local_interfaces = { "127.0.0.1", "::1" }
c2s_ports = { c2s_port }
c2s_direct_tls_ports = { c2s_tls_port }
c2s_direct_tls_interfaces = { "127.0.0.1", "::1" }
s2s_ports = { }
http_ports = { }
https_ports = { }
http_interfaces = { "127.0.0.1" }
https_interfaces = { "127.0.0.1" }
component_ports = { }

ssl = {
	certificate = cert;
	key = key;
}

-- Diagnosis only (bench.py --server-nagle off): Prosody's default leaves
-- Nagle's algorithm on, which together with a client's delayed ACK can hold
-- a small reply back for 40 ms.
if ENV_BENCH_NAGLE == "off" then
	network_settings = { nagle = false }
end

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
	"admin_shell";      -- the bench clears the archives through it
}

modules_disabled = {
	"s2s";
	"s2s_auth_certs";
	"dialback";
}

default_archive_policy = true
archive_expires_after = "never"

VirtualHost "good.test"
