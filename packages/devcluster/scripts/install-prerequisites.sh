#!/usr/bin/env bash
# Installs what a Ferry dev cluster needs on a Debian (bookworm) machine, as root:
#   - Debian packages: etcd, openssl, Prometheus, and (only when a build is needed) the Go toolchain;
#   - kube-apiserver, kube-controller-manager and kubectl, built ONCE from Debian's `kubernetes`
#     source package (Debian ships no binaries for these) and cached outside the repo in
#     /var/cache/ferry-devcluster/k8s-<version>/bin, with /var/cache/ferry-devcluster/current
#     pointing at the newest build.
# Idempotent: when the binaries and packages are already there it makes no apt call and exits
# in well under a second. The first build takes long (see the package README for measured
# times); its log is /var/cache/ferry-devcluster/build-<version>.log.
#
# Environment:
#   FERRY_DEVCLUSTER_CACHE  cache root (default /var/cache/ferry-devcluster)
#   FERRY_DEVCLUSTER_FORCE_BUILD=1  rebuild even when cached binaries exist
set -euo pipefail

CACHE="${FERRY_DEVCLUSTER_CACHE:-/var/cache/ferry-devcluster}"
BINARIES=(kube-apiserver kube-controller-manager kubectl)
# Bumped whenever the way we build changes, so machines with an older cached build rebuild.
#   2: vendored modern-go/reflect2 replaced by v1.0.2 (see patch_vendor)
#   3: go-openapi type validation fixed for Go >= 1.18 (see patch_vendor)
RECIPE=3
# Needed whenever a cluster runs: openssl makes the per-cluster certificates, Prometheus scrapes
# the pods, jq serves shell users of `ferry-devcluster kubeconfig`. Chromium drives the console's
# browser tests; openssh-server is the `ssh -L` baseline of the relay benchmark; util-linux's
# `script` gives the CLI's live-view test a pseudo-terminal.
RUNTIME_PACKAGES=(etcd-server openssl prometheus jq ca-certificates chromium openssh-server openssh-client util-linux)
# Needed only to fetch and build the Kubernetes source.
BUILD_PACKAGES=(golang-go dpkg-dev rsync make golang-github-modern-go-reflect2-dev)

log() { printf '[ferry-devcluster] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cached_binaries_present() {
  local bin
  for bin in "${BINARIES[@]}"; do
    [[ -x "$CACHE/current/bin/$bin" ]] || return 1
  done
  [[ "$(cat "$CACHE/current/RECIPE" 2>/dev/null)" == "$RECIPE" ]]
}

# Prints the packages of "$@" that dpkg does not list as installed.
missing_packages() {
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}

