# A two-node SolrCloud (embedded ZooKeeper, MiniSolrCloudCluster from the same
# solr-test-framework jars as the single Solr), for the search and harvest tests
# against replicated collections and the fail-over bench. Sourced after
# common.sh and solr.sh, never run. Not part of `make test`: see README.md,
# "Scaling out".
#
#   solrcloud_start COLLECTION...   start the cloud, one shard × SATUDATA_SOLRCLOUD_REPLICAS
#   solrcloud_stop                  stop it (its data goes with it)
#   solrcloud_node stop|start K     take node K away or bring it back (and wait)
#
# Node k listens on SATUDATA_SOLRCLOUD_PORT + k - 1; CKAN's solr_url names node 1.

: "${SATUDATA_SOLRCLOUD_PORT:=18993}"
: "${SATUDATA_SOLRCLOUD_NODES:=2}"
: "${SATUDATA_SOLRCLOUD_REPLICAS:=2}"

SATUDATA_SOLRCLOUD_DIR="$SATUDATA_STATE/solrcloud"
SATUDATA_SOLRCLOUD_PIDFILE="$SATUDATA_RUN/solrcloud.pid"
SATUDATA_SOLRCLOUD_LOG="$SATUDATA_LOG/solrcloud.log"

solrcloud_url() { printf 'http://%s:%s/solr/%s\n' "$SATUDATA_HOST" "$SATUDATA_SOLRCLOUD_PORT" "$1"; }

solrcloud_start() {
  local conf="$SATUDATA_SOLRCLOUD_DIR/configset" pid c k deadline
  local -a collections=()
  for c in "$@"; do collections+=(--collection "$c"); done
  pid_alive "$SATUDATA_SOLRCLOUD_PIDFILE" && die solrcloud "already running (pid $(cat "$SATUDATA_SOLRCLOUD_PIDFILE"))" "solrcloud_stop first"
  for k in $(seq 0 $((SATUDATA_SOLRCLOUD_NODES - 1))); do
    port_in_use $((SATUDATA_SOLRCLOUD_PORT + k)) && die solrcloud "port $((SATUDATA_SOLRCLOUD_PORT + k)) is taken" \
      "set SATUDATA_SOLRCLOUD_PORT=<first of $SATUDATA_SOLRCLOUD_NODES free ports>"
  done
  solr_build
  # The configset is the single Solr's core conf: the same solrconfig.xml and CKAN's schema.xml.
  rm -rf "$conf"
  mkdir -p "$conf"
  cp -r "$SATUDATA_SOLR_SRC/conf/." "$conf/"
  cp "$(_solr_ckan_schema)" "$conf/schema.xml"
  info "solrcloud: starting $SATUDATA_SOLRCLOUD_NODES nodes from port $SATUDATA_SOLRCLOUD_PORT (collections: $*)"
  _solr_java id.satudata.solr.SolrCloudLauncher --dir "$SATUDATA_SOLRCLOUD_DIR" --conf "$conf" \
    --port "$SATUDATA_SOLRCLOUD_PORT" --nodes "$SATUDATA_SOLRCLOUD_NODES" \
    --replicas "$SATUDATA_SOLRCLOUD_REPLICAS" "${collections[@]}" \
    >"$SATUDATA_SOLRCLOUD_LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$SATUDATA_SOLRCLOUD_PIDFILE"
  deadline=$((SECONDS + 3 * SATUDATA_SOLR_TIMEOUT))
  until grep -q '^SOLRCLOUD READY' "$SATUDATA_SOLRCLOUD_LOG" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { rm -f "$SATUDATA_SOLRCLOUD_PIDFILE"; tail -20 "$SATUDATA_SOLRCLOUD_LOG" >&2
      die solrcloud "the SolrCloud JVM exited during startup" "see $SATUDATA_SOLRCLOUD_LOG"; }
    [ "$SECONDS" -ge "$deadline" ] && { solrcloud_stop; die solrcloud "not ready in time" "see $SATUDATA_SOLRCLOUD_LOG"; }
    sleep 1
  done
  info "solrcloud: ready (pid $pid): $(solrcloud_url "$1")"
}

solrcloud_node() {
  local verb=$1 k=$2 word
  case $verb in stop) word=STOPPED ;; start) word=STARTED ;; *) die solrcloud "solrcloud_node stop|start K" ;; esac
  local before
  before=$(grep -c "^NODE $k $word" "$SATUDATA_SOLRCLOUD_LOG" || true)
  touch "$SATUDATA_SOLRCLOUD_DIR/control/$verb-$k"
  wait_for 180 bash -c "[ \$(grep -c '^NODE $k $word' '$SATUDATA_SOLRCLOUD_LOG') -gt $before ]" \
    || die solrcloud "node $k did not $verb in time" "see $SATUDATA_SOLRCLOUD_LOG"
}

solrcloud_stop() { stop_pidfile solrcloud "$SATUDATA_SOLRCLOUD_PIDFILE"; }
