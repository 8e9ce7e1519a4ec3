#!/usr/bin/env bash
# What does leakwatch's allocation instrumentation add to the start of an application that loads ~10,000 classes,
# next to JFR and async-profiler in the same run?
#
#   bench/class-loading.sh [RUNS]        RUNS rounds of every configuration (default 5)
#
# With allocations=on the agent's ClassFileTransformer rewrites every application and library class as it loads, so
# class loading gets slower. The workload is bench/classload: it loads and initializes (Class.forName, initialize=true)
# every class of Groovy 4.0.33 (with its ASM, ANTLR and picocli copies), H2 2.3.232, Jackson 2.21.3 and Caffeine 3.1.8
# in name order, about 7,400 classes that pull in the JDK classes they use, then does a little real work with them
# (compiles and runs a Groovy script, fills and queries an in-memory H2 database, Jackson round-trips, a Caffeine
# cache). Every run is a fresh JVM with the same heap flags. Configurations:
#
#   none           no agent
#   leakwatch      -javaagent:leakwatch-agent.jar=output=DIR,interval=30s,allocations=on,sampler=jvm (the JVM's
#                  heap sampler: no class transformed)
#   leakwatch-instrumented  the same with sampler=instrumentation: every class instrumented as it loads
#   histograms     the same with allocations=off (class histograms only: no transformer)
#   jfr            -XX:StartFlightRecording=settings=profile,filename=DIR/x.jfr
#   asprof         -agentpath:libasyncProfiler.so=start,event=alloc,live,file=DIR/ap.jfr   (its default interval)
#
# Rounds are interleaved: round r runs every configuration once, in an order rotated by r, so a slow minute on this
# shared machine hits all of them rather than one. Per run it records, from the workload itself: time from JVM start
# (RuntimeMXBean.getStartTime) to main, the load phase (load-ms), the work phase (work-ms) and the classes loaded
# (ClassLoadingMXBean); from outside: the process's wall time (exit and the tools' shutdown work included), user+sys
# CPU and peak RSS (/usr/bin/time), and how many CPUs other processes kept busy meanwhile (/proc/stat minus our own
# CPU), a column to read the noise by. "to main + load phase" adds the first two: the start of an application of this
# size, which is what the agent's premain and its transformer both slow down. Differences against none are medians over rounds of the difference to the
# no-agent run of the same round. Under leakwatch the workload also reads, at its very end, how many classes the agent
# instrumented (the "Status" of its control MBean: neither its report nor its snapshots record the number). The script
# checks that every configuration failed to initialize the same library classes (the workload prints a digest of their
# names: a class that fails under one agent only would be an agent bug) and echoes any other stderr line of a run.
#
# The agent is built from the committed HEAD (git archive into the work directory, so agent/target and the working
# tree are never touched); AGENT_JAR=path measures a jar built elsewhere instead (it is copied first). async-profiler
# comes from Maven Central (tools.profiler:async-profiler, first of ASYNC_PROFILER_VERSIONS that resolves); its jar
# ships linux-x64/libasyncProfiler.so, which is extracted. Prints Markdown tables on stdout, progress on stderr.
#
# Not part of the test suite: numbers depend on the machine. RUNS=5 takes about 3 minutes on the 2-core test
# machine. Needs: JDK 17+ (JAVA_HOME or java on PATH), mvn, git, python3, GNU time (/usr/bin/time: apt-get install
# time), unzip, timeout; Linux x64.
# Environment: HEAP_FLAGS ("-Xmx1g -XX:+UseG1GC"); CONFIGS (all five above, in that order; none must be among them);
# RUN_TIMEOUT_S (240 per JVM); ASYNC_PROFILER_VERSIONS ("4.2 4.1 4.0"); AGENT_JAR; KEEP=1 keeps the work directory.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
RUNS=${1:-5}
HEAP_FLAGS=${HEAP_FLAGS:-"-Xmx1g -XX:+UseG1GC"}
CONFIGS=${CONFIGS:-"none leakwatch leakwatch-instrumented histograms jfr asprof"}
RUN_TIMEOUT_S=${RUN_TIMEOUT_S:-240}
ASYNC_PROFILER_VERSIONS=${ASYNC_PROFILER_VERSIONS:-"4.2 4.1 4.0"}

BENCH_NAME=class-loading
# shellcheck source=lib.sh
source "$BENCH/lib.sh"

