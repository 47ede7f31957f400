# dns.sh: sourced (bash) after env.sh. Builds DNSSEC-signed test zones under
# $WARD_TEST_DIR/dns (a signed parent "test." and children that come out
# SECURE, BOGUS and INSECURE) and serves them with nsd on 127.0.0.1@$DNS_PORT.
#
# Usage: testnet_user_setup; testnet_workdir; testnet_ports; dns_start
#   exports DNS_ANCHOR (DS line of "test.", for dns_trust_anchor) and
#   DNS_STUB ("test. 127.0.0.1@$DNS_PORT", for dns_stub).
# Zones (D = each child): _xmpp-client._tcp.D SRV 0 5 $C2S_PORT xmpp.D,
# _xmpps-client._tcp.D SRV 0 5 $C2S_TLS_PORT xmpp.D, xmpp.D A/AAAA loopback.
#   good.test      signed, DS in test.                 -> SECURE; CAA (RFC
#                  8659) 0 issue "ca.test; accounturi=...", 0 issuewild ";",
#                  0 iodef "mailto:..."
#   bogus.test     SRV, A, AAAA and CAA edited after signing -> BOGUS
#   expired.test   signatures expired in 2020          -> BOGUS
#   unsigned.test  no signatures, no DS                -> INSECURE
#   nosrv.test     signed, no SRV, A/AAAA at the apex  -> RFC 6120 fallback
#   noservice.test signed, both SRV targets "."        -> service not offered
# DANE zones (only when ca_make ran first, since the records name the test
# PKI's keys; tests/integration/dane_*.sh): only
# _xmpp-client._tcp.D SRV 0 5 PORT xmpp.D (no direct TLS), xmpp.D A/AAAA
# loopback and TLSA records at _PORT._tcp.xmpp.D; PORT is fixed per zone and
# exported (a fake server is started there by the test):
#   dane-ee.test       signed, DANE_PORT_EE: 3 1 1 ROGUE key, 3 0 1 OTHER
#                      certificate, 3 1 0 EXPIRED key, and a 3 1 1 with a
#                      16-byte digest (unusable). (No 3 1 2: RFC 7671 9
#                      would then have clients ignore the 3 1 1 records.)
#   dane-unsigned.test no DS (INSECURE), DANE_PORT_UNSIGNED: 3 1 1 ROGUE key
#   dane-wrong.test    signed, DANE_PORT_WRONG: 3 1 1 and 2 1 1 digests of
#                      no key at all
#   dane-bogus.test    signed, DANE_PORT_BOGUS: the TLSA data (3 1 1 SERVER
#                      key) replaced after signing -> TLSA BOGUS only
#   dane-expired.test  signed, DANE_PORT_BOGUS as well: 3 1 1 SERVER key
#                      whose signature alone expired in 2020 -> TLSA BOGUS
#   dane-ta.test       signed, DANE_PORT_TA: 2 1 1 test CA key, 2 1 1 ROGUE
#                      CA key
#   dane-pkix.test     signed, DANE_PORT_PKIX: 0 1 1 test CA key, 1 1 1
#                      OTHER key, 1 0 2 SERVER2 certificate
#   dane-unusable.test signed, DANE_PORT_UNUSABLE: only unusable records
#                      (usage 4, selector 2, matching type 3, short and
#                      long digests, full data that is no key)
# The dane-* zones have no CAA record but dane-unsigned.test: 0 issue
# "ca.test" and an issue value holding an ESC (\027, for `ward audit`'s
# escaping), unsigned.
#   split-tls.test     signed, no TLSA, no CAA: _xmpp-client SRV to
#                      DANE_PORT_WRONG (STARTTLS) and _xmpps-client SRV to
#                      DANE_PORT_UNUSABLE (direct TLS), for an audit whose
#                      two targets differ (tests/integration/audit.sh)
# With DNS_GOOD_TLSA=1 (the sandbox, ./sandbox.sh) good.test also holds a
# TLSA 3 1 1 of the server key (SERVER_CERT) at _PORT._tcp.xmpp.good.test for
# both SRV ports, so a client sees DANE match there. Off by default: tests
# that change the server's key (pin_change) expect no TLSA for good.test.
# DNS_ONLY_CHILDREN="good" (the sandbox) serves only those children (no
# DANE zones): less to sign at start-up.
# Keys are made once and kept in $WARD_TEST_DIR/dns/keys; the zones are
# signed again at every start (signatures last 4 weeks).

