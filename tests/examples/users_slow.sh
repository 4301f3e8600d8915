#!/usr/bin/env bash
# users_server --slow answers after a minute; a client whose deadline is
# 0.5 s must fail with DEADLINE_EXCEEDED at once, and the server's handler,
# cancelled at that deadline, must stop waiting too.
#   users_slow.sh SERVER CLIENT
source "$(dirname "$0")/lib.sh"
server=$1 client=$2

start server "$server" --port 0 --slow
port=$(port_of server)
run client 1 "$client" --target "127.0.0.1:$port" --timeout 0.5
grep -q '^users_client: DEADLINE_EXCEEDED: ' "$work/client.err" || fail "no DEADLINE_EXCEEDED from the client"
[[ ! -s $work/client.log ]] || fail "the client printed results it cannot have had"
wait_for server 'Users/Signup: call ended after 0\.[4-9] s, gave up' 5
stop server
cat "$work/client.err" "$work/server.log"
