#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium and a CJK font) and run the whole suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k datums`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
ensure_venv requirements-dev.txt
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then
  echo "installing Debian's chromium and fonts-wqy-microhei for the browser tests" >&2
  apt_install chromium fonts-wqy-microhei fontconfig
fi
.venv/bin/python -m layers.validate
# The house rules: lint, format and geo's types (configured in pyproject.toml).
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
