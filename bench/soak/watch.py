#!/usr/bin/env python3
"""Watches a soak from outside the JVM and judges it; used by bench/soak.sh (Linux only: it reads /proc).

  watch.py sample PID OUTPUT_DIR WORK_DIR [SECONDS_BETWEEN_SAMPLES]
      Until PID exits, every 30 s (by default), appends one row to WORK_DIR/resources.tsv: threads, the threads
      whose name starts with "leakwatch" (from /proc/PID/task/*/comm, which holds the first 15 characters of a Java
      thread's name), open file descriptors and how many of them point into OUTPUT_DIR, RSS, the process's CPU
      seconds, OUTPUT_DIR's size on disk and its snapshot segments' bytes, and the verdict and top suspect of the
      leak-report.json the agent keeps rewriting (a copy of each goes to WORK_DIR/reports). It also reads every snapshot the agent has appended since the
      last sample (before maxDisk deletes its segment) and appends to WORK_DIR/snapshots.tsv its JVM uptime and the
      total bytes of its agentOwned rows (docs/formats.md).

  watch.py summary WORK_DIR MAX_DISK_BYTES [EXPECTED_SUSPECT]
      Prints the resources over time and the verdict on each criterion below; exits 1 when one fails.

The criteria ("flat" is judged on what comes after a settling time, split in thirds by time: the last third's
maximum against the first third's):
  leakwatch threads   the same count in every sample from 60 s on
  threads             last third's maximum at most the first third's + 2 (the JVM starts and retires compiler
                      threads on its own)
  open files          last third's maximum at most the first third's + 2 (a segment or a report's temporary file
                      may be open at the moment of a sample); into the output directory: never more than 2
  disk                the snapshot segments never above MAX_DISK_BYTES (the agent's maxDisk)
  agent's heap        agentOwned bytes per snapshot, from 10 minutes of uptime on (a third of the run when shorter
                      than 30 minutes): last third's maximum at most 5% above the first third's
  RSS                 reported, judged only as a hint (last third's max at most 10% above the first third's): it is
                      the whole JVM, whose heap G1 sizes as it likes
Without EXPECTED_SUSPECT (a program that does not leak):
  no false alarm      no sampled report with verdict leak-suspected, no "leak suspect confirmed" line on the agent's
                      stderr (WORK_DIR/program.err), and a final report that is not leak-suspected
With EXPECTED_SUSPECT (a class name):
  found early         a sampled report names it as the top suspect within 15 minutes (a quarter of a shorter run)
  no flapping         from then on, the sampled (verdict, top suspect) never changes: the count of changes is 0
  no other suspect    no "leak suspect confirmed" line for another class
"""
import gzip
import json
import os
import re
import sys
import time
import zlib

RESOURCE_COLUMNS = ["elapsedS", "threads", "leakwatchThreads", "leakwatchThreadNames", "fds", "fdsIntoOutput",
                    "rssKb", "cpuS", "diskKb", "segmentKb", "segments", "reportVerdict", "reportTop",
                    "reportConfidence", "reportSnapshots", "reportGeneratedAt", "reportSuspects"]
SNAPSHOT_COLUMNS = ["sequence", "time", "uptimeS", "agentOwnedBytes", "heapUsed"]

SETTLE_S = 60
AGENT_HEAP_SETTLE_S = 600
THREAD_SLACK = 2
FD_SLACK = 2
MAX_FDS_INTO_OUTPUT = 2
AGENT_HEAP_TOLERANCE = 0.05
RSS_TOLERANCE = 0.10
EARLY_DETECTION_S = 900


def main(argv):
    if len(argv) >= 4 and argv[1] == "sample":
        sample(int(argv[2]), argv[3], argv[4], float(argv[5]) if len(argv) > 5 else 30.0)
        return 0
    if len(argv) in (4, 5) and argv[1] == "summary":
        return summary(argv[2], int(argv[3]), argv[4] if len(argv) > 4 else None)
    print(__doc__, file=sys.stderr)
    return 2


