#!/usr/bin/env bash
# An outside project against the installed package:
#   find_package_test.sh BUILD_DIR CONSUMER_SOURCE SCRATCH GENERATOR
# 1. installs BUILD_DIR into SCRATCH/prefix;
# 2. builds a copy of CONSUMER_SOURCE with find_package(idlrpc) and runs it;
# 3. touches the imported IDL: both IDLs are regenerated (depfile), and a
#    second build regenerates nothing;
# 4. breaks the IDL: the build fails with idlc's file:line:col diagnostic.
set -euo pipefail
build=$1 consumer=$2 scratch=$3 generator=$4
rm -rf "$scratch"; mkdir -p "$scratch"
cp -r "$consumer" "$scratch/src"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
cmake -S "$scratch/src" -B "$scratch/build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$scratch/build"
"$scratch/build/consumer"

fail() { echo "find_package_test: $*"; exit 1; }

echo "--- touching the imported IDL"
sleep 1  # coarse file-system timestamps
touch "$scratch/src/common/money.idl"
out=$(cmake --build "$scratch/build" 2>&1); echo "$out"
grep -q "idlc common/money.idl" <<<"$out" || fail "money.idl was not regenerated"
grep -q "idlc shop.idl" <<<"$out" || fail "shop.idl imports money.idl but was not regenerated"
out=$(cmake --build "$scratch/build" 2>&1)
if grep -q "idlc " <<<"$out"; then echo "$out"; fail "a build with nothing changed ran idlc"; fi

echo "--- a syntax error in the IDL"
printf 'message Broken {\n  string name = 1\n}\n' >> "$scratch/src/shop.idl"
if out=$(cmake --build "$scratch/build" 2>&1); then echo "$out"; fail "the build succeeded with a broken IDL"; fi
echo "$out"
grep -Eq "shop.idl:[0-9]+:[0-9]+: error: " <<<"$out" || fail "the build failure does not show idlc's diagnostic"
echo "find_package_test: ok"
