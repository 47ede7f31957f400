# audittest.sh: sourced by the ward audit tests after wardtest.sh. Reads
# the JSON report of `ward audit --json` (python3, stdlib only).
#
#   verdict FILE ID            # the verdict of check ID ("missing" if none)
#   evidence FILE ID           # its evidence
#   expect FILE ID VERDICT [EVIDENCE-ERE]   # one check line each
#   no_pass FILE ID...         # none of the checks is "pass"

verdict() {
	python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(next((c["verdict"] for c in r["checks"] if c["id"]==sys.argv[2]),"missing"))' "$1" "$2"
}
evidence() {
	python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
print(next((c["evidence"] for c in r["checks"] if c["id"]==sys.argv[2]),""))' "$1" "$2"
}
expect() { # FILE ID VERDICT [EVIDENCE-REGEX]
	local v
	v=$(verdict "$1" "$2")
	check "$(basename "$1" .json) $2 = $3 (got $v)" test "$v" = "$3"
	if [ $# -ge 4 ]; then
		check "$(basename "$1" .json) $2 evidence ~ $4" \
			grep -Eq -- "$4" <<<"$(evidence "$1" "$2")"
	fi
}
no_pass() { # FILE ID...: none of the checks is "pass"
	local f=$1 id v
	shift
	for id in "$@"; do
		v=$(verdict "$f" "$id")
		[ "$v" != pass ] && [ "$v" != missing ] || { echo "$id: $v" >&2; return 1; }
	done
}
