#!/usr/bin/env bash
# Flow control of callbacks: a feed with an event every 20 ms, a client
# that takes 100 ms per callback and grants 2 events of credit ahead. The
# client must get every event in order and never more than it granted (it
# checks both and fails otherwise); the server must have been held back.
#   callbacks_slow.sh SERVER CLIENT
source "$(dirname "$0")/lib.sh"
server=$1 client=$2

start server "$server" --port 0 --interval-ms 20
port=$(port_of server)
run client 0 "$client" --target "127.0.0.1:$port" --window 2 --handle-ms 100 --events 12
[[ $(grep -c '^callback: ' "$work/client.log") -eq 12 ]] || fail "expected 12 callbacks"
grep -qx '12 callbacks handled, none lost, none beyond the credit granted' "$work/client.log" || fail "no summary"
wait_for server '^subscriber .*: 12 events sent, held back for lack of credit ([1-9][0-9]*) times$' 5
stop server
cat "$work/client.log" "$work/server.log"
