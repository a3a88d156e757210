#!/usr/bin/env bash
# Install the runtime into .venv and start the atlas on the bundled data at http://127.0.0.1:8501
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_setup.sh
ensure_venv requirements.txt
.venv/bin/python -m layers.validate
exec .venv/bin/python -m streamlit run app.py --server.address "${ATLAS_ADDRESS:-127.0.0.1}" --server.port "${ATLAS_PORT:-8501}" \
  --browser.gatherUsageStats false "$@"
