# The local portal: ckan.ini, database, demo data, web server and RQ worker. Sourced.

SATUDATA_INI="$SATUDATA_STATE/ckan.ini"
SATUDATA_CREDENTIALS="$SATUDATA_STATE/demo-credentials.json"

ckan_cli() { "$SATUDATA_VENV/bin/ckan" -c "$SATUDATA_INI" "$@"; }

# Written once (with fresh secrets), then brought in line with the services
# on every run, so a changed port or plugin list takes effect.
ckan_config() {
  if [ ! -f "$SATUDATA_INI" ]; then
    "$SATUDATA_VENV/bin/ckan" generate config "$SATUDATA_INI" >/dev/null \
      || die ckan "could not generate $SATUDATA_INI" "see the error above"
    chmod 600 "$SATUDATA_INI"
  fi
  mkdir -p "$SATUDATA_STATE/storage"
  "$SATUDATA_VENV/bin/ckan" config-tool "$SATUDATA_INI" \
    "sqlalchemy.url=$(pg_url ckan_satudata)" \
    "solr_url=http://$SATUDATA_HOST:$SATUDATA_SOLR_PORT/solr/ckan" \
    "ckan.redis.url=$(redis_url 0)" \
    "ckan.site_url=http://$SATUDATA_HOST:$SATUDATA_WEB_PORT" \
    "ckan.site_id=satudata" \
    "ckan.site_title=Satu Data" \
    "ckan.storage_path=$SATUDATA_STATE/storage" \
    "ckan.plugins=$(_ini_value ckan.plugins)" \
    "ckan.locale_default=id" \
    "ckan.locales_offered=id en" \
    "scheming.dataset_schemas=$(_ini_value scheming.dataset_schemas)" \
    "scheming.presets=$(_ini_value scheming.presets)" \
    "scheming.organization_schemas=$(_ini_value scheming.organization_schemas)" \
    "scheming.dataset_fallback=false" \
    "ckanext.validation.run_on_create_async=true" \
    "ckanext.validation.run_on_update_async=true" \
    "ckanext.satudata.walidata_organization=diskominfo" \
    "ckanext.satudata.pembina_organization=bps" \
    "ckanext.satudata.region.code=35.14" \
    "ckanext.satudata.region.name=Kabupaten Pasuruan" \
    "ckan.views.default_views=$(_ini_value ckan.views.default_views)" \
    "ckanext.dcat.rdf.profiles=$(_ini_value ckanext.dcat.rdf.profiles)" \
    >/dev/null || die ckan "could not write $SATUDATA_INI" "see the error above"
  # The generated file logs ckanext at DEBUG; INFO keeps the logs readable.
  "$SATUDATA_VENV/bin/ckan" config-tool "$SATUDATA_INI" -s logger_ckanext "level=INFO" >/dev/null
}

# The plugin list and scheming settings are kept in one place: test.ini.
_ini_value() {
  sed -n "s/^$1 *= *//p" "$SATUDATA_ROOT/test.ini" | head -1
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

# _ckan_bg NAME ARGS...: a CKAN process in the background, logged, PID recorded.
_ckan_bg() {
  local name=$1; shift
  if pid_alive "$SATUDATA_RUN/$name.pid"; then
    info "$name already running (pid $(cat "$SATUDATA_RUN/$name.pid"))"; return 0
  fi
  nohup "$SATUDATA_VENV/bin/ckan" -c "$SATUDATA_INI" "$@" >>"$SATUDATA_LOG/$name.log" 2>&1 &
  echo $! >"$SATUDATA_RUN/$name.pid"
}

# Checked before anything starts, so a taken port leaves nothing running.
ckan_web_port_free() {
  if ! pid_alive "$SATUDATA_RUN/web.pid" && port_in_use "$SATUDATA_WEB_PORT"; then
    die web "port $SATUDATA_WEB_PORT is taken by another process" \
      "stop that process, or set SATUDATA_WEB_PORT=<free port>"
  fi
}

ckan_web_start() {
  # -r: no reloader, so the PID we record is the server itself.
  _ckan_bg web run -H "$SATUDATA_HOST" -p "$SATUDATA_WEB_PORT" -r -t
  wait_for 120 http_ok "http://$SATUDATA_HOST:$SATUDATA_WEB_PORT/api/3/action/status_show" \
    || { tail -20 "$SATUDATA_LOG/web.log" >&2; die web "CKAN did not answer (see $SATUDATA_LOG/web.log)" "fix the error above"; }
}

ckan_worker_start() { _ckan_bg worker jobs worker; }

ckan_stop() {
  stop_pidfile web "$SATUDATA_RUN/web.pid"
  stop_pidfile worker "$SATUDATA_RUN/worker.pid"
}
