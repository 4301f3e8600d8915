#!/usr/bin/env bash
# The Teams example over TLS and mutual TLS, with certificates from the
# example's own make-certs.sh:
#   teams_tls.sh SERVER CLIENT EXPECTED_OUTPUT MAKE_CERTS
# TLS: the client trusting the CA gets the usual answers; a plaintext
# client is refused with a clear line. Mutual TLS: a client without a
# certificate is refused, one with the CA's client certificate is served
# and the server sees its SPIFFE ID.
source "$(dirname "$0")/lib.sh"
server=$1 client=$2 expected=$3 make_certs=$4
certs=$work/certs
"$make_certs" "$certs" >/dev/null

start tls "$server" --port 0 --tls-cert "$certs/server.pem" --tls-key "$certs/server-key.pem"
port=$(port_of tls)
grep -q "blocking handlers, TLS" "$work/tls.log" || fail "the server does not say it serves TLS"
run client 0 "$client" --target "127.0.0.1:$port" --tls-ca "$certs/ca.pem"
diff -u "$expected" "$work/client.log" || fail "TLS client output differs from $expected"
wait_for tls "GetTeam\(Chicago\) from 127.0.0.1:[0-9]+ over TLSv1.3"
run plaintext 1 "$client" --target "127.0.0.1:$port"
grep -q "this server requires TLS" "$work/plaintext.err" || fail "a plaintext client was not told the server requires TLS"
stop tls

start mtls "$server" --port 0 --tls-cert "$certs/server.pem" --tls-key "$certs/server-key.pem" \
  --tls-client-ca "$certs/ca.pem"
port=$(port_of mtls)
run anonymous 1 "$client" --target "127.0.0.1:$port" --tls-ca "$certs/ca.pem"
grep -q "requires a client certificate" "$work/anonymous.err" || fail "a client without a certificate was not told why"
run mutual 0 "$client" --target "127.0.0.1:$port" --tls-ca "$certs/ca.pem" \
  --tls-cert "$certs/client.pem" --tls-key "$certs/client-key.pem"
diff -u "$expected" "$work/mutual.log" || fail "mutual-TLS client output differs from $expected"
wait_for mtls "GetTeam\(Chicago\) from .* over TLSv1.3 as spiffe://teams.example/reporter"
stop mtls
echo "TLS server log:"; cat "$work/tls.log"; echo "mutual TLS server log:"; cat "$work/mtls.log"
