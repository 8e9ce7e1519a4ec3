#!/usr/bin/env bash
# What does one leakwatch snapshot cost as the live heap grows, next to jcmd's GC.class_histogram in the same JVM?
#
#   bench/snapshot-cost.sh [SIZE...]        SIZE like 256m, 1g (default: 256m 1g)
#
# For each size: starts bench/LiveHeap.java (live set of about SIZE, -Xmx = HEAP_FACTOR x SIZE, default GC) under
# the agent with interval=5s,budget=50%,maxPause=60s,report=1h; after "ready" waits for SNAPSHOTS live snapshots;
# then, in the same JVM, times JCMD_RUNS runs each of `jcmd PID GC.class_histogram` (live: a full GC first),
# `jcmd PID GC.class_histogram -all` (no GC) and `jcmd PID VM.version` (what launching jcmd and attaching costs by
# itself). The agent goes on taking snapshots between the jcmd runs, and the table counts the durationMs of every
# live snapshot after "ready" (about SNAPSHOTS + 2 x JCMD_RUNS): interleaved with the jcmd runs, both tools see the
# same noise from the rest of the machine. The stop-the-world pause of every histogram is read from -Xlog:safepoint:
# the time the JVM spent in its "GC_HeapInspection" safepoint (full GC plus counting). Prints a Markdown table; its
# last column is how many CPUs other processes kept busy meanwhile (from /proc/stat): on a shared machine that moves
# every number.
#
# Each jcmd run starts JCMD_DELAY_S after an agent snapshot was written, to fall in the agent's idle gap, and is
# checked afterwards against the snapshot records and the safepoint log (both wall-clock stamped): its wall time
# counts only if no agent snapshot overlapped it, its pause only if no agent snapshot ran before it ([n/n] in the
# table: wall times, pauses counted). A jcmd live histogram so finds about 1 s of churn garbage where the agent's
# finds about 5 s (LiveHeap churns 5 MB/s): a bias in jcmd's favour, small next to a live set of 256 MB or more.
#
# Not part of the test suite: it takes one to a few minutes per size and its numbers depend on the machine.
# Needs: a JDK 17+ (JAVA_HOME or java on PATH; jcmd is taken from the same JDK), jq, and the agent jar
# (cd to the repository and run: mvn -B -q install -DskipTests).
# Environment: SNAPSHOTS (6), JCMD_RUNS (3), HEAP_FACTOR (3), AGENT_JAR (the one in agent/target), KEEP=1 keeps
# the work directory. The jar is copied first: a rebuild during the run must not swap the agent under a JVM.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AGENT_JAR=${AGENT_JAR:-$BENCH/../agent/target/leakwatch-agent.jar}
AGENT_OPTIONS="interval=5s,budget=50%,maxPause=60s,report=1h"
SNAPSHOTS=${SNAPSHOTS:-6}
JCMD_RUNS=${JCMD_RUNS:-3}
HEAP_FACTOR=${HEAP_FACTOR:-3}
SNAPSHOT_TIMEOUT_S=240   # for all SNAPSHOTS after ready; at budget=50% a 10 s snapshot still comes every 20 s
GAP_TIMEOUT_S=90         # for the next agent snapshot before a jcmd run
JCMD_TIMEOUT_S=120       # for one jcmd run
JCMD_DELAY_S=1           # between an agent snapshot and a jcmd run (see below)
# A heap-inspection safepoint belongs to the agent snapshot whose window [time, time + durationMs] holds its start,
# computed as logged time less the pause: that can fall a millisecond before the window (rounding), and well after
# it, as the VM thread logs after releasing the threads (120 ms late seen on a busy machine).
MATCH_EARLY_MS=20
MATCH_LATE_MS=500

if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=$(command -v java) || { echo "snapshot-cost: no java on PATH and JAVA_HOME unset" >&2; exit 2; }
fi
JCMD="$(dirname "$(readlink -f "$JAVA")")/jcmd"   # the same JDK as the JVM under test

