#!/usr/bin/env bash
# What does loading leakwatch at start-up cost a JVM, next to JFR in the same run?
#
#   bench/agent-startup.sh [AGENT_JAR...]     (default: agent/target/leakwatch-agent.jar)
#
# Runs a main that returns at once, RUNS times per configuration, the configurations interleaved so that every one
# sees the same noise from the rest of the machine: no agent, JFR (-XX:StartFlightRecording), and each agent jar given
# (with its defaults plus output=, interval=1h, so that the figure is the start-up and the shutdown's final snapshot,
# not the schedule). Prints a Markdown table: the jar's size, the median and the quartiles of the wall time, the
# median as a ratio to no agent and to JFR, and the classes loaded (from -Xlog:class+load, deterministic where wall
# times are not).
#
# Not part of the test suite. Needs a JDK 17+ (JAVA_HOME or java on PATH).
# Environment: RUNS (15), KEEP=1 keeps the work directory.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=${RUNS:-15}
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "agent-startup.sh: RUNS must be a positive number: $RUNS" >&2; exit 2; }
if [[ $# -eq 0 ]]; then
  set -- "$BENCH/../agent/target/leakwatch-agent.jar"
fi
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
else
  JAVA=$(command -v java); JAVAC=$(command -v javac)
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/agent-startup.XXXXXX")
trap '[[ "${KEEP:-}" == 1 ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT

jars=()
for jar in "$@"; do
  [[ -f "$jar" ]] || { echo "agent-startup.sh: no agent jar at $jar (build it: mvn -B -o package -DskipTests)" >&2; exit 2; }
  copy="$WORK/agent-${#jars[@]}.jar"
  cp "$jar" "$copy" # a rebuild during the run must not swap the jar under a JVM
  jars+=("$copy")
done

mkdir -p "$WORK/classes"
cat >"$WORK/Quick.java" <<'JAVA'
public class Quick {
    public static void main(String[] args) {
        System.out.println("done");
    }
}
JAVA
"$JAVAC" -d "$WORK/classes" "$WORK/Quick.java"

configs=(none jfr)
for i in "${!jars[@]}"; do configs+=("agent-$i"); done

options_for() {
  case $1 in
    none) ;;
    jfr) echo "-XX:StartFlightRecording=filename=$WORK/rec.jfr" ;;
    agent-*) echo "-javaagent:$WORK/$1.jar=output=$WORK/out-$1,interval=1h" ;;
  esac
}

for ((run = 0; run < RUNS; run++)); do
  for config in "${configs[@]}"; do
    rm -rf "$WORK/out-$config" "$WORK/rec.jfr"
    # shellcheck disable=SC2046
    start=$(date +%s%N)
    "$JAVA" $(options_for "$config") -Xlog:class+load=info:file="$WORK/classes-$config.log" -cp "$WORK/classes" Quick \
      >"$WORK/stdout-$config" 2>"$WORK/stderr-$config" || { cat "$WORK/stderr-$config" >&2; exit 1; }
    end=$(date +%s%N)
    echo "$config $(((end - start) / 1000000))" >>"$WORK/times"
    grep -c . "$WORK/classes-$config.log" >"$WORK/count-$config"
  done
done

python3 - "$WORK" "${configs[@]}" -- "$@" <<'PY'
import os, statistics, sys
work = sys.argv[1]
split = sys.argv.index("--")
configs, jars = sys.argv[2:split], sys.argv[split + 1:]
times = {}
for line in open(os.path.join(work, "times")):
    config, ms = line.split()
    times.setdefault(config, []).append(int(ms))
median = {c: statistics.median(v) for c, v in times.items()}
print("| configuration | jar size | wall ms median (q1-q3) | vs no agent | vs JFR | classes loaded |")
print("|---|---|---|---|---|---|")
for c in configs:
    q = statistics.quantiles(times[c], n=4) if len(times[c]) > 1 else [times[c][0]] * 3
    name = {"none": "no agent", "jfr": "JFR"}.get(c, c)
    size = "-"
    if c.startswith("agent-"):
        jar = jars[int(c.split("-")[1])]
        name = os.path.relpath(jar) if not jar.startswith("/tmp") else jar
        size = "%.2f MB" % (os.path.getsize(jar) / 1e6)
    classes = open(os.path.join(work, "count-" + c)).read().strip()
    print("| %s | %s | %d (%d-%d) | %.2f | %.2f | %s |" % (name, size, median[c], q[0], q[2],
          median[c] / median["none"], median[c] / median["jfr"], classes))
print("\n%d runs per configuration, interleaved; %s" % (len(times["none"]), os.popen("java -version 2>&1 | head -1").read().strip()))
PY
