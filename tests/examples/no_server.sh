#!/usr/bin/env bash
# A client with no server to talk to must fail fast with one clear line
# naming the address, and a non-zero exit:  no_server.sh CLIENT
set -euo pipefail
client=$1
# A port nobody listens on: one that refuses a connection right now.
port=""
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
err=$(mktemp); trap 'rm -f "$err"' EXIT
rc=0; timeout 30 "$client" --target "127.0.0.1:$port" >/dev/null 2>"$err" || rc=$?
cat "$err"
[[ $rc -ne 0 && $rc -ne 124 ]] || { echo "expected a quick non-zero exit, got $rc"; exit 1; }
[[ $(wc -l <"$err") -eq 1 ]] || { echo "expected exactly one line on stderr"; exit 1; }
grep -q "127.0.0.1:$port" "$err" || { echo "the error does not name the address"; exit 1; }
