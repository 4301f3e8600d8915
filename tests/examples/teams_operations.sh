#!/usr/bin/env bash
# The Teams server as an operator sees it:
#   teams_operations.sh SERVER CLIENT
# curl reads /healthz, /readyz and /metrics from the port that serves the
# calls; a real Prometheus (Debian's package, on a loopback port, its data in
# a temporary folder) scrapes /metrics, and its own HTTP API returns the
# counts of the calls the client made; on SIGTERM /readyz turns 503 while
# calls are still served (--drain-delay), then the server drains.
source "$(dirname "$0")/lib.sh"
server=$1 client=$2
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps)"
command -v curl >/dev/null || fail "curl is not installed (scripts/install-deps)"

start teams "$server" --port 0 --drain-delay 3000
port=$(port_of teams)
base=http://127.0.0.1:$port
[[ $(curl -s --max-time 5 "$base/healthz") == ok ]] || fail "/healthz is not ok"
[[ $(curl -s --max-time 5 "$base/readyz?service=teams.Teams") == SERVING ]] || fail "/readyz is not SERVING"

# Five runs of the client: 10 calls answered OK, 5 NOT_FOUND (Miami).
for i in 1 2 3 4 5; do run "client$i" 0 "$client" --target "127.0.0.1:$port"; done
metrics=$(curl -s --max-time 5 "$base/metrics")
grep -q '^idlrpc_server_call_started_total{method="teams.Teams/GetTeam"} 15$' <<<"$metrics" ||
  fail "/metrics does not count 15 calls: $metrics"

# Prometheus scrapes every second; its API answers once it has.
free_port() {  # a loopback port nothing listens on now
  local p
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  fail "no free port found"
}
prom_port=$(free_port)
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: teams
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
start prometheus prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port"
query() {
  curl -s --max-time 5 "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    sed -En 's/.*"value":\[[^,]*,"([^"]*)"\].*/\1/p' || true
}
deadline=$((SECONDS + 60))
until [[ $(query 'idlrpc_server_call_duration_seconds_count{job="teams",method="teams.Teams/GetTeam",status="OK"}') == 10 ]]; do
  ((SECONDS < deadline)) || fail "Prometheus did not report 10 OK calls within 60 s"
  sleep 0.5
done
[[ $(query 'idlrpc_server_call_duration_seconds_count{job="teams",method="teams.Teams/GetTeam",status="NOT_FOUND"}') == 5 ]] ||
  fail "Prometheus does not report 5 NOT_FOUND calls"
[[ $(query 'sum(idlrpc_server_call_started_total{job="teams"})') == 15 ]] || fail "Prometheus does not report 15 started calls"
[[ $(query 'up{job="teams"}') == 1 ]] || fail "Prometheus does not see the target up"

# SIGTERM: NOT_SERVING at once, calls still answered during the drain delay.
kill -TERM "${pid[teams]}"
deadline=$((SECONDS + 10))
until [[ $(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$base/readyz") == 503 ]]; do
  ((SECONDS < deadline)) || fail "/readyz did not turn 503 after SIGTERM"
  sleep 0.1
done
run draining 0 "$client" --target "127.0.0.1:$port"
wait_for teams "Teams server stopped" 20
echo "server log:"; cat "$work/teams.log"
