#!/usr/bin/env bash
# The first command: install, migrate, load demo data into an empty database, create the first
# administrator (printed), start a worker and serve the UI and API on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export ARCHIVE_DATA_DIR="${ARCHIVE_DATA_DIR:-$PWD/var}"
mkdir -p "$ARCHIVE_DATA_DIR"
.venv/bin/archive setup --demo-files "${ARCHIVE_DEMO_FILES:-2000}"
.venv/bin/archive worker >"$ARCHIVE_DATA_DIR/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Worker started (log: $ARCHIVE_DATA_DIR/worker.log). Serving on http://${ARCHIVE_HOST:-127.0.0.1}:${ARCHIVE_PORT:-8000}/"
.venv/bin/archive serve
