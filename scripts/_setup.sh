# Shared by start.sh and test.sh: make .venv with Python 3.11+ and install a requirements file into it.
# Sourced, not run. Works on a fresh Debian machine: installs python3-venv through apt when it is missing.

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

ensure_venv() {
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      echo "python venv support missing; installing python3-venv" >&2
      apt_install python3-venv python3-pip
      "$python" -m venv .venv
    fi
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$1"
}
