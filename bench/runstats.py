#!/usr/bin/env python3
"""Helpers for bench/code_vs_peers.sh (standard library only).

Every timed run ends up as one line "wall_s user_s sys_s maxrss_kib exit_code" in a .runs
file, whichever timer produced it, so that the report treats both timers the same way.

    runstats.py gnu FILE
        Read the report GNU time wrote with `-v -o FILE` and print the run line.
    runstats.py run [--cwd DIR] [--stdout FILE] [--stderr FILE] -- CMD ...
        Fallback timer: run CMD once and print the run line, taken from the rusage that
        wait4() returns for that one child (CPU to the microsecond). The child is forked from
        this interpreter, so its peak RSS is never below the interpreter's own (~10-15 MiB).
    runstats.py per-file --bin DJGUARD --out FILE [--top K] [--repeat R] ROOT ...
        Run `djguard check FILE --no-config --format json` on every .py and .html file under
        the ROOTs (one process per file, fastest of --passes runs), then --repeat more times on
        the --candidates slowest; write the --top slowest by median CPU to FILE (JSON).
    runstats.py report --out DIR --counts counts.tsv --projects "a b" [--write FILE]
        Print the Markdown report built from DIR/*.runs, DIR/meta.env, the warm-up JSON of
        djguard and DIR/slowest.json; also write it to FILE and the raw medians to DIR/results.json.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

TOOLS = ("ruff", "bandit", "djguard")
TOOL_NAMES = {"ruff": "Ruff S,DJ", "bandit": "Bandit", "djguard": "djguard"}


# ---------------------------------------------------------------------------------------------
# one run


def parse_clock(text):
    """GNU time's elapsed field: [h:]m:ss(.cc)."""
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def cmd_gnu(args):
    fields = {}
    with open(args.file, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            key, sep, value = line.strip().rpartition(": ")
            if sep:
                fields[key] = value
    try:
        wall = parse_clock(fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"])
        user = float(fields["User time (seconds)"])
        system = float(fields["System time (seconds)"])
        rss = int(fields["Maximum resident set size (kbytes)"])
    except KeyError as missing:
        print(f"runstats: {args.file}: no {missing} line (not GNU time -v output?)", file=sys.stderr)
        return 2
    # "Exit status" is absent when the command was killed by a signal; report 128+N like a shell.
    code = int(fields.get("Exit status", "-1"))
    with open(args.file, encoding="utf-8", errors="replace") as fh:
        sig = re.search(r"Command terminated by signal (\d+)", fh.read())
    if sig:
        code = 128 + int(sig.group(1))
    print(f"{wall:.3f} {user:.3f} {system:.3f} {rss} {code}")
    return 0


def run_child(cmd, cwd=None, stdout=None, stderr=None):
    """Run cmd once; return (wall_s, user_s, sys_s, maxrss_kib, exit_code) of that child only."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        # Benchmarks reach no outside host: no first-run advisory download.
        env = dict(os.environ, DJGUARD_OFFLINE="1")
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for fh in (out, err):
            if fh is not subprocess.DEVNULL:
                fh.close()
    code = proc.returncode if proc.returncode >= 0 else 128 - proc.returncode
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, code


def cmd_run(args):
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        print("runstats run: no command given (put it after --)", file=sys.stderr)
        return 2
    try:
        wall, user, system, rss, code = run_child(cmd, args.cwd, args.stdout, args.stderr)
    except OSError as exc:
        print(f"runstats run: cannot run {cmd[0]}: {exc}", file=sys.stderr)
        return 2
    print(f"{wall:.6f} {user:.6f} {system:.6f} {rss} {code}")
    return 0


# ---------------------------------------------------------------------------------------------
# slowest single file


def cmd_per_file(args):
    files = []
    for root in args.roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith((".py", ".html")):
                    path = os.path.join(dirpath, name)
                    if os.path.isfile(path) and not os.path.islink(path):
                        files.append((root, path))
    if not files:
        print("runstats per-file: no .py or .html files found", file=sys.stderr)
        return 2

    def one(path):
        wall, user, system, rss, code = run_child(
            [args.bin, "check", path, "--no-config", "--format", "json"])
        if code not in (0, 1):
            print(f"runstats per-file: djguard exit {code} on {path}", file=sys.stderr)
        return {"cpu_s": user + system, "wall_s": wall, "rss_kib": rss, "exit": code}

    # Runs of a few milliseconds are easily disturbed, and a single disturbed run would push a
    # small file into the list: every file is timed in PASSES passes and keeps its fastest run,
    # then the CANDIDATES slowest are timed REPEAT more times and ranked by their median.
    started = time.perf_counter()
    best = {}
    for pass_no in range(1, args.passes + 1):
        for index, (root, path) in enumerate(files, 1):
            result = one(path)
            if path not in best or result["cpu_s"] < best[path]["cpu_s"]:
                best[path] = result
            if index % 2000 == 0:
                print(f"   pass {pass_no}/{args.passes}: {index}/{len(files)} files", file=sys.stderr)
    pass_s = time.perf_counter() - started
    all_cpu = [best[path]["cpu_s"] for _, path in files]
    ranked = sorted(files, key=lambda item: best[item[1]]["cpu_s"], reverse=True)

    top = []
    for root, path in ranked[: args.candidates]:
        runs = [one(path) for _ in range(args.repeat)]
        with open(path, "rb") as fh:
            data = fh.read()
        top.append({
            "file": os.path.join(os.path.basename(root), os.path.relpath(path, root)),
            "bytes": len(data),
            "lines": data.count(b"\n"),
            "cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "wall_s": statistics.median(r["wall_s"] for r in runs),
            "runs": args.repeat,
        })
    top.sort(key=lambda item: item["cpu_s"], reverse=True)
    top = top[: args.top]
    record = {
        "files": len(files),
        "passes": args.passes,
        "passes_s": pass_s,
        "median_file_cpu_s": statistics.median(all_cpu),
        "sum_file_cpu_s": sum(all_cpu),
        "exits_other_than_0_1": sum(1 for r in best.values() if r["exit"] not in (0, 1)),
        "top": top,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2)
        fh.write("\n")
    return 0


# ---------------------------------------------------------------------------------------------
# report


def read_runs(path):
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 5:
                wall, user, system, rss, code = parts
                rows.append({"wall": float(wall), "cpu": float(user) + float(system),
                             "rss_mib": int(rss) / 1024, "exit": int(code)})
    if not rows:
        return None
    return {
        "runs": len(rows),
        "cpu_s": statistics.median(r["cpu"] for r in rows),
        "wall_s": statistics.median(r["wall"] for r in rows),
        "wall_min_s": min(r["wall"] for r in rows),
        "wall_max_s": max(r["wall"] for r in rows),
        "peak_mib": statistics.median(r["rss_mib"] for r in rows),
        "exits": sorted({r["exit"] for r in rows}),
        "cpu_all_s": [r["cpu"] for r in rows],
        "wall_all_s": [r["wall"] for r in rows],
    }


def read_meta(path):
    meta = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                key, sep, value = line.rstrip("\n").partition("=")
                if sep:
                    meta[key] = value
    return meta


def read_counts(path):
    counts = {}
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            counts[row["project"]] = {k: int(row[k]) for k in ("py_files", "py_lines")}
    return counts


def ratio(num, den):
    if num is None or den is None or den <= 0:
        return "n/a"
    return f"{num / den:.1f}x" if num / den >= 10 else f"{num / den:.2f}x"


def secs(value):
    return f"{value:.2f}" if value >= 0.01 else f"{value:.3f}"


def cmd_report(args):
    out = args.out
    projects = args.projects.split()
    counts = read_counts(args.counts)
    meta = read_meta(os.path.join(out, "meta.env"))
    results = {"meta": meta, "projects": {}, "scale": {}}
    lines = []
    emit = lines.append

    emit("# djguard code audit vs Ruff and Bandit")
    emit("")
    emit(f"- date: {meta.get('date', '?')}; machine: {meta.get('machine', '?')}")
    emit(f"- djguard: {meta.get('djguard', '?')}; Ruff: {meta.get('ruff', '?')}; "
         f"Bandit: {meta.get('bandit', 'not run')}")
    emit(f"- timer: {meta.get('timer', '?')}; runs: {meta.get('runs', '?')} timed after "
         f"{meta.get('warmup', '?')} warm-up (Bandit: {meta.get('bandit_runs', '?')} timed, "
         f"{meta.get('bandit_warmup', '?')} warm-up); medians")
    emit("- commands, run inside each tree: `ruff check --select S,DJ --no-cache --exit-zero -q .`, "
         "`bandit -r . -q -f json -o /dev/null`, `djguard check TREE --no-config --format json`")
    emit("")
    emit("| project | .py files | .py lines | tool | CPU s | wall s | peak MB | runs |")
    emit("|---|---:|---:|---|---:|---:|---:|---:|")
    ratio_rows = []
    for project in projects:
        count = counts.get(project, {"py_files": 0, "py_lines": 0})
        stats = {}
        for tool in TOOLS:
            path = os.path.join(out, f"{project}__{tool}.runs")
            if os.path.exists(path):
                stats[tool] = read_runs(path)
        results["projects"][project] = {"counts": count, "tools": stats}
        label = f"{project} {meta.get('version_' + project, '')}".strip()
        for tool, s in stats.items():
            if s is None:
                continue
            emit(f"| {label} | {count['py_files']:,} | {count['py_lines']:,} | {TOOL_NAMES[tool]} | "
                 f"{secs(s['cpu_s'])} | {secs(s['wall_s'])} | {s['peak_mib']:.0f} | {s['runs']} |")
        get = lambda tool: stats[tool]["cpu_s"] if stats.get(tool) else None  # noqa: E731
        dj = get("djguard")
        summary = os.path.join(out, f"{project}__djguard.json")
        read = ""
        if os.path.exists(summary):
            try:
                with open(summary, encoding="utf-8") as fh:
                    s = json.load(fh)["summary"]
                read = f"{s['files']:,} files, {s['findings']} findings, {s['undecided']} undecided"
                results["projects"][project]["djguard_summary"] = s
            except (ValueError, KeyError):
                read = "unreadable JSON"
        kloc = f"{count['py_lines'] / dj / 1000:,.0f}k" if dj else "n/a"
        ratio_rows.append(f"| {label} | {ratio(dj, get('ruff'))} | {ratio(get('bandit'), dj)} | "
                          f"{kloc} | {read} |")
    emit("")
    emit("| project | djguard CPU / Ruff CPU | Bandit CPU / djguard CPU | djguard .py lines per CPU s | djguard read (warm-up run) |")
    emit("|---|---:|---:|---:|---|")
    lines.extend(ratio_rows)

    scale_tags = [t for t in ("x1", "x4") if any(
        os.path.exists(os.path.join(out, f"{t}__{tool}.runs")) for tool in TOOLS)]
    if scale_tags:
        files = sum(counts.get(p, {"py_files": 0})["py_files"] for p in projects)
        loc = sum(counts.get(p, {"py_lines": 0})["py_lines"] for p in projects)
        emit("")
        emit(f"Scaling: one invocation on the whole corpus ({', '.join(projects)}) as one tree "
             "(x1, `.cache/bench-corpus/x4/copy1`) and on four hard-linked copies of it "
             "(x4, `.cache/bench-corpus/x4`).")
        emit("")
        emit("| tree | .py files | .py lines | tool | CPU s | wall s | peak MB | runs |")
        emit("|---|---:|---:|---|---:|---:|---:|---:|")
        for tag in scale_tags:
            mult = 4 if tag == "x4" else 1
            results["scale"][tag] = {}
            for tool in TOOLS:
                path = os.path.join(out, f"{tag}__{tool}.runs")
                if not os.path.exists(path):
                    continue
                s = read_runs(path)
                results["scale"][tag][tool] = s
                if s is None:
                    continue
                emit(f"| {tag} | {files * mult:,} | {loc * mult:,} | {TOOL_NAMES[tool]} | "
                     f"{secs(s['cpu_s'])} | {secs(s['wall_s'])} | {s['peak_mib']:.0f} | {s['runs']} |")
        if len(scale_tags) == 2:
            emit("")
            parts = []
            for tool in TOOLS:
                a, b = results["scale"]["x1"].get(tool), results["scale"]["x4"].get(tool)
                if a and b:
                    parts.append(f"{TOOL_NAMES[tool]} CPU {ratio(b['cpu_s'], a['cpu_s'])}, "
                                 f"wall {ratio(b['wall_s'], a['wall_s'])}, "
                                 f"peak memory {ratio(b['peak_mib'], a['peak_mib'])}")
            emit("x4 / x1 (4.00x = linear): " + "; ".join(parts) + ".")

    slow_path = os.path.join(out, "slowest.json")
    if os.path.exists(slow_path):
        with open(slow_path, encoding="utf-8") as fh:
            slow = json.load(fh)
        results["slowest"] = slow
        emit("")
        runs = slow["top"][0]["runs"] if slow["top"] else 0
        emit(f"Slowest single files for djguard: each of the {slow['files']:,} .py and .html files "
             "checked alone (`djguard check FILE --no-config --format json`, one process per file, "
             f"fastest of {slow['passes']} passes, Python fallback timer), the slowest then re-run "
             f"{runs} times (median). Process start-up is included: the median file takes "
             f"{slow['median_file_cpu_s'] * 1000:.1f} ms CPU.")
        emit("")
        emit("| file | KB | lines | CPU ms | wall ms |")
        emit("|---|---:|---:|---:|---:|")
        for row in slow["top"]:
            emit(f"| `{row['file']}` | {row['bytes'] / 1024:,.0f} | {row['lines']:,} | "
                 f"{row['cpu_s'] * 1000:.1f} | {row['wall_s'] * 1000:.1f} |")

    emit("")
    emit("Peak MB is the median over runs of the largest resident set (MiB) of the tool's process "
         "(and its children). CPU s is user + system time, so it exceeds wall time when a tool "
         "uses several cores.")
    if meta.get("timer", "").startswith("python"):
        emit("The fallback timer forks from Python, so no peak below ~10-15 MB is meaningful.")
    elif meta.get("timer", "").startswith("GNU"):
        emit("GNU time reports CPU and wall time in steps of 0.01 s: ratios between small "
             "numbers are coarse.")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(results, fh, indent=2)
        fh.write("\n")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("gnu", help="parse GNU time -v output")
    p.add_argument("file")
    p.set_defaults(func=cmd_gnu)

    p = sub.add_parser("run", help="time one run (fallback timer)")
    p.add_argument("--cwd")
    p.add_argument("--stdout")
    p.add_argument("--stderr")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("per-file", help="time djguard on every file alone")
    p.add_argument("--bin", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--passes", type=int, default=2)
    p.add_argument("--candidates", type=int, default=20)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("roots", nargs="+")
    p.set_defaults(func=cmd_per_file)

    p = sub.add_parser("report", help="print the Markdown report")
    p.add_argument("--out", required=True)
    p.add_argument("--counts", required=True)
    p.add_argument("--projects", required=True)
    p.add_argument("--write")
    p.set_defaults(func=cmd_report)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
