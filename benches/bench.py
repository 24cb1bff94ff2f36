#!/usr/bin/env python3
"""bumpwise's benchmark: bumpwise against git itself on synthetic histories.

Builds bumpwise and the generator (examples/synth_history.rs) in release mode, generates each
history once (cached under target/bench-histories/), then times, side by side, `bumpwise next`,
`bumpwise changelog` and `bumpwise changelog --all` against `git log --no-merges
--format=%H%x00%B` over the same range, reporting medians, the ratio to git and peak memory
(peak RSS, measured with GNU time when installed). git-cliff and cog are timed too when they are on PATH.
Writes benches/RESULTS.md. Nothing here is asserted by the test suite.

    python3 benches/bench.py              # the standard sizes
    python3 benches/bench.py --runs 9     # more runs per command
    python3 benches/bench.py --with-1m    # also the 1M-commit history (minutes to generate)
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "target" / "bench-histories"
BUMPWISE = ROOT / "target" / "release" / "bumpwise"
GENERATOR = ROOT / "target" / "release" / "examples" / "synth_history"

# name: (generator arguments, description)
SCENARIOS = {
    "10k": (["--commits", "10000", "--releases", "100", "--since-last", "100", "--extra-tags", "300"],
            "10k commits, 100 releases, 100 commits since the last"),
    "200k-since-base": (["--commits", "200000", "--releases", "1", "--since-last", "199999"],
                        "200k commits, all since the only release"),
    "200k-since-base-no-graph": (["--commits", "200000", "--releases", "1", "--since-last", "199999"],
                                 "the same, as a fresh clone has it: no commit-graph file (core.commitGraph off)"),
    "200k-200-releases": (["--commits", "200000", "--releases", "200", "--since-last", "1000"],
                          "200k commits, 200 releases"),
    "200k-go": (["--commits", "200000", "--releases", "1", "--since-last", "199999", "--merge-every", "0",
                 "--layout", "go"],
                "200k non-conventional commits of a Go project since the only release, each changing real files"),
    "1k-go-5k-files": (["--commits", "2000", "--releases", "1", "--since-last", "1000", "--merge-every", "0",
                        "--layout", "go", "--go-files", "10"],
                       "1k commits of a Go library since the last release, changing 5k files of exported API"),
    "20k-tags": (["--commits", "30000", "--releases", "4000", "--since-last", "1000", "--extra-tags", "16000"],
                 "30k commits, 20k tags (releases, pre-releases, other styles, noise), 1k since the last"),
}
LARGE = {
    "1m": (["--commits", "1000000", "--releases", "1000", "--since-last", "1000"],
           "1M commits, 1000 releases"),
    "1m-since-base": (["--commits", "1000000", "--releases", "1", "--since-last", "999999"],
                      "1M commits, all since the only release: memory grows with the range"),
}

# (scenario, command label, limit description, check(median_ms, git_ms), the git command compared with):
# the targets of issue 29, each also held to a peak memory at or below that git command's.
def within(factor):
    return lambda ms, git: git is not None and ms <= factor * git


TARGETS = [
    ("200k-since-base", "bumpwise next", "≤ 1.1× git log over the same range", within(1.1), "git log base..HEAD"),
    ("200k-since-base-no-graph", "bumpwise next", "≤ 1.1× git log over the same range", within(1.1),
     "git log base..HEAD"),
    ("200k-go", "bumpwise next", "≤ 1.1× git log over the same range", within(1.1), "git log base..HEAD"),
    ("200k-go", "bumpwise next --format json (every path)", "≤ 1.2× git log --name-only over the same range",
     within(1.2), "git log --name-only base..HEAD"),
    ("200k-go", "bumpwise changelog", "≤ 1.2× git log --name-only over the same range", within(1.2),
     "git log --name-only base..HEAD"),
    ("200k-since-base", "bumpwise next --format json (every path)",
     "≤ 1.2× git log --name-only over the same range", within(1.2), "git log --name-only base..HEAD"),
    ("200k-since-base", "bumpwise changelog", "≤ 1.2× git log --name-only over the same range", within(1.2),
     "git log --name-only base..HEAD"),
    ("200k-200-releases", "bumpwise changelog --all", "≤ 1.5× git log --name-only over the whole history",
     within(1.5), "git log --name-only (whole history)"),
    ("200k-200-releases", "bumpwise backtest", "≤ 1.5× git log --name-only over the whole history", within(1.5),
     "git log --name-only (whole history)"),
    ("200k-since-base", "bumpwise next --package core", "≤ 1.2× git log -- path over the same range",
     within(1.2), "git log base..HEAD -- path"),
    ("200k-200-releases", "bumpwise changelog --all --no-evidence", "≤ 1.5× git log over the whole history",
     within(1.5), "git log (whole history)"),
    # Notes through a template (the default one, printed by --print-template) against the built-in layout,
    # the two run in turn.
    ("200k-200-releases", "bumpwise changelog --all --template", "≤ 1.1× the built-in layout", within(1.1),
     "bumpwise changelog --all (in turn)"),
    ("200k-200-releases", "bumpwise changelog --all --no-evidence --template", "≤ 1.1× the built-in layout",
     within(1.1), "bumpwise changelog --all --no-evidence (in turn)"),
    ("20k-tags", "bumpwise next", "< 100 ms", lambda ms, git: ms < 100, "git log base..HEAD"),
    ("10k", "bumpwise next", "< 50 ms", lambda ms, git: ms < 50, "git log base..HEAD"),
    ("20k-tags", "bumpwise backtest", "< 1 s", lambda ms, git: ms < 1000, "git log (whole history)"),
    ("1k-go-5k-files", "bumpwise next", "< 1 s", lambda ms, git: ms < 1000, "git log --name-only base..HEAD"),
    ("1k-go-5k-files", "bumpwise next --format json (every path)", "< 1 s",
     lambda ms, git: ms < 1000, "git log --name-only base..HEAD"),
]
# Scenarios whose commits change real files: every path is read as well, against git log --name-only.
WITH_PATHS = {"200k-go", "200k-since-base", "1k-go-5k-files"}
# Bumped when the generator's output changes, so a cached history is made again.
GENERATION = "g2"



def run_once(argv, cwd):
    """Wall time in ms and max RSS in KiB of one run; output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise SystemExit(f"{' '.join(map(str, argv))} exited {code} in {cwd}")
    return elapsed, usage.ru_maxrss


