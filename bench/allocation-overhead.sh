#!/usr/bin/env bash
# What does leakwatch's allocation tracking cost a busy application, next to JFR and async-profiler in the same run?
#
#   bench/allocation-overhead.sh [RUNS]        RUNS rounds of every configuration (default 5)
#
# The workload is bench/alloc (Jackson, H2 and Caffeine doing a fixed amount of allocation-heavy work, single
# threaded, warm-up excluded from its own timing). Every run is a fresh JVM with the same heap flags. Configurations:
#
#   none           no agent
#   default        -javaagent:leakwatch-agent.jar=output=DIR: leakwatch's defaults, what a user gets with no option
#                  (allocations=auto: the JVM's heap sampler where its library loads, started on the agent's thread)
#   leakwatch      -javaagent:leakwatch-agent.jar=output=DIR,interval=30s,allocations=on,sampler=jvm: the JVM's own
#                  heap sampler (1 per 128 KiB allocated, at most 300 samples/s)
#   leakwatch-instrumented  the same with sampler=instrumentation: bytecode hooks at every allocation site, sampled
#                  1/512, at most 300 samples/s (what platforms without the native library get)
#   leakwatch-instrumented-4096  the same at sampling=4096, the default before issue 13
#   histograms     the same with allocations=off                                     (class histograms only)
#   jfr            -XX:StartFlightRecording=settings=profile,filename=DIR/x.jfr
#   empty-javaagent  -javaagent: with an empty premain: what any java agent costs at start-up
#   asprof         -agentpath:libasyncProfiler.so=start,event=alloc,live,file=DIR/ap.jfr   (its default interval)
#   leakwatch-rate100   leakwatch allocations=on,maxSampleRate=100: a third of the default ceiling's samples
#   leakwatch-uncapped  leakwatch allocations=on,maxSampleRate=0: no ceiling on samples/s (what the ceiling saves)
#   leakwatch-unsampled leakwatch allocations=on,sampler=instrumentation,sampling=2^30: every site instrumented,
#                       (almost) nothing sampled, so
#                       what the instrumented code costs by itself (counter and branch, larger methods), without samples
#   jvmti-probe    not leakwatch: bench/heap-sampling's probe, the JVM's own TLAB-based heap sampling (JVMTI
#                  SampledObjectAlloc) every 2 MB on average, each sample handed to Java for a stack walk and a weak
#                  reference; what a tracker fed by the JVM's sampler instead of bytecode hooks would cost (needs gcc)
#
# Rounds are interleaved: round r runs every configuration once, in an order rotated by r, so a slow minute on this
# shared machine hits all of them rather than one. Per run it records the process's wall time, the workload's own
# timed phase (elapsed-ms, and its last quarter: nearest to steady state), what the main thread allocated per timed
# iteration (escape analysis shows there), user+sys CPU and peak RSS (/usr/bin/time), the heap left after two full
# GCs at the end, and how many CPUs other processes kept busy meanwhile (/proc/stat minus our own CPU): a column to
# read the noise by. The CPU column is the steadiest on a shared machine. Start-up is measured separately with the workload's "hello" mode (JVM start, as RuntimeMXBean recorded it, to
# the first line of main; and the whole process, exit included) for STARTUP_CONFIGS.
#
# With PROFILE=1 (default) it ends with one run each of none and leakwatch under async-profiler CPU sampling and
# splits their CPU seconds by where they went (JIT, GC, workload, leakwatch's install/retransformation, hook, ...).
#
# The agent is built from the committed HEAD (git archive into the work directory, so agent/target and the working
# tree are never touched); AGENT_JAR=path measures a jar built elsewhere instead (it is copied first). async-profiler
# comes from Maven Central (tools.profiler:async-profiler, first of ASYNC_PROFILER_VERSIONS that resolves); its jar
# ships linux-x64/libasyncProfiler.so, which is extracted. Prints Markdown tables on stdout, progress on stderr.
#
# Not part of the test suite: numbers depend on the machine. RUNS=5 took 13 minutes on the 2-core test machine while
# other builds shared it; the deadline below keeps it under about 15. Needs: JDK 17+ (JAVA_HOME or java on PATH), mvn, git,
# python3, GNU time (/usr/bin/time: apt-get install time), unzip, timeout; Linux x64.
# Environment: ITERATIONS (4000) and WARMUP (1500) of the workload; HEAP_FLAGS ("-Xmx1g -XX:+UseG1GC"); CONFIGS
# ("none default histograms jfr asprof leakwatch-instrumented"; none must be among them); STARTUP_CONFIGS ("none default
# histograms jfr asprof"); STARTUP_RUNS (RUNS); PROFILE (1); DEADLINE_S (780: no new round
# starts after this many seconds, the tables then say how many rounds ran; DEADLINE_S=1 measures start-up only);
# RUN_TIMEOUT_S (240 per JVM);
# ASYNC_PROFILER_VERSIONS ("4.2 4.1 4.0"); AGENT_JAR; KEEP=1 keeps the work directory.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
RUNS=${1:-5}
ITERATIONS=${ITERATIONS:-4000}
WARMUP=${WARMUP:-1500}
HEAP_FLAGS=${HEAP_FLAGS:-"-Xmx1g -XX:+UseG1GC"}
CONFIGS=${CONFIGS:-"none default histograms jfr asprof leakwatch-instrumented"}
STARTUP_CONFIGS=${STARTUP_CONFIGS:-"none default histograms jfr asprof"}
STARTUP_RUNS=${STARTUP_RUNS:-$RUNS}
PROFILE=${PROFILE:-1}
DEADLINE_S=${DEADLINE_S:-780}
RUN_TIMEOUT_S=${RUN_TIMEOUT_S:-240}
ASYNC_PROFILER_VERSIONS=${ASYNC_PROFILER_VERSIONS:-"4.2 4.1 4.0"}
PROFILE_INTERVAL=10ms

