#!/usr/bin/env bash
# Set-up shared by `make run`, `make test` and `make package`: Qt's system libraries, a venv, the package.
#   packaging/bootstrap.sh [run|test|package]
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-run}"
VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

# Debian/Ubuntu packages Qt needs to run (offscreen or on a real display), plus venv support.
QT_DEBS=(libgl1 libegl1 libfontconfig1 libfreetype6 libglib2.0-0 libx11-6 libxkbcommon0 libdbus-1-3 libbrotli1
         libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0
         libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 ca-certificates)
if [ "$what" = package ]; then
  QT_DEBS+=(binutils dpkg-dev)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
  for p in "${QT_DEBS[@]}"; do
    # Ubuntu 24.04 renamed some libraries for 64-bit time (libglib2.0-0 -> libglib2.0-0t64); either will do.
    installed "$p" || installed "${p}t64" || missing+=("$p")
  done
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system libraries Qt needs: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Request Inspector needs these system packages first. Run:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi

extra=""
[ "$what" = test ] && extra="[test]"
[ "$what" = package ] && extra="[test,package]"
stamp="$VENV/.installed-${what}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing request-inspector${extra} into $VENV"
  log="$(mktemp)"
  # pip's and setuptools' chatter (editable-install notices, index warnings) is shown only when the install fails.
  if ! { "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip \
         && "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".${extra}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "Installing the package into $VENV failed (pip's output is above)." >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi
