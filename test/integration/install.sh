#!/usr/bin/env bash
# Installs what the integration tier needs on a fresh machine, part by part (each folder of
# test/integration/ with an install.sh); every part's script is idempotent (a second run installs
# and downloads nothing), so CI and developers run this before `npm run test:integration`.
set -euo pipefail
cd "$(dirname "$0")"
for script in */install.sh; do
  part=$(dirname "$script")
  started=$(date +%s)
  bash "$script"
  echo "integration install: $part ready in $(($(date +%s) - started)) s"
done