BENCH_NAME=allocation-overhead
# shellcheck source=lib.sh
source "$BENCH/lib.sh"

build_workload alloc alloc-workload.jar
prepare_agent
fetch_async_profiler
if [[ " $CONFIGS " == *" jvmti-probe "* ]]; then build_heap_sampling_probe; fi
# The floor any java agent pays: a -javaagent whose premain does nothing (the JVM then resolves its modules without
# the CDS-archived module graph, and loads the java.lang.invoke machinery for it).
if [[ " $CONFIGS $STARTUP_CONFIGS " == *" empty-javaagent "* ]]; then
  mkdir -p "$WORK/empty-agent"
  printf 'public class EmptyAgent { public static void premain(String a, java.lang.instrument.Instrumentation i) {} }\n' \
    >"$WORK/empty-agent/EmptyAgent.java"
  "${JAVA%java}javac" -d "$WORK/empty-agent" "$WORK/empty-agent/EmptyAgent.java"
  printf 'Premain-Class: EmptyAgent\n' >"$WORK/empty-agent/manifest.txt"
  (cd "$WORK/empty-agent" && "${JAVA%java}jar" cfm empty-agent.jar manifest.txt EmptyAgent.class)
fi
describe_jvm
log "agent: $AGENT_FROM; async-profiler $AP_VERSION; JVM $JVM_NAME $JVM_VERSION; workload $ITERATIONS+$WARMUP iterations"

# ---- one run --------------------------------------------------------------------------------------------------------

# JVM flags of a configuration; $2 is the run's own directory for whatever the tool writes.
config_flags() {
  local config=$1 dir=$2
  case "$config" in
    none) ;;
    default) echo "-javaagent:$AGENT=output=$dir/lw" ;;
    leakwatch) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=jvm" ;;
    histograms) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=off" ;;
    leakwatch-uncapped) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,maxSampleRate=0" ;;
    leakwatch-instrumented) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=instrumentation" ;;
    leakwatch-instrumented-4096)
      echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=instrumentation,sampling=4096" ;;
    leakwatch-rate100) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=jvm,maxSampleRate=100" ;;
    leakwatch-unsampled)
      echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=instrumentation,sampling=1073741824" ;;
    jvmti-probe) echo "-agentpath:$PROBE_LIB=2097152 -Xbootclasspath/a:$PROBE_CLASSES" ;;
    jfr) echo "-XX:StartFlightRecording=settings=profile,filename=$dir/x.jfr" ;;
    empty-javaagent) echo "-javaagent:$WORK/empty-agent/empty-agent.jar" ;;
    asprof) echo "-agentpath:$AP_LIB=start,event=alloc,live,file=$dir/ap.jfr" ;;
    *) die "unknown configuration: $config" ;;
  esac
}


RESULTS="$WORK/results.tsv"
# The workload's output keys, in the order of their columns after run_measures' own.
WORKLOAD_KEYS="elapsed-ms last-quarter-ms warmup-ms time-to-main-ms heap-after-gc-kb allocated-kb-per-iteration checksum
  classes-loaded"
printf 'mode\tconfig\tround\t%s\telapsed_ms\tlast_quarter_ms\twarmup_ms\tttm_ms\theap_kb\talloc_kb\tchecksum\tclasses\n' \
  "$RUN_MEASURES_HEADER" >"$RESULTS"

# run_one MODE CONFIG ROUND [EXTRA_FLAGS]: one fresh JVM; appends a line to $RESULTS.
run_one() {
  local mode=$1 config=$2 round=$3 extra=${4:-}
  local dir="$WORK/run-$mode-$config-$round"
  mkdir -p "$dir"
  local flags args
  flags=$(config_flags "$config" "$dir")
  if [[ "$mode" == hello ]]; then args=hello; else args="run $ITERATIONS $WARMUP"; fi
  # shellcheck disable=SC2086 # flags are word lists on purpose
  run_jvm "$dir" "$mode $config round $round" $HEAP_FLAGS $flags $extra -jar "$WORKLOAD" $args
  # The default must track allocations here (a JVM in hello mode may exit before the sampler has started).
  if [[ "$config" == default && "$mode" == run ]] && ! grep -q '^\[leakwatch\] allocation tracking: ' "$dir/err"; then
    cat "$dir/err" >&2
    die "$mode $config round $round: the default did not track allocations"
  fi
  # shellcheck disable=SC2086 # the keys are a word list on purpose
  printf '%s\t%s\t%s\t%s\n' "$mode" "$config" "$round" "$(run_measures "$dir" $WORKLOAD_KEYS)" >>"$RESULTS"
  [[ "${KEEP:-}" == 1 ]] || rm -rf "$dir"
}

# ---- start-up, the interleaved rounds, the CPU profile --------------------------------------------------------------

log "page cache warm-up (not recorded)"
"$JAVA" $HEAP_FLAGS -jar "$WORKLOAD" hello >/dev/null

for ((round = 1; round <= STARTUP_RUNS; round++)); do
  for config in $(rotated "$STARTUP_CONFIGS" "$round"); do
    run_one hello "$config" "$round"
  done
done
log "start-up: $STARTUP_RUNS rounds of $STARTUP_CONFIGS done"

ROUNDS_DONE=0
for ((round = 1; round <= RUNS; round++)); do
  if ((SECONDS - START_S > DEADLINE_S)); then
    log "deadline of ${DEADLINE_S}s reached: stopping after $ROUNDS_DONE of $RUNS rounds"
    break
  fi
  order=$(rotated "$CONFIGS" "$round")
  log "round $round/$RUNS: $order"
  for config in $order; do
    run_one run "$config" "$round"
  done
  ROUNDS_DONE=$round
done

if [[ "$PROFILE" == 1 ]]; then
  for config in none leakwatch; do
    log "CPU profile of $config"
    run_one profile "$config" 1 \
      "-agentpath:$AP_LIB=start,event=cpu,interval=$PROFILE_INTERVAL,collapsed,file=$WORK/cpu-$config.txt"
  done
fi

# ---- report ---------------------------------------------------------------------------------------------------------

export RESULTS WORK PROFILE PROFILE_INTERVAL CONFIGS STARTUP_CONFIGS ITERATIONS WARMUP HEAP_FLAGS JVM_NAME JVM_VERSION \
  AGENT_FROM AP_VERSION
python3 - <<'EOF'
import collections, os, random, re, statistics
env = os.environ
results, work, profile, interval = env['RESULTS'], env['WORK'], env['PROFILE'], env['PROFILE_INTERVAL']
rows = [dict(zip(*[l.split('\t') for l in (header, line)]))
        for header in [open(results).readline().rstrip('\n')]
        for line in open(results).read().splitlines()[1:]]
configs = env['CONFIGS'].split()
labels = {
    'none': 'no agent',
    'default': 'leakwatch defaults (allocations=auto: JVM heap sampler)',
    'leakwatch': 'leakwatch allocations=on (JVM heap sampler, samplingBytes=128k, maxSampleRate=300)',
    'leakwatch-instrumented': 'leakwatch allocations=on, sampler=instrumentation (sampling=512, maxSampleRate=300)',
    'leakwatch-rate100': 'leakwatch allocations=on, maxSampleRate=100',
    'histograms': 'leakwatch allocations=off',
    'jfr': 'JFR settings=profile',
    'empty-javaagent': 'a java agent whose premain does nothing (the floor of any -javaagent)',
    'asprof': f"async-profiler {env['AP_VERSION']} alloc,live",
    'leakwatch-uncapped': 'leakwatch allocations=on, maxSampleRate=0 (no ceiling)',
    'leakwatch-instrumented-4096': 'leakwatch sampler=instrumentation, sampling=4096 (the default before issue 13)',
    'leakwatch-unsampled': 'leakwatch sampler=instrumentation, sampling=2^30 (instrumented, nothing sampled)',
    'jvmti-probe': 'JVMTI heap-sampling probe (2 MB, stack walk + weak reference per sample)',
}
med = statistics.median

