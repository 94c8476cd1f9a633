#!/usr/bin/env bash
# Installs the real NetFlow/IPFIX tooling the exporters integration test drives: Debian's
# softflowd (pcap -> NetFlow v9 / IPFIX exporter) and nfdump (nfcapd collector, nfdump reader), and
# Debian 13's nfdump (1.7.5), whose CSV renderings (`-o csv`, `-o csv:%tok,...`, `-o csv-fast`)
# the nfdump 1.7.1 of Debian 12 does not have.
# Idempotent: installed packages are left alone, the package lists are refreshed only when a
# missing package has no install candidate, and Debian 13's nfdump is fetched once into
# ~/.cache/wardflow. Needs root for the Debian packages (CI runs it as root).
#
# The pcap is written by the test itself (pcap-writer.ts), so python3-scapy is not needed: a
# Debian python3-* package lands in /usr/lib/python3, which a pyenv or venv `python3` earlier on
# PATH does not see, and a TypeScript writer keeps the fixture next to the assertions.
set -euo pipefail

packages=(softflowd nfdump)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

has_candidate() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "exporters: ${packages[*]} already installed"
else
  for package in "${missing[@]}"; do
    if ! has_candidate "$package"; then
      apt-get update -q
      break
    fi
  done
  install_missing() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  }
  # Stale package lists name versions the mirror no longer has: refresh once and retry.
  install_missing || { apt-get update -q && install_missing; }
fi

for tool in softflowd nfcapd nfdump; do
  command -v "$tool" >/dev/null || {
    echo "exporters: $tool not found on PATH after installing ${packages[*]}" >&2
    exit 1
  }
done
nfdump -V

# Debian 13's nfdump, unpacked (not installed: its package would replace Debian 12's) into the
# cache. apt fetches it with a private source list and state, so the system's apt configuration is
# untouched, and checks it as it checks any package: the release file's signature against Debian's
# archive keyring, then the package's SHA-256 from the signed index.
cache="${WARDFLOW_CACHE:-$HOME/.cache/wardflow}"
debian13_link="$cache/nfdump-debian13"
if [[ -x "$debian13_link/usr/bin/nfdump" ]]; then
  echo "exporters: Debian 13 nfdump already in $(readlink -f "$debian13_link")"
else
  state=$(mktemp -d)
  trap 'rm -rf "$state"' EXIT
  mkdir -p "$state/parts" "$state/lists/partial" "$state/cache/archives/partial" "$state/download"
  cat >"$state/parts/trixie.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt_private=(
    -o Dir::Etc::SourceList=/dev/null
    -o "Dir::Etc::SourceParts=$state/parts"
    -o "Dir::State::Lists=$state/lists"
    -o "Dir::Cache=$state/cache"
    -o Dir::State::status=/dev/null
    -o APT::Architecture=amd64
    -o APT::Sandbox::User=root
    -o Debug::NoLocking=1
  )
  apt-get "${apt_private[@]}" -q update
  (cd "$state/download" && apt-get "${apt_private[@]}" -q download nfdump)
  deb=$(ls "$state/download"/nfdump_*.deb)
  version=$(dpkg-deb -f "$deb" Version)
  target="$cache/nfdump-$version"
  rm -rf "$target"
  mkdir -p "$target"
  dpkg-deb -x "$deb" "$target"
  ln -sfn "$target" "$debian13_link"
  echo "exporters: Debian 13 nfdump $version unpacked in $target"
fi
"$debian13_link/usr/bin/nfdump" -V
