#!/usr/bin/python3
"""Runs each parser on each generated file in a fresh process and reports MB/s and peak RSS.

Every measurement is one child process: wall time around it, peak RSS from GNU time's
%M (a small C program that execs the contender, so the number is the contender's and not
this script's forked image). The file is read once before the runs so that every
contender starts from the page cache.
"""
import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

PY_CSV = "import csv,sys\nn=0\nfor row in csv.reader(open(sys.argv[1], newline='', encoding='utf-8')): n+=1\nprint(n)"
PY_PANDAS_CSV = "import pandas,sys\nprint(len(pandas.read_csv(sys.argv[1], low_memory=False)))"
PY_JSON = "import json,sys\nn=0\nfor line in open(sys.argv[1], encoding='utf-8'):\n  json.loads(line); n+=1\nprint(n)"
PY_PANDAS_JSON = "import pandas,sys\nprint(len(pandas.read_json(sys.argv[1], lines=True)))"
PY_LOG = ("import re,sys\nr=re.compile(r'(\\S+) (\\S+) (\\S+) \\[([^]]+)\\] \"([^\"]*)\" (\\d{3}) (\\S+)"
          "(?: \"([^\"]*)\" \"([^\"]*)\")?')\nn=0\nfor line in open(sys.argv[1], encoding='utf-8'):\n"
          "  m=r.match(line); n+=1\nprint(n)")


def run(cmd):
    with tempfile.NamedTemporaryFile(mode="r") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
        return elapsed, int(rss.read().split()[-1]) / 1024.0


def best_of(cmd, repeat):
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--size", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-python", action="store_true", help="only the fastthread rows")
    ap.add_argument("data")
    a = ap.parse_args()
    py = sys.executable
    files = {
        "mixed-csv": f"{a.data}/mixed-csv-{a.size}.csv",
        "numeric-csv": f"{a.data}/numeric-csv-{a.size}.csv",
        "ndjson": f"{a.data}/ndjson-{a.size}.ndjson",
        "access-log": f"{a.data}/access-log-{a.size}.log",
    }
    print(f"Machine: {platform.node()}, {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}")
    print()
    print("| file | MB | tool | seconds | MB/s | peak RSS MB |")
    print("|---|---:|---|---:|---:|---:|")
    for kind, path in files.items():
        mb = os.path.getsize(path) / 1e6
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
        contenders = [
            ("fastthread --to none", [a.binary, "parse", path, "--to", "none", "--summary", "/dev/null", "-q"]),
            ("fastthread --to ndjson", [a.binary, "parse", path, "--to", "ndjson", "-o", "/dev/null",
                                        "--summary", "/dev/null", "-q"]),
        ]
        if not a.skip_python:
            if kind.endswith("csv"):
                contenders += [("python csv.reader", [py, "-c", PY_CSV, path]),
                               ("pandas.read_csv", [py, "-c", PY_PANDAS_CSV, path])]
            elif kind == "ndjson":
                contenders += [("python json.loads per line", [py, "-c", PY_JSON, path]),
                               ("pandas.read_json(lines=True)", [py, "-c", PY_PANDAS_JSON, path])]
            else:
                contenders += [("python re per line", [py, "-c", PY_LOG, path])]
        for name, cmd in contenders:
            seconds, rss = best_of(cmd, a.repeat if name.startswith("fastthread") else 1)
            print(f"| {kind} | {mb:.0f} | {name} | {seconds:.2f} | {mb / seconds:.0f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
