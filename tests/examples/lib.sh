# Shared by the example tests (sourced): run example programs as background
# processes, find the address a server printed, wait for log lines with a
# time limit, and kill everything on exit. Each process logs to $work/NAME.log.
#
#   start NAME PROGRAM ARGS...     runs it in the background (stdout and stderr
#                                  to NAME.log); its pid is pid[NAME]
#   run NAME STATUS PROGRAM ARGS... runs it (30 s at most; stdout to NAME.log,
#                                  stderr to NAME.err), requires exit STATUS
#   port_of NAME                   waits (10 s at most) for "listening on HOST:PORT", prints PORT
#   wait_for NAME REGEX [SECONDS [COUNT]]
#                                  waits (default 20 s) for COUNT (default 1)
#                                  lines of NAME.log matching REGEX
#   fail MESSAGE                   prints MESSAGE and every log, exits 1
set -euo pipefail
work=$(mktemp -d)
declare -A pid=()
cleanup() {
  for p in "${pid[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  {
    echo "FAIL: $*"
    for log in "$work"/*.log "$work"/*.err; do [[ -e $log ]] && { echo "---- $(basename "$log")"; cat "$log"; }; done
  } >&2
  exit 1
}

start() {
  local name=$1; shift
  "$@" >"$work/$name.log" 2>&1 &
  pid[$name]=$!
}

run() {
  local name=$1 want=$2 rc=0; shift 2
  timeout 30 "$@" >"$work/$name.log" 2>"$work/$name.err" || rc=$?
  [[ $rc -eq $want ]] || fail "$name exited with $rc, expected $want"
}

wait_for() {
  local name=$1 regex=$2 seconds=${3:-20} count=${4:-1}
  local deadline=$((SECONDS + seconds)) n
  for (( ; ; )); do
    n=$(grep -Ec -- "$regex" "$work/$name.log" 2>/dev/null || true)
    ((${n:-0} >= count)) && return
    if [[ -n ${pid[$name]:-} ]] && ! kill -0 "${pid[$name]}" 2>/dev/null; then  # it exited: look once more
      n=$(grep -Ec -- "$regex" "$work/$name.log" 2>/dev/null || true)
      ((${n:-0} >= count)) && return
      fail "$name exited without printing /$regex/ ($count times)"
    fi
    ((SECONDS < deadline)) || fail "$name did not print /$regex/ ($count times) within ${seconds}s"
    sleep 0.05
  done
}

port_of() {
  wait_for "$1" 'listening on .*:[0-9]+' 10
  sed -En 's/.*listening on .*:([0-9]+).*/\1/p' "$work/$1.log" | head -1
}

# Stops NAME with SIGINT (Ctrl-C) and requires a clean exit within 10 s.
stop() {
  local name=$1 rc=0
  kill -INT "${pid[$name]}"
  timeout 10 tail --pid="${pid[$name]}" -f /dev/null || fail "$name did not stop after SIGINT"
  wait "${pid[$name]}" || rc=$?
  unset "pid[$name]"
  [[ $rc -eq 0 ]] || fail "$name exited with $rc after SIGINT"
}
