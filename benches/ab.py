#!/usr/bin/env python3
"""Two builds of bumpwise, timed in turn on the benchmark's histories: is this change slower?

    python3 benches/ab.py 5c85d36             # the working tree's build against commit 5c85d36's
    python3 benches/ab.py 5c85d36 --runs 15   # more runs of each, in turn
    python3 benches/ab.py 5c85d36 --only 200k-go

A benchmark run's medians move by ±10% between runs on a shared machine (the git rows of two runs of
`benches/bench.py` show it), so "within 5% of an earlier build" cannot be read from two runs days
apart. Here the two builds run alternately on the same history, one after the other, so a slower spell
of the machine hits both. The earlier build is made from `git archive REV` under
target/ab/REV (the repository is not touched); histories are benches/bench.py's, cached under
target/bench-histories/. Timed: `next` and `next --package core`, the rows the precision issue holds
to "within 5%". Prints each median, the ratio (this build over REV's) and the spread of the per-pair
ratios. Nothing here is asserted by the test suite.
"""

import argparse
import importlib.util
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench", ROOT / "benches" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

COMMANDS = [("next", ["next"]), ("next --package core", ["next", "--package", "core"])]


def build_at(rev):
    """The release binary of `rev`, built from its files under target/ab/REV."""
    commit = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    home = ROOT / "target" / "ab" / commit[:12]
    binary = home / "target" / "release" / "bumpwise"
    if not binary.exists():
        home.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(home)], input=archive, check=True)
        print(f"building {commit[:12]} …", file=sys.stderr)
        subprocess.run(["cargo", "build", "--quiet", "--release", "--locked", "--bin", "bumpwise"], cwd=home,
                       check=True)
    return commit[:12], binary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="the earlier commit to build and compare with")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--only", help="one scenario of benches/bench.py")
    options = parser.parse_args()

    subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "bumpwise", "--example", "synth_history"],
                   cwd=ROOT, check=True)
    label, old = build_at(options.rev)
    new = bench.BUMPWISE
    scenarios = bench.SCENARIOS
    if options.only:
        scenarios = {options.only: scenarios[options.only]}
    print(f"| history | command | {label} ms | this build ms | ratio | pair ratios (min–max) |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for name, (args, _) in scenarios.items():
        repo = bench.history(name, args)
        for title, argv in COMMANDS:
            before, after = [str(old), *argv], [str(new), *argv]
            bench.run_once(before, repo)
            bench.run_once(after, repo)
            olds, news = [], []
            for i in range(options.runs):
                # Alternate which goes first, so neither always runs on a warmer cache.
                pair = (before, after) if i % 2 == 0 else (after, before)
                times = {id(argv): bench.run_once(argv, repo)[0] for argv in pair}
                olds.append(times[id(before)])
                news.append(times[id(after)])
            ratios = sorted(n / o for n, o in zip(news, olds))
            print(f"| {name} | bumpwise {title} | {statistics.median(olds):.1f} | {statistics.median(news):.1f} | "
                  f"{statistics.median(news) / statistics.median(olds):.3f} | {ratios[0]:.2f}–{ratios[-1]:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