build_workload classload classload-workload.jar
prepare_agent
fetch_async_profiler
describe_jvm
log "agent: $AGENT_FROM; async-profiler $AP_VERSION; JVM $JVM_NAME $JVM_VERSION"

# ---- one run --------------------------------------------------------------------------------------------------------

# JVM flags of a configuration; $2 is the run's own directory for whatever the tool writes.
config_flags() {
  local config=$1 dir=$2
  case "$config" in
    none) ;;
    leakwatch) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=jvm" ;;
    leakwatch-instrumented) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=on,sampler=instrumentation" ;;
    histograms) echo "-javaagent:$AGENT=output=$dir/lw,interval=30s,allocations=off" ;;
    jfr) echo "-XX:StartFlightRecording=settings=profile,filename=$dir/x.jfr" ;;
    asprof) echo "-agentpath:$AP_LIB=start,event=alloc,live,file=$dir/ap.jfr" ;;
    *) die "unknown configuration: $config" ;;
  esac
}


RESULTS="$WORK/results.tsv"
# The workload's output keys, in the order of their columns after run_measures' own.
WORKLOAD_KEYS="time-to-main-ms load-ms work-ms classes-loaded classes-after-load library-classes load-failed
  load-failed-digest checksum leakwatch-instrumented-classes"
printf 'config\tround\t%s\tttm_ms\tload_ms\twork_ms\tclasses\tclasses_after_load\tlibrary\tfailed\tdigest\tchecksum\tinstrumented\n' \
  "$RUN_MEASURES_HEADER" >"$RESULTS"

# run_one CONFIG ROUND: one fresh JVM; appends a line to $RESULTS.
run_one() {
  local config=$1 round=$2
  local dir="$WORK/run-$config-$round"
  mkdir -p "$dir"
  local flags
  flags=$(config_flags "$config" "$dir")
  # shellcheck disable=SC2086 # flags are word lists on purpose
  run_jvm "$dir" "$config round $round" $HEAP_FLAGS $flags -jar "$WORKLOAD"
  # Anything on stderr besides the workload's own "[classload] not loaded" lines and leakwatch's info lines is kept
  # for the report: agent warnings and errors are part of what this measures.
  grep -v '^\[classload\] not loaded: \|^\[leakwatch\] \(recording\|allocation tracking\|allocation sites are instrumented\|report\|allocation instrumentation removed\)' \
    "$dir/err" | sed "s/^/$config\t/" >>"$WORK/other-stderr.tsv" || true
  # shellcheck disable=SC2086 # the keys are a word list on purpose
  printf '%s\t%s\t%s\n' "$config" "$round" "$(run_measures "$dir" $WORKLOAD_KEYS)" >>"$RESULTS"
  [[ "${KEEP:-}" == 1 ]] || rm -rf "$dir"
}

# ---- the interleaved rounds -----------------------------------------------------------------------------------------

log "page cache warm-up (not recorded)"
"$JAVA" $HEAP_FLAGS -jar "$WORKLOAD" >/dev/null 2>&1

for ((round = 1; round <= RUNS; round++)); do
  order=$(rotated "$CONFIGS" "$round")
  log "round $round/$RUNS: $order"
  for config in $order; do
    run_one "$config" "$round"
  done
done

# ---- report ---------------------------------------------------------------------------------------------------------

touch "$WORK/other-stderr.tsv"
export RESULTS WORK CONFIGS HEAP_FLAGS JVM_NAME JVM_VERSION AGENT_FROM AP_VERSION
python3 - <<'EOF'
import os, statistics
env = os.environ
rows = [dict(zip(*[l.split('\t') for l in (header, line)]))
        for header in [open(env['RESULTS']).readline().rstrip('\n')]
        for line in open(env['RESULTS']).read().splitlines()[1:]]
for r in rows:
    # The start of an application of this size: JVM start to main, then loading and initializing its classes.
    r['start_ms'] = '-' if '-' in (r['ttm_ms'], r['load_ms']) else str(float(r['ttm_ms']) + float(r['load_ms']))
configs = [c for c in env['CONFIGS'].split() if any(r['config'] == c for r in rows)]
labels = {
    'none': 'no agent',
    'leakwatch': 'leakwatch allocations=on (JVM heap sampler)',
    'leakwatch-instrumented': 'leakwatch allocations=on, sampler=instrumentation',
    'histograms': 'leakwatch allocations=off (histograms only)',
    'jfr': 'JFR settings=profile',
    'asprof': f"async-profiler {env['AP_VERSION']} alloc,live",
}
med = statistics.median

