#!/usr/bin/env bash
# ./bench.sh — the performance report behind docs/architecture.md#performance-contract (not part of ./test.sh).
#
# Publishes Release builds of the portal, 0Gate's sandbox (src/Gate.Sandbox), the baselines (bench/Bench.Bare: a
# bare webhook endpoint and a constant-JSON status endpoint; bench/Bench.EmptyBlazor: the empty Blazor Server
# template) and the load generator (bench/Portal.Bench), starts each app as its own process on free loopback ports
# with its data in a fresh directory (0Gate too, as the remote service it stands in for: the portal runs with
# Sandbox__Enabled=false and its Gate__* settings pointed at it), runs every scenario against its baseline in the
# same run (alternating baseline and portal, medians reported) and prints ONE table with the ratios, each goal MET or
# NOT MET, above the machine facts.
# B1-B3 run twice: on SQLite, then with the portal (Store:Provider=PostgreSql) and the bare endpoint on PostgreSQL,
# their rows labelled "(SQLite)" and "(PostgreSQL)" side by side in the same table. After B1 on PostgreSQL, the
# statements the portal's database runs per fulfilled delivery (receipt job included; SAVEPOINTs and transactions
# apart) are counted in the server's statement log (log_statement=all for that window only).
#
#   ./bench.sh                 every scenario, default sizes, both stores (under 10 minutes on 2 cores, publishing included)
#   ./bench.sh --quick         a short smoke run of every scenario (about 3 minutes)
#   ./bench.sh B1 B3           only those scenarios (B1 ingest, B2 duplicate storm, B3 polling, B4 circuits, B5 start)
#   ./bench.sh --no-postgres   SQLite only (same as --providers sqlite); --providers postgresql: B1-B3 on PostgreSQL only
#   ./bench.sh --b1-open-seconds 30 --rounds 5   any knob; `./bench.sh --help` lists them with their defaults
#   ./bench.sh --pg-b1-open-seconds 60           a knob for the PostgreSQL pass only (it has shorter steps by default)
#
# Knobs may also come from the environment: BENCH_ROUNDS=5, BENCH_B1_OPEN_SECONDS=30, BENCH_PROVIDERS=sqlite, …
# PostgreSQL: with PGHOST unset, a throw-away cluster of Debian's PostgreSQL (installed with apt-get when missing, as
# ./test.sh does; skipped with a note when it cannot be installed and --providers was not given) runs for this run
# only: `pg_virtualenv -t` in a temporary directory on a free port, with PostgreSQL's durable defaults (fsync=on,
# synchronous_commit=on; pg_virtualenv's own default is fsync=off), ssl=off (loopback), max_connections=300 (the
# portal and the bare endpoint each keep Npgsql's default pool of up to 100) and logging_collector=on (its log in the
# cluster's data directory, read back over SQL for the statement count). With PGHOST (PGPORT, PGUSER, PGPASSWORD)
# set, that server is used instead: the bench creates two databases on it and drops them at the end; the statement
# count needs a superuser and logging_collector=on there, else the report says why it is missing.
# BENCH_DATA_DIR=/some/disk/dir puts the SQLite files there (default: a new directory under ${TMPDIR:-/tmp});
# BENCH_KEEP_DATA=1 keeps it (databases and app logs) afterwards; BENCH_SKIP_PUBLISH=1 reuses the last publish.
# PORTAL_CHROMIUM points at Chromium for B4 (default /usr/bin/chromium; nothing is downloaded).
#
# Output: the table on stdout, also written to artifacts/bench/report.txt (and the whole log to
# artifacts/bench/last-run.log). Exit status: 0 when the report was produced, whatever the verdicts (it is a
# report, not a test); non-zero only when the harness itself failed (a build, an app that did not start, a check
# that made the numbers meaningless).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

artifacts="$PWD/artifacts/bench"
publish="$artifacts/publish"
mkdir -p "$artifacts"

