#!/usr/bin/env bash
# make-certs.sh DIR: a private CA and the certificates the Teams example
# needs for TLS and mutual TLS, made with the openssl command line:
#   DIR/ca.pem                       the CA (clients and the server trust it)
#   DIR/server.pem, server-key.pem   the server: localhost, 127.0.0.1, ::1
#   DIR/client.pem, client-key.pem   a client: spiffe://teams.example/reporter
# ECDSA P-256 keys (a TLS handshake signs ~13x faster than with RSA-2048),
# valid for 30 days. For a real deployment, use your organisation's CA or
# cert-manager; the server reloads rotated files by itself.
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days 30 -subj "/O=Teams example/CN=Teams example CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# sign NAME SUBJECT SANS: NAME-key.pem and NAME.pem, signed by the CA.
sign() {
  local name=$1 subject=$2 sans=$3
  key "$name-key.pem"
  openssl req -new -key "$name-key.pem" -subj "$subject" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -sha256 -days 30 \
    -extfile <(printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' "$sans") \
    -out "$name.pem" 2>/dev/null
  rm "$name.csr"
}
sign server "/O=Teams example/CN=localhost" "DNS:localhost,IP:127.0.0.1,IP:::1"
sign client "/O=Teams example/CN=reporter" "URI:spiffe://teams.example/reporter"
chmod 600 ./*-key.pem
echo "certificates in $dir: ca.pem, server.pem + server-key.pem, client.pem + client-key.pem"
