# A private PostgreSQL cluster under the state dir, on loopback. Sourced.

# Run as root, the server runs as the postgres user, which must reach its data
# dir. A clone under e.g. /root is out of its reach: the cluster then lives in
# /var/tmp and .satudata/pg links to it, so it is still found in one place.
_pg_home() {
  local home="$SATUDATA_STATE/pg"
  if [ "$(id -u)" -eq 0 ] && [ ! -L "$home" ] && ! runuser -u postgres -- test -x "$SATUDATA_STATE"; then
    local elsewhere; elsewhere="/var/tmp/satudata-$(printf '%s' "$SATUDATA_STATE" | sha256sum | cut -c1-12)"
    mkdir -p "$elsewhere"; chmod 755 "$elsewhere"
    rm -rf "$home"; ln -s "$elsewhere" "$home"
  fi
  mkdir -p "$home/"
  # The real path: the postgres user cannot follow a link that sits under /root.
  readlink -f "$home"
}
SATUDATA_PG_HOME=$(_pg_home)
SATUDATA_PG_DATA="$SATUDATA_PG_HOME/data"
SATUDATA_PG_SOCKET="$SATUDATA_PG_HOME/socket"
# A loopback-only development cluster; production uses a managed PostgreSQL.
SATUDATA_PG_USER=satudata
SATUDATA_PG_PASSWORD=satudata

# The newest installed server (a client-only install has no initdb).
_pg_bin() {
  local initdb; initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  [ -n "$initdb" ] && dirname "$initdb"
}

# PostgreSQL refuses to run as root: run it as the postgres user then.
_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_psql() { _as_pg "$(_pg_bin)/psql" -h "$SATUDATA_PG_SOCKET" -p "$SATUDATA_PG_PORT" -U postgres -qAt "$@"; }

pg_url() { echo "postgresql://$SATUDATA_PG_USER:$SATUDATA_PG_PASSWORD@$SATUDATA_HOST:$SATUDATA_PG_PORT/$1"; }

_pg_ready() { _as_pg "$(_pg_bin)/pg_isready" -q -h "$SATUDATA_HOST" -p "$SATUDATA_PG_PORT"; }

pg_start() {
  local bin; bin=$(_pg_bin)
  [ -n "$bin" ] || die postgres "PostgreSQL server not installed" "apt-get install postgresql"
  if pid_alive "$SATUDATA_RUN/postgres.pid" && _pg_ready; then
    info "postgres already running on $SATUDATA_HOST:$SATUDATA_PG_PORT (reused)"; return 0
  fi
  port_in_use "$SATUDATA_PG_PORT" && die postgres \
    "port $SATUDATA_PG_PORT is taken by another process" \
    "stop that process, or set SATUDATA_PG_PORT=<free port>"
  mkdir -p "$SATUDATA_PG_SOCKET"; chmod 700 "$SATUDATA_PG_SOCKET"
  if [ ! -f "$SATUDATA_PG_DATA/PG_VERSION" ]; then
    mkdir -p "$SATUDATA_PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$SATUDATA_PG_DATA"
    chmod 700 "$SATUDATA_PG_DATA"
    _as_pg "$bin/initdb" -D "$SATUDATA_PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$SATUDATA_LOG/postgres-initdb.log" 2>&1 \
      || die postgres "initdb failed (see $SATUDATA_LOG/postgres-initdb.log)" "remove $SATUDATA_PG_DATA and run again"
  fi
  [ "$(id -u)" -eq 0 ] && chown postgres: "$SATUDATA_PG_HOME/" "$SATUDATA_PG_SOCKET"
  # The socket dir is private (0700): only this user (or root) reaches the
  # superuser; CKAN connects over TCP with a password.
  _as_pg "$bin/pg_ctl" -D "$SATUDATA_PG_DATA" -l "$SATUDATA_PG_HOME/postgres.log" -w -t 60 \
    -o "-p $SATUDATA_PG_PORT -k $SATUDATA_PG_SOCKET -c listen_addresses=$SATUDATA_HOST" start >/dev/null \
    || { tail -5 "$SATUDATA_PG_HOME/postgres.log" >&2; die postgres "could not start (see $SATUDATA_PG_HOME/postgres.log)" "read the log above"; }
  head -1 "$SATUDATA_PG_DATA/postmaster.pid" >"$SATUDATA_RUN/postgres.pid"
  _psql -d postgres -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$SATUDATA_PG_USER') THEN
      CREATE ROLE $SATUDATA_PG_USER LOGIN PASSWORD '$SATUDATA_PG_PASSWORD';
    END IF; END \$\$;" || die postgres "could not create role $SATUDATA_PG_USER" "see $SATUDATA_PG_HOME/postgres.log"
  info "postgres running on $SATUDATA_HOST:$SATUDATA_PG_PORT (pid $(cat "$SATUDATA_RUN/postgres.pid"))"
}

# pg_database NAME: create the database if it is missing.
pg_database() {
  [ "$(_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ] && return 0
  _psql -d postgres -c "CREATE DATABASE $1 OWNER $SATUDATA_PG_USER ENCODING 'UTF8'" \
    || die postgres "could not create database $1" "see $SATUDATA_PG_HOME/postgres.log"
}

pg_stop() {
  # SIGINT is PostgreSQL's fast shutdown: clients are disconnected, no waiting.
  pid_alive "$SATUDATA_RUN/postgres.pid" && kill -INT "$(cat "$SATUDATA_RUN/postgres.pid")"
  stop_pidfile postgres "$SATUDATA_RUN/postgres.pid"
}
