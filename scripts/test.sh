#!/usr/bin/env bash
# The second command: install (with test tools), make sure PostgreSQL and Redis answer (start
# them if they are installed but stopped; fail loudly otherwise), then lint, type-check, check the
# architecture contracts and run the whole test suite (SQLite, PostgreSQL, tesseract, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
source scripts/services.sh
ensure_postgres
ensure_redis

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
say "ruff"; .venv/bin/ruff check archive scanners indexes tests bench migrations
.venv/bin/ruff format --check --quiet archive scanners indexes tests bench
say "mypy --strict"; .venv/bin/mypy
say "import contracts"; .venv/bin/lint-imports --no-cache
say "pytest"
.venv/bin/pytest -n "${ARCHIVE_TEST_WORKERS:-auto}" -p no:cacheprovider "$@"
