#!/usr/bin/python3
"""Python's process pools dispatching trivial tasks: the baseline for bench/dispatch.

Prints one JSON line per contender: {"tool", "workers", "tasks", "seconds", "per_second"}.
"""
import concurrent.futures
import json
import multiprocessing
import sys
import time


def trivial(x):
    return x


def run_executor(workers, tasks):
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(trivial, range(workers)))  # start the workers before timing
        start = time.perf_counter()
        futures = [ex.submit(trivial, i) for i in range(tasks)]
        for f in concurrent.futures.as_completed(futures):
            f.result()
        return time.perf_counter() - start


def run_pool(workers, tasks):
    with multiprocessing.Pool(workers) as pool:
        pool.map(trivial, range(workers))
        start = time.perf_counter()
        for _ in pool.imap_unordered(trivial, range(tasks), chunksize=1):
            pass
        return time.perf_counter() - start


def main():
    workers = int(sys.argv[1])
    tasks = int(sys.argv[2])
    for name, fn in (("concurrent.futures.ProcessPoolExecutor", run_executor),
                     ("multiprocessing.Pool.imap_unordered(chunksize=1)", run_pool)):
        seconds = fn(workers, tasks)
        print(json.dumps({"tool": name, "workers": workers, "tasks": tasks, "seconds": round(seconds, 3),
                          "per_second": round(tasks / seconds)}), flush=True)


if __name__ == "__main__":
    main()
