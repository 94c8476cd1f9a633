#!/usr/bin/env bash
# Installs the AWS emulator of the integration tier (moto in server mode) from PyPI, once: a
# second run finds the pinned version and does nothing.
set -euo pipefail

MOTO_VERSION="5.2.1"
PYTHON="${PYTHON:-python3}"

installed="$("$PYTHON" -c 'import moto; print(moto.__version__)' 2>/dev/null || true)"
if [[ "$installed" == "$MOTO_VERSION" ]] && command -v moto_server >/dev/null \
  && "$PYTHON" -c 'import flask, flask_cors' 2>/dev/null; then
  echo "moto[server] $MOTO_VERSION already installed"
  exit 0
fi
"$PYTHON" -m pip install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
command -v moto_server >/dev/null || {
  echo "moto_server is not on PATH after installing moto[server]==${MOTO_VERSION}" >&2
  exit 1
}
echo "moto[server] $MOTO_VERSION installed"
