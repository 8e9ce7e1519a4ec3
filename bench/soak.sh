#!/usr/bin/env bash
# Does the agent stay healthy, and quiet, on a program that does not leak but keeps it busy for a long time?
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
# It prints the program's last line, every line the agent wrote to stderr (a "leak suspect confirmed" line is a false
# suspect), and the final report's first lines. Then it analyzes growing prefixes of the recording twice, as recorded
# and with each snapshot's agentOwned rows removed (what an agent before snapshot format 5 recorded), and prints each
# verdict and top suspect: the agent's own table growing while new paths turn up reads as a leak of long[] only in the
# second. Exits 1 when the run did not finish, the agent logged an error, or the final report has a suspect.
#
# The agent is agent/target/leakwatch-agent.jar, or AGENT_JAR=path (copied first, so a rebuild cannot change it
# mid-run); the analyzer is analyzer/target/leakwatch-analyzer.jar. KEEP=1 keeps the work directory. Needs: JDK 17+
# (JAVA_HOME or java on PATH), python3.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$BENCH")
SECONDS_TO_RUN=${1:-900}
OPTIONS=${2:-allocations=on,sampler=jvm,samplingBytes=4k,maxSampleRate=0,interval=2s,report=10s}

die() {
  echo "soak: $*" >&2
  exit 2
}

[[ "$SECONDS_TO_RUN" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive number of seconds: $SECONDS_TO_RUN"
[[ "$OPTIONS" != *output=* ]] || die "leave output= out of AGENT_OPTIONS: the script records into its own directory"
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
  JAVAC="$JAVA_HOME/bin/javac"
else
  JAVA=$(command -v java) || die "no java on PATH and JAVA_HOME unset"
  JAVAC=$(command -v javac) || die "no javac on PATH and JAVA_HOME unset"
fi
command -v python3 >/dev/null || die "python3 is needed"
AGENT_SOURCE=${AGENT_JAR:-$REPO/agent/target/leakwatch-agent.jar}
ANALYZER="$REPO/analyzer/target/leakwatch-analyzer.jar"
[[ -f "$AGENT_SOURCE" ]] || die "no agent jar at $AGENT_SOURCE: run mvn -B -DskipTests install first, or set AGENT_JAR"
[[ -f "$ANALYZER" ]] || die "no analyzer jar at $ANALYZER: run mvn -B -DskipTests install first"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX")
PROGRAM_PID=""
cleanup() {
  if [[ -n "$PROGRAM_PID" ]]; then
    kill "$PROGRAM_PID" 2>/dev/null || true
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
"$JAVAC" -d "$WORK/main" "$BENCH/soak/Soak.java"
"$JAVAC" -d "$WORK/plugin" "$BENCH/soak/Plugin.java"

echo "soak: ${SECONDS_TO_RUN} s with -javaagent:leakwatch-agent.jar=$OPTIONS" >&2
"$JAVA" -Xmx1g -javaagent:"$WORK/agent.jar=output=$WORK/out,$OPTIONS" -cp "$WORK/main" Soak "$SECONDS_TO_RUN" \
  "$WORK/plugin" >"$WORK/program.out" 2>"$WORK/program.err" &
PROGRAM_PID=$!
status=0
wait "$PROGRAM_PID" || status=$?
PROGRAM_PID=""

echo "program (exit $status): $(tail -1 "$WORK/program.out" 2>/dev/null)"
echo "agent's stderr:"
sed 's/^/  /' "$WORK/program.err"
echo "final report:"
head -3 "$WORK/out/leak-report.txt" | sed 's/^/  /'

failed=0
[[ "$status" == 0 ]] || failed=1
grep -q '^soak ok' "$WORK/program.out" || failed=1
grep -qi 'error\|exception' "$WORK/program.err" && failed=1
head -1 "$WORK/out/leak-report.txt" | grep -q 'leak-suspected' && failed=1

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
