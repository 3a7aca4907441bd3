#!/usr/bin/env bash
# Installs what the tests need, then runs every test (unit, component, integration, browser).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
CHROMIUM="${PORTAL_CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$CHROMIUM" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing Chromium from Debian's packages (needed by tests/Portal.E2E)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq </dev/null
    $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation </dev/null
  else
    echo "test.sh: Chromium is missing at $CHROMIUM and this system has no apt-get." >&2
    echo "Install Chromium with your package manager and set PORTAL_CHROMIUM to its path, then run ./test.sh again." >&2
    exit 1
  fi
fi
export PORTAL_CHROMIUM="$CHROMIUM"

dotnet test Portal.sln --configuration Release "$@"