DNS_BASE_CHILDREN="good bogus expired unsigned nosrv noservice"
DNS_DANE_CHILDREN="dane-ee dane-unsigned dane-wrong dane-bogus dane-expired
	dane-ta dane-pkix dane-unusable split-tls"
DNS_CHILDREN=$DNS_BASE_CHILDREN

# dns__unsigned CHILD: true for the children without signatures or DS.
dns__unsigned() {
	case $1 in
	unsigned|dane-unsigned) return 0 ;;
	esac
	return 1
}

# dns__dane_ports: exports the port each dane-* zone's SRV record names
# (PORT_BASE+3..+9: between Prosody's ports and the fake-server range).
dns__dane_ports() {
	DANE_PORT_EE=$((PORT_BASE + 3))
	DANE_PORT_UNSIGNED=$((PORT_BASE + 4))
	DANE_PORT_WRONG=$((PORT_BASE + 5))
	DANE_PORT_BOGUS=$((PORT_BASE + 6))
	DANE_PORT_TA=$((PORT_BASE + 7))
	DANE_PORT_PKIX=$((PORT_BASE + 8))
	DANE_PORT_UNUSABLE=$((PORT_BASE + 9))
	export DANE_PORT_EE DANE_PORT_UNSIGNED DANE_PORT_WRONG DANE_PORT_BOGUS \
		DANE_PORT_TA DANE_PORT_PKIX DANE_PORT_UNUSABLE
}

# dns__dane_port ZONE: the port of a dane-* zone.
dns__dane_port() {
	case $1 in
	dane-ee.test) echo "$DANE_PORT_EE" ;;
	dane-unsigned.test) echo "$DANE_PORT_UNSIGNED" ;;
	dane-wrong.test) echo "$DANE_PORT_WRONG" ;;
	dane-bogus.test|dane-expired.test) echo "$DANE_PORT_BOGUS" ;;
	dane-ta.test) echo "$DANE_PORT_TA" ;;
	dane-pkix.test) echo "$DANE_PORT_PKIX" ;;
	dane-unusable.test) echo "$DANE_PORT_UNUSABLE" ;;
	esac
}

# dns__digest TEXT: SHA-256 of TEXT in hex (TLSA data that matches nothing).
dns__digest() {
	printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1
}

# dns__tlsa ZONE: the TLSA rdata ("USAGE SELECTOR MTYPE HEX") of a dane-* zone.
dns__tlsa() {
	local d32 d16
	d32=$(dns__digest unusable)
	d16=${d32:0:32}
	case $1 in
	dane-ee.test)
		echo "3 1 1 $(ca_tlsa_data "$ROGUE_CERT" 1 1)"
		echo "3 0 1 $(ca_tlsa_data "$OTHER_CERT" 0 1)"
		echo "3 1 0 $(ca_tlsa_data "$EXPIRED_CERT" 1 0)"
		echo "3 1 1 $d16" ;;
	dane-unsigned.test)
		echo "3 1 1 $(ca_tlsa_data "$ROGUE_CERT" 1 1)" ;;
	dane-wrong.test)
		echo "3 1 1 $(dns__digest 'no such key')"
		echo "2 1 1 $(dns__digest 'no such CA')" ;;
	dane-bogus.test|dane-expired.test)
		echo "3 1 1 $(ca_tlsa_data "$SERVER_CERT" 1 1)" ;;
	dane-ta.test)
		echo "2 1 1 $(ca_tlsa_data "$TEST_CA" 1 1)"
		echo "2 1 1 $(ca_tlsa_data "$ROGUE_CA" 1 1)" ;;
	dane-pkix.test)
		echo "0 1 1 $(ca_tlsa_data "$TEST_CA" 1 1)"
		echo "1 1 1 $(ca_tlsa_data "$OTHER_CERT" 1 1)"
		echo "1 0 2 $(ca_tlsa_data "$SERVER2_CERT" 0 2)" ;;
	dane-unusable.test)
		echo "4 1 1 $d32"
		echo "3 2 1 $d32"
		echo "3 1 3 $d32"
		echo "3 1 1 $d16"
		echo "3 1 2 $d32"
		echo "3 1 0 00112233" ;;
	esac
}