def peak_memory(argv, cwd):
    """Peak RSS in KiB, measured by GNU time: a child of Python would inherit Python's own
    high-water mark at exec, while GNU time forks the command from its own small process."""
    if not Path("/usr/bin/time").exists():
        return None
    report = CACHE / "time.out"
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), *argv], cwd=cwd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return int(report.read_text().split()[-1])


def measure(argv, cwd, runs):
    run_once(argv, cwd)  # warm the page cache
    samples = [run_once(argv, cwd)[0] for _ in range(runs)]
    return statistics.median(samples), peak_memory(argv, cwd)


# Runs of each command in turn: a 10% tolerance between two commands of ~2.5 s needs more than a median
# of 5 (single pairs differ by ±15% on a shared machine).
IN_TURN_RUNS = 9


def in_turn(argv, against, cwd, runs):
    """Both commands' median wall times, run alternately (a slower spell of the machine hits both)."""
    run_once(argv, cwd)
    run_once(against, cwd)
    ours, theirs = [], []
    for _ in range(max(runs, IN_TURN_RUNS)):
        ours.append(run_once(argv, cwd)[0])
        theirs.append(run_once(against, cwd)[0])
    return (statistics.median(ours), peak_memory(argv, cwd)), (statistics.median(theirs), None)


def history(name, args):
    path = CACHE / (GENERATION + "-" + name + "-" + "-".join(a.lstrip("-") for a in args))
    if not (path / ".git").exists():
        print(f"generating {name} …", file=sys.stderr)
        if path.exists():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(GENERATOR), str(path), *args, "--seed", "1"], check=True)
        subprocess.run(["git", "gc", "--quiet"], cwd=path, check=True)
        if name.endswith("-no-graph"):
            # Neither git nor bumpwise may take parents from a commit-graph here.
            subprocess.run(["git", "config", "core.commitGraph", "false"], cwd=path, check=True)
            for graph in [path / ".git/objects/info/commit-graph", path / ".git/objects/info/commit-graphs"]:
                if graph.is_dir():
                    shutil.rmtree(graph)
                elif graph.exists():
                    graph.unlink()
    # A monorepo package over a tenth of the files: `next --package core` diffs each commit.
    (path / "bumpwise.toml").write_text('[[packages]]\nname = "core"\ntag_prefix = ""\npaths = ["src/file1*"]\n')
    # cog refuses a work tree that differs from HEAD: the history is checked out, and bumpwise.toml is
    # kept out of git's sight.
    exclude = path / ".git" / "info" / "exclude"
    if "bumpwise.toml" not in (exclude.read_text() if exclude.exists() else ""):
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with exclude.open("a") as f:
            f.write("bumpwise.toml\n")
    status = subprocess.run(["git", "status", "--porcelain"], cwd=path, capture_output=True, text=True, check=True)
    if status.stdout.strip():
        subprocess.run(["git", "reset", "--quiet", "--hard"], cwd=path, check=True)
    return path


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