def col(mode, config, key, conv=float):
    return [conv(r[key]) for r in rows if r['mode'] == mode and r['config'] == config and r[key] != '-']

def paired(mode, config, key):
    """Median over rounds of this config's value divided by no-agent's in the same round."""
    base = {r['round']: float(r[key]) for r in rows if r['mode'] == mode and r['config'] == 'none'}
    ratios = [float(r[key]) / base[r['round']] for r in rows
              if r['mode'] == mode and r['config'] == config and r['round'] in base]
    return med(ratios) if ratios else float('nan')

def startup_table():
    print()
    print(f"Start-up, workload's hello mode, {len(col('hello', 'none', 'ttm_ms'))} interleaved rounds: time from JVM start "
          "(RuntimeMXBean.getStartTime) to main, and the whole process (start to exit, shutdown work included).")
    print()
    print('| configuration | time to main ms, median (min-max) | vs none | process ms, median (min-max) | vs none |')
    print('|---|---|---|---|---|')
    t_base, p_base = med(col('hello', 'none', 'ttm_ms')), med(col('hello', 'none', 'wall_ms'))
    for c in env['STARTUP_CONFIGS'].split():
        t, p = col('hello', c, 'ttm_ms'), col('hello', c, 'wall_ms')
        if t:
            print(f"| {labels[c]} | {med(t):.0f} ({min(t):.0f}-{max(t):.0f}) | {med(t)-t_base:+.0f} ms "
                  f"| {med(p):.0f} ({min(p):.0f}-{max(p):.0f}) | {med(p)-p_base:+.0f} ms |")

run_rows = [r for r in rows if r['mode'] == 'run']
checksums = {r['checksum'] for r in run_rows}
rounds = len({r['round'] for r in run_rows})
if not rounds:  # start-up only (DEADLINE_S reached before the first round)
    startup_table()
    raise SystemExit(0)
print(f"Workload: bench/alloc, {env['ITERATIONS']} timed iterations after {env['WARMUP']} warm-up; heap flags "
      f"`{env['HEAP_FLAGS']}`; {rounds} interleaved rounds; JVM {env['JVM_NAME']} {env['JVM_VERSION']}; "
      f"agent {env['AGENT_FROM']}; "
      f"checksum {'identical in all runs' if len(checksums) == 1 else 'DIFFERS: ' + ' '.join(sorted(checksums))}.")
