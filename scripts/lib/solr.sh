# Apache Solr 9 for CKAN, run from Maven Central jars (no Solr distribution,
# no Docker). Sourced after scripts/lib/common.sh, never run.
#
#   solr_build          compile the launcher, gather its jars (cached by stamp)
#   solr_core NAME      create/refresh core NAME (conf + CKAN's schema.xml)
#   solr_start          start one JVM serving every core, or reuse a running one
#   solr_stop           stop the JVM we started
#   solr_url NAME       print the URL CKAN's solr_url should point at
#
# Knobs: SATUDATA_SOLR_PORT (common.sh), SATUDATA_SOLR_HEAP (512m),
# SATUDATA_SOLR_TIMEOUT (90 s), SATUDATA_SOLR_LOGLEVEL (WARN).
#
# Cores are discovered when the JVM starts, so call solr_core for every core
# (ckan, ckan_test) before solr_start.

: "${SATUDATA_SOLR_HEAP:=512m}"
: "${SATUDATA_SOLR_TIMEOUT:=90}"
: "${SATUDATA_SOLR_LOGLEVEL:=WARN}"   # INFO/DEBUG when chasing a Solr problem

SATUDATA_SOLR_SRC="$SATUDATA_ROOT/solr"
SATUDATA_SOLR_LIB="$SATUDATA_STATE/solr/lib"
SATUDATA_SOLR_HOME="$SATUDATA_STATE/solr/home"
SATUDATA_SOLR_PIDFILE="$SATUDATA_RUN/solr.pid"

solr_url() { printf 'http://%s:%s/solr/%s\n' "$SATUDATA_HOST" "$SATUDATA_SOLR_PORT" "$1"; }

# Two scripts (say, a dev server and a test run) may reach for Solr at once;
# without a lock both would build into the same dir or launch a JVM each.
_solr_locked() {
  local _solr_lock_fd rc=0
  if ! command -v flock >/dev/null; then "$@"; return; fi
  exec {_solr_lock_fd}>>"$SATUDATA_RUN/solr.lock"
  flock "$_solr_lock_fd"
  "$@" || rc=$?
  exec {_solr_lock_fd}>&-
  return "$rc"
}

solr_build() { _solr_locked _solr_build; }
solr_start() { _solr_locked _solr_start; }

_solr_build() {
  local stamp="$SATUDATA_SOLR_LIB/.stamp" tmp buildlog="$SATUDATA_LOG/solr-build.log" major
  # Maven only pulls in a JRE; compiling the launcher needs javac from a JDK.
  if ! command -v java >/dev/null || ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then
    die solr "Java 17 / Maven not found" "apt-get install openjdk-17-jdk-headless maven"
  fi
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  if [ "${major%%.*}" -lt 17 ] 2>/dev/null; then
    die solr "Java $major is too old, Solr 9 needs 17+" "apt-get install openjdk-17-jdk-headless, or point JAVA_HOME/PATH at it"
  fi

  if [ -f "$stamp" ] && [ -z "$(find "$SATUDATA_SOLR_SRC/pom.xml" "$SATUDATA_SOLR_SRC/src" \
        -newer "$stamp" -print -quit)" ]; then
    return 0
  fi

  info "solr: building launcher (first run downloads ~85 MB of jars into ~/.m2)"
  # Build beside the live lib dir and swap at the end, so an interrupted or
  # failed build never leaves a half-populated classpath behind.
  tmp="$SATUDATA_SOLR_LIB.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! mvn -q -B -Dstyle.color=never -f "$SATUDATA_SOLR_SRC/pom.xml" \
        compile dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp/jars" >"$buildlog" 2>&1; then
    tail -n 30 "$buildlog" >&2
    rm -rf "$tmp"
    die solr "Maven build failed (full log: $buildlog)" \
      "check network access to Maven Central (or a mirror in ~/.m2/settings.xml), then rerun"
  fi
  cp -r "$SATUDATA_SOLR_SRC/target/classes" "$tmp/classes"
  rm -rf "$SATUDATA_SOLR_LIB"
  mv "$tmp" "$SATUDATA_SOLR_LIB"
  touch "$stamp"
}

