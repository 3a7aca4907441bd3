#!/usr/bin/env bash
# Installs what the tests need, then runs every test (unit, component, integration, browser).
# Exit status: 0 only if every test passed. Extra arguments go to `dotnet test` (e.g. --filter HomePageTests).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The browser tests drive the distribution's Chromium; Playwright never downloads one.
if [ -n "${PORTAL_CHROMIUM:-}" ]; then
  if [ ! -x "$PORTAL_CHROMIUM" ]; then
    echo "test.sh: PORTAL_CHROMIUM=$PORTAL_CHROMIUM is not an executable file." >&2
    echo "Point it at a Chromium binary, or unset it to use (and install if needed) /usr/bin/chromium." >&2
    exit 1
  fi
else
  PORTAL_CHROMIUM=/usr/bin/chromium
  if [ ! -x "$PORTAL_CHROMIUM" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "test.sh: Chromium is missing at $PORTAL_CHROMIUM and this system has no apt-get." >&2
      echo "Install Chromium with your package manager, set PORTAL_CHROMIUM to its path, then run ./test.sh again." >&2
      exit 1
    fi
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then
      if ! command -v sudo >/dev/null 2>&1; then
        echo "test.sh: installing Chromium needs root, and sudo is not available." >&2
        echo "Run 'apt-get install chromium' as root (or set PORTAL_CHROMIUM), then run ./test.sh again." >&2
        exit 1
      fi
      SUDO=(sudo -n)
    fi
    echo "test.sh: installing Chromium from Debian's packages (needed by tests/Portal.E2E)"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq </dev/null
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation </dev/null
    if [ ! -x "$PORTAL_CHROMIUM" ]; then
      echo "test.sh: the chromium package did not provide $PORTAL_CHROMIUM; set PORTAL_CHROMIUM to its path." >&2
      exit 1
    fi
  fi
fi
export PORTAL_CHROMIUM

status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# pipefail: the pipeline fails with dotnet test's own status, never tee's.
dotnet test Portal.sln --configuration Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test projects, from dotnet test's per-project summaries
# ("Total tests: N" followed by "Passed: N" / "Failed: N" lines).
read -r passed failed < <(awk '
  /^[[:space:]]*Passed:[[:space:]]*[0-9]+[[:space:]]*$/ { p += $2 }
  /^[[:space:]]*Failed:[[:space:]]*[0-9]+[[:space:]]*$/ { f += $2 }
  END { print p + 0, f + 0 }' "$log")
echo "tests: ${passed:-0} passed, ${failed:-0} failed"

if [ "$status" -eq 0 ]; then
  echo "test.sh: PASSED - every test project passed."
else
  echo "test.sh: FAILED - dotnet test exited with status $status (failed tests are listed above; browser failures leave screenshots in TestResults/e2e/)." >&2
fi
exit "$status"
