# A private Redis on loopback, without persistence (jobs and cache only). Sourced.

redis_url() { echo "redis://$SATUDATA_HOST:$SATUDATA_REDIS_PORT/$1"; }

_redis_ready() { redis-cli -h "$SATUDATA_HOST" -p "$SATUDATA_REDIS_PORT" ping | grep -q PONG; }

redis_start() {
  command -v redis-server >/dev/null || die redis "redis-server not installed" "apt-get install redis-server"
  if pid_alive "$SATUDATA_RUN/redis.pid" && _redis_ready; then
    info "redis already running on $SATUDATA_HOST:$SATUDATA_REDIS_PORT (reused)"; return 0
  fi
  port_in_use "$SATUDATA_REDIS_PORT" && die redis \
    "port $SATUDATA_REDIS_PORT is taken by another process" \
    "stop that process, or set SATUDATA_REDIS_PORT=<free port>"
  mkdir -p "$SATUDATA_STATE/redis"
  redis-server --bind "$SATUDATA_HOST" --port "$SATUDATA_REDIS_PORT" --save '' --appendonly no \
    --dir "$SATUDATA_STATE/redis" --daemonize yes --pidfile "$SATUDATA_RUN/redis.pid" \
    --logfile "$SATUDATA_LOG/redis.log" \
    || die redis "could not start (see $SATUDATA_LOG/redis.log)" "read the log"
  wait_for 20 _redis_ready || die redis "did not answer PING (see $SATUDATA_LOG/redis.log)" "read the log"
  info "redis running on $SATUDATA_HOST:$SATUDATA_REDIS_PORT (pid $(cat "$SATUDATA_RUN/redis.pid"))"
}

redis_stop() { stop_pidfile redis "$SATUDATA_RUN/redis.pid"; }