for arg in "$@"; do
  if [ "$arg" = "--help" ] || [ "$arg" = "-h" ]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    if [ -f "$publish/Portal.Bench/Portal.Bench.dll" ]; then
      dotnet "$publish/Portal.Bench/Portal.Bench.dll" --help | sed -n '/^Knobs/,$p' || true
    else
      echo; echo "(The knobs and their defaults are listed once the load generator is published: run ./bench.sh once.)"
    fi
    exit 0
  fi
done

# Which stores the run asks for (Portal.Bench reads the same arguments): --providers LIST, --no-postgres,
# BENCH_PROVIDERS, default both. The PostgreSQL pass only runs B1-B3, so it needs no server when none is chosen.
providers="${BENCH_PROVIDERS:-}"
providers_given=0
[ -n "$providers" ] && providers_given=1
postgres_scenarios=1
scenario_args=0
previous=""
for arg in "$@"; do
  case "$previous" in
    --providers) providers="$arg"; providers_given=1 ;;
  esac
  case "$arg" in
    --no-postgres) providers="sqlite"; providers_given=1 ;;
    [bB][1-5])
      if [ "$scenario_args" = 0 ]; then postgres_scenarios=0; scenario_args=1; fi
      case "$arg" in [bB][1-3]) postgres_scenarios=1 ;; esac ;;
  esac
  previous="$arg"
done
[ -n "$providers" ] || providers="sqlite,postgresql"
wants_postgres=0
case ",$(echo "$providers" | tr 'A-Z' 'a-z' | tr -d ' ')," in
  *,postgresql,*|*,postgres,*|*,pg,*) [ "$postgres_scenarios" = 1 ] && wants_postgres=1 ;;
esac