def col(config, key, conv=float):
    return [conv(r[key]) for r in rows if r['config'] == config and r[key] != '-']

def diff(config, key):
    """Median over rounds of this config's value minus no-agent's in the same round."""
    base = {r['round']: float(r[key]) for r in rows if r['config'] == 'none' and r[key] != '-'}
    d = [float(r[key]) - base[r['round']] for r in rows
         if r['config'] == config and r['round'] in base and r[key] != '-']
    return med(d) if d else float('nan')

def ratio(config, key):
    base = {r['round']: float(r[key]) for r in rows if r['config'] == 'none' and r[key] != '-'}
    q = [float(r[key]) / base[r['round']] for r in rows
         if r['config'] == config and r['round'] in base and r[key] != '-' and base[r['round']] > 0]
    return med(q) if q else float('nan')

def cell(config, key, scale=1.0, fmt='.0f'):
    v = [x * scale for x in col(config, key)]
    return f"{med(v):{fmt}} ({min(v):{fmt}}-{max(v):{fmt}})" if v else '-'

def delta(config, key, scale=1.0, unit='ms', fmt='+.0f'):
    if config == 'none':
        return '-'
    return f"{diff(config, key) * scale:{fmt}} {unit}, x{ratio(config, key):.2f}"

checksums = {r['checksum'] for r in rows}
digests = {(r['failed'], r['digest']) for r in rows}
rounds = len({r['round'] for r in rows})
library = {r['library'] for r in rows}
print(f"Workload: bench/classload ({'/'.join(sorted(library))} library classes loaded and initialized, then a little "
      f"work); heap flags `{env['HEAP_FLAGS']}`; {rounds} interleaved rounds; JVM {env['JVM_NAME']} "
      f"{env['JVM_VERSION']}; agent {env['AGENT_FROM']}; checksum "
      f"{'identical in all runs' if len(checksums) == 1 else 'DIFFERS: ' + ' '.join(sorted(checksums))}; library "
      f"classes that could not be initialized: "
      + (f"{next(iter(digests))[0]} in every run, the same ones (digest {next(iter(digests))[1]})"
         if len(digests) == 1 else 'DIFFER between runs: ' + ', '.join(f'{n} ({h})' for n, h in sorted(digests)))
      + '.')
print()
print('Each cell: median (min-max) over the rounds; "vs none": median over rounds of the difference to the no-agent '
      'run of the same round, and of the ratio.')
print()
print('| configuration | time to main ms | vs none | load phase ms | vs none | work phase ms | vs none '
      '| to main + load phase ms | vs none | process wall s | vs none | CPU s (user+sys) | vs none | peak RSS MB | classes loaded | others\' CPUs |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for c in configs:
    print(f"| {labels[c]} | {cell(c, 'ttm_ms')} | {delta(c, 'ttm_ms')} "
          f"| {cell(c, 'load_ms')} | {delta(c, 'load_ms')} "
          f"| {cell(c, 'work_ms')} | {delta(c, 'work_ms')} "
          f"| {cell(c, 'start_ms')} | {delta(c, 'start_ms')} "
          f"| {cell(c, 'wall_ms', 1 / 1000, '.2f')} | {delta(c, 'wall_ms', 1 / 1000, 's', '+.2f')} "
          f"| {cell(c, 'cpu_s', 1, '.2f')} | {delta(c, 'cpu_s', 1, 's', '+.2f')} "
          f"| {cell(c, 'rss_kb', 1 / 1024)} | {cell(c, 'classes')} | {med(col(c, 'others')):.2f} |")
inst = col('leakwatch', 'instrumented', int)
after = {c: col(c, 'classes_after_load', int) for c in configs}
print()
print('Classes loaded at the end of the load phase, median: '
      + ', '.join(f"{c} {med(v):.0f}" for c, v in after.items() if v) + '.'
      + (f" leakwatch instrumented {min(inst)}-{max(inst)} classes per run (its control MBean's status at the workload's end)." if inst else ''))
other = {}
for line in open(env['WORK'] + '/other-stderr.tsv').read().splitlines():
    config, text = line.split('\t', 1)
    other.setdefault(text, {}).setdefault(config, 0)
    other[text][config] += 1
print()
if other:
    print('Other lines on stderr (runs per configuration):')
    print()
    for text, seen in other.items():
        print(f"- `{text[:200]}` ({', '.join(f'{c} {n}' for c, n in seen.items())})")
else:
    print('No other lines on stderr.')
EOF
log "done in $((SECONDS - START_S)) s"
