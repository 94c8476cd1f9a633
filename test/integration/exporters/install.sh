#!/usr/bin/env bash
# Installs the real NetFlow/IPFIX tooling the exporters integration test drives: Debian's
# softflowd (pcap -> NetFlow v9 / IPFIX exporter) and nfdump (nfcapd collector, nfdump reader).
# Idempotent: installed packages are left alone, and the package lists are refreshed only when a
# missing package has no install candidate. Needs root (CI runs it as root).
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
