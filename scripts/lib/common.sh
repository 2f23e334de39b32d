# Shared helpers for the satudata orchestration scripts. Sourced, never run.
# Every service keeps its data, logs and PID file under one git-ignored state dir.

: "${SATUDATA_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${SATUDATA_STATE:=$SATUDATA_ROOT/.satudata}"
: "${SATUDATA_HOST:=127.0.0.1}"
: "${SATUDATA_PG_PORT:=54329}"
: "${SATUDATA_REDIS_PORT:=63799}"
: "${SATUDATA_SOLR_PORT:=18983}"
: "${SATUDATA_WEB_PORT:=5000}"
: "${SATUDATA_VENV:=$SATUDATA_STATE/venv}"
: "${SATUDATA_WEB_WORKERS:=2}"
: "${SATUDATA_WEB_THREADS:=4}"
: "${SATUDATA_WORKERS:=1}"

SATUDATA_LOG="$SATUDATA_STATE/log"
SATUDATA_RUN="$SATUDATA_STATE/run"
export SATUDATA_ROOT SATUDATA_STATE SATUDATA_HOST SATUDATA_PG_PORT SATUDATA_REDIS_PORT \
  SATUDATA_SOLR_PORT SATUDATA_WEB_PORT SATUDATA_VENV SATUDATA_WEB_WORKERS SATUDATA_WEB_THREADS \
  SATUDATA_WORKERS

mkdir -p "$SATUDATA_LOG" "$SATUDATA_RUN"

if [ -t 1 ] && [ -z "${CI:-}" ]; then
  _c_info=$'\e[36m'; _c_err=$'\e[31m'; _c_off=$'\e[0m'
else
  _c_info=''; _c_err=''; _c_off=''
fi

info() { printf '%s[satudata]%s %s\n' "$_c_info" "$_c_off" "$*"; }

# die SERVICE MESSAGE [FIX]: name the service and the fix, then exit non-zero.
die() {
  local service=$1 msg=$2 fix=${3:-}
  printf '%s[satudata] %s: %s%s\n' "$_c_err" "$service" "$msg" "$_c_off" >&2
  [ -n "$fix" ] && printf '[satudata]   fix: %s\n' "$fix" >&2
  exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/$SATUDATA_HOST/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for TIMEOUT_SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 5 "$1"; }

# stop_pidfile NAME PIDFILE: TERM, wait, then KILL what we started, by PID.
stop_pidfile() {
  local name=$1 pidfile=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for 30 bash -c "! kill -0 $pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  info "$name stopped (pid $pid)"
}
