#!/usr/bin/env bash
# Installs what the tests need, then runs every test (unit, component, integration, browser).
# Exit status: 0 only if every test passed. Extra arguments go to `dotnet test` (e.g. --filter HomePageTests).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Installs Debian packages with apt, non-interactively (root, or passwordless sudo). $1 names what needs them.
install_packages() {
  local why="$1"; shift
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: $why needs $*, and this system has no apt-get." >&2
    echo "Install $* with your package manager, then run ./test.sh again." >&2
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "test.sh: installing $* needs root, and sudo is not available." >&2
      echo "Run 'apt-get install $*' as root, then run ./test.sh again." >&2
      exit 1
    fi
    sudo=(sudo -n)
  fi
  echo "test.sh: installing $* from Debian's packages (needed by $why)"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${apt_updated:-}" ]; then
    "${sudo[@]}" apt-get update -qq </dev/null
    apt_updated=1
  fi
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

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
    install_packages "tests/Portal.E2E" chromium fonts-liberation
    if [ ! -x "$PORTAL_CHROMIUM" ]; then
      echo "test.sh: the chromium package did not provide $PORTAL_CHROMIUM; set PORTAL_CHROMIUM to its path." >&2
      exit 1
    fi
  fi
fi
export PORTAL_CHROMIUM

# The TLS-proxy tests (tests/Portal.Tests/Hosting) run the shipped nginx config with Debian's nginx. They only use
# the binary, starting throw-away instances of their own on free loopback ports.
if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
  install_packages "tests/Portal.Tests (TLS proxy)" nginx
  if [ ! -x /usr/sbin/nginx ]; then
    echo "test.sh: the nginx package did not provide /usr/sbin/nginx." >&2
    exit 1
  fi
  echo "test.sh: note: where systemd runs, Debian's package also starts nginx's default site on port 80;" \
    "the tests do not use it ('systemctl disable --now nginx' stops it)."
fi

# The PostgreSQL tests (the store, webhook and support suites run on both providers; several instances share one
# database) need a server: Debian's postgresql package, and pg_virtualenv (postgresql-common) runs a throw-away
# cluster for this run only (fsync off: it is thrown away), exporting the standard PG* variables to the tests.
# With PGHOST already set, that server is used instead.
run_tests=(dotnet test Portal.sln --configuration Release --logger "console;verbosity=normal" "$@")
if [ -z "${PGHOST:-}" ]; then
  if ! command -v pg_virtualenv >/dev/null 2>&1 || ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    install_packages "the PostgreSQL tests" postgresql
  fi
  # A cluster of its own in a temporary directory (-t), on a port nothing else uses, so the run never collides with
  # another PostgreSQL on this machine (the system's, or another run's throw-away cluster).
  for candidate in $(seq 5440 5640); do
    if [ ! -e "/var/run/postgresql/.s.PGSQL.$candidate" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      export PGPORT="$candidate"
      break
    fi
  done
  run_tests=(pg_virtualenv -t -o fsync=off "${run_tests[@]}")
fi

status=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# pipefail: the pipeline fails with dotnet test's own status, never tee's.
"${run_tests[@]}" 2>&1 | tee "$log" || status=$?

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