# dns__keys ZONE: makes (once) a KSK and a ZSK for ZONE; prints their base names.
dns__keys() {
	local zone=$1 kdir=$WARD_TEST_DIR/dns/keys k
	for k in ksk zsk; do
		if [ ! -s "$kdir/$zone.$k" ]; then
			local flag=""
			[ "$k" = ksk ] && flag=-k
			(cd "$kdir" && ldns-keygen -a ECDSAP256SHA256 $flag "$zone") \
				>"$kdir/$zone.$k" 2>>"$WARD_TEST_DIR/dns/keygen.err" ||
				{ echo "dns.sh: ldns-keygen failed for $zone" >&2; return 1; }
		fi
		printf '%s/%s ' "$kdir" "$(cat "$kdir/$zone.$k")"
	done
}

# dns__soa ZONE: the records every zone starts with.
dns__soa() {
	# shellcheck disable=SC2016
	printf '$ORIGIN %s.\n$TTL 300\n' "$1"
	printf '@ IN SOA ns.test. hostmaster.test. %s 3600 600 86400 300\n' \
		"$(date +%s)"
	printf '@ IN NS ns.test.\n'
}

# dns__child ZONE [SRVPORT_SHIFT A AAAA]: a child zone's records. The
# optional values are what bogus.test is signed with before it is edited.
dns__child() {
	local zone=$1 shift_by=${2:-0} a=${3:-127.0.0.1} aaaa=${4:-::1}
	dns__soa "$zone"
	case $zone in
	nosrv.test)
		printf '@ IN A 127.0.0.1\n@ IN AAAA ::1\n'
		return 0 ;;
	split-tls.test)
		printf '_xmpp-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
			"$DANE_PORT_WRONG" "$zone"
		printf '_xmpps-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
			"$DANE_PORT_UNUSABLE" "$zone"
		printf 'xmpp IN A 127.0.0.1\nxmpp IN AAAA ::1\n'
		return 0 ;;
	noservice.test)
		printf '_xmpp-client._tcp IN SRV 0 0 0 .\n'
		printf '_xmpps-client._tcp IN SRV 0 0 0 .\n'
		return 0 ;;
	dane-*)
		local port rec
		port=$(dns__dane_port "$zone")
		printf '_xmpp-client._tcp IN SRV 0 5 %s xmpp.%s.\n' "$port" "$zone"
		printf 'xmpp IN A 127.0.0.1\nxmpp IN AAAA ::1\n'
		dns__tlsa "$zone" | while read -r rec; do
			printf '_%s._tcp.xmpp IN TLSA %s\n' "$port" "$rec"
		done
		if [ "$zone" = dane-unsigned.test ]; then
			printf '@ IN CAA 0 issue "ca.test"\n'
			printf '@ IN CAA 0 issue "evil\\027[2J.test"\n'
		fi
		return 0 ;;
	esac
	printf '_xmpp-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
		$((C2S_PORT + shift_by)) "$zone"
	printf '_xmpps-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
		$((C2S_TLS_PORT + shift_by)) "$zone"
	printf 'xmpp IN A %s\nxmpp IN AAAA %s\n' "$a" "$aaaa"
	# the HTTP upload service (XEP-0363) of the test Prosody
	[ "$zone" = good.test ] && printf 'upload IN A 127.0.0.1\n'
	# CAA: good.test's with an account binding; bogus.test's is edited
	# after signing (-> a BOGUS CAA answer)
	if [ "$zone" = good.test ]; then
		printf '@ IN CAA 0 issue "ca.test; accounturi=https://ca.test/acme/acct/1"\n'
		printf '@ IN CAA 0 issuewild ";"\n'
		printf '@ IN CAA 0 iodef "mailto:security@good.test"\n'
	fi
	[ "$zone" = bogus.test ] && printf '@ IN CAA 0 issue "ca.test"\n'
	if [ "$zone" = good.test ] && [ "${DNS_GOOD_TLSA:-0}" = 1 ]; then
		local spki
		spki=$(ca_tlsa_data "$SERVER_CERT" 1 1) || return 1
		printf '_%s._tcp.xmpp IN TLSA 3 1 1 %s\n' \
			"$C2S_PORT" "$spki" "$C2S_TLS_PORT" "$spki"
	fi
}

