#!/usr/bin/env python3
"""Time one command line repeatedly; report wall and CPU time (standard library only).

Both sides of a comparison must go through this same helper so that process start-up and
measurement overhead are identical. Each run's CPU time is the growth of RUSAGE_CHILDREN
(user + system) across that run, so it covers the command and every descendant it waited for.

    bench/timeit.py [-n RUNS] [-w WARMUP] [--cwd DIR] [--ok 0,1] [--label NAME] [--json FILE] -- CMD ...

Exit status: 0 when every run ended with an accepted code; 3 otherwise (the offending run's
stderr is printed); 2 for bad usage.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def parse_codes(text):
    try:
        return {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}")


def run_once(cmd, cwd):
    """Run cmd once with output discarded; return (wall_s, cpu_s, returncode, stderr_bytes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode, proc.stderr


def spread(values):
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def fmt(stats, unit_scale, unit):
    return "/".join(f"{stats[k] * unit_scale:.1f}" for k in ("min", "median", "max")) + f" {unit}"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run a command several times and print min/median/max wall and CPU time.",
        usage="%(prog)s [options] -- CMD [ARG ...]")
    parser.add_argument("-n", "--runs", type=int, default=10, help="timed runs (default 10)")
    parser.add_argument("-w", "--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--cwd", default=None, help="working directory for the command")
    parser.add_argument("--ok", type=parse_codes, default={0},
                        help="accepted exit codes, comma-separated (default 0)")
    parser.add_argument("--label", default=None, help="name printed in the report")
    parser.add_argument("--json", metavar="FILE", default=None,
                        help="also write the results as JSON to FILE ('-' for stdout)")
    parser.add_argument("cmd", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)

    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given (put it after --)")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be >= 1 and --warmup >= 0")
    label = args.label or os.path.basename(cmd[0])

    walls, cpus, codes = [], [], []
    for i in range(args.warmup + args.runs):
        try:
            wall, cpu, code, err = run_once(cmd, args.cwd)
        except OSError as exc:
            print(f"{label}: cannot run {cmd[0]}: {exc}", file=sys.stderr)
            return 3
        if code not in args.ok:
            print(f"{label}: exit code {code} (accepted: {sorted(args.ok)}) in run {i + 1}; stderr:",
                  file=sys.stderr)
            sys.stderr.write(err.decode("utf-8", "replace")[-4000:])
            return 3
        if i >= args.warmup:
            walls.append(wall)
            cpus.append(cpu)
            codes.append(code)

    wall_stats, cpu_stats = spread(walls), spread(cpus)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child seen so far, in KiB on Linux. A forked
    # child starts as a copy of this interpreter, so values near our own RSS say only "small".
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{label}: {args.runs} runs (+{args.warmup} warm-up), exit {sorted(set(codes))}")
    print(f"  wall min/median/max  {fmt(wall_stats, 1000, 'ms')}")
    print(f"  cpu  min/median/max  {fmt(cpu_stats, 1000, 'ms')}  (user+sys, children rusage)")
    floor = "  (no more than this helper's own RSS: fork inherits it)" if peak_kib <= own_kib * 1.1 else ""
    print(f"  peak RSS of any run  {peak_kib / 1024:.1f} MiB{floor}")

    if args.json:
        record = {"label": label, "cmd": cmd, "cwd": args.cwd, "runs": args.runs,
                  "warmup": args.warmup, "exit_codes": codes, "wall_s": wall_stats,
                  "cpu_s": cpu_stats, "wall_all_s": walls, "cpu_all_s": cpus,
                  "peak_rss_kib": peak_kib, "helper_rss_kib": own_kib}
        text = json.dumps(record, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w", encoding="utf-8") as out:
                out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
