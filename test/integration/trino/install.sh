#!/usr/bin/env bash
# Installs the Trino server the integration tier runs the SQL on (Athena engine v3 is Trino).
#
# Downloads io.trino:trino-server-core (the server with a minimal plugin set) and the Hive
# connector plugin io.trino:trino-hive from Maven Central with Maven, verifies both against the
# SHA-256 pinned below, and unpacks them into ${WARDFLOW_CACHE:-$HOME/.cache/wardflow}/trino-<version>
# (outside the repository). Idempotent: a second run finds the install and downloads nothing.
# Prints the install directory on stdout; everything else goes to stderr.
#
# Trino 476 needs Java 24 or later: the tier runs it with Temurin 25 (TRINO_JAVA_HOME, default
# /usr/lib/jvm/temurin-25-jdk-amd64). Maven itself may run on any JDK.
set -euo pipefail

VERSION=476
# SHA-256 of the published archives (Maven Central publishes only SHA-1/MD5; Maven checks those
# on download, this pin checks the bytes are the ones this script was written against).
SERVER_SHA256=0f388f9967c177ae70a47c099082fc95387f0c3cb96d8000d1d41fc3a5223158
HIVE_SHA256=611bacdb07d9f3cf7b9d47f97ecc76fa2e7ff8bfe8a9728c3d06adc1bfb8662e

CACHE="${WARDFLOW_CACHE:-$HOME/.cache/wardflow}"
DEST="$CACHE/trino-$VERSION"
MARKER="$DEST/.wardflow-installed"
REPO="$CACHE/m2"

log() { echo "trino install: $*" >&2; }

JAVA_HOME_FOR_TRINO="${TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$JAVA_HOME_FOR_TRINO/bin/java" ]]; then
  log "Trino $VERSION needs Java 24 or later; none at $JAVA_HOME_FOR_TRINO (set TRINO_JAVA_HOME)"
  exit 1
fi

if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$SERVER_SHA256 $HIVE_SHA256" ]]; then
  log "Trino $VERSION already installed in $DEST"
  echo "$DEST"
  exit 0
fi

fetch() {
  # $1 = artifact id, $2 = packaging; prints the path of the artifact in the local repository.
  local artifact=$1 packaging=$2
  local file="$REPO/io/trino/$artifact/$VERSION/$artifact-$VERSION.$packaging"
  if [[ ! -f "$file" ]]; then
    log "downloading io.trino:$artifact:$VERSION:$packaging from Maven Central"
    mvn -q -B -C -Dstyle.color=never -Dmaven.repo.local="$REPO" \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact="io.trino:$artifact:$VERSION:$packaging" -Dtransitive=false >&2
  fi
  echo "$file"
}

verify() {
  # $1 = file, $2 = expected SHA-256
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  if [[ "$actual" != "$2" ]]; then
    log "checksum mismatch for $1: expected $2, got $actual; removing it"
    rm -f "$1"
    exit 1
  fi
}

for tool in mvn tar unzip sha256sum; do
  command -v "$tool" >/dev/null || { log "$tool is required"; exit 1; }
done
mkdir -p "$CACHE"
server=$(fetch trino-server-core tar.gz)
hive=$(fetch trino-hive zip)
verify "$server" "$SERVER_SHA256"
verify "$hive" "$HIVE_SHA256"

log "unpacking into $DEST"
staging=$(mktemp -d "$CACHE/.trino-$VERSION.XXXXXX")
trap 'rm -rf "$staging"' EXIT
tar -xzf "$server" -C "$staging" --strip-components=1
rm -rf "$staging/plugin/hive"
mkdir -p "$staging/plugin"
unzip -q "$hive" -d "$staging/plugin"
# The plugin ZIP holds one folder named trino-hive-<version>; the server loads plugin/<name>/.
mv "$staging/plugin/trino-hive-$VERSION" "$staging/plugin/hive"
echo "$SERVER_SHA256 $HIVE_SHA256" >"$staging/.wardflow-installed"
rm -rf "$DEST"
mv "$staging" "$DEST"
trap - EXIT
log "Trino $VERSION installed in $DEST"
echo "$DEST"