print()
print('| configuration | wall s, median (min-max) | wall vs none | workload ms, median (min-max) | workload vs none '
      '| workload vs none, per round | last quarter vs none, per round | CPU s (user+sys) | CPU vs none '
      '| allocated KB/iteration | peak RSS MB | RSS vs none | heap after GC MB | others\' CPUs |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
base = {k: med(col('run', 'none', k)) for k in ('wall_ms', 'elapsed_ms', 'cpu_s', 'rss_kb')}
for c in configs:
    w, e, cpu, rss = (col('run', c, k) for k in ('wall_ms', 'elapsed_ms', 'cpu_s', 'rss_kb'))
    heap, alloc, others = col('run', c, 'heap_kb'), col('run', c, 'alloc_kb'), col('run', c, 'others')
    if not w:
        continue
    print(f"| {labels[c]} | {med(w)/1000:.2f} ({min(w)/1000:.2f}-{max(w)/1000:.2f}) | {med(w)/base['wall_ms']:.3f} "
          f"| {med(e):.0f} ({min(e):.0f}-{max(e):.0f}) | {med(e)/base['elapsed_ms']:.3f} "
          f"| {paired('run', c, 'elapsed_ms'):.3f} | {paired('run', c, 'last_quarter_ms'):.3f} "
          f"| {med(cpu):.1f} | {med(cpu)/base['cpu_s']:.3f} | {med(alloc):.0f} | {med(rss)/1024:.0f} "
          f"| {med(rss)/base['rss_kb']:.3f} | {med(heap)/1024:.1f} | {med(others):.2f} |")

def paired_ratios(key, config, against):
    """Per round: this config's value over `against`'s in the same round (both ran within a minute of each other)."""
    base = {r['round']: float(r[key]) for r in run_rows if r['config'] == against and r[key] != '-'}
    return [float(r[key]) / base[r['round']] for r in run_rows
            if r['config'] == config and r['round'] in base and r[key] != '-']

def interval95(ratios, resamples=4000):
    """Percentile bootstrap of the median, seeded so that the same results print the same table."""
    rng = random.Random(1)
    meds = sorted(med(rng.choices(ratios, k=len(ratios))) for _ in range(resamples))
    return meds[int(0.025 * resamples)], meds[int(0.975 * resamples) - 1]

def ratio_cell(key, config, against):
    ratios = paired_ratios(key, config, against)
    if len(ratios) < 3:
        return '-'
    lo, hi = interval95(ratios)
    return f"{med(ratios):.3f} ({lo:.3f}-{hi:.3f})"

print()
print("Paired ratios: each run divided by the same round's run of the reference, median over rounds, and in brackets "
      "a 95% bootstrap interval of that median. A goal such as 'within 3% of no agent' is met when the whole interval "
      "is below 1.03; an interval that spans 1.000 is a difference this many rounds cannot tell from noise.")
print()
refs = [c for c in ('none', 'asprof') if c in configs]
print('| configuration | ' + ' | '.join(f"{k} vs {labels[r]}" for r in refs
                                       for k in ('CPU', 'wall', 'workload')) + ' |')
print('|---|' + '---|' * (3 * len(refs)))
for c in configs:
    if c == 'none':
        continue
    cells = [ratio_cell(k, c, r) if c != r else '-' for r in refs for k in ('cpu_s', 'wall_ms', 'elapsed_ms')]
    print(f"| {labels[c]} | " + ' | '.join(cells) + ' |')
startup_table()
warm = {c: col('run', c, 'warmup_ms') for c in configs}
classes = {c: col('run', c, 'classes', int) for c in configs}
print()
print(f"Warm-up phase ({env['WARMUP']} iterations: class loading of Jackson, H2, Caffeine and the JDK, and JIT), "
      "median ms: " + ', '.join(f"{c} {med(v):.0f}" for c, v in warm.items() if v) + '. Classes loaded by the end: '
      + ', '.join(f"{c} {max(v)}" for c, v in classes.items() if v) + '.')

if profile == '1':
    ms = int(interval.rstrip('ms'))
    def breakdown(path):
        cats = collections.Counter()
        for line in open(path):
            stack, n = line.rstrip('\n').rsplit(' ', 1)
            n = int(n)
            if 'AllocationTransformer.install' in stack or 'AgentBuilder$Default.doInstall' in stack:
                k = 'leakwatch: install (premain) and retransformation of loaded classes'
            elif 'libleakwatch' in stack or 'JvmtiExport::post_sampled_object_alloc' in stack:
                k = 'leakwatch: JVM heap sampler callback (allocating thread: stack walk, queue)'
            elif 'JvmHeapSampler' in stack:
                k = 'leakwatch: JVM heap sampler drain (its own thread: frames, tracking)'
            elif 'AllocationHook.sample' in stack:
                k = 'leakwatch: sampled allocations (hook slow path, stack, tracking)'
            elif 'AllocationHook' in stack:
                k = 'leakwatch: hook fast path (AllocationHook.allocated, inlined or not)'
            elif 'ScopedTransformer' in stack or 'ExecutingTransformer' in stack or 'AllocationTransformer' in stack:
                k = 'leakwatch: transforming classes as they load'
            elif re.search(r'dev/leakwatch/(agent|shaded|analyzer|bootstrap)', stack):
                k = 'leakwatch: snapshots, report, control'
            elif 'C2Compiler' in stack or 'C1Compiler' in stack or 'CompileBroker' in stack:
                k = 'JIT compilers'
            elif 'AllocWorkload' in stack:
                k = 'workload (its own code and libraries)'
            elif re.search(r'G1|GCTask|ParallelCleaning|WorkerThread|Gang', stack):
                k = 'GC'
            else:
                k = 'other (VM, class loading, start-up)'
            cats[k] += n * ms / 1000
        return cats
    a, b = breakdown(f"{work}/cpu-none.txt"), breakdown(f"{work}/cpu-leakwatch.txt")
    print()
    print(f"Where the CPU goes (one run each under async-profiler event=cpu,interval={interval}; CPU seconds):")
    print()
    print('| where | no agent | leakwatch allocations=on | difference |')
    print('|---|---|---|---|')
    for k in sorted(set(a) | set(b), key=lambda k: -(b[k] + a[k])):
        print(f"| {k} | {a[k]:.1f} | {b[k]:.1f} | {b[k]-a[k]:+.1f} |")
    print(f"| total | {sum(a.values()):.1f} | {sum(b.values()):.1f} | {sum(b.values())-sum(a.values()):+.1f} |")
EOF
log "done in $((SECONDS - START_S)) s"