die() {
  echo "snapshot-cost: $*" >&2
  exit 2
}

log() {
  echo "[$(date -u +%H:%M:%S)] $*" >&2
}

[[ -x "$JCMD" ]] || die "no jcmd next to $JAVA (a JRE, not a JDK?)"
command -v jq >/dev/null || die "jq is needed to read the snapshot records"
[[ -f "$AGENT_JAR" ]] || die "no $AGENT_JAR; build it: (cd $BENCH/.. && mvn -B -q install -DskipTests)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/snapshot-cost.XXXXXX")
CHILD=""

cleanup() {
  if [[ -n "$CHILD" ]] && kill -0 "$CHILD" 2>/dev/null; then
    kill "$CHILD" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$CHILD" 2>/dev/null || true
  fi
  if [[ "${KEEP:-}" == 1 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'echo "snapshot-cost: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM
cp "$AGENT_JAR" "$WORK/leakwatch-agent.jar"
AGENT_SHA=$(sha256sum "$WORK/leakwatch-agent.jar" | cut -c1-12)
AGENT_JAR="$WORK/leakwatch-agent.jar"

now_ms() {
  date +%s%3N
}

# 256m -> 256, 1g -> 1024 (megabytes)
size_mb() {
  case "$1" in
    *[gG]) echo $(( ${1%?} * 1024 )) ;;
    *[mM]) echo "${1%?}" ;;
    *) die "size '$1' is not like 256m or 1g" ;;
  esac
}

# One TSV line per complete snapshot record: time durationMs kind rows objects bytes. A segment being written may
# end in a partial gzip member or line; those are skipped.
records() {
  { zcat "$1"/snapshots-*.jsonl.gz 2>/dev/null || true; } |
    jq -R -r 'fromjson? | select(.format == "leakwatch-snapshot")
      | [.time, .durationMs, .histogram.kind, (.histogram.classes | length),
         ([.histogram.classes[][1]] | add), ([.histogram.classes[][2]] | add)] | @tsv' ||
    echo "snapshot-cost: jq failed on the records in $1" >&2
}

# stdin: numbers, one a line -> "median max count" ("- - 0" when empty); $1: decimals (0)
stats() {
  sort -g | awk -v p="${1:-0}" '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - 0"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%." p "f %." p "f %d\n", m, v[NR], NR }'
}

# Total size of the snapshot segments: it grows by one record per write, so polling it costs the measured JVM's
# CPUs almost nothing (unlike decompressing and parsing the records every time).
segment_bytes() {
  { find "$1" -maxdepth 1 -name 'snapshots-*.jsonl.gz' -printf '%s\n' 2>/dev/null || true; } |
    awk '{ s += $1 } END { print s + 0 }'
}

# CPU time, in clock ticks, that all processes were busy (user, nice, system, irq, softirq, steal) and that one
# process used: their difference over the measurement says how busy the rest of the machine kept the CPUs.
cpu_busy_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

process_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Waits until the agent has written another record, at most $2 seconds.
wait_next_record() {
  local dir=$1 before deadline=$(( $(date +%s) + $2 ))
  before=$(segment_bytes "$dir")
  while (( $(segment_bytes "$dir") == before )) && (( $(date +%s) < deadline )) && kill -0 "$CHILD" 2>/dev/null; do
    sleep 0.2
  done
}

