# ca.sh: sourced (bash). Makes the test PKI for the local network: a trusted
# test CA with a server certificate for every test domain (and a second one
# with another key, for key changes), a certificate for another name, an
# untrusted second CA with its own good.test certificate, and an expired
# good.test certificate. All EC P-256, made with openssl. ca_tlsa_data gives
# the TLSA association data of a certificate (tests/net/dns.sh uses it).

# Domains the main server certificate covers (each also as *.D and xmpp.D).
# The dane-* zones and split-tls.test of tests/net/dns.sh are here too.
CA_DOMAINS="good.test bogus.test expired.test unsigned.test nosrv.test noservice.test
	dane-ee.test dane-unsigned.test dane-wrong.test dane-bogus.test
	dane-expired.test dane-ta.test dane-pkix.test dane-unusable.test split-tls.test"

# _ca_set_vars DIR: the exported file names (same whether made now or before).
_ca_set_vars() {
	local d=$1
	CA_DIR=$d
	TEST_CA=$d/ca.pem			# the trusted test CA
	TEST_CA_PATH=$d/capath			# same CA, c_rehash'ed directory
	SERVER_CERT=$d/server.pem		# all test domains, localhost, 127.0.0.1, ::1
	SERVER_KEY=$d/server.key
	SERVER_CHAIN=$d/server-chain.pem	# server cert + CA cert
	SERVER2_CERT=$d/server2.pem		# like SERVER_CERT, another key
	SERVER2_KEY=$d/server2.key
	OTHER_CERT=$d/other.pem			# valid chain, but only for other.test
	OTHER_KEY=$d/other.key
	OTHER_CHAIN=$d/other-chain.pem		# other cert + CA cert
	ROGUE_CA=$d/rogue-ca.pem		# an untrusted CA
	ROGUE_CERT=$d/rogue.pem			# good.test etc., signed by ROGUE_CA
	ROGUE_KEY=$d/rogue.key
	ROGUE_CHAIN=$d/rogue-chain.pem		# rogue cert + rogue CA cert
	EXPIRED_CERT=$d/expired.pem		# good.test etc., trusted CA, expired in 2020
	EXPIRED_KEY=$d/expired.key
	# Other names for the rogue-CA ("unknown CA") case.
	UNTRUSTED_CA=$ROGUE_CA
	UNTRUSTED_CERT=$ROGUE_CERT
	UNTRUSTED_KEY=$ROGUE_KEY
	export CA_DIR TEST_CA TEST_CA_PATH SERVER_CERT SERVER_KEY SERVER_CHAIN \
		SERVER2_CERT SERVER2_KEY OTHER_CERT OTHER_KEY OTHER_CHAIN \
		ROGUE_CA ROGUE_CERT ROGUE_KEY ROGUE_CHAIN \
		UNTRUSTED_CA UNTRUSTED_CERT UNTRUSTED_KEY EXPIRED_CERT EXPIRED_KEY
}

# _ca_spki_sha256 CERT: hex SHA-256 of the certificate's SubjectPublicKeyInfo
# (what a TLSA 3 1 1 / 2 1 1 record holds).
_ca_spki_sha256() {
	openssl x509 -in "$1" -noout -pubkey |
		openssl pkey -pubin -outform DER |
		openssl dgst -sha256 -r | cut -d' ' -f1
}

# ca_tlsa_data CERT SELECTOR MTYPE: the TLSA association data (RFC 6698
# 2.1.2-2.1.3) of CERT in hex: selector 0 = the certificate, 1 = its
# SubjectPublicKeyInfo; matching type 0 = full, 1 = SHA-256, 2 = SHA-512.
ca_tlsa_data() {
	local cert=$1 sel=$2 mt=$3
	{
		if [ "$sel" = 0 ]; then
			openssl x509 -in "$cert" -outform DER
		else
			openssl x509 -in "$cert" -noout -pubkey |
				openssl pkey -pubin -outform DER
		fi
	} | case $mt in
	0) od -An -v -tx1 | tr -d ' \n' ;;
	1) openssl dgst -sha256 -r | cut -d' ' -f1 ;;
	2) openssl dgst -sha512 -r | cut -d' ' -f1 ;;
	*) echo "ca_tlsa_data: matching type $mt?" >&2; return 1 ;;
	esac
}

# _ca_server_sans: subjectAltName value for the main server certificate.
_ca_server_sans() {
	local d sans=""
	for d in $CA_DOMAINS; do
		sans="${sans}DNS:$d,DNS:*.$d,DNS:xmpp.$d,"
	done
	echo "${sans}DNS:rooms.good.test,DNS:localhost,IP:127.0.0.1,IP:::1"
}

# _ca_new_ca DIR NAME CN: self-signed CA, key NAME.key, cert NAME.pem.
_ca_new_ca() {
	local d=$1 name=$2 cn=$3
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-nodes -keyout "$d/$name.key" -out "$d/$name.pem" -days 3650 \
		-subj "/O=ward tests/CN=$cn" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-addext "subjectKeyIdentifier=hash" 2>/dev/null
}

