# Installs what the machine lacks: Debian packages, the Python venv. Sourced.

# Debian package -> a command or file that proves it is there.
SATUDATA_APT=(
  "postgresql:/usr/lib/postgresql/*/bin/initdb"
  "redis-server:redis-server"
  "redis-tools:redis-cli"
  "libpq-dev:/usr/include/postgresql/libpq-fe.h"
  "libmagic1:/usr/lib/x86_64-linux-gnu/libmagic.so.1"
  "gcc:gcc"
  "curl:curl"
  "openjdk-17-jdk-headless:javac"
  "maven:mvn"
  "chromium:chromium"
)

_have() { case $1 in /*) compgen -G "$1" ;; *) command -v "$1" ;; esac >/dev/null 2>&1; }

install_system() {
  local missing=() entry
  for entry in "${SATUDATA_APT[@]}"; do
    _have "${entry#*:}" || missing+=("${entry%%:*}")
  done
  python3.11 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3.11-venv)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die install "needs Debian packages: ${missing[*]}" \
      "run as root, or: sudo apt-get install ${missing[*]}"
    sudo=sudo
  fi
  info "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >"$SATUDATA_LOG/apt.log" 2>&1 \
    || die install "apt-get update failed (see $SATUDATA_LOG/apt.log)" "check the network / apt sources"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >>"$SATUDATA_LOG/apt.log" 2>&1 \
    || die install "apt-get install failed (see $SATUDATA_LOG/apt.log)" "apt-get install ${missing[*]}"
}

# The venv is rebuilt only when the pins change. One pip command on purpose:
# CKAN 2.11 pins typing-extensions and a second pip run would upgrade it.
install_python() {
  local want have
  command -v python3.11 >/dev/null || die install "python3.11 not found" "apt-get install python3.11 python3.11-venv"
  want=$(cat "$SATUDATA_ROOT"/requirements-ckan.txt "$SATUDATA_ROOT"/requirements.txt \
    "$SATUDATA_ROOT"/dev-requirements.txt \
    "$SATUDATA_ROOT"/setup.py | sha256sum | cut -d' ' -f1)
  have=$(cat "$SATUDATA_VENV/.satudata-pins" 2>/dev/null || true)
  [ -x "$SATUDATA_VENV/bin/ckan" ] && [ "$want" = "$have" ] && return 0
  info "installing Python packages into $SATUDATA_VENV (first time: ~1 min)"
  [ -x "$SATUDATA_VENV/bin/python" ] || python3.11 -m venv "$SATUDATA_VENV"
  "$SATUDATA_VENV/bin/pip" install -q --disable-pip-version-check \
    -r "$SATUDATA_ROOT/requirements-ckan.txt" -r "$SATUDATA_ROOT/requirements.txt" \
    -r "$SATUDATA_ROOT/dev-requirements.txt" \
    -e "$SATUDATA_ROOT" --config-settings editable_mode=compat \
    >"$SATUDATA_LOG/pip.log" 2>&1 \
    || { tail -20 "$SATUDATA_LOG/pip.log" >&2; die install "pip install failed (see $SATUDATA_LOG/pip.log)" "fix the error above and run again"; }
  echo "$want" >"$SATUDATA_VENV/.satudata-pins"
}

# Message catalogs are compiled here, not committed: .po is the source.
install_translations() {
  local po mo
  for po in "$SATUDATA_ROOT"/ckanext/satudata/i18n/*/LC_MESSAGES/*.po; do
    mo="${po%.po}.mo"
    [ -f "$mo" ] && [ "$mo" -nt "$po" ] && continue
    "$SATUDATA_VENV/bin/pybabel" -q compile -i "$po" -o "$mo" \
      || die install "could not compile $po" "fix the catalog's syntax"
  done
}

install_all() {
  install_system
  install_python
  install_translations
  solr_build
}
