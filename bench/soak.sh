#!/usr/bin/env bash
# Does the agent stay healthy, and quiet, on a program that does not leak but keeps it busy for a long time? And on
# one that leaks slowly, does it find the leak early and keep it?
#
#   bench/soak.sh [SECONDS [AGENT_OPTIONS]]     default: 900 s, and the options below
#
# The program is bench/soak/Soak.java: six threads churn short-lived allocations through stacks 1 to 80 frames deep,
# through lambdas and reflection, so new allocation paths keep turning up; one thread loads a plugin class in a fresh
# class loader about 200 times a second and lets it go, so classes keep unloading. Nothing leaks.
#
# The default options are the hardest on the agent: the JVM's heap sampler at one sample per 4 KB with no ceiling on
# the sample rate (maxSampleRate=0), so its native queue overflows all the time and its tables fill:
#   allocations=on,sampler=jvm,samplingBytes=4k,maxSampleRate=0,interval=2s,report=10s
# Pass "allocations=on" for the defaults a user gets. output= is always the script's own directory.
#
# Environment:
#   CHURN_THREADS=6       churn threads
#   PAUSE_MS=0            when above 0, every load thread sleeps this long after each burst (1,000 units of churn, 10
#                         plugin loads), to hold the soak to a share of a shared machine (bench/soak-results.md says
#                         what the recorded runs used and the CPU they took)
#   LEAK_KB_PER_MINUTE=0  when above 0, the program is bench/soak/LeakingSoak.java instead: the same load plus a steady
#                         leak of LeakingSoak$Session objects, about this many KB a minute into a static map; the
#                         default options are then allocations=on,interval=10s,report=30s
#   SAMPLE_SECONDS=30     time between samples of the process and of the live report
#
# While the program runs, bench/soak/watch.py samples it from /proc: threads (and those named leakwatch-*), open files
# (and those in the output directory), RSS, CPU, the output directory's size on disk, the live report's verdict and
# top suspect; and it reads each snapshot's agentOwned rows (the agent's own heap, docs/formats.md) as they are
# written, before maxDisk deletes them. Its docstring states the criteria ("flat" and the rest).
#
# It prints the program's last line, every line the agent wrote to stderr (a "leak suspect confirmed" line is a false
# suspect when nothing leaks), and the final report's first lines; then the resources over time (first, middle, last,
# min, max, and every five minutes), the live report's changes, and a verdict per criterion: without a leak, no false
# alarm; with one, LeakingSoak$Session found early and never dropped (no flapping). Then it analyzes growing prefixes of
# the recording twice, as recorded and with each snapshot's agentOwned rows removed (what an agent before snapshot
# format 5 recorded), and prints each verdict and top suspect: the agent's own table growing while new paths turn up
# reads as a leak of long[] only in the second. Exits 1 when the run did not finish, the agent logged an error, the
# final report has a suspect where nothing leaks, or a criterion failed.
#
# The agent is agent/target/leakwatch-agent.jar, or AGENT_JAR=path (copied first, so a rebuild cannot change it
# mid-run); the analyzer is cli/target/leakwatch-analyzer.jar. KEEP=1 keeps the work directory. Needs: Linux
# (/proc), JDK 17+ (JAVA_HOME or java on PATH), python3.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH")
SECONDS_TO_RUN=${1:-900}
CHURN_THREADS=${CHURN_THREADS:-6}
PAUSE_MS=${PAUSE_MS:-0}
LEAK_KB_PER_MINUTE=${LEAK_KB_PER_MINUTE:-0}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}
if [[ "$LEAK_KB_PER_MINUTE" == 0 ]]; then
  OPTIONS=${2:-allocations=on,sampler=jvm,samplingBytes=4k,maxSampleRate=0,interval=2s,report=10s}
else
  OPTIONS=${2:-allocations=on,interval=10s,report=30s}
fi

die() {
  echo "soak: $*" >&2
  exit 2
}

[[ "$SECONDS_TO_RUN" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive number of seconds: $SECONDS_TO_RUN"
[[ "$OPTIONS" != *output=* ]] || die "leave output= out of AGENT_OPTIONS: the script records into its own directory"
for knob in CHURN_THREADS PAUSE_MS LEAK_KB_PER_MINUTE SAMPLE_SECONDS; do
  [[ "${!knob}" =~ ^[0-9]+$ ]] || die "$knob must be a whole number: ${!knob}"
done
[[ "$SAMPLE_SECONDS" -gt 0 ]] || die "SAMPLE_SECONDS must be above 0"
[[ -d /proc/self/task ]] || die "needs /proc (Linux)"
# The cap the agent keeps the segments under, for the disk criterion: maxDisk as in the options, else its default.
MAX_DISK=256m
if [[ ",$OPTIONS," =~ ,maxDisk=([0-9]+[kKmMgG]?), ]]; then
  MAX_DISK=${BASH_REMATCH[1]}
fi
case "${MAX_DISK: -1}" in
  k | K) MAX_DISK_BYTES=$((${MAX_DISK%?} * 1024)) ;;
  m | M) MAX_DISK_BYTES=$((${MAX_DISK%?} * 1024 * 1024)) ;;
  g | G) MAX_DISK_BYTES=$((${MAX_DISK%?} * 1024 * 1024 * 1024)) ;;
  *) MAX_DISK_BYTES=$MAX_DISK ;;
esac
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
  JAVAC="$JAVA_HOME/bin/javac"