_solr_ckan_schema() {
  local py="$SATUDATA_VENV/bin/python" dir
  [ -x "$py" ] || die solr "no Python venv at $SATUDATA_VENV" "create the venv and install CKAN into it first"
  # find_spec locates the package without importing (and configuring) CKAN.
  dir=$("$py" -c 'import importlib.util as u, os; print(os.path.dirname(u.find_spec("ckan").origin))' 2>/dev/null) \
    || die solr "CKAN is not installed in $SATUDATA_VENV" "install CKAN into the venv first"
  [ -f "$dir/config/solr/schema.xml" ] || die solr "CKAN's schema.xml not found under $dir" "reinstall CKAN into $SATUDATA_VENV"
  printf '%s\n' "$dir/config/solr/schema.xml"
}

solr_core() {
  local name=${1:?solr_core NAME} core new schema
  [[ $name =~ ^[A-Za-z0-9_-]+$ ]] || die solr "bad core name '$name'" "use letters, digits, _ or -"
  schema=$(_solr_ckan_schema) || exit 1
  core="$SATUDATA_SOLR_HOME/$name"
  mkdir -p "$core"
  cp "$SATUDATA_SOLR_SRC/solr.xml" "$SATUDATA_SOLR_HOME/solr.xml"

  # Rebuild conf from source every time, but only swap it in (and flag the core
  # for a reload by a running Solr) when something actually changed. data/ is
  # never touched.
  new="$core/conf.new"
  rm -rf "$new"
  cp -r "$SATUDATA_SOLR_SRC/conf" "$new"
  cp "$schema" "$new/schema.xml"
  if [ -d "$core/conf" ] && diff -rq "$core/conf" "$new" >/dev/null; then
    rm -rf "$new"
  else
    rm -rf "$core/conf"
    mv "$new" "$core/conf"
    touch "$core/.conf-changed"
  fi
  [ -f "$core/core.properties" ] || printf 'name=%s\n' "$name" >"$core/core.properties"
}