# _ca_new_leaf DIR NAME CANAME CN SANS: key NAME.key, cert NAME.pem signed by
# CANAME, valid for 2 years from now.
_ca_new_leaf() {
	local d=$1 name=$2 ca=$3 cn=$4 sans=$5
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$name.key" -out "$d/$name.csr" -subj "/CN=$cn" 2>/dev/null &&
	printf '%s\n' "basicConstraints=critical,CA:FALSE" \
		"keyUsage=critical,digitalSignature" \
		"extendedKeyUsage=serverAuth,clientAuth" \
		"subjectKeyIdentifier=hash" \
		"authorityKeyIdentifier=keyid" \
		"subjectAltName=$sans" > "$d/$name.ext" &&
	openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
		-CAcreateserial -days 730 -sha256 -extfile "$d/$name.ext" \
		-out "$d/$name.pem" 2>/dev/null
}

# _ca_new_expired DIR NAME CANAME SANS: like _ca_new_leaf but valid only in
# January 2020 (openssl x509 cannot back-date, so this uses 'openssl ca').
_ca_new_expired() {
	local d=$1 name=$2 ca=$3 sans=$4 db=$1/expired-db
	mkdir -p "$db" && : > "$db/index.txt" && echo 1000 > "$db/serial" &&
	cat > "$db/ca.cnf" <<-EOF &&
	[ ca ]
	default_ca = expired
	[ expired ]
	database = $db/index.txt
	serial = $db/serial
	new_certs_dir = $db
	certificate = $d/$ca.pem
	private_key = $d/$ca.key
	default_md = sha256
	policy = anything
	copy_extensions = none
	unique_subject = no
	[ anything ]
	commonName = supplied
	[ leaf ]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature
	extendedKeyUsage = serverAuth
	subjectAltName = $sans
	EOF
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$name.key" -out "$d/$name.csr" -subj "/CN=good.test" 2>/dev/null &&
	openssl ca -batch -config "$db/ca.cnf" -extensions leaf -notext \
		-startdate 20200101000000Z -enddate 20200201000000Z \
		-in "$d/$name.csr" -out "$d/$name.pem" 2>/dev/null
}

# _ca_complete DIR: true when every file of a previous run is there.
_ca_complete() {
	local f
	for f in "$TEST_CA" "$SERVER_CERT" "$SERVER_KEY" "$SERVER_CHAIN" \
		"$SERVER2_CERT" "$SERVER2_KEY" "$OTHER_CERT" "$OTHER_KEY" \
		"$OTHER_CHAIN" "$ROGUE_CA" "$ROGUE_CERT" "$ROGUE_KEY" \
		"$ROGUE_CHAIN" "$EXPIRED_CERT" "$EXPIRED_KEY"; do
		[ -s "$f" ] || return 1
	done
	[ -d "$TEST_CA_PATH" ]
}

# ca_make DIR: makes (once) and exports the test PKI in DIR. Also exports
# SERVER_SPKI_SHA256, SERVER2_SPKI_SHA256, TEST_CA_SPKI_SHA256,
# ROGUE_SPKI_SHA256, ROGUE_CA_SPKI_SHA256 and OTHER_SPKI_SHA256 for TLSA
# records and pin checks.
ca_make() {
	local d=${1:?ca_make DIR}
	mkdir -p "$d" || return 1
	d=$(cd "$d" && pwd)
	_ca_set_vars "$d"
	if ! _ca_complete; then
		local sans
		sans=$(_ca_server_sans)
		if ! { _ca_new_ca "$d" ca "ward test CA" &&
			_ca_new_leaf "$d" server ca good.test "$sans" &&
			_ca_new_leaf "$d" server2 ca good.test "$sans" &&
			_ca_new_leaf "$d" other ca other.test "DNS:other.test" &&
			_ca_new_ca "$d" rogue-ca "ward rogue CA (untrusted)" &&
			_ca_new_leaf "$d" rogue rogue-ca good.test "$sans" &&
			_ca_new_expired "$d" expired ca "$sans" &&
			cat "$d/server.pem" "$d/ca.pem" > "$d/server-chain.pem" &&
			cat "$d/other.pem" "$d/ca.pem" > "$d/other-chain.pem" &&
			cat "$d/rogue.pem" "$d/rogue-ca.pem" > "$d/rogue-chain.pem" &&
			mkdir -p "$d/capath" &&
			cp "$d/ca.pem" "$d/capath/ward-test-ca.pem" &&
			openssl rehash "$d/capath" 2>/dev/null; }; then
			echo "ca.sh: making the test PKI in $d failed" >&2
			return 1
		fi
		rm -f "$d"/*.csr "$d"/*.ext
	fi
	# Readable by the user the servers run as; keys by nobody else.
	chmod 755 "$d" "$d/capath"
	chmod 644 "$d"/*.pem
	chmod 600 "$d"/*.key
	if [ "$(id -u)" -eq 0 ] && [ -n "${TEST_USER:-}" ]; then
		chown -R "$TEST_USER" "$d"
	fi
	SERVER_SPKI_SHA256=$(_ca_spki_sha256 "$SERVER_CERT")
	SERVER2_SPKI_SHA256=$(_ca_spki_sha256 "$SERVER2_CERT")
	TEST_CA_SPKI_SHA256=$(_ca_spki_sha256 "$TEST_CA")
	ROGUE_SPKI_SHA256=$(_ca_spki_sha256 "$ROGUE_CERT")
	ROGUE_CA_SPKI_SHA256=$(_ca_spki_sha256 "$ROGUE_CA")
	OTHER_SPKI_SHA256=$(_ca_spki_sha256 "$OTHER_CERT")
	export SERVER_SPKI_SHA256 SERVER2_SPKI_SHA256 TEST_CA_SPKI_SHA256 \
		ROGUE_SPKI_SHA256 ROGUE_CA_SPKI_SHA256 OTHER_SPKI_SHA256
}