# PostgreSQL for the PostgreSQL pass, unless PGHOST names a server already: Debian's packages, as ./test.sh installs them.
postgres_installed() {
  command -v pg_virtualenv >/dev/null 2>&1 && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
apt_sudo=()
postgres_installable() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
    apt_sudo=(sudo -n)
  fi
}
runner=()
extra_args=()
if [ "$wants_postgres" = 1 ] && [ -z "${PGHOST:-}" ]; then
  if ! postgres_installed; then
    if postgres_installable; then
      echo "bench.sh: installing postgresql from Debian's packages (for the PostgreSQL pass; --no-postgres skips it)"
      export DEBIAN_FRONTEND=noninteractive
      "${apt_sudo[@]}" apt-get update -qq </dev/null
      "${apt_sudo[@]}" apt-get install -y -qq --no-install-recommends postgresql </dev/null
      if ! postgres_installed; then
        echo "bench.sh: the postgresql package did not provide pg_virtualenv and initdb." >&2
        exit 1
      fi
    elif [ "$providers_given" = 1 ]; then
      echo "bench.sh: --providers $providers needs PostgreSQL: it is not installed and cannot be installed here (no apt-get, or not root and no passwordless sudo)." >&2
      echo "Install Debian's postgresql package, point PGHOST at a server, or run with --no-postgres." >&2
      exit 1
    else
      echo "bench.sh: note: PostgreSQL is not installed and cannot be installed here; running the SQLite pass only." >&2
      export BENCH_POSTGRES_NOTE="No PostgreSQL rows: PostgreSQL is not installed and could not be installed (no apt-get, or not root and no passwordless sudo); install Debian's postgresql package or set PGHOST."
      extra_args=(--providers sqlite)
      wants_postgres=0
    fi
  fi
  if [ "$wants_postgres" = 1 ]; then
    # A cluster of its own in a temporary directory (-t), on a port nothing else uses (a range apart from ./test.sh's),
    # with PostgreSQL's durable defaults spelled out: pg_virtualenv itself passes fsync=off.
    unset PGPORT
    for candidate in $(seq 5700 5900); do
      if [ ! -e "/var/run/postgresql/.s.PGSQL.$candidate" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        export PGPORT="$candidate"
        break
      fi
    done
    if [ -z "${PGPORT:-}" ]; then
      echo "bench.sh: no free port between 5700 and 5900 for the throw-away PostgreSQL cluster." >&2
      exit 1
    fi
    # logging_collector needs a restart to change, so it is set at creation: the statement count after B1 turns
    # log_statement on for its window only and reads the log back with pg_read_binary_file.
    runner=(pg_virtualenv -t -o fsync=on -o synchronous_commit=on -o ssl=off -o max_connections=300 -o logging_collector=on)
    export BENCH_PG_ORIGIN="throw-away cluster for this run (pg_virtualenv -t, port $PGPORT)"
  fi
elif [ "$wants_postgres" = 1 ]; then
  export BENCH_PG_ORIGIN="existing server (PGHOST=$PGHOST), as found"
fi

chromium="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
data="${BENCH_DATA_DIR:-}"
if [ -z "$data" ]; then
  data="$(mktemp -d "${TMPDIR:-/tmp}/portal-bench.XXXXXX")"
else
  mkdir -p "$data"
  if [ -n "$(ls -A "$data")" ]; then
    echo "bench.sh: BENCH_DATA_DIR=$data is not empty; point it at an empty or new directory." >&2
    exit 2
  fi
fi

# Whatever happens, end the apps this run started (their ids are in $data/pids) and their children.
cleanup() {
  if [ -f "$data/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] || continue
      if kill -0 "$pid" 2>/dev/null; then
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done < "$data/pids"
  fi
  if [ "${BENCH_KEEP_DATA:-0}" = "1" ]; then
    echo "bench.sh: data and app logs kept in $data"
  else
    rm -rf "$data"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${BENCH_SKIP_PUBLISH:-0}" != "1" ]; then
  echo "bench.sh: publishing Release builds into $publish"
  started=$SECONDS
  rm -rf "$publish"
  for project in src/Portal/Portal.csproj src/Gate.Sandbox/Gate.Sandbox.csproj bench/Bench.Bare/Bench.Bare.csproj \
                 bench/Bench.EmptyBlazor/Bench.EmptyBlazor.csproj bench/Portal.Bench/Portal.Bench.csproj; do
    name="$(basename "$project" .csproj)"
    if ! dotnet publish "$project" -c Release -o "$publish/$name" --nologo -v quiet > "$artifacts/publish-$name.log" 2>&1; then
      cat "$artifacts/publish-$name.log" >&2
      echo "bench.sh: publishing $project failed (log: $artifacts/publish-$name.log)." >&2
      exit 1
    fi
  done
  echo "bench.sh: published in $((SECONDS - started)) s"
fi

bench=(dotnet "$publish/Portal.Bench/Portal.Bench.dll"
  --portal-app "$publish/Portal" --sandbox-app "$publish/Gate.Sandbox" --bare-app "$publish/Bench.Bare" --empty-blazor-app "$publish/Bench.EmptyBlazor"
  --data "$data" --report "$artifacts/report.txt" --chromium "$chromium" "$@" "${extra_args[@]}")
status=0
if [ "${#runner[@]}" -gt 0 ]; then
  # pg_virtualenv creates and starts the cluster, runs the load generator with PGHOST/PGPORT/PGUSER/PGPASSWORD set,
  # and drops the cluster when it ends (also on failure or Ctrl+C). The marker tells "the cluster never started"
  # apart from a load generator that failed.
  echo "bench.sh: starting a throw-away PostgreSQL cluster on port $PGPORT (pg_virtualenv -t; fsync=on, synchronous_commit=on)"
  started_marker="$data/postgres-started"
  "${runner[@]}" sh -c 'touch "$0" && exec "$@"' "$started_marker" "${bench[@]}" 2>&1 | tee "$artifacts/last-run.log" || status=$?
  if [ ! -e "$started_marker" ]; then
    echo "bench.sh: the throw-away PostgreSQL cluster did not start (pg_virtualenv exited with $status; its messages are above)." >&2
    echo "bench.sh: run with --no-postgres to skip the PostgreSQL pass, or point PGHOST at a running server." >&2
    exit 1
  fi
else
  "${bench[@]}" 2>&1 | tee "$artifacts/last-run.log" || status=$?
fi
exit "$status"
