#!/usr/bin/env bash
# Runs an example the way the tutorials do, as two real processes:
#   run_pair.sh SERVER CLIENT EXPECTED_OUTPUT [SERVER_ARGS...]
# starts SERVER --port 0, reads the port it prints ("... listening on
# HOST:PORT"), runs CLIENT --target 127.0.0.1:PORT, compares the client's
# stdout with EXPECTED_OUTPUT, then stops the server with SIGINT (Ctrl-C)
# and requires a clean exit.
set -euo pipefail
server=$1 client=$2 expected=$3; shift 3

log=$(mktemp); out=$(mktemp)
"$server" --port 0 "$@" >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log" "$out"' EXIT

port=""
for _ in $(seq 200); do
  port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
  [[ -n $port ]] && break
  kill -0 $pid 2>/dev/null || { echo "server died:"; cat "$log"; exit 1; }
  sleep 0.05
done
[[ -n $port ]] || { echo "server never said it was listening:"; cat "$log"; exit 1; }

"$client" --target "127.0.0.1:$port" >"$out"
if ! diff -u "$expected" "$out"; then
  echo "client output differs from $expected"; exit 1
fi

kill -INT $pid
rc=0; wait $pid || rc=$?
[[ $rc -eq 0 ]] || { echo "server exited with $rc after SIGINT:"; cat "$log"; exit 1; }
echo "server log:"; cat "$log"
