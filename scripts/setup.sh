# Installs what hoego's build, run and tests need and is missing; skips what is present.
# Sourced by scripts/run, scripts/test and scripts/bench. Pinned versions live here only.

CARGO_LEPTOS_VERSION=0.3.10       # 0.3.11's lockfile needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.130      # must equal the wasm-bindgen crate pinned in Cargo.toml
TANSU_VERSION=0.6.0               # Kafka-protocol broker for the coupon service
TANSU_FEATURES=dynostore,libsql   # in-memory storage (tests) and SQLite files (`coupon up`)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

APT_UPDATED=""
# need_apt PKG... — installs the Debian packages that are not installed yet.
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# need_cargo_tool BIN VERSION CRATE [cargo install args...]
need_cargo_tool() {
  local bin=$1 version=$2 crate=$3; shift 3
  if "$bin" --version 2>/dev/null | grep -q " $version"; then return 0; fi
  log "installing $crate $version (takes a few minutes once)"
  cargo install "$crate" --version "$version" "$@"
}

# The Rust toolchain, the WASM target, cargo-leptos, wasm-bindgen and wasm-opt (from npm).
setup_build() {
  need_apt ca-certificates gcc libc6-dev pkg-config
  if ! command -v cargo >/dev/null; then
    log "cargo not found: install Rust with rustup (this project needs rustc 1.95)"; return 1
  fi
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
    || { log "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
  need_cargo_tool cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-leptos --locked
  # No --locked: wasm-bindgen-cli's lockfile names a crate version the registry no longer serves.
  need_cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli
  command -v npm >/dev/null || need_apt nodejs npm
  # end2end/package.json pins binaryen (wasm-opt for release builds) and playwright-core.
  if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing npm packages in end2end/"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$PWD/end2end/node_modules/.bin:$PATH"
}

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
setup_browser() {
  need_apt chromium
}

# What the bundled coupon service runs on: Redis, MariaDB (MySQL protocol) and tansu, a
# Kafka-protocol broker from crates.io (in-memory storage needs its dynostore feature, storage
# in a SQLite file its libsql feature). Tests and `coupon up` start their own instances of each
# on free ports.
setup_coupon() {
  need_apt redis-server redis-tools mariadb-server
  # Debian starts the packaged services on install; hoego never uses them, so leave them be.
  # `tansu --version` does not say which storage it was built with: a stamp beside it does.
  local stamp="${CARGO_HOME:-$HOME/.cargo}/bin/.tansu-features"
  # The stamp is written only after a finished install, and a stamp without the binary (one
  # removed by hand, or an install interrupted on a machine that kept the stamp) counts for nothing.
  if ! command -v tansu >/dev/null || [ "$(cat "$stamp" 2>/dev/null)" != "$TANSU_VERSION $TANSU_FEATURES" ]; then
    log "installing tansu $TANSU_VERSION with $TANSU_FEATURES (takes several minutes once)"
    rm -f "$stamp"
    cargo install tansu --version "$TANSU_VERSION" --locked --force --features "$TANSU_FEATURES" \
      && echo "$TANSU_VERSION $TANSU_FEATURES" > "$stamp"
  fi
}

# Prometheus and Alertmanager (Debian's), for the alert tests and the coupon service's drills;
# `promtool` and `amtool` come with them. Tests start their own on free ports.
setup_monitoring() {
  need_apt prometheus prometheus-alertmanager
}
