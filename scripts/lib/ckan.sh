# The local portal: ckan.ini, database, demo data, web server and RQ worker. Sourced.

SATUDATA_INI="$SATUDATA_STATE/ckan.ini"
SATUDATA_CREDENTIALS="$SATUDATA_STATE/demo-credentials.json"

ckan_cli() { "$SATUDATA_VENV/bin/ckan" -c "$SATUDATA_INI" "$@"; }

# Rewritten on every run from config/satudata.ini (the options test.ini uses
# too) plus this machine's services; its secrets are kept across runs.
ckan_config() {
  mkdir -p "$SATUDATA_STATE/storage"
  "$SATUDATA_VENV/bin/python" "$SATUDATA_ROOT/scripts/lib/ckan_ini.py" "$SATUDATA_INI" \
    "$SATUDATA_ROOT/config/satudata.ini" \
    "sqlalchemy.url=$(pg_url ckan_satudata)" \
    "solr_url=http://$SATUDATA_HOST:$SATUDATA_SOLR_PORT/solr/ckan" \
    "ckan.redis.url=$(redis_url 0)" \
    "ckan.site_url=http://$SATUDATA_HOST:$SATUDATA_WEB_PORT" \
    "ckan.site_id=satudata" \
    "ckan.storage_path=$SATUDATA_STATE/storage" \
    || die ckan "could not write $SATUDATA_INI" "see the error above"
}

ckan_db() {
  pg_database ckan_satudata
  ckan_cli db init >"$SATUDATA_LOG/ckan-db.log" 2>&1 \
    || { tail -20 "$SATUDATA_LOG/ckan-db.log" >&2; die ckan "db init failed (see $SATUDATA_LOG/ckan-db.log)" "fix the error above"; }
}

ckan_demo() {
  ckan_cli satudata demo --credentials "$SATUDATA_CREDENTIALS" 2>>"$SATUDATA_LOG/ckan-demo.log" \
    || { tail -20 "$SATUDATA_LOG/ckan-demo.log" >&2
         die ckan "loading the demo data failed (see $SATUDATA_LOG/ckan-demo.log)" \
           "fix the error above and run again; the data already loaded is kept"; }
}

# _bg NAME COMMAND...: a process in the background, logged, PID recorded.
_bg() {
  local name=$1; shift
  if pid_alive "$SATUDATA_RUN/$name.pid"; then
    info "$name already running (pid $(cat "$SATUDATA_RUN/$name.pid"))"; return 0
  fi
  CKAN_INI="$SATUDATA_INI" nohup "$@" >>"$SATUDATA_LOG/$name.log" 2>&1 &
  echo $! >"$SATUDATA_RUN/$name.pid"
}

# Checked before anything starts, so a taken port leaves nothing running.
ckan_web_port_free() {
  if ! pid_alive "$SATUDATA_RUN/web.pid" && port_in_use "$SATUDATA_WEB_PORT"; then
    die web "port $SATUDATA_WEB_PORT is taken by another process" \
      "stop that process, or set SATUDATA_WEB_PORT=<free port>"
  fi
}

# A production server, as in deploy/: gunicorn's master (the recorded PID) and
# SATUDATA_WEB_WORKERS processes of SATUDATA_WEB_THREADS threads. gthread
# workers are timed by their heartbeat, so a long upload is not killed.
ckan_web_start() {
  ckan_cli translation js >>"$SATUDATA_LOG/web.log" 2>&1 || true
  _bg web "$SATUDATA_VENV/bin/gunicorn" ckanext.satudata.wsgi:application \
    --bind "$SATUDATA_HOST:$SATUDATA_WEB_PORT" --workers "$SATUDATA_WEB_WORKERS" \
    --worker-class gthread --threads "$SATUDATA_WEB_THREADS" --timeout 120 \
    --graceful-timeout 30 --access-logfile - --error-logfile -
  wait_for 120 http_ok "http://$SATUDATA_HOST:$SATUDATA_WEB_PORT/api/3/action/status_show" \
    || { tail -20 "$SATUDATA_LOG/web.log" >&2; die web "CKAN did not answer (see $SATUDATA_LOG/web.log)" "fix the error above"; }
}

# SATUDATA_WORKERS RQ workers (`ckan satudata worker`: CKAN's worker plus recovery at start
# and every ckanext.satudata.recovery_interval s), all on the same Redis queue.
ckan_worker_start() {
  local i
  for i in $(seq 1 "$SATUDATA_WORKERS"); do
    _bg "$(_worker_name "$i")" "$SATUDATA_VENV/bin/ckan" -c "$SATUDATA_INI" satudata worker
  done
}

_worker_name() { if [ "$1" -eq 1 ]; then echo worker; else echo "worker-$1"; fi; }

ckan_stop() {
  local pidfile
  stop_pidfile web "$SATUDATA_RUN/web.pid"
  for pidfile in "$SATUDATA_RUN"/worker*.pid; do
    [ -e "$pidfile" ] && stop_pidfile "$(basename "$pidfile" .pid)" "$pidfile"
  done
  return 0
}