APT_UPDATED=0
apt_install() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  ((${#missing[@]} == 0)) && return 0
  [[ $EUID -eq 0 ]] || die "Debian packages missing (${missing[*]}); run this script as root"
  if ((APT_UPDATED == 0)); then
    log "apt-get update"
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Debian's deb822 sources file lists binary ("deb") archives only. A second file adds "deb-src"
# for the release's main archive with the same URIs and Signed-By (a one-line `deb-src` entry
# would conflict with debian.sources' Signed-By).
ensure_deb_src() {
  local codename target=/etc/apt/sources.list.d/ferry-deb-src.sources content uris signed_by
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  [[ -n "$codename" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    # The stanza whose Suites contain the bare codename (not -security / -updates).
    read -r uris signed_by < <(awk -v suite="$codename" '
      function flush() { if (hit && uris != "") { print uris, (signed == "" ? "-" : signed); done = 1 } hit = 0; uris = ""; signed = "" }
      /^[[:space:]]*$/ { if (!done) flush(); next }
      /^URIs:/ { uris = $2 }
      /^Signed-By:/ { signed = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END { if (!done) flush() }' /etc/apt/sources.list.d/debian.sources) || true
  elif [[ -f /etc/apt/sources.list ]]; then
    uris="$(awk -v suite="$codename" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list)"
    signed_by=-
  fi
  [[ -n "${uris:-}" ]] || die "found no Debian archive for '$codename' in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
  content="Types: deb-src
URIs: $uris
Suites: $codename
Components: main"
  [[ "$signed_by" != "-" ]] && content+="
Signed-By: $signed_by"
  if [[ ! -f "$target" || "$(cat "$target")" != "$content" ]]; then
    log "writing $target"
    printf '%s\n' "$content" >"$target"
    APT_UPDATED=0 # the new source needs an update before `apt-get source`
  fi
}

# Fetches the source once into $CACHE/src and prints the unpacked tree's path.
fetch_source() {
  local tree
  mkdir -p "$CACHE/src"
  tree="$(find "$CACHE/src" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | sort -V | tail -n 1)"
  if [[ -z "$tree" ]]; then
    if ((APT_UPDATED == 0)); then
      log "apt-get update"
      apt-get update -qq >&2
      APT_UPDATED=1
    fi
    log "apt-get source kubernetes (into $CACHE/src)"
    # Root-owned target directory: let apt download as root instead of warning about _apt.
    (cd "$CACHE/src" && apt-get source -qq -o APT::Sandbox::User=root kubernetes >&2)
    tree="$(find "$CACHE/src" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | sort -V | tail -n 1)"
  fi
  [[ -n "$tree" ]] || die "apt-get source kubernetes left no kubernetes-* tree in $CACHE/src"
  printf '%s\n' "$tree"
}

# Debian names the tree kubernetes-1.20.5+really1.20.2: the part after "really" is what it is.
upstream_version() {
  local name="${1##*/kubernetes-}"
  name="${name##*really}"
  printf '%s\n' "$name"
}

# Kubernetes 1.20 vendors github.com/modern-go/reflect2 v1.0.1, which links reflect.mapiterinit
# with its pre-Go-1.18 signature. Built with bookworm's Go 1.19, kube-apiserver then segfaults
# ("unexpected fault address", in UnsafeMapType.UnsafeIterate) the first time it JSON-encodes a
# map, e.g. on every custom resource write. reflect2 v1.0.2 is the upstream fix; Debian packages
# it (golang-github-modern-go-reflect2-dev), so swap it into the vendor tree. The API is the same.
patch_vendor() {
  local tree="$1" vendored="$1/vendor/github.com/modern-go/reflect2"
  local fixed=/usr/share/gocode/src/github.com/modern-go/reflect2
  [[ -f "$fixed/go_above_118.go" ]] || die "$fixed/go_above_118.go missing (package golang-github-modern-go-reflect2-dev)"
  if [[ ! -f "$vendored/go_above_118.go" ]]; then
    log "replacing vendored modern-go/reflect2 v1.0.1 with Debian's v1.0.2 (Go >= 1.18 fix)"
    rm -rf "$vendored"
    cp -r "$fixed" "$vendored"
  fi
  # The OpenAPI type validator treats a value as null when
  # reflect.DeepEqual(reflect.Zero(t), reflect.ValueOf(v)); that compares two reflect.Value
  # structs, which since Go 1.18 are equal for every zero value, so custom resources with an
  # empty string (or 0, or false) fail validation as "must be of type string: null". Test for nil
  # only, which is what the check did before Go 1.18 (and what later kube-openapi does).
  local file
  for file in "$tree/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go" "$tree/vendor/github.com/go-openapi/validate/type.go"; do
    [[ -f "$file" ]] || continue
    if grep -q 'data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))' "$file"; then
      log "patching the zero-value check in ${file#"$tree/"}"
      sed -i 's/data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))/data == nil/' "$file"
    fi
  done
}

build() {
  local tree="$1" version="$2" dest="$CACHE/k8s-$version" logfile="$CACHE/build-$version.log"
  local started elapsed out bin staging
  # Kubernetes 1.20's build scripts expect the GOPATH layout $GOPATH/src/k8s.io/kubernetes.
  mkdir -p "$tree/.go/src/k8s.io"
  [[ -L "$tree/.go/src/k8s.io/kubernetes" ]] || ln -s ../../.. "$tree/.go/src/k8s.io/kubernetes"
  log "building ${BINARIES[*]} v$version from $tree (first build: tens of minutes on 2 cores); log: $logfile"
  started=$(date +%s)
  if ! (cd "$tree/.go/src/k8s.io/kubernetes" &&
        GOPATH="$tree/.go" CGO_ENABLED=0 make WHAT="${BINARIES[*]/#/cmd/}") >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "Kubernetes build failed; full log: $logfile"
  fi
  elapsed=$(($(date +%s) - started))
  out="$tree/_output/bin"
  [[ -x "$out/kube-apiserver" ]] || out="$tree/_output/local/bin/linux/amd64"
  staging="$(mktemp -d "$CACHE/.k8s-$version.XXXXXX")"
  mkdir -p "$staging/bin"
  for bin in "${BINARIES[@]}"; do
    [[ -x "$out/$bin" ]] || die "build finished but $out/$bin is missing; log: $logfile"
    cp "$out/$bin" "$staging/bin/$bin"
  done
  "$staging/bin/kube-apiserver" --version >"$staging/VERSION"
  printf '%s\n' "$RECIPE" >"$staging/RECIPE"
  printf 'built %s from %s in %ss on %s (%s cores)\n' "$version" "${tree##*/}" "$elapsed" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" >"$staging/BUILD-INFO"
  rm -rf "$dest"
  mv "$staging" "$dest"
  chmod 755 "$dest" "$dest/bin"
  ln -sfn "k8s-$version" "$CACHE/current"
  log "built in ${elapsed}s: $(cat "$dest/VERSION") -> $dest/bin"
}

main() {
  local started tree version missing_runtime
  started=$(date +%s%N)
  if [[ "${FERRY_DEVCLUSTER_FORCE_BUILD:-0}" != 1 ]] && cached_binaries_present; then
    mapfile -t missing_runtime < <(missing_packages "${RUNTIME_PACKAGES[@]}")
    if ((${#missing_runtime[@]} == 0)); then
      log "ready: $(readlink -f "$CACHE/current")/bin ($(( ($(date +%s%N) - started) / 1000000 )) ms, nothing to do)"
      return 0
    fi
  fi

  [[ $EUID -eq 0 ]] || die "must run as root (installs Debian packages and writes $CACHE)"
  mkdir -p "$CACHE"
  # One installer at a time: concurrent CI jobs or shells would otherwise race on apt and the build.
  exec 9>"$CACHE/.install.lock"
  flock 9

  apt_install "${RUNTIME_PACKAGES[@]}"
  if [[ "${FERRY_DEVCLUSTER_FORCE_BUILD:-0}" == 1 ]] || ! cached_binaries_present; then
    ensure_deb_src
    apt_install "${BUILD_PACKAGES[@]}"
    tree="$(fetch_source)"
    version="$(upstream_version "$tree")"
    patch_vendor "$tree"
    build "$tree" "$version"
  fi
  log "ready: $(readlink -f "$CACHE/current")/bin"
}

# On one line so bash has read it all before main runs: editing this file mid-run is then harmless.
main "$@"; exit
