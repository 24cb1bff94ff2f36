#!/usr/bin/env python3
"""Replays real projects' releases: for each stable release tag, what `bumpwise next` proposes
from the release before it, beside the version the maintainers released.

    python3 benches/replay.py MIRRORS                 # every repository under MIRRORS
    python3 benches/replay.py MIRRORS --only convco   # repositories whose folder name contains this
    python3 benches/replay.py MIRRORS -v              # one line per release, and the commits of a miss
    python3 benches/replay.py MIRRORS --write         # also record the table in benches/RESULTS.md
    python3 benches/replay.py MIRRORS -- --policy cargo   # flags after `--` go to `bumpwise next`
    python3 benches/replay.py MIRRORS --calibration -- --policy auto   # how honest the confidence is
    python3 benches/replay.py MIRRORS --rows rows.json   # every replayed release, as JSON

MIRRORS is a folder of git repositories (bare or not, directly or one level down, as the search
tool's `fetch` leaves them: `MIRRORS/owner+name/repo`). Nothing is checked out and no mirror is
changed: each replay runs in a scratch bare repository that borrows the mirror's objects
(`objects/info/alternates`) and holds, for release T, HEAD detached at T's commit and only the tags
whose SemVer version is below T's (T's own pre-releases included; tags that are not SemVer kept).

Every replayed range is a real release, so a correct "nothing to release" (exit 3) on a range of
chores looks like a miss: agreement is reported strictly and with exit 3 read as the patch bumpwise
names for a release made anyway. "always patch" is the agreement of a tool that always proposes
the next patch, for comparison. Releases with no earlier release (the first one) are not counted.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUMPWISE = ROOT / "target" / "release" / "bumpwise"
SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")
SECTION = "## Real histories"


def git(repo, *args, **kw):
    return subprocess.run(["git", "--git-dir", str(repo), *args], capture_output=True, text=True, **kw)


def prerelease_key(pre):
    """SemVer precedence of a pre-release string (None: a release, highest)."""
    if pre is None:
        return (1,)
    parts = []
    for p in pre.split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return (0, tuple(parts))


def version_key(v):
    return (v[0], v[1], v[2], prerelease_key(v[3]))


def tags_of(repo):
    """(name, commit, version or None) for every tag that peels to a commit."""
    out = git(repo, "for-each-ref", "refs/tags",
              "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(objecttype)%00%(*objecttype)").stdout
    tags = []
    for line in out.splitlines():
        name, obj, peeled, kind, peeled_kind = line.split("\0")
        commit = peeled if kind == "tag" else obj
        if (peeled_kind if kind == "tag" else kind) != "commit":
            continue
        m = SEMVER.match(name)
        version = (int(m[1]), int(m[2]), int(m[3]), m[4]) if m else None
        tags.append((name, commit, version))
    return tags


def git_dirs(mirrors, only):
    for entry in sorted(Path(mirrors).iterdir()):
        if only and only not in entry.name:
            continue
        for candidate in (entry, entry / "repo", entry / ".git"):
            if (candidate / "objects").is_dir() and (candidate / "HEAD").exists():
                yield entry.name, candidate
                break


def fmt(v):
    return f"{v[0]}.{v[1]}.{v[2]}" + (f"-{v[3]}" if v[3] else "")


def parse(text):
    m = SEMVER.match(text or "")
    return (int(m[1]), int(m[2]), int(m[3]), m[4]) if m else None


def replay(name, mirror, flags, verbose):
    tags = tags_of(mirror)
    releases = sorted([t for t in tags if t[2] and t[2][3] is None], key=lambda t: version_key(t[2]))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bumpwise-replay-") as tmp:
        work = Path(tmp) / "work.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(work)], check=True)
        (work / "objects" / "info" / "alternates").write_text(str((mirror / "objects").resolve()) + "\n")
        added = set()
        # Tags that are not SemVer are there from the start; versions join as the replay passes them.
        pending = sorted([t for t in tags if t[2]], key=lambda t: version_key(t[2]))
        start = [f"create refs/tags/{n} {c}\n" for n, c, v in tags if v is None]
        if start:
            git(work, "update-ref", "--stdin", input="".join(start), check=True)
        for release_name, commit, version in releases:
            batch = []
            while pending and version_key(pending[0][2]) < version_key(version):
                n, c, _ = pending.pop(0)
                if n not in added:
                    added.add(n)
                    batch.append(f"create refs/tags/{n} {c}\n")
            if batch:
                git(work, "update-ref", "--stdin", input="".join(batch), check=True)
            (work / "HEAD").write_text(commit + "\n")
            proc = subprocess.run([str(BUMPWISE), "--repo", str(work), "next", "--format", "json", *flags],
                                  capture_output=True, text=True)
            if proc.returncode not in (0, 3):
                rows.append({"release": release_name, "error": proc.stderr.strip().splitlines()[-1:]})
                continue
            report = json.loads(proc.stdout)
            decision = report["decision"]
            base = parse(decision.get("previous_version"))
            if base is None:
                continue  # the first release: nothing to compare with
            proposed = parse(decision.get("next_version"))
            anyway = parse(decision.get("anyway_version") or "") or (base[0], base[1], base[2] + 1, None)
            released = version[:3]
            patch = (base[0], base[1], base[2] + 1)
            row = {
                "release": release_name,
                "base": fmt(base),
                "proposed": fmt(proposed) if proposed else None,
                "strict": proposed is not None and proposed[:3] == released,
                "lenient": (proposed[:3] if proposed else anyway[:3]) == released,
                "patch": released == patch,
                "summary": report["summary"],
                "confidence": decision.get("confidence"),
                "ground": (decision.get("confidence_basis") or {}).get("ground"),
                "level": (decision.get("confidence_basis") or {}).get("level"),
                "doubts": (decision.get("confidence_basis") or {}).get("doubts"),
                "habit": any("following this project's habit" in w for w in report.get("warnings", [])),
            }
            rows.append(row)
            if verbose:
                mark = "=" if row["strict"] else ("~" if row["lenient"] else "x")
                if row["confidence"] is not None:
                    mark += f" {row['confidence']:.2f}"
                s = report["summary"]
                print(f"  {mark} {name} {release_name:<14} from {row['base']:<10} proposed {row['proposed'] or '(none)':<10}"
                      f" {s['total']} commits: {s['breaking']}B {s['feature']}F {s['fix']}f {s['none']}n "
                      f"{s['unclassified']}u", file=sys.stderr)
                if not row["lenient"] and verbose > 1:
                    for w in report["warnings"]:
                        print(f"        warning: {w[:160]}", file=sys.stderr)
                    for c in report["commits"][:40]:
                        print(f"        {c['effective_kind']:<12} {c['rule_text'][:40]:<40} {c['subject'][:70]}",
                              file=sys.stderr)
    return rows


BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]


def calibration(rows):
    """How the confidence compares with strict agreement: per band (count, mean confidence,
    agreement), the Brier score against a constant guess at the overall rate, and per ground."""
    rows = [r for r in rows if r.get("confidence") is not None]
    if not rows:
        return "no confidence in the reports"
    n = len(rows)
    rate = sum(r["strict"] for r in rows) / n
    brier = sum((r["confidence"] - r["strict"]) ** 2 for r in rows) / n
    constant = sum((rate - r["strict"]) ** 2 for r in rows) / n
    out = ["| confidence | releases | mean confidence | agreed | gap |", "| --- | ---: | ---: | ---: | ---: |"]
    for lo, hi in BANDS:
        band = [r for r in rows if lo <= r["confidence"] < hi]
        if not band:
            continue
        mean = sum(r["confidence"] for r in band) / len(band)
        agreed = sum(r["strict"] for r in band) / len(band)
        out.append(f"| {lo:.1f}–{min(hi, 1.0):.1f} | {len(band)} | {mean:.2f} | {agreed:.2f} | {100 * (agreed - mean):+.0f} pts |")
    high = [r for r in rows if r["confidence"] >= 0.9]
    out.append("")
    out.append(f"Brier score {brier:.3f} (a constant {rate:.2f}: {constant:.3f}); confidence ≥ 0.9 on "
               f"{len(high)}/{n} releases ({100 * len(high) / n:.0f}%), agreeing on "
               f"{sum(r['strict'] for r in high)}/{len(high) or 1}.")
    out.append("")
    out.append("| ground | level | releases | agreed |")
    out.append("| --- | --- | ---: | ---: |")
    keys = sorted({(r["ground"], r["level"]) for r in rows}, key=str)
    for g, l in keys:
        k = [r for r in rows if (r["ground"], r["level"]) == (g, l)]
        out.append(f"| {g} | {l} | {len(k)} | {sum(r['strict'] for r in k)} ({100 * sum(r['strict'] for r in k) / len(k):.0f}%) |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mirrors")
    parser.add_argument("--only")
    parser.add_argument("--bumpwise", help="the binary to replay (default: target/release/bumpwise, built first)")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--calibration", action="store_true",
                        help="also print how the confidence compares with agreement: per band, the Brier score, per ground")
    parser.add_argument("--rows", help="write every replayed release (proposal, agreement, confidence) to this JSON file")
    parser.add_argument("--write", action="store_true", help=f"record the table under '{SECTION}' in benches/RESULTS.md")
    argv = sys.argv[1:]
    flags = argv[argv.index("--") + 1:] if "--" in argv else []
    options = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    options.flags = flags
    global BUMPWISE
    if options.bumpwise:
        BUMPWISE = Path(options.bumpwise).resolve()
    else:
        subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "bumpwise"], cwd=ROOT, check=True)

    lines = ["| repository | releases | strict | exit 3 as patch | always patch | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    totals = [0, 0, 0, 0, 0]
    every = []
    for name, mirror in git_dirs(options.mirrors, options.only):
        rows = replay(name, mirror, options.flags, options.verbose)
        every.extend(dict(r, repository=name) for r in rows if "error" not in r)
        done = [r for r in rows if "error" in r] , [r for r in rows if "error" not in r]
        errors, counted = done
        n = len(counted)
        strict = sum(r["strict"] for r in counted)
        lenient = sum(r["lenient"] for r in counted)
        patch = sum(r["patch"] for r in counted)
        for i, v in enumerate([n, strict, lenient, patch, len(errors)]):
            totals[i] += v
        pct = lambda k: f"{k}/{n} ({100 * k / n:.0f}%)" if n else "n/a"
        lines.append(f"| {name} | {n} | {pct(strict)} | {pct(lenient)} | {pct(patch)} | {len(errors)} |")
        for e in errors:
            print(f"  ! {name} {e['release']}: {' '.join(e['error'])}", file=sys.stderr)
    n = totals[0]
    pct = lambda k: f"{k}/{n} ({100 * k / n:.0f}%)" if n else "n/a"
    lines.append(f"| all | {n} | {pct(totals[1])} | {pct(totals[2])} | {pct(totals[3])} | {totals[4]} |")
    table = "\n".join(lines)
    print(table)
    if options.rows:
        Path(options.rows).write_text(json.dumps(every, indent=1))
    if options.calibration:
        print()
        print(calibration(every))
    if options.write:
        results = ROOT / "benches" / "RESULTS.md"
        text = results.read_text() if results.exists() else ""
        head = text.split(SECTION)[0].rstrip("\n")
        flags = " ".join(options.flags)
        section = (f"{SECTION}\n\nMade by `python3 benches/replay.py MIRRORS{' -- ' + flags if flags else ''}` "
                   f"(see the script's help): each stable release replayed from the release before it.\n\n{table}\n")
        results.write_text((head + "\n\n" if head else "") + section)


if __name__ == "__main__":
    main()
