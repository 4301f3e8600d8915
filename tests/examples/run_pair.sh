#!/usr/bin/env bash
# Runs an example the way the tutorials do, as two real processes:
#   run_pair.sh SERVER CLIENT EXPECTED_OUTPUT [SERVER_ARGS...] [-- CLIENT_ARGS...]
# starts SERVER --port 0, reads the port it prints ("... listening on
# HOST:PORT"), runs CLIENT --target 127.0.0.1:PORT, compares the client's
# stdout with EXPECTED_OUTPUT, then stops the server with SIGINT (Ctrl-C)
# and requires a clean exit.
source "$(dirname "$0")/lib.sh"
server=$1 client=$2 expected=$3; shift 3
server_args=() client_args=()
while [[ $# -gt 0 && $1 != -- ]]; do server_args+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
client_args=("$@")

start server "$server" --port 0 "${server_args[@]}"
port=$(port_of server)

run client 0 "$client" --target "127.0.0.1:$port" "${client_args[@]}"
diff -u "$expected" "$work/client.log" || fail "client output differs from $expected"

stop server
echo "server log:"; cat "$work/server.log"