measure() {
  local size=$1 mb xmx dir out ready_at deadline count i kind t0 t1
  mb=$(size_mb "$size")
  xmx="$(( mb * HEAP_FACTOR ))m"
  dir="$WORK/$size"
  out="$dir/lw"
  mkdir -p "$dir"
  log "$size: starting LiveHeap with -Xmx$xmx and the agent ($AGENT_OPTIONS)"
  "$JAVA" -Xmx"$xmx" \
    -Xlog:safepoint=info:file="$dir/safepoint.log":timemillis \
    -Xlog:gc=info:file="$dir/gc.log":timemillis \
    -javaagent:"$AGENT_JAR=output=$out,$AGENT_OPTIONS" \
    "$BENCH/LiveHeap.java" "$size" >"$dir/liveheap.out" 2>&1 &
  CHILD=$!

  deadline=$(( $(date +%s) + 60 + 90 * mb / 1024 ))
  until grep -q '^ready' "$dir/liveheap.out"; do
    kill -0 "$CHILD" 2>/dev/null || die "$size: LiveHeap exited before ready: $(tail -5 "$dir/liveheap.out")"
    (( $(date +%s) < deadline )) || die "$size: LiveHeap not ready after $(( 60 + 90 * mb / 1024 )) s"
    sleep 0.5
  done
  ready_at=$(sed -n 's/^ready .* at=\([0-9]*\).*/\1/p' "$dir/liveheap.out")
  log "$size: ready ($(grep '^ready' "$dir/liveheap.out")); waiting for $SNAPSHOTS snapshots"
  local busy0 own0 wall0
  busy0=$(cpu_busy_ticks); own0=$(process_ticks "$CHILD"); wall0=$(now_ms)

  deadline=$(( $(date +%s) + SNAPSHOT_TIMEOUT_S ))
  while :; do
    wait_next_record "$out" $(( deadline - $(date +%s) > 0 ? deadline - $(date +%s) : 0 ))
    count=$(records "$out" | awk -v r="$ready_at" '$1 > r' | wc -l)
    (( count >= SNAPSHOTS )) && break
    kill -0 "$CHILD" 2>/dev/null || die "$size: LiveHeap died: $(tail -5 "$dir/liveheap.out")"
    if (( $(date +%s) >= deadline )); then
      log "$size: only $count snapshots after ${SNAPSHOT_TIMEOUT_S}s, going on with those"
      break
    fi
  done

  # jcmd runs, each soon after an agent snapshot was written, so that it falls in the agent's idle gap.
  : >"$dir/jcmd.tsv"
  for (( i = 1; i <= JCMD_RUNS; i++ )); do
    for kind in live all version; do
      if [[ "$kind" != version ]]; then
        wait_next_record "$out" "$GAP_TIMEOUT_S"
        sleep "$JCMD_DELAY_S"
      fi
      t0=$(now_ms)
      case "$kind" in
        live) timeout "$JCMD_TIMEOUT_S" "$JCMD" "$CHILD" GC.class_histogram >"$dir/jcmd-$kind-$i.txt" ;;
        all) timeout "$JCMD_TIMEOUT_S" "$JCMD" "$CHILD" GC.class_histogram -all >"$dir/jcmd-$kind-$i.txt" ;;
        version) timeout "$JCMD_TIMEOUT_S" "$JCMD" "$CHILD" VM.version >"$dir/jcmd-$kind-$i.txt" ;;
      esac || log "$size: jcmd $kind run $i failed"
      t1=$(now_ms)
      printf '%s\t%s\t%s\t%s\n' "$kind" "$t0" "$t1" \
        "$(grep -cE '^ *[0-9]+: ' "$dir/jcmd-$kind-$i.txt" || true)" >>"$dir/jcmd.tsv"
    done
  done
  # One more snapshot, so that every agent snapshot that could overlap a jcmd run has its record.
  wait_next_record "$out" "$GAP_TIMEOUT_S"
  # CPUs kept busy by everything but the JVM under test (jcmd included, about 0.2 CPU s a run)
  awk -v b="$(( $(cpu_busy_ticks) - busy0 ))" -v o="$(( $(process_ticks "$CHILD") - own0 ))" \
      -v w="$(( $(now_ms) - wall0 ))" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.1f\n", (b - o) / hz / (w / 1000) }' >"$dir/other-cpus.txt"

  kill "$CHILD" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$CHILD" 2>/dev/null || true
  wait "$CHILD" 2>/dev/null || true
  CHILD=""

  records "$out" >"$dir/records.tsv"
  # Heap-inspection safepoints as "start-ms total-ms", the start being the logged time less the pause, from lines like
  # [1795646085457ms] Safepoint "GC_HeapInspection", ..., Total: 18969123 ns
  sed -n 's/^\[\([0-9]*\)ms\] Safepoint "GC_HeapInspection".* Total: \([0-9]*\) ns.*/\1 \2/p' "$dir/safepoint.log" |
    awk '{ printf "%.0f %.1f\n", $1 - $2 / 1e6, $2 / 1e6 }' >"$dir/pauses.txt"
  summarize "$size" "$xmx" "$dir" "$ready_at"
}

