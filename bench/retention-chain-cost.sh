#!/usr/bin/env bash
# What does one retention-chain search (issue 14) cost as the live heap grows, next to a live class histogram and
# JFR's path-to-gc-roots dump in the same JVM?
#
#   bench/retention-chain-cost.sh [SIZE...]        SIZE like 250m, 1g (default: 250m 1g 2g)
#
# For each size: compiles bench/LiveHeap.java and bench/ChainCost.java against the agent jar and runs ChainCost with
# -Xmx = HEAP_FACTOR x SIZE (default GC): it builds LiveHeap's heap (session cache, object graph, buffers), keeps its
# churn going, runs a JFR recording of jdk.OldObjectSample from the start, then RUNS times each: one chain search for
# LiveHeap$Session (the agent's RetentionSearch, default limits), one live histogram (GC.class_histogram), one JFR dump
# with path-to-gc-roots (cutoff infinity) and one without. Prints a Markdown table of medians (and maxima) over the
# runs: the longest single pause, the pauses added up, wall time and CPU; the last column is how many CPUs other
# processes kept busy meanwhile (from /proc/stat): on a shared machine that moves every number. Raw lines go to
# WORK/SIZE.tsv.
#
# Not part of the test suite: minutes per size, and its numbers depend on the machine. Needs a JDK 17+ (JAVA_HOME or
# java on PATH, with javac) and the agent jar (mvn -B -q package -DskipTests).
# Environment: RUNS (3), HEAP_FACTOR (3), AGENT_JAR (the one in agent/target), KEEP=1 keeps the work directory.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AGENT_JAR=${AGENT_JAR:-$BENCH/../agent/target/leakwatch-agent.jar}
RUNS=${RUNS:-3}
HEAP_FACTOR=${HEAP_FACTOR:-3}
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=$(command -v java) || { echo "retention-chain-cost: no java on PATH and JAVA_HOME unset" >&2; exit 2; }
fi
JAVAC="$(dirname "$(readlink -f "$JAVA")")/javac"

die() {
  echo "retention-chain-cost: $*" >&2
  exit 2
}

log() {
  echo "[$(date -u +%H:%M:%S)] $*" >&2
}

[[ -x "$JAVAC" ]] || die "no javac next to $JAVA (a JRE, not a JDK?)"
[[ -f "$AGENT_JAR" ]] || die "no $AGENT_JAR; build it: (cd $BENCH/.. && mvn -B -q package -DskipTests)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/retention-chain-cost.XXXXXX")
cleanup() {
  if [[ "${KEEP:-}" == 1 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
cp "$AGENT_JAR" "$WORK/leakwatch-agent.jar" # a rebuild during the run must not swap the agent under a JVM
"$JAVAC" -d "$WORK/classes" -cp "$WORK/leakwatch-agent.jar" "$BENCH/LiveHeap.java" "$BENCH/ChainCost.java"

size_mb() {
  case "$1" in
    *[gG]) echo $(( ${1%?} * 1024 )) ;;
    *[mM]) echo "${1%?}" ;;
    *) die "size '$1' is not like 250m or 1g" ;;
  esac
}

cpu_busy_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# stdin: numbers -> "median (max)"
median_max() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f (%.0f)\n", m, v[NR] }'
}

SIZES=("$@")
(( ${#SIZES[@]} > 0 )) || SIZES=(250m 1g 2g)
echo "| live heap | what | longest pause ms | pauses added ms | wall ms | CPU ms | passes / detail | other CPUs busy |"
echo "|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  mb=$(size_mb "$size")
  log "$size: ChainCost with -Xmx$(( mb * HEAP_FACTOR ))m, $RUNS runs"
  busy0=$(cpu_busy_ticks); t0=$(date +%s%N)
  "$JAVA" -Xmx"$(( mb * HEAP_FACTOR ))m" -cp "$WORK/classes:$WORK/leakwatch-agent.jar" ChainCost "$size" "$RUNS" \
    >"$WORK/$size.tsv" 2>"$WORK/$size.err" || die "$size: ChainCost failed: $(tail -5 "$WORK/$size.err")"
  busy1=$(cpu_busy_ticks); t1=$(date +%s%N)
  # Busy CPUs over the run, less this JVM's own CPU (its lines' CPU column, summed; about its whole use).
  own_ms=$(awk -F'\t' '{ s += $7 } END { print s + 0 }' "$WORK/$size.tsv")
  others=$(awk -v b=$(( busy1 - busy0 )) -v w=$(( (t1 - t0) / 1000000 )) -v o="$own_ms" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f", (b * 1000 / hz - o) / w }')
  for what in "chain search" "live histogram" "JFR dump, path-to-gc-roots" "JFR dump, no paths"; do
    lines=$(awk -F'\t' -v w="$what" '$2 == w' "$WORK/$size.tsv")
    [[ -n "$lines" ]] || continue
    detail=$(echo "$lines" | tail -1 | cut -f8 | sed 's/, chain: .*//')
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$what" \
      "$(echo "$lines" | cut -f4 | median_max)" "$(echo "$lines" | cut -f5 | median_max)" \
      "$(echo "$lines" | cut -f6 | median_max)" "$(echo "$lines" | cut -f7 | median_max)" "$detail" "$others"
  done
  grep -m1 'chain search' "$WORK/$size.tsv" | sed 's/.*chain: /  chain found: /' >&2 || true
done
