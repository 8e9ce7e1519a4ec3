# Shared by the benchmark scripts that compare leakwatch with JFR and async-profiler in interleaved runs
# (allocation-overhead.sh, class-loading.sh). Source it after setting:
#   BENCH_NAME                 the script's name, for messages and the work directory
#   BENCH, REPO, RUNS, CONFIGS, ASYNC_PROFILER_VERSIONS
# It defines die and log, checks the tools, makes $WORK (removed at exit unless KEEP=1) with the traps that end a
# running JVM ($CHILD_PGID) on an interrupt, and provides the build steps and cpu_jiffies below.

die() {
  echo "$BENCH_NAME: $*" >&2
  exit 2
}

log() {
  echo "[$(date -u +%H:%M:%S)] $*" >&2
}

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number: $RUNS"
[[ " $CONFIGS " == *" none "* ]] || die "CONFIGS must include none: every comparison is against it"
if [[ -n "${JAVA_HOME:-}" ]]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA=$(command -v java) || die "no java on PATH and JAVA_HOME unset"
fi
for tool in mvn git python3 unzip timeout; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[[ -x /usr/bin/time ]] || die "GNU time is needed at /usr/bin/time (apt-get install time)"
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "async-profiler is taken for linux-x64 only"

START_S=$SECONDS
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$BENCH_NAME.XXXXXX")
CHILD_PGID=""

