# dns.sh: sourced (bash) after env.sh. Builds DNSSEC-signed test zones under
# $WARD_TEST_DIR/dns (a signed parent "test." and children that come out
# SECURE, BOGUS and INSECURE) and serves them with nsd on 127.0.0.1@$DNS_PORT.
#
# Usage: testnet_user_setup; testnet_workdir; testnet_ports; dns_start
#   exports DNS_ANCHOR (DS line of "test.", for dns_trust_anchor) and
#   DNS_STUB ("test. 127.0.0.1@$DNS_PORT", for dns_stub).
# Zones (D = each child): _xmpp-client._tcp.D SRV 0 5 $C2S_PORT xmpp.D,
# _xmpps-client._tcp.D SRV 0 5 $C2S_TLS_PORT xmpp.D, xmpp.D A/AAAA loopback.
#   good.test      signed, DS in test.                 -> SECURE
#   bogus.test     SRV, A and AAAA edited after signing -> BOGUS
#   expired.test   signatures expired in 2020          -> BOGUS
#   unsigned.test  no signatures, no DS                -> INSECURE
#   nosrv.test     signed, no SRV, A/AAAA at the apex  -> RFC 6120 fallback
#   noservice.test signed, both SRV targets "."        -> service not offered
# Keys are made once and kept in $WARD_TEST_DIR/dns/keys; the zones are
# signed again at every start (signatures last 4 weeks).

DNS_CHILDREN="good bogus expired unsigned nosrv noservice"

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
	noservice.test)
		printf '_xmpp-client._tcp IN SRV 0 0 0 .\n'
		printf '_xmpps-client._tcp IN SRV 0 0 0 .\n'
		return 0 ;;
	esac
	printf '_xmpp-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
		$((C2S_PORT + shift_by)) "$zone"
	printf '_xmpps-client._tcp IN SRV 0 5 %s xmpp.%s.\n' \
		$((C2S_TLS_PORT + shift_by)) "$zone"
	printf 'xmpp IN A %s\nxmpp IN AAAA %s\n' "$a" "$aaaa"
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
		unsigned)
			dns__child "$zone" >"$dir/$zone.zone"
			cp "$dir/$zone.zone" "$dir/$zone.zone.signed" ;;
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
				"$dir/$zone.zone.signed"
			if grep -q -E "$((C2S_PORT + 1000))|127\.0\.0\.2|::2\$" \
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
			[ "$c" = unsigned ] || dns__ds "$c.test" || return 1
		done
	} >"$dir/test.zone" || return 1
	dns__sign "$dir/test.zone" test -i "$past_i" || return 1
	dns__ds test >"$dir/anchor.key" || return 1
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
