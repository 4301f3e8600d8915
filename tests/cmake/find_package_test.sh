#!/usr/bin/env bash
# Outside projects against the installed package:
#   find_package_test.sh BUILD_DIR CONSUMER_SOURCE SCRATCH GENERATOR SOURCE_DIR
# 1. installs BUILD_DIR into SCRATCH/prefix;
# 2. builds a copy of CONSUMER_SOURCE (C++ only; find_package(idlrpc), then
#    find_package(CapnProto)) and runs it; checks where IMPORT_DIRS,
#    STRIP_PREFIX and EMIT_CAPNP put the generated files;
# 3. touches the imported IDL: both IDLs are regenerated (depfile), and a
#    second build regenerates nothing;
# 4. builds the consumer again with find_package(CapnProto) first;
# 5. builds the README's CMakeLists and server exactly as README.md shows
#    them (between the readme-* markers) beside examples/teams/teams.idl;
# 6. breaks the IDL: the build fails with idlc's file:line:col diagnostic.
set -euo pipefail
build=$1 consumer=$2 scratch=$3 generator=$4 source=$5
rm -rf "$scratch"; mkdir -p "$scratch"
cp -r "$consumer" "$scratch/src"
app=$scratch/src/app
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null

fail() { echo "find_package_test: $*"; exit 1; }
configure() {  # configure SOURCE BUILD [ARGS...]
  local src=$1 bld=$2; shift 2
  cmake -S "$src" -B "$bld" -G "$generator" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
    -DCMAKE_BUILD_TYPE=Release "$@" >"$bld.configure.log" 2>&1 || { cat "$bld.configure.log"; fail "configuring $src failed"; }
}

echo "--- consumer: find_package(idlrpc), then find_package(CapnProto)"
configure "$app" "$scratch/build"
cmake --build "$scratch/build"
"$scratch/build/consumer"
for f in kv_idl_idl/common/types.idl.h kv_idl_idl/kv.idl.h kv_idl_idl/kv.capnp kv_idl_idl/common/types.capnp \
         stock_idl_idl/inventory/stock.idl.h; do
  [[ -f "$scratch/build/$f" ]] || fail "$f was not generated"
done
[[ ! -e "$scratch/build/kv_idl_idl/types.idl.h" ]] || fail "IMPORT_DIRS: types.idl.h generated outside common/"

echo "--- touching the imported IDL"
sleep 1  # coarse file-system timestamps
touch "$app/common/money.idl"
out=$(cmake --build "$scratch/build" 2>&1); echo "$out"
grep -q "idlc common/money.idl" <<<"$out" || fail "money.idl was not regenerated"
grep -q "idlc shop.idl" <<<"$out" || fail "shop.idl imports money.idl but was not regenerated"
out=$(cmake --build "$scratch/build" 2>&1)
if grep -q "idlc " <<<"$out"; then echo "$out"; fail "a build with nothing changed ran idlc"; fi

echo "--- consumer: find_package(CapnProto), then find_package(idlrpc)"
configure "$app" "$scratch/build-capnp-first" -DCAPNP_ORDER=before
cmake --build "$scratch/build-capnp-first"
"$scratch/build-capnp-first/consumer"

echo "--- the README's CMakeLists and server"
readme=$scratch/readme; mkdir -p "$readme"
between() { sed -n "/<!-- $1:begin/,/<!-- $1:end/p" "$source/README.md" | grep -v -e '^<!--' -e '^```'; }
between readme-consumer >"$readme/CMakeLists.txt"
between readme-server >"$readme/server.cpp"
grep -q add_idl_library "$readme/CMakeLists.txt" || fail "no CMake snippet between the readme-consumer markers"
grep -q "int main" "$readme/server.cpp" || fail "no server between the readme-server markers"
cp "$source/examples/teams/teams.idl" "$readme/"
configure "$readme" "$scratch/build-readme"
cmake --build "$scratch/build-readme"
[[ -x "$scratch/build-readme/teams_server" ]] || fail "the README's project built no teams_server"

echo "--- a syntax error in the IDL"
printf 'message Broken {\n  string name = 1\n}\n' >> "$app/shop.idl"
if out=$(cmake --build "$scratch/build" 2>&1); then echo "$out"; fail "the build succeeded with a broken IDL"; fi
echo "$out"
grep -Eq "shop.idl:[0-9]+:[0-9]+: error: " <<<"$out" || fail "the build failure does not show idlc's diagnostic"
echo "find_package_test: ok"