# ---- sampling ----------------------------------------------------------------------------------------------------

def sample(pid, output, work, period):
    start = time.time()
    clock_ticks = os.sysconf("SC_CLK_TCK")
    segments_read = {}  # segment name -> complete records already taken from it
    with open(os.path.join(work, "resources.tsv"), "w") as resources, \
            open(os.path.join(work, "snapshots.tsv"), "w") as snapshots:
        resources.write("\t".join(RESOURCE_COLUMNS) + "\n")
        snapshots.write("\t".join(SNAPSHOT_COLUMNS) + "\n")
        with open(os.path.join(work, "watch.start"), "w") as marker:
            marker.write(f"{start}\n")
        while True:
            row = process_row(pid, output, work, clock_ticks)
            for record in new_snapshots(output, segments_read):
                snapshots.write("\t".join(str(v) for v in record) + "\n")
            snapshots.flush()
            if row is None:
                break
            resources.write("\t".join(str(v) for v in [round(time.time() - start)] + row) + "\n")
            resources.flush()
            deadline = time.time() + period
            while time.time() < deadline and os.path.exists(f"/proc/{pid}"):
                time.sleep(1)
            if not os.path.exists(f"/proc/{pid}"):
                time.sleep(1)  # the final report is written at exit
                for record in new_snapshots(output, segments_read):
                    snapshots.write("\t".join(str(v) for v in record) + "\n")
                break