# Prints one table row for a size from records.tsv, jcmd.tsv and pauses.txt.
summarize() {
  local size=$1 xmx=$2 dir=$3 ready_at=$4 after rows objects bytes clean kind
  after="$dir/after-ready.tsv"
  awk -F'\t' -v r="$ready_at" '$1 > r && $3 == "live"' "$dir/records.tsv" >"$after"
  read -r lw_med lw_max lw_n < <(cut -f2 "$after" | stats)
  # pause of each of those snapshots: the heap-inspection safepoint that started within its window
  read -r lw_pause _ lw_pause_n < <(awk -v e="$MATCH_EARLY_MS" -v l="$MATCH_LATE_MS" '
      NR == FNR { t[NR] = $1; d[NR] = $2; n = NR; next }
      { for (i = 1; i <= n; i++) if ($1 >= t[i] - e && $1 <= t[i] + d[i] + l) print $2 }' \
      FS='\t' "$after" FS=' ' "$dir/pauses.txt" | stats)
  if (( lw_pause_n != lw_n )); then
    log "$size: $lw_pause_n safepoints matched to $lw_n agent snapshots; see $dir"
  fi
  rows=$(cut -f4 "$after" | sort -n | tail -1)
  objects=$(cut -f5 "$after" | stats | cut -d' ' -f1)
  bytes=$(cut -f6 "$after" | stats | cut -d' ' -f1)

  # Each jcmd run as "kind wall-ms pause-ms agent-ms agent-pause-ms", "-" where the agent disturbed it; the last
  # two are the agent snapshot just before the run (JCMD_DELAY_S earlier), its pair for the ratios. The run's own
  # heap inspection is the one safepoint in its window that no agent snapshot accounts for (none for VM.version; a
  # run without exactly one is dropped). Its wall time counts only if no agent snapshot overlapped the run. Its pause
  # counts if no agent snapshot was under way before that safepoint began: an agent snapshot after it cannot have
  # lengthened it, and dropping those runs too would drop the slowest ones, the ones the next snapshot caught up with.
  clean="$dir/jcmd-clean.txt"
  awk -v e="$MATCH_EARLY_MS" -v l="$MATCH_LATE_MS" '
      FILENAME ~ /records/ { rt[++nr] = $1; rd[nr] = $2; live[nr] = $3 == "live"; rp[nr] = "-"; next }
      FILENAME ~ /pauses/  {
        agent = 0
        for (i = 1; i <= nr; i++) if ($1 >= rt[i] - e && $1 <= rt[i] + rd[i] + l) { agent = 1; rp[i] = $2 }
        if (!agent) { ps[++np] = $1; pt[np] = $2 }
        next
      }
      {
        kind = $1; t0 = $2; t1 = $3
        k = 0; own = t1; pause = "-"
        for (i = 1; i <= np; i++) if (ps[i] >= t0 && ps[i] <= t1) { k++; own = ps[i]; pause = pt[i] }
        if (k != (kind == "version" ? 0 : 1)) next
        wall = t1 - t0
        for (i = 1; i <= nr; i++) {
          if (rt[i] < t1 && rt[i] + rd[i] > t0) wall = "-"
          if (rt[i] < own && rt[i] + rd[i] > t0) pause = "-"
        }
        prev = 0
        for (i = 1; i <= nr; i++) if (rt[i] < t0 && (prev == 0 || rt[i] > rt[prev])) prev = i
        print kind, wall, pause, (prev && live[prev] ? rd[prev] : "-"), (prev && live[prev] ? rp[prev] : "-")
      }' FS='\t' "$dir/records.tsv" FS=' ' "$dir/pauses.txt" FS='\t' "$dir/jcmd.tsv" >"$clean"

  for kind in live all version; do
    read -r "wall_$kind" _ "n_$kind" < <(awk -v k="$kind" '$1 == k && $2 != "-" { print $2 }' "$clean" | stats)
    read -r "pause_$kind" _ "np_$kind" < <(awk -v k="$kind" '$1 == k && $3 != "-" { print $3 }' "$clean" | stats)
  done
  # Ratios per pair (agent snapshot, the jcmd live run after it), then their median: on a busy machine the cost
  # moves several-fold within minutes, and a pair sees the same conditions.
  local ratio pause_ratio
  ratio=$(awk '$1 == "live" && $2 != "-" && $4 != "-" { print $4 / $2 }' "$clean" | stats 2 | cut -d' ' -f1)
  pause_ratio=$(awk '$1 == "live" && $3 != "-" && $5 != "-" { print $5 / $3 }' "$clean" | stats 2 | cut -d' ' -f1)
  printf '| %s (%s MB, %s M objects) | %s | %s | %s / %s (%s) | %s | %s (%s) [%s/%s] | %s (%s) [%s/%s] | %s [%s] |'\
' %s | %s | %s |\n' \
    "$size" "$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')" \
    "$(awk -v o="$objects" 'BEGIN { printf "%.1f", o / 1e6 }')" "$xmx" "$rows" \
    "$lw_med" "$lw_max" "$lw_n" "$lw_pause" \
    "$wall_live" "$pause_live" "$n_live" "$np_live" "$wall_all" "$pause_all" "$n_all" "$np_all" \
    "$wall_version" "$n_version" \
    "$ratio" "$pause_ratio" "$(cat "$dir/other-cpus.txt")" >>"$WORK/table.md"
}

SIZES=("$@")
(( ${#SIZES[@]} > 0 )) || SIZES=(256m 1g)
for size in "${SIZES[@]}"; do size_mb "$size" >/dev/null; done

{
  printf '%s' "| live set (measured) | -Xmx | histogram rows | leakwatch snapshot ms median / max (n)" \
    " | leakwatch pause ms median | jcmd live ms (pause) [n/n] | jcmd -all ms (pause) [n/n] | jcmd VM.version ms [n]" \
    " | leakwatch / jcmd live, wall, paired | leakwatch / jcmd live, pause, paired | other processes' CPUs |"
  echo
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$WORK/table.md"

started=$(date +%s)
started_utc=$(date -u +%Y-%m-%dT%H:%MZ)
for size in "${SIZES[@]}"; do
  measure "$size"
done

properties=$("$JAVA" -XshowSettings:properties -version 2>&1)
echo
echo "$(sed -n 's/^ *java.vm.version = //p' <<<"$properties") ($(sed -n 's/^ *java.vm.name = //p' <<<"$properties")),"\
" GC: $(sed -n 's/.*Using \(.*\)$/\1/p' "$WORK/${SIZES[0]}/gc.log" | head -1), $(nproc) CPUs,"\
" $started_utc to $(date -u +%H:%MZ), $(( $(date +%s) - started )) s"
echo "agent: $AGENT_OPTIONS (jar sha256 $AGENT_SHA...); waited for $SNAPSHOTS snapshots after ready," \
  "then $JCMD_RUNS runs of each jcmd"
echo
cat "$WORK/table.md"