# dns__sign FILE ZONE [ldns-signzone options]: FILE -> FILE.signed.
dns__sign() {
	local file=$1 zone=$2 keys
	shift 2
	keys=$(dns__keys "$zone") || return 1
	# shellcheck disable=SC2086
	ldns-signzone "$@" -o "$zone." -f "$file.signed" "$file" $keys ||
		{ echo "dns.sh: ldns-signzone failed for $zone" >&2; return 1; }
}

# dns__ds ZONE: the DS record of ZONE's KSK (SHA-256).
dns__ds() {
	local kdir=$WARD_TEST_DIR/dns/keys
	(cd "$kdir" && ldns-key2ds -n -2 "$(cat "$kdir/$1.ksk").key")
}

# dns__zones: writes and signs every zone file into $WARD_TEST_DIR/dns.
dns__zones() {
	local dir=$WARD_TEST_DIR/dns c zone past_i now
	now=$(date +%s)
	# Start an hour back so that small clock differences do not matter.
	past_i=$((now - 3600))
	for c in $DNS_CHILDREN; do
		zone=$c.test
		case $c in
		unsigned|dane-unsigned)
			dns__child "$zone" >"$dir/$zone.zone"
			cp "$dir/$zone.zone" "$dir/$zone.zone.signed" ;;
		dane-bogus)
			# The TLSA data is changed after signing; SRV and
			# addresses stay valid.
			dns__child "$zone" >"$dir/$zone.zone"
			dns__sign "$dir/$zone.zone" "$zone" -i "$past_i" || return 1
			dns__edit_tlsa "$dir/$zone.zone.signed" \
				"$(ca_tlsa_data "$SERVER_CERT" 1 1)" \
				"$(ca_tlsa_data "$ROGUE_CERT" 1 1)" || return 1 ;;
		dane-expired)
			# Only the TLSA signature is an expired one.
			dns__child "$zone" >"$dir/$zone.zone"
			dns__sign "$dir/$zone.zone" "$zone" -i "$past_i" || return 1
			mv "$dir/$zone.zone.signed" "$dir/$zone.zone.good"
			dns__sign "$dir/$zone.zone" "$zone" \
				-i 20200101000000 -e 20200201000000 || return 1
			dns__swap_tlsa_sig "$dir/$zone.zone.good" \
				"$dir/$zone.zone.signed" >"$dir/$zone.zone.mixed" ||
				return 1
			mv "$dir/$zone.zone.mixed" "$dir/$zone.zone.signed"
			rm -f "$dir/$zone.zone.good" ;;
		bogus)
			# Sign data that points elsewhere, then "redirect" it to
			# the real server: a validator must refuse all of it.
			dns__child "$zone" 1000 127.0.0.2 ::2 >"$dir/$zone.zone"
			dns__sign "$dir/$zone.zone" "$zone" -i "$past_i" || return 1
			sed -i -E \
				-e "s/(SRV[[:space:]]+0[[:space:]]+5[[:space:]]+)$((C2S_PORT + 1000))/\1$C2S_PORT/" \
				-e "s/(SRV[[:space:]]+0[[:space:]]+5[[:space:]]+)$((C2S_TLS_PORT + 1000))/\1$C2S_TLS_PORT/" \
				-e 's/(A[[:space:]]+)127\.0\.0\.2$/\1127.0.0.1/' \
				-e 's/(AAAA[[:space:]]+)::2$/\1::1/' \
				-e 's/(CAA[[:space:]]+0[[:space:]]+issue[[:space:]]+)"ca\.test"/\1"rogue.test"/' \
				"$dir/$zone.zone.signed"
			# Only the record data is checked: the old port number
			# can also turn up in a key tag or a signature's dates.
			if grep -q -E \
				"SRV[[:space:]]+0[[:space:]]+5[[:space:]]+($((C2S_PORT + 1000))|$((C2S_TLS_PORT + 1000)))[[:space:]]|A[[:space:]]+127\.0\.0\.2\$|AAAA[[:space:]]+::2\$|CAA[[:space:]]+0[[:space:]]+issue[[:space:]]+\"ca\.test\"" \
				"$dir/$zone.zone.signed"; then
				echo "dns.sh: editing bogus.test after signing failed" >&2
				return 1
			fi ;;
		expired)
			dns__child "$zone" >"$dir/$zone.zone"
			dns__sign "$dir/$zone.zone" "$zone" \
				-i 20200101000000 -e 20200201000000 || return 1 ;;
		*)
			dns__child "$zone" >"$dir/$zone.zone"
			dns__sign "$dir/$zone.zone" "$zone" -i "$past_i" || return 1 ;;
		esac
	done

	{
		dns__soa test
		printf 'ns IN A 127.0.0.1\n'
		for c in $DNS_CHILDREN; do
			printf '%s IN NS ns.test.\n' "$c"
			dns__unsigned "$c" || dns__ds "$c.test" || return 1
		done
	} >"$dir/test.zone" || return 1
	dns__sign "$dir/test.zone" test -i "$past_i" || return 1
	dns__ds test >"$dir/anchor.key" || return 1
}