def process_row(pid, output, work, clock_ticks):
    try:
        names = []
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/comm") as comm:
                    names.append(comm.read().strip())
            except OSError:
                pass  # the thread ended meanwhile
        own = sorted(name for name in names if name.startswith("leakwatch"))
        real_output = os.path.realpath(output)
        fds = 0
        into_output = 0
        for fd in os.listdir(f"/proc/{pid}/fd"):
            fds += 1
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target == real_output or target.startswith(real_output + "/"):
                into_output += 1
        with open(f"/proc/{pid}/status") as status:
            rss = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), -1)
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / clock_ticks  # utime, stime
    except (FileNotFoundError, ProcessLookupError):
        return None
    disk = 0
    segment_bytes = 0
    segments = 0
    if os.path.isdir(output):
        for name in os.listdir(output):
            try:
                st = os.lstat(os.path.join(output, name))
            except OSError:
                continue
            disk += st.st_blocks * 512
            if name.startswith("snapshots-"):
                segment_bytes += st.st_size
                segments += 1
    verdict, top, confidence, count, generated, suspects = read_report(output, os.path.join(work, "reports"))
    return [len(names), len(own), ",".join(sorted(set(own))) or "-", fds, into_output, rss, round(cpu, 1),
            disk // 1024, segment_bytes // 1024, segments, verdict, top, confidence, count, generated, suspects]


def read_report(output, keep_in=None):
    """verdict, top suspect, its confidence, snapshots analysed, generatedAt, every suspect (name:confidence:KB/min);
    keep_in: a directory to keep a copy of the report in, named after its generatedAt."""
    try:
        with open(os.path.join(output, "leak-report.json")) as f:
            text = f.read()
        report = json.loads(text)
    except (OSError, ValueError):
        return "-", "-", "-", "-", "-", "-"
    if keep_in:
        os.makedirs(keep_in, exist_ok=True)
        with open(os.path.join(keep_in, f"leak-report-{report.get('generatedAt', 'unknown')}.json"), "w") as copy:
            copy.write(text)
    suspects = report.get("suspects") or []
    top = suspects[0] if suspects else None
    return (report.get("verdict", "-"), top["className"] if top else "-",
            f"{top['confidence']:.2f}" if top else "-", (report.get("snapshots") or {}).get("count", "-"),
            report.get("generatedAt", "-"),
            ",".join(f"{s['className']}:{s['confidence']:.2f}:{s['growthBytesPerMinute'] / 1024:.0f}"
                     for s in suspects) or "-")


def new_snapshots(output, segments_read):
    """Records appended since the last call, each as SNAPSHOT_COLUMNS; a segment is re-read only while it may grow."""
    if not os.path.isdir(output):
        return []
    names = sorted(n for n in os.listdir(output) if re.fullmatch(r"snapshots-\d+\.jsonl\.gz", n))
    records = []
    for i, name in enumerate(names):
        done = segments_read.get(name)
        if done is not None and done[1]:
            continue
        lines = complete_lines(os.path.join(output, name))
        finished = i < len(names) - 1  # a newer segment exists: the agent never appends to this one again
        skip = done[0] if done else 0
        for line in lines[skip:]:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            owned = sum(row[2] for row in record.get("agentOwned") or [])
            heap = ((record.get("gauges") or {}).get("heap") or {}).get("used", -1)
            records.append([record.get("sequence"), record.get("time"), round(record.get("uptimeMs", -1) / 1000),
                            owned, heap])
        segments_read[name] = (len(lines), finished)
    return records


def complete_lines(path):
    """The complete lines of a segment; a member being written (or torn) at its end is left out."""
    data = b""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError:
        return []
    while raw:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = decompressor.decompress(raw)
        except zlib.error:
            break
        if not decompressor.eof:
            break  # a member not yet complete
        data += chunk
        raw = decompressor.unused_data
    return [line for line in data.decode("utf-8", "replace").split("\n")[:-1] if line.strip()]


# ---- summary -----------------------------------------------------------------------------------------------------

def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def thirds(rows, key):
    """The first and last thirds, by time, of rows (each with key giving its time)."""
    if len(rows) < 3:
        return None
    t0, t1 = key(rows[0]), key(rows[-1])
    span = t1 - t0
    first = [r for r in rows if key(r) <= t0 + span / 3]
    last = [r for r in rows if key(r) >= t1 - span / 3]
    return (first, last) if first and last else None


def summary(work, max_disk, expected):
    rows = read_tsv(os.path.join(work, "resources.tsv"))
    snaps = [s for s in read_tsv(os.path.join(work, "snapshots.tsv")) if s["uptimeS"] not in ("", "-1")]
    if not rows:
        print("no resource sample: the program ended before the first one")
        return 1
    for r in rows:
        for c in ("elapsedS", "threads", "leakwatchThreads", "fds", "fdsIntoOutput", "rssKb", "diskKb", "segmentKb",
                  "segments"):
            r[c] = int(r[c])
        r["cpuS"] = float(r["cpuS"])
    for s in snaps:
        for c in ("uptimeS", "agentOwnedBytes", "heapUsed"):
            s[c] = int(s[c])
    results = []

    def judge(name, ok, detail, gate=True):
        results.append((name, ok, detail, gate))

    # The table: first, middle, last, min, max of each measure.
    middle = rows[len(rows) // 2]
    measures = [("threads", "threads"), ("leakwatch threads", "leakwatchThreads"), ("open fds", "fds"),
                ("fds into output dir", "fdsIntoOutput"), ("RSS MB", "rssKb"), ("output dir on disk KB", "diskKb"),
                ("snapshot segments KB", "segmentKb")]
    print(f"{len(rows)} samples over {rows[-1]['elapsedS'] / 60:.1f} min; {len(snaps)} snapshots read")
    print()
    print("| measure | first | middle | last | min | max |")
    print("|---|---|---|---|---|---|")
    print(f"| at minute | {rows[0]['elapsedS'] / 60:.1f} | {middle['elapsedS'] / 60:.1f} | "
          f"{rows[-1]['elapsedS'] / 60:.1f} | | |")
    for label, col in measures:
        scale = 1024 if col == "rssKb" else 1
        values = [r[col] / scale for r in rows]
        fmt = (lambda v: f"{v:.0f}")
        print(f"| {label} | {fmt(rows[0][col] / scale)} | {fmt(middle[col] / scale)} | {fmt(rows[-1][col] / scale)} "
              f"| {fmt(min(values))} | {fmt(max(values))} |")
    if snaps:
        mid = snaps[len(snaps) // 2]
        owned = [s["agentOwnedBytes"] / 1024 for s in snaps]
        print(f"| agentOwned KB (per snapshot; minute {snaps[0]['uptimeS'] / 60:.1f} / {mid['uptimeS'] / 60:.1f} / "
              f"{snaps[-1]['uptimeS'] / 60:.1f}) | {owned[0]:.0f} | {mid['agentOwnedBytes'] / 1024:.0f} "
              f"| {owned[-1]:.0f} | {min(owned):.0f} | {max(owned):.0f} |")
    if len(rows) > 1:
        cpu = (rows[-1]["cpuS"] - rows[0]["cpuS"]) / max(1, rows[-1]["elapsedS"] - rows[0]["elapsedS"])
        print(f"| CPU, cores (average) | | | {cpu:.2f} | | |")
    print()

    # Every five minutes (a tenth of a run shorter than half an hour), for the record.
    step = 300 if rows[-1]["elapsedS"] >= 1800 else max(30, rows[-1]["elapsedS"] // 10)
    print("| minute | threads | leakwatch threads | fds (into output) | RSS MB | disk KB (segments) "
          "| agentOwned KB | report verdict, top suspect |")
    print("|---|---|---|---|---|---|---|---|")
    next_at = 0
    for i, r in enumerate(rows):
        if r["elapsedS"] >= next_at or i == len(rows) - 1:
            owned = [s["agentOwnedBytes"] for s in snaps if s["uptimeS"] <= r["elapsedS"] + 1]
            print(f"| {r['elapsedS'] / 60:.1f} | {r['threads']} | {r['leakwatchThreads']} | {r['fds']} "
                  f"({r['fdsIntoOutput']}) | {r['rssKb'] / 1024:.0f} | {r['diskKb']} ({r['segmentKb']}) | "
                  f"{owned[-1] / 1024:.0f} | {r['reportVerdict']}, {r['reportTop']} {r['reportConfidence']} |"
                  if owned else
                  f"| {r['elapsedS'] / 60:.1f} | {r['threads']} | {r['leakwatchThreads']} | {r['fds']} "
                  f"({r['fdsIntoOutput']}) | {r['rssKb'] / 1024:.0f} | {r['diskKb']} ({r['segmentKb']}) | - | "
                  f"{r['reportVerdict']}, {r['reportTop']} {r['reportConfidence']} |")
            next_at = r["elapsedS"] + step
    print()

    settled = [r for r in rows if r["elapsedS"] >= SETTLE_S]
    own_counts = sorted({r["leakwatchThreads"] for r in settled})
    names = sorted({r["leakwatchThreadNames"] for r in settled})
    judge("leakwatch threads constant", len(own_counts) == 1,
          f"counts from minute 1 on: {own_counts}; names: {' | '.join(names)}")
    split = thirds(settled, lambda r: r["elapsedS"])
    if split:
        first, last = split
        a, b = max(r["threads"] for r in first), max(r["threads"] for r in last)
        judge("threads not growing", b <= a + THREAD_SLACK, f"max {a} in the first third, {b} in the last")
        a, b = max(r["fds"] for r in first), max(r["fds"] for r in last)
        judge("open fds not growing", b <= a + FD_SLACK, f"max {a} in the first third, {b} in the last")
        a, b = max(r["rssKb"] for r in first), max(r["rssKb"] for r in last)
        judge("RSS (whole JVM: a hint, not a gate)", b <= a * (1 + RSS_TOLERANCE),
              f"max {a / 1024:.0f} MB in the first third, {b / 1024:.0f} MB in the last", gate=False)
    else:
        judge("threads, fds not growing", False, "fewer than 3 samples after the first minute")
    most = max(r["fdsIntoOutput"] for r in rows)
    judge("fds into the output dir bounded", most <= MAX_FDS_INTO_OUTPUT, f"at most {most} at once")
    most = max(r["segmentKb"] for r in rows) * 1024
    judge("disk under maxDisk", most <= max_disk,
          f"segments at most {most / 1048576:.2f} MB of a {max_disk / 1048576:.0f} MB cap; whole directory at most "
          f"{max(r['diskKb'] for r in rows) / 1024:.2f} MB on disk")
    if snaps:
        run = snaps[-1]["uptimeS"]
        settle = min(AGENT_HEAP_SETTLE_S, run / 3)
        split = thirds([s for s in snaps if s["uptimeS"] >= settle], lambda s: s["uptimeS"])
        if split:
            a = max(s["agentOwnedBytes"] for s in split[0])
            b = max(s["agentOwnedBytes"] for s in split[1])
            judge("agent's heap (agentOwned) flat", b <= a * (1 + AGENT_HEAP_TOLERANCE),
                  f"from minute {settle / 60:.0f}: max {a / 1024:.0f} KB in the first third, {b / 1024:.0f} KB in "
                  f"the last")
        else:
            judge("agent's heap (agentOwned) flat", False, "fewer than 3 snapshots after settling")
    else:
        judge("agent's heap (agentOwned) flat", False, "no snapshot read")

    confirmed = []
    try:
        with open(os.path.join(work, "program.err")) as err:
            confirmed = re.findall(r"leak suspect confirmed: (\S+)", err.read())
    except OSError:
        pass
    final = read_report(os.path.join(work, "out"))
    sampled = [(r["elapsedS"], r["reportVerdict"], r["reportTop"]) for r in rows if r["reportVerdict"] != "-"]
    print("sampled report, each change of verdict or top suspect (suspects as class:confidence:KB/min):")
    for i, r in enumerate(row for row in rows if row["reportVerdict"] != "-"):
        if i == 0 or sampled[i][1:] != sampled[i - 1][1:]:
            print(f"  minute {r['elapsedS'] / 60:.1f}: {r['reportVerdict']}, {r.get('reportSuspects', '-')}")
    print(f"final report: {final[0]}, top suspect {final[1]} {final[2]}")
    print(f"agent's 'leak suspect confirmed' lines: {', '.join(confirmed) or 'none'}")
    print()
    if expected is None:
        alarms = sorted({top for _, v, top in sampled if v == "leak-suspected"})
        judge("no false alarm", not alarms and not confirmed and final[0] != "leak-suspected",
              f"suspects in sampled reports: {', '.join(alarms) or 'none'}; confirmed on stderr: "
              f"{', '.join(confirmed) or 'none'}; final verdict {final[0]}")
    else:
        def found(v, top):
            return v == "leak-suspected" and top == expected
        first = next((i for i, (_, v, top) in enumerate(sampled) if found(v, top)), None)
        limit = min(EARLY_DETECTION_S, rows[-1]["elapsedS"] / 4)
        if first is None:
            judge("found early", False, f"{expected} never the top suspect of a sampled report")
            judge("no flapping", False, "never found")
        else:
            t = sampled[first][0]
            judge("found early", t <= limit, f"top suspect from minute {t / 60:.1f} (limit {limit / 60:.0f})")
            after = sampled[first:]
            flips = sum(1 for i in range(1, len(after)) if after[i][1:] != after[i - 1][1:])
            lost = sum(1 for _, v, top in after if not found(v, top))
            judge("no flapping", flips == 0 and found(*final[:2]),
                  f"{flips} changes of verdict or top suspect in {len(after)} samples after the first detection, "
                  f"{lost} samples without it on top; final report: {final[0]}, {final[1]}")
        others = sorted(set(c for c in confirmed if c != expected))
        judge("no other suspect confirmed", not others, f"others confirmed: {', '.join(others) or 'none'}")

    print("| criterion | verdict | measured |")
    print("|---|---|---|")
    failed = False
    for name, ok, detail, gate in results:
        word = ("pass" if ok else "FAIL") if gate else ("flat" if ok else "grew")
        print(f"| {name} | {word} | {detail} |")
        failed |= gate and not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
