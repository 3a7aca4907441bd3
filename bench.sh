#!/usr/bin/env bash
# ./bench.sh — the performance report behind DESIGN.md's "Performance contract" (not part of ./test.sh).
#
# Publishes Release builds of the portal, the baselines (bench/Bench.Bare: a bare webhook endpoint and a
# constant-JSON status endpoint; bench/Bench.EmptyBlazor: the empty Blazor Server template) and the load generator
# (bench/Portal.Bench), starts each app as its own process on free loopback ports with its data in a fresh
# directory, runs every scenario against its baseline in the same run (alternating baseline and portal, medians
# reported) and prints ONE table with the ratios, each goal MET or NOT MET, above the machine facts.
#
#   ./bench.sh                 every scenario, default sizes (7-8 minutes on 2 cores, publishing included)
#   ./bench.sh --quick         a short smoke run of every scenario (about 3 minutes)
#   ./bench.sh B1 B3           only those scenarios (B1 ingest, B2 duplicate storm, B3 polling, B4 circuits, B5 start)
#   ./bench.sh --b1-open-seconds 30 --rounds 5   any knob; `./bench.sh --help` lists them with their defaults
#
# Knobs may also come from the environment: BENCH_ROUNDS=5, BENCH_B1_OPEN_SECONDS=30, …
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
    [ -f "$publish/Portal.Bench/Portal.Bench.dll" ] && dotnet "$publish/Portal.Bench/Portal.Bench.dll" --help | sed -n '/^Knobs/,$p' || true
    exit 0
  fi
done

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
  for project in src/Portal/Portal.csproj bench/Bench.Bare/Bench.Bare.csproj \
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

status=0
dotnet "$publish/Portal.Bench/Portal.Bench.dll" \
  --portal-app "$publish/Portal" --bare-app "$publish/Bench.Bare" --empty-blazor-app "$publish/Bench.EmptyBlazor" \
  --data "$data" --report "$artifacts/report.txt" --chromium "$chromium" "$@" 2>&1 | tee "$artifacts/last-run.log" || status=$?
exit "$status"