else
  JAVA=$(command -v java) || die "no java on PATH and JAVA_HOME unset"
  JAVAC=$(command -v javac) || die "no javac on PATH and JAVA_HOME unset"
fi
command -v python3 >/dev/null || die "python3 is needed"
AGENT_SOURCE=${AGENT_JAR:-$REPO/agent/target/leakwatch-agent.jar}
ANALYZER="$REPO/cli/target/leakwatch-analyzer.jar"
[[ -f "$AGENT_SOURCE" ]] || die "no agent jar at $AGENT_SOURCE: run mvn -B -DskipTests package first, or set AGENT_JAR"
[[ -f "$ANALYZER" ]] || die "no analyzer jar at $ANALYZER: run mvn -B -DskipTests package first"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
PROGRAM_PID=""
WATCH_PID=""
cleanup() {
  if [[ -n "$PROGRAM_PID" ]]; then
    kill "$PROGRAM_PID" 2>/dev/null || true
  fi
  if [[ -n "$WATCH_PID" ]]; then
    kill "$WATCH_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-}" == 1 ]]; then
    echo "soak: work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$AGENT_SOURCE" "$WORK/agent.jar"
"$JAVAC" -d "$WORK/main" "$BENCH/soak/Soak.java" "$BENCH/soak/LeakingSoak.java"
"$JAVAC" -d "$WORK/plugin" "$BENCH/soak/Plugin.java"

if [[ "$LEAK_KB_PER_MINUTE" == 0 ]]; then
  PROGRAM=(Soak "$SECONDS_TO_RUN" "$WORK/plugin" "$CHURN_THREADS" "$PAUSE_MS")
  EXPECTED=()
else
  PROGRAM=(LeakingSoak "$SECONDS_TO_RUN" "$WORK/plugin" "$CHURN_THREADS" "$PAUSE_MS" "$LEAK_KB_PER_MINUTE")
  EXPECTED=('LeakingSoak$Session')
fi
echo "soak: ${SECONDS_TO_RUN} s of ${PROGRAM[0]} (CHURN_THREADS=$CHURN_THREADS PAUSE_MS=$PAUSE_MS" \
  "LEAK_KB_PER_MINUTE=$LEAK_KB_PER_MINUTE) with -javaagent:leakwatch-agent.jar=$OPTIONS; work directory $WORK" >&2
"$JAVA" -Xmx1g -javaagent:"$WORK/agent.jar=output=$WORK/out,$OPTIONS" -cp "$WORK/main" "${PROGRAM[@]}" \
  >"$WORK/program.out" 2>"$WORK/program.err" &
PROGRAM_PID=$!
python3 "$BENCH/soak/watch.py" sample "$PROGRAM_PID" "$WORK/out" "$WORK" "$SAMPLE_SECONDS" 2>"$WORK/watch.err" &
WATCH_PID=$!
status=0
wait "$PROGRAM_PID" || status=$?
PROGRAM_PID=""
wait "$WATCH_PID" || echo "soak: the watcher failed: $(tail -3 "$WORK/watch.err")" >&2
WATCH_PID=""

echo "program (exit $status): $(tail -1 "$WORK/program.out" 2>/dev/null)"
echo "agent's stderr:"
sed 's/^/  /' "$WORK/program.err"
echo "final report:"
head -3 "$WORK/out/leak-report.txt" | sed 's/^/  /'

failed=0
[[ "$status" == 0 ]] || failed=1
grep -q '^soak ok' "$WORK/program.out" || failed=1
grep -qi 'error\|exception' "$WORK/program.err" && failed=1
if [[ "$LEAK_KB_PER_MINUTE" == 0 ]]; then
  head -1 "$WORK/out/leak-report.txt" | grep -q 'leak-suspected' && failed=1
fi

echo
python3 "$BENCH/soak/watch.py" summary "$WORK" "$MAX_DISK_BYTES" "${EXPECTED[@]}" || failed=1

echo
echo "| snapshots | as recorded | agentOwned removed |"
echo "|---|---|---|"
python3 - "$WORK" "$JAVA" "$ANALYZER" <<'EOF'
import gzip, json, os, subprocess, sys

work, java, analyzer = sys.argv[1:4]
records = []
for name in sorted(os.listdir(os.path.join(work, "out"))):
    if name.startswith("snapshots-") and name.endswith(".jsonl.gz"):
        with gzip.open(os.path.join(work, "out", name), "rt") as segment:
            records.extend(line for line in segment if line.strip())

def verdict(lines, directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "snapshots-000000.jsonl"), "w") as out:
        out.writelines(lines)
    report = subprocess.run([java, "-jar", analyzer, "analyze", directory],
                            capture_output=True, text=True).stdout.splitlines()
    top = next((line.strip() for line in report if line.startswith("#1 ")), "")
    return (report[0].replace("leakwatch report: ", "") if report else "?") + (" " + top if top else "")

def stripped(line):
    record = json.loads(line)
    record.pop("agentOwned", None)
    return json.dumps(record, separators=(",", ":")) + "\n"

step = max(5, len(records) // 12)
for count in list(range(step, len(records), step)) + [len(records)]:
    prefix = records[:count]
    print(f"| {count} | {verdict(prefix, os.path.join(work, f'as-recorded-{count}'))} "
          f"| {verdict([stripped(line) for line in prefix], os.path.join(work, f'stripped-{count}'))} |")
EOF
exit "$failed"