cleanup() {
  if [[ -n "$CHILD_PGID" ]]; then
    kill -- -"$CHILD_PGID" 2>/dev/null || true
  fi
  if [[ "${KEEP:-}" == 1 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'echo "$BENCH_NAME: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM

# build_workload DIR JAR: builds bench/DIR and copies its JAR into $WORK; sets WORKLOAD.
build_workload() {
  local dir=$1 jar=$2
  log "building the workload (bench/$dir)"
  mvn -B -q -f "$BENCH/$dir/pom.xml" package >"$WORK/build-workload.log" 2>&1 \
    || { tail -30 "$WORK/build-workload.log" >&2; die "workload build failed"; }
  cp "$BENCH/$dir/target/$jar" "$WORK/$jar"
  WORKLOAD="$WORK/$jar"
}

# prepare_agent: a private copy of AGENT_JAR, or the agent built from the committed HEAD in a private export (so
# agent/target and the working tree are never touched); sets AGENT and AGENT_FROM.
prepare_agent() {
  if [[ -n "${AGENT_JAR:-}" ]]; then
    [[ -f "$AGENT_JAR" ]] || die "AGENT_JAR=$AGENT_JAR does not exist"
    AGENT_FROM="$AGENT_JAR"
    cp "$AGENT_JAR" "$WORK/leakwatch-agent.jar"
  else
    AGENT_FROM="commit $(git -C "$REPO" rev-parse --short=12 HEAD)"
    log "building the agent from $AGENT_FROM in a private export"
    mkdir "$WORK/src"
    git -C "$REPO" archive HEAD | tar -x -C "$WORK/src"
    mvn -B -q -f "$WORK/src/pom.xml" package -DskipTests -pl agent -am >"$WORK/build-agent.log" 2>&1 \
      || { tail -30 "$WORK/build-agent.log" >&2; die "agent build failed"; }
    cp "$WORK/src/agent/target/leakwatch-agent.jar" "$WORK/leakwatch-agent.jar"
    rm -rf "$WORK/src"
  fi
  AGENT="$WORK/leakwatch-agent.jar"
}

# fetch_async_profiler: the first of ASYNC_PROFILER_VERSIONS that resolves from Maven Central; its jar ships
# linux-x64/libasyncProfiler.so. Sets AP_VERSION and AP_LIB.
fetch_async_profiler() {
  AP_VERSION=""
  local version
  for version in $ASYNC_PROFILER_VERSIONS; do
    if mvn -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" -Dtransitive=false \
        >"$WORK/ap-get.log" 2>&1; then
      AP_VERSION=$version
      break
    fi
    log "async-profiler $version did not resolve from Maven Central"
  done
  [[ -n "$AP_VERSION" ]] || die "none of async-profiler $ASYNC_PROFILER_VERSIONS resolved (see mvn dependency:get)"
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$WORK/ap" >"$WORK/ap-copy.log" 2>&1 \
    || { tail -20 "$WORK/ap-copy.log" >&2; die "could not copy async-profiler $AP_VERSION"; }
  unzip -q -o "$WORK/ap/async-profiler-$AP_VERSION.jar" linux-x64/libasyncProfiler.so -d "$WORK/ap"
  AP_LIB="$WORK/ap/linux-x64/libasyncProfiler.so"
  [[ -f "$AP_LIB" ]] || die "no linux-x64/libasyncProfiler.so in async-profiler $AP_VERSION"
}

# build_heap_sampling_probe: bench/heap-sampling's JVMTI probe (gcc, against the running JDK's headers) and its Java
# half; sets PROBE_LIB and PROBE_CLASSES.
build_heap_sampling_probe() {
  local java_home
  java_home=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
  [[ -f "$java_home/include/jvmti.h" ]] || die "no $java_home/include/jvmti.h: the probe needs a JDK's headers"
  command -v gcc >/dev/null || die "gcc not found (apt-get install gcc)"
  log "building the JVMTI heap-sampling probe (bench/heap-sampling)"
  gcc -shared -fPIC -O2 -I"$java_home/include" -I"$java_home/include/linux" -o "$WORK/libprobe.so" \
    "$BENCH/heap-sampling/probe.c" || die "probe build failed"
  mkdir -p "$WORK/probe-classes"
  "$java_home/bin/javac" -d "$WORK/probe-classes" "$BENCH/heap-sampling/HeapSamplingProbe.java" \
    || die "probe class build failed"
  PROBE_LIB="$WORK/libprobe.so"
  PROBE_CLASSES="$WORK/probe-classes"
}

# describe_jvm: sets JVM_VERSION and JVM_NAME.
describe_jvm() {
  JVM_VERSION=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
  JVM_NAME=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.name/ {print $2}')
}

# The order of round $2 over the words of $1: rotated by the round number.
rotated() {
  local -a items=($1)
  local n=${#items[@]} r=$2 i
  for ((i = 0; i < n; i++)); do
    echo -n "${items[(i + r) % n]} "
  done
}

# Busy and total jiffies of all CPUs, from the first line of /proc/stat.
cpu_jiffies() {
  awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat
}
HZ=$(getconf CLK_TCK)

# run_measures DIR KEY...: one tab-separated line about the JVM that run_jvm just ran in DIR: wall_ms, cpu_s
# (user+sys), rss_kb, others (how many CPUs other processes kept busy meanwhile: /proc/stat minus our own CPU), then
# the value of each KEY among the workload's "KEY value" output lines ('-' when absent). RUN_MEASURES_HEADER names
# the first four columns.
RUN_MEASURES_HEADER=$'wall_ms\tcpu_s\trss_kb\tothers'
run_measures() {
  local dir=$1
  shift
  python3 - "$T0" "$T1" "$CPU_BEFORE" "$CPU_AFTER" "$HZ" "$dir" "$@" <<'EOF'
import sys
t0, t1, before, after, hz, d = sys.argv[1:7]
out = dict(l.split(' ', 1) for l in open(d + '/out').read().splitlines() if ' ' in l and not l.startswith('['))
tm = dict(kv.split('=') for kv in open(d + '/time').read().split() if '=' in kv)
wall_s = (int(t1) - int(t0)) / 1e9
cpu_s = float(tm['user_s']) + float(tm['sys_s'])
busy_s = (int(after.split()[0]) - int(before.split()[0])) / int(hz)
others = max(0.0, (busy_s - cpu_s) / wall_s)
print('\t'.join([str(round(wall_s * 1000)), f'{cpu_s:.2f}', tm['rss_kb'], f'{others:.2f}']
                + [out.get(k, '').strip() or '-' for k in sys.argv[7:]]))
EOF
}

# run_jvm DIR LABEL JVM_ARGUMENTS...: one fresh JVM, timed, in its own process group, stdout and stderr in DIR/out and
# DIR/err, GNU time's figures in DIR/time. Sets T0 and T1 (ns) and CPU_BEFORE and CPU_AFTER (cpu_jiffies). A failed
# run, or a leakwatch that did not start as configured, ends the benchmark with LABEL in the message.
run_jvm() {
  local dir=$1 label=$2 rc=0
  shift 2
  CPU_BEFORE=$(cpu_jiffies)
  T0=$(date +%s%N)
  # set -m: the JVM gets its own process group, so that cleanup can end it (and only it) on an interrupt.
  set -m
  timeout -k 10 "$RUN_TIMEOUT_S" /usr/bin/time -o "$dir/time" -f 'rss_kb=%M user_s=%U sys_s=%S' \
    "$JAVA" "$@" >"$dir/out" 2>"$dir/err" &
  CHILD_PGID=$!
  set +m
  wait "$CHILD_PGID" || rc=$?
  CHILD_PGID=""
  T1=$(date +%s%N)
  CPU_AFTER=$(cpu_jiffies)
  if [[ $rc -ne 0 ]]; then
    tail -20 "$dir/err" >&2
    die "$label exited with $rc (timeout is ${RUN_TIMEOUT_S}s)"
  fi
  if grep -q 'not started\|allocation tracking disabled' "$dir/err"; then
    cat "$dir/err" >&2
    die "$label: leakwatch did not run as configured"
  fi
}