# dns__edit_tlsa FILE OLD NEW: replaces TLSA data OLD by NEW in a signed
# zone file, leaving its signature as it was (so it no longer validates).
dns__edit_tlsa() {
	local file=$1 old=$2 new=$3
	sed -i -E "s/(TLSA[[:space:]]+3[[:space:]]+1[[:space:]]+1[[:space:]]+)$old/\1$new/I" \
		"$file" || return 1
	if grep -qi "$old" "$file" || ! grep -qi "$new" "$file"; then
		echo "dns.sh: editing the TLSA record after signing failed" >&2
		return 1
	fi
}

# dns__swap_tlsa_sig GOOD EXPIRED: GOOD with its RRSIG over TLSA taken from
# EXPIRED (the same zone signed with the same key in the past).
dns__swap_tlsa_sig() {
	local good=$1 expired=$2 sig
	sig=$(grep -E '[[:space:]]RRSIG[[:space:]]+TLSA[[:space:]]' "$expired")
	if [ -z "$sig" ] || [ "$(printf '%s\n' "$sig" | wc -l)" -ne 1 ]; then
		echo "dns.sh: no single expired TLSA signature in $expired" >&2
		return 1
	fi
	awk -v sig="$sig" '
		/[[:space:]]RRSIG[[:space:]]+TLSA[[:space:]]/ { print sig; n++; next }
		{ print }
		END { if (n != 1) exit 1 }' "$good"
}

