#!/usr/bin/env bash
# Install everything the archive needs on Debian 12 (run as root): system packages, the
# virtualenv with the project, and (with --dev) what the tests need. Idempotent and quick when
# nothing changed. Used by scripts/run.sh and scripts/test.sh; safe to run on its own.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

# System packages: OCR (Vietnamese), PDF tools, fonts for printed forms; for tests also the
# browser, PostgreSQL and Redis (used only if they are not already running on this machine).
packages=(tesseract-ocr tesseract-ocr-vie poppler-utils fonts-dejavu-core ca-certificates)
if ! need_python >/dev/null; then packages+=(python3 python3-venv python3-dev build-essential); fi
if [ "$dev" = 1 ]; then
  packages+=(chromium)
  command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_isready >/dev/null 2>&1 || packages+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -x "$(command -v python3 || true)" ] && ! need_python >/dev/null; then
  echo "Python >= 3.11 is required" >&2; exit 1
fi
PY=$(need_python)

# The virtualenv, reinstalled only when pyproject.toml changes.
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $PY"
  "$PY" -m venv .venv || { apt-get install -y -qq python3-venv >/dev/null && "$PY" -m venv .venv; }
fi
extras=""; [ "$dev" = 1 ] && extras="[dev]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${dev}"
if [ ! -f "$stamp" ]; then
  say "pip install -e .${extras}"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