_solr_cores() {
  local p
  for p in "$SATUDATA_SOLR_HOME"/*/core.properties; do
    [ -f "$p" ] && basename "$(dirname "$p")"
  done
}

# A PID file can outlive a reboot and its PID be reused by anything; only a
# process running our launcher counts as ours (and may be signalled).
_solr_pid_ours() {
  pid_alive "$SATUDATA_SOLR_PIDFILE" &&
    tr '\0' ' ' <"/proc/$(cat "$SATUDATA_SOLR_PIDFILE")/cmdline" 2>/dev/null | grep -q 'id\.satudata\.solr\.SolrLauncher'
}

_solr_ping() { http_ok "$(solr_url "$1")/admin/ping" 2>/dev/null; }

_solr_all_ping() {
  local c
  for c in "$@"; do _solr_ping "$c" || return 1; done
}

_solr_admin() { curl -fsS -o /dev/null --max-time 120 "http://$SATUDATA_HOST:$SATUDATA_SOLR_PORT/solr/admin/cores?$1"; }

_solr_fail() {
  local log="$SATUDATA_LOG/solr.log"
  if [ -f "$log" ]; then
    # Stack frames drown the cause; keep message and "Caused by" lines, once each.
    printf '[satudata] --- %s (stack frames omitted) ---\n' "$log" >&2
    grep -v '^[[:space:]]' "$log" | awk '!seen[$0]++' | tail -n 20 | cut -c1-300 >&2
  fi
  die solr "$1" "${2:-see $log}"
}

# _solr_java CLASS ARGS... &: one of the launchers, on the jars solr_build gathered.
# Always run in the background (exec: the PID recorded is the JVM's own).
_solr_java() {
  exec nohup java -Xms256m "-Xmx$SATUDATA_SOLR_HEAP" -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 "-Dsolr.log.dir=$SATUDATA_LOG" \
    "-Dlog4j2.configurationFile=$SATUDATA_SOLR_LIB/classes/log4j2.xml" \
    "-Dsatudata.solr.loglevel=$SATUDATA_SOLR_LOGLEVEL" \
    -cp "$SATUDATA_SOLR_LIB/classes:$SATUDATA_SOLR_LIB/jars/*" "$@"
}

_solr_start() {
  local port=$SATUDATA_SOLR_PORT log="$SATUDATA_LOG/solr.log" pid c deadline
  local -a cores
  mapfile -t cores < <(_solr_cores)
  [ "${#cores[@]}" -gt 0 ] || die solr "no cores under $SATUDATA_SOLR_HOME" "call solr_core ckan (and solr_core ckan_test) before solr_start"

  if _solr_pid_ours; then
    pid=$(cat "$SATUDATA_SOLR_PIDFILE")
    # It may still be starting (another script launched it a moment ago).
    wait_for "$SATUDATA_SOLR_TIMEOUT" _solr_admin "action=STATUS" \
      || _solr_fail "pid $pid is alive but not answering on port $port" "solr_stop, then solr_start again"
    for c in "${cores[@]}"; do
      if ! _solr_ping "$c"; then
        # Core added after the JVM started: register it without a restart.
        # CREATE refuses a dir that already holds core.properties (discovery
        # owns those), so hand it over and let Solr write its own.
        mv "$SATUDATA_SOLR_HOME/$c/core.properties" "$SATUDATA_SOLR_HOME/$c/core.properties.pending"
        if ! _solr_admin "action=CREATE&name=$c&instanceDir=$c"; then
          mv "$SATUDATA_SOLR_HOME/$c/core.properties.pending" "$SATUDATA_SOLR_HOME/$c/core.properties"
          _solr_fail "could not add core $c to the running Solr" "solr_stop, then solr_start again"
        fi
        rm -f "$SATUDATA_SOLR_HOME/$c/core.properties.pending"
      elif [ -f "$SATUDATA_SOLR_HOME/$c/.conf-changed" ]; then
        _solr_admin "action=RELOAD&core=$c" \
          || _solr_fail "could not reload core $c after its conf changed" "solr_stop, then solr_start again"
      fi
      rm -f "$SATUDATA_SOLR_HOME/$c/.conf-changed"
    done
    _solr_all_ping "${cores[@]}" || _solr_fail "running Solr (pid $pid) does not answer ping for all cores"
    info "solr: reusing running instance (pid $pid) on port $port"
    return 0
  fi
  rm -f "$SATUDATA_SOLR_PIDFILE"

  if port_in_use "$port"; then
    die solr "port $port is taken by another process" "free it or set SATUDATA_SOLR_PORT=<free port>"
  fi
  [ -f "$SATUDATA_SOLR_LIB/.stamp" ] || die solr "launcher not built" "call solr_build before solr_start"

  # A fresh JVM reads every conf as it is now.
  for c in "${cores[@]}"; do rm -f "$SATUDATA_SOLR_HOME/$c/.conf-changed"; done
  [ -f "$log" ] && mv -f "$log" "$log.1"

  info "solr: starting on $SATUDATA_HOST:$port (cores: ${cores[*]})"
  # -XX:+ExitOnOutOfMemoryError: a dead Solr is easier to spot than a wedged one.
  # The lock fd is closed for the JVM, or it would hold the lock until it exits.
  _solr_java id.satudata.solr.SolrLauncher --home "$SATUDATA_SOLR_HOME" --port "$port" --host "$SATUDATA_HOST" \
    >"$log" 2>&1 </dev/null {_solr_lock_fd}>&- &
  pid=$!
  echo "$pid" >"$SATUDATA_SOLR_PIDFILE"

  deadline=$((SECONDS + SATUDATA_SOLR_TIMEOUT))
  until _solr_all_ping "${cores[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$SATUDATA_SOLR_PIDFILE"
      _solr_fail "the Solr JVM (pid $pid) exited during startup"
    fi
    # The launcher prints its READY line once every core has been tried, so a
    # failing ping after it means a core failed to load; no point waiting on.
    if grep -q '^SOLR READY' "$log" 2>/dev/null && ! _solr_all_ping "${cores[@]}"; then
      stop_pidfile solr "$SATUDATA_SOLR_PIDFILE" >/dev/null
      _solr_fail "a core failed to load (ping does not answer 200 for: ${cores[*]})" \
        "see $log; check the core's conf under $SATUDATA_SOLR_HOME"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      stop_pidfile solr "$SATUDATA_SOLR_PIDFILE" >/dev/null
      _solr_fail "not ready after ${SATUDATA_SOLR_TIMEOUT}s (no ping answer from every core)" \
        "see $log; raise SATUDATA_SOLR_TIMEOUT on a slow machine"
    fi
    sleep 0.5
  done
  info "solr: ready (pid $pid): $(solr_url "${cores[0]}")"
}

solr_stop() {
  if _solr_pid_ours; then
    stop_pidfile solr "$SATUDATA_SOLR_PIDFILE"
  else
    rm -f "$SATUDATA_SOLR_PIDFILE"
  fi
}