# dns__conf: the nsd configuration (no control socket, no chroot, no
# user switch, everything inside the work directory).
dns__conf() {
	local dir=$WARD_TEST_DIR/dns c
	cat <<EOF
server:
	ip-address: 127.0.0.1@$DNS_PORT
	do-ip6: no
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: "$dir"
	database: ""
	zonelistfile: "$dir/zone.list"
	xfrdfile: "$dir/xfrd.state"
	xfrdir: "$dir"
	pidfile: "$dir/nsd.pid"
	logfile: "$dir/nsd.log"
	verbosity: 1
	hide-version: yes
remote-control:
	control-enable: no
zone:
	name: "test."
	zonefile: "$dir/test.zone.signed"
EOF
	for c in $DNS_CHILDREN; do
		printf 'zone:\n\tname: "%s.test."\n\tzonefile: "%s/%s.test.zone.signed"\n' \
			"$c" "$dir" "$c"
	done
}

# dns_start: makes the zones and starts nsd; returns once it answers.
dns_start() {
	local dir=$WARD_TEST_DIR/dns
	: "${DNS_PORT:?dns_start: run testnet_ports first}"
	: "${C2S_PORT:?dns_start: run testnet_ports first}"
	: "${TEST_USER:?dns_start: run testnet_user_setup first}"
	DNS_CHILDREN=$DNS_BASE_CHILDREN
	if [ -n "${DNS_ONLY_CHILDREN:-}" ]; then
		DNS_CHILDREN=$DNS_ONLY_CHILDREN
	elif [ -n "${ROGUE_CERT:-}" ] && declare -F ca_tlsa_data >/dev/null; then
		DNS_CHILDREN="$DNS_BASE_CHILDREN $DNS_DANE_CHILDREN"
		dns__dane_ports
	fi
	mkdir -p "$dir/keys" || return 1
	chmod 700 "$dir/keys"
	dns__zones || return 1
	dns__conf >"$dir/nsd.conf" || return 1
	nsd-checkconf "$dir/nsd.conf" ||
		{ echo "dns.sh: nsd.conf rejected" >&2; return 1; }
	rm -f "$dir/nsd.pid"
	[ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$dir"
	as_test_user nsd -d -c "$dir/nsd.conf" >"$dir/nsd.out" 2>&1 &
	DNS_NSD_WRAPPER_PID=$!
	register_pid "$DNS_NSD_WRAPPER_PID"
	for _ in $(seq 1 200); do
		# drill waits seconds for a UDP port nobody listens on yet.
		if ss -Hltn "sport = :$DNS_PORT" 2>/dev/null | grep -q . &&
			drill -p "$DNS_PORT" @127.0.0.1 SOA test. 2>/dev/null |
			grep -q -E '^test\.[[:space:]].*SOA'; then
			[ -s "$dir/nsd.pid" ] && register_pid "$(cat "$dir/nsd.pid")"
			DNS_ANCHOR=$dir/anchor.key
			DNS_STUB="test. 127.0.0.1@$DNS_PORT"
			export DNS_ANCHOR DNS_STUB
			return 0
		fi
		if ! kill -0 "$DNS_NSD_WRAPPER_PID" 2>/dev/null; then
			echo "dns.sh: nsd exited; see $dir/nsd.log:" >&2
			tail -5 "$dir/nsd.log" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "dns.sh: nsd does not answer on 127.0.0.1@$DNS_PORT" >&2
	return 1
}

# dns_stop: stops nsd (testnet_stop_all does it too).
dns_stop() {
	local dir=$WARD_TEST_DIR/dns pid
	if [ -s "$dir/nsd.pid" ]; then
		pid=$(cat "$dir/nsd.pid")
		kill -TERM "$pid" 2>/dev/null
	fi
	[ -n "${DNS_NSD_WRAPPER_PID:-}" ] &&
		kill -TERM "$DNS_NSD_WRAPPER_PID" 2>/dev/null
	wait "${DNS_NSD_WRAPPER_PID:-}" 2>/dev/null
	return 0
}
