#!/usr/bin/env bash
# Install Debian packages the project needs (chromium for browser tests, gettext for translations).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "Bitte als root installieren: apt-get install -y $*" >&2; exit 1; }
  SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
