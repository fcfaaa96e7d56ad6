#!/usr/bin/env bash
# Installs everything rdylib needs on a fresh Debian machine; idempotent, runs as root.
set -euo pipefail

# Each package with its reason.
cxx_packages=(
  cmake g++ ninja-build pkg-config   # build system and compiler
  libsimdjson-dev                   # rustdoc JSON parsing
  libcli11-dev                      # command line
  libfmt-dev                        # formatting
  libgtest-dev                      # unit tests
  valgrind                          # e2e runs under memcheck
  jq                                # reading JSON in shell tests
  bc                                # ratios in bench/run_call_bench.sh
  python3                           # doc-completeness oracle parses cargo doc HTML
)
# Toolchain B: Debian's rustc-web 1.85, pinned; lands in /usr/bin behind rustup's proxies.
rust_web_version=1.85.0+dfsg3-1~deb12u3
rust_packages=(
  "rustc-web=${rust_web_version}"
  "cargo-web=${rust_web_version}"
  "libstd-rust-web-1.85=${rust_web_version}"
  "libstd-rust-web-dev=${rust_web_version}"
)
# Crate sources used as a cargo directory source (no crates.io here).
crate_packages=(
  librust-semver-dev librust-regex-dev        # the fixed real crates
  librust-num-integer-dev                     # issue 9: its tests through the facade (brings num-traits)
  librust-aho-corasick-dev librust-memchr-dev  # regex's default (perf) dependencies
  librust-lazy-static-dev librust-quickcheck-dev librust-rand-dev  # their dev-dependencies
  librust-tokio-dev                           # the largest crate here, for the reader bench
  # tests/e2e/crate_sweep.sh: every facade of these must compile
  librust-ahash-0.7-dev librust-arbitrary-dev librust-autocfg-dev librust-bumpalo-dev
  librust-bytes-dev librust-cfg-if-dev librust-crossbeam-channel-dev librust-crossbeam-deque-dev
  librust-crossbeam-epoch-dev librust-crossbeam-utils-dev librust-either-dev librust-fixedbitset-dev
  librust-getrandom-dev librust-hashbrown-dev librust-indexmap-dev librust-libc-dev
  librust-lock-api-dev librust-log-dev librust-mio-dev librust-num-cpus-dev librust-once-cell-dev
  librust-parking-lot-dev librust-petgraph-dev librust-ppv-lite86-dev librust-rand-chacha-dev
  librust-rand-core-dev librust-rayon-core-dev librust-rayon-dev librust-regex-syntax-dev
  librust-scopeguard-dev librust-serde-dev librust-signal-hook-registry-dev librust-smallvec-dev
  librust-socket2-dev librust-spin-dev librust-stable-deref-trait-dev librust-thread-id-dev
  librust-tracing-core-dev librust-unicode-ident-dev librust-valuable-dev librust-version-check-dev
  librust-owning-ref-dev librust-quote-dev
  # bench/run_corpus.sh: the rest of bench/corpus-crates.txt
  librust-crunchy-dev librust-erased-serde-dev librust-libm-dev librust-memoffset-dev
  librust-num-traits-dev librust-parking-lot-core-dev librust-pin-project-lite-dev
  librust-proc-macro2-dev librust-tiny-keccak-dev
)

missing() {
  local out=()
  for p in "$@"; do
    local name=${p%%=*} want=${p#*=}
    local have
    have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
    if [[ "$have" != "install ok installed"* ]]; then out+=("$p"); continue; fi
    if [[ "$p" == *=* && "$have" != *" $want" ]]; then out+=("$p"); fi
  done
  echo "${out[@]:-}"
}

need=$(missing "${cxx_packages[@]}" "${rust_packages[@]}" "${crate_packages[@]}")
if [[ -n "$need" ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends --allow-downgrades $need
fi

# rustup's toolchains are preinstalled on these machines; say so if they are not.
if ! command -v rustup >/dev/null 2>&1 && [[ ! -x "$HOME/.cargo/bin/rustup" ]]; then
  echo "bootstrap: warning: rustup is not installed; only /usr/bin/rustc will be found" >&2
fi
echo "bootstrap: ok"