PEERS = ROOT / "benches" / "peers"


def peers():
    """Peer tools when installed, with the invocations and configurations (benches/peers/) that make
    them answer the question `bumpwise next` answers on these histories (see the README)."""
    out = []
    if shutil.which("git-cliff"):
        out.append(("git-cliff --bumped-version",
                    ["git-cliff", "--config", str(PEERS / "cliff.toml"), "--bumped-version", "--unreleased"]))
    if shutil.which("cog"):
        out.append(("cog bump --auto --dry-run",
                    ["cog", "--config", str(PEERS / "cog.toml"), "bump", "--auto", "--dry-run"]))
    return out


def answer(argv, cwd):
    """The last line a tool prints on stdout: the version it proposes (or its error, shortened)."""
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines() or proc.stderr.strip().splitlines() or ["(nothing)"]
    return lines[-1].strip()[:80]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-1m", action="store_true")
    parser.add_argument("--only", help="run one scenario")
    options = parser.parse_args()

    subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "bumpwise", "--example", "synth_history"],
                   cwd=ROOT, check=True)
    scenarios = dict(SCENARIOS, **(LARGE if options.with_1m else {}))
    if options.only:
        scenarios = {options.only: scenarios[options.only]}

    rows, results, answers = [], {}, {}
    for name, (args, description) in scenarios.items():
        repo = history(name, args)
        report = json.loads(subprocess.run([str(BUMPWISE), "next", "--format", "json"], cwd=repo,
                                           capture_output=True, text=True).stdout)
        base = report["decision"]["previous_tag"]
        range_ = f"{base}..HEAD" if base else "HEAD"
        commands = [
            ("bumpwise next", [str(BUMPWISE), "next"], "git log base..HEAD"),
            ("git log base..HEAD", ["git", "log", "--no-merges", "--format=%H%x00%B", range_], None),
            ("bumpwise next --package core", [str(BUMPWISE), "next", "--package", "core"],
             "git log base..HEAD -- path"),
            ("git log base..HEAD -- path",
             ["git", "log", "--no-merges", "--format=%H%x00%B", range_, "--", "src/file1*"], None),
            ("bumpwise changelog", [str(BUMPWISE), "changelog"],
             "git log --name-only base..HEAD" if name in WITH_PATHS else "git log base..HEAD"),
            ("bumpwise changelog --all", [str(BUMPWISE), "changelog", "--all"],
             "git log --name-only (whole history)" if name == "200k-200-releases" else "git log (whole history)"),
            ("git log (whole history)", ["git", "log", "--no-merges", "--format=%H%x00%B", "HEAD"], None),
            ("bumpwise backtest", [str(BUMPWISE), "backtest"],
             "git log --name-only (whole history)" if name == "200k-200-releases" else "git log (whole history)"),
        ] + [(label, argv, "git log base..HEAD") for label, argv in peers()]
        if name == "200k-200-releases":
            commands += [
                ("bumpwise changelog --all --no-evidence", [str(BUMPWISE), "changelog", "--all", "--no-evidence"],
                 "git log (whole history)"),
                ("git log --name-only (whole history)",
                 ["git", "log", "--no-merges", "--name-only", "--format=%H%x00%B", "HEAD"], None),
            ]
        if name in WITH_PATHS:
            commands += [
                ("bumpwise next --format json (every path)", [str(BUMPWISE), "next", "--format", "json"],
                 "git log --name-only base..HEAD"),
                ("git log --name-only base..HEAD",
                 ["git", "log", "--no-merges", "--name-only", "--format=%H%x00%B", range_], None),
            ]
        timings = {}
        for label, argv, _ in commands:
            timings[label] = measure(argv, repo, options.runs)
            ms, rss = timings[label]
            print(f"{name:<18} {label:<28} {ms:9.1f} ms {mib(rss):>8} MiB", file=sys.stderr)
        if name == "200k-200-releases":
            template = CACHE / "default.tera"
            template.write_text(subprocess.run([str(BUMPWISE), "changelog", "--print-template"],
                                               capture_output=True, text=True, check=True).stdout)
            for plain in (["changelog", "--all"], ["changelog", "--all", "--no-evidence"]):
                label = "bumpwise " + " ".join(plain)
                ours, theirs = in_turn([str(BUMPWISE), *plain, "--template", str(template)],
                                       [str(BUMPWISE), *plain], repo, options.runs)
                timings[label + " --template"], timings[label + " (in turn)"] = ours, theirs
                print(f"{name:<18} {label + ' --template':<28} {ours[0]:9.1f} ms against {theirs[0]:.1f} ms",
                      file=sys.stderr)
        for label, _, against in commands:
            ms, rss = timings[label]
            ratio = f"{ms / timings[against][0]:.2f}×" if against else ""
            memory = mib(rss)
            rows.append(f"| {name} | {label} | {ms:.1f} | {ratio} | {memory} |")
        results[name] = {label: t for label, t in timings.items()}
        # What each tool proposes: the speed of a wrong answer is no speed.
        answers[name] = {"bumpwise next": report["decision"].get("next_tag") or "(no release)"}
        answers[name].update({label: answer(argv, repo) for label, argv in peers()})
        results[name]["description"] = description

    lines = [
        "# Benchmark results",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"{subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}; "
        f"medians of {options.runs} runs after one warm-up ({max(options.runs, IN_TURN_RUNS)} in turn for the"
        " template rows); memory is the peak RSS.",
        f"Made by `python3 benches/bench.py` on {time.strftime('%Y-%m-%d')}.",
        "",
        "| history | command | median ms | vs git | peak MiB |",
        "| --- | --- | ---: | ---: | ---: |",
        *rows,
        "",
        "Histories:",
        *[f"- `{n}`: {results[n]['description']}" for n in results],
        "",
        "## Targets",
        "",
        "| history | command | target | measured | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    for scenario, label, limit, ok, against in TARGETS:
        if scenario not in results:
            continue
        ms, ours = results[scenario][label]
        git_ms, git_kib = results[scenario].get(against, (None, None))
        who = "built-in" if against.startswith("bumpwise") else "git"
        timing = f"{ms:.1f} ms" + (f" ({who} {git_ms:.1f} ms)" if git_ms is not None else "")
        lines.append(f"| {scenario} | {label} | {limit} | {timing} | {'yes' if ok(ms, git_ms) else 'no'} |")
    for scenario, label, _, _, against in TARGETS:
        # Memory is held to git's on the large histories, where either could grow with the range.
        if not scenario.startswith("200k") or scenario not in results or against not in results[scenario]:
            continue
        if against.startswith("bumpwise"):
            continue  # a template against the built-in layout: time only
        ours, git = results[scenario][label][1], results[scenario][against][1]
        met = "n/a" if ours is None or git is None else ("yes" if ours <= git else "no")
        lines.append(f"| {scenario} | {label} | peak memory ≤ {against}'s | {mib(ours)} MiB "
                     f"(git {mib(git)} MiB) | {met} |")
    tools = [label for label, _ in peers()]
    if tools:
        lines += [
            "",
            "## Answers",
            "",
            "The next version each tool proposes, with the configurations in `benches/peers/`.",
            "",
            "| history | " + " | ".join(["bumpwise next", *tools]) + " |",
            "| --- | " + " | ".join(["---"] * (len(tools) + 1)) + " |",
        ]
        for name, said in answers.items():
            lines.append(f"| {name} | " + " | ".join(f"`{said.get(t, 'n/a')}`" for t in ["bumpwise next", *tools])
                         + " |")
    # The replays of real histories (benches/replay.py --write) keep their section.
    results = ROOT / "benches" / "RESULTS.md"
    replays = ""
    if results.exists() and "## Real histories" in results.read_text():
        replays = "\n## Real histories" + results.read_text().split("## Real histories", 1)[1]
    results.write_text("\n".join(lines) + "\n" + replays)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
