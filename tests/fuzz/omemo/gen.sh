#!/bin/sh
# gen.sh: rebuilds the OMEMO fuzz harness's fixed state (state.h) and its
# seed corpus of real messages and bundles (corpus/) with gen_omemo.c.
# Run from anywhere after ./configure && make; commit both outputs together.
set -eu
cd "$(dirname "$0")/../../.."
out=tests/fuzz/omemo
tmp=$(mktemp -d /tmp/ward-omemo-gen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make -s build/rel/libward.a
# shellcheck disable=SC2086
cc -std=c11 -D_GNU_SOURCE -I. -Isrc -Icrypto $(pkg-config --cflags libsignal-protocol-c sqlite3) \
	-o "$tmp/gen" $out/gen_omemo.c build/rel/libward.a \
	$(pkg-config --libs libgcrypt libsignal-protocol-c sqlite3)
"$tmp/gen" "$tmp"
mkdir -p $out/corpus
rm -f $out/corpus/msg-* $out/corpus/bundle-*
mv "$tmp"/msg-* "$tmp"/bundle-* $out/corpus/
mv "$tmp/state.h" $out/state.h
echo "gen.sh: wrote $out/state.h and $(ls $out/corpus | wc -l) corpus files"
