"""Repository-map benchmark: slowcode against aider-chat 0.86.2, side by side.

Fetches four corpora from the package registries (once, into bench/.work/):
sympy 1.14.0 (its sdist from PyPI), gin (Debian's golang-github-gin-gonic-gin-dev),
regex (Debian's librust-regex-dev) and three.js (`three` from npm, `src/`). Installs
aider-chat 0.86.2 in its own virtual environment under bench/.work/aider-venv.

For each corpus, tool and budget (1,024 and 8,192 tokens), fresh processes measure:
- cold: empty caches, build the tags and render the map;
- warm: a new process with the caches of the cold run;
- touch: in the cold process, after its map, one file's mtime changes (content
  unchanged), map again;
- edit: then a function calling nothing is appended to that file, map again
  (wall and CPU time);
- ref edit: then a function calling two widely used names is appended instead
  (the references change, so the whole graph is ranked again); wall and CPU
  time, the median of --repeat such edits (each from the original content,
  restored and mapped untimed in between);
- edit, new process: the edit in the warm process, whose map came from the
  cache, so it has no graph in memory yet;
- peak RSS of the cold process (and, for slowcode, of its largest worker process).

Times exclude interpreter start-up and imports. Both tools get the same file
list and count tokens offline with the same estimate (slowcode's documented
one), and aider calls its `RepoMap` directly (no model, `refresh="always"` so a
changed file is seen).

Usage: python bench/repomap.py [--corpus NAME ...] [--budget N ...] [--repeat N]
                               [--skip-aider] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
DOWNLOADS = WORK / "dl"
CORPORA = WORK / "corpora"
AIDER_VENV = WORK / "aider-venv"
AIDER_VERSION = "0.86.2"
SLOWCODE_PYTHON = sys.executable

SUFFIXES = {"sympy": (".py",), "gin": (".go",), "regex": (".rs",), "three": (".js",)}
EDITS = {
    ".py": "\n\ndef bench_added_function():\n    return 1\n",
    ".go": "\nfunc benchAddedFunction() int { return 1 }\n",
    ".rs": "\nfn bench_added_function() -> u32 { 1 }\n",
    ".js": "\nfunction benchAddedFunction() { return 1; }\n",
}

REF_EDITS = {
    ".py": "\n\ndef bench_added_caller():\n    return sympify(1) + Symbol('x')\n",
    ".go": "\nfunc benchAddedCaller() *Engine { return New() }\n",
    ".rs": '\nfn bench_added_caller() -> Regex { Regex::new("a").unwrap() }\n',
    ".js": "\nfunction benchAddedCaller() { return new Vector3( 0, 0, 0 ); }\n",
}


def _run(argv: list[str], cwd: Path | None = None) -> None:
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def _extract_deb(name: str, target: Path) -> None:
    debs = sorted(DOWNLOADS.glob(f"{name}_*.deb"))
    if not debs:
        _run(["apt-get", "download", name], cwd=DOWNLOADS)
        debs = sorted(DOWNLOADS.glob(f"{name}_*.deb"))
    _run(["dpkg-deb", "-x", str(debs[-1]), str(target)])


def _extract_tar(archive: Path, target: Path) -> None:
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")


def prepare_corpora() -> dict[str, Path]:
    """Fetches and unpacks the corpora (once); returns each corpus's source root."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    roots = {
        "sympy": CORPORA / "sympy" / "sympy-1.14.0",
        "gin": CORPORA / "gin" / "usr/share/gocode/src/github.com/gin-gonic/gin",
        "regex": CORPORA / "regex" / "usr/share/cargo/registry/regex-1.7.1",
        "three": CORPORA / "three" / "package" / "src",
    }
    if not roots["sympy"].is_dir():
        sdist = DOWNLOADS / "sympy-1.14.0.tar.gz"
        if not sdist.exists():
            _run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--no-binary",
                    ":all:",
                    "sympy==1.14.0",
                    "-d",
                    str(DOWNLOADS),
                ]
            )
        _extract_tar(sdist, CORPORA / "sympy")
    if not roots["gin"].is_dir():
        _extract_deb("golang-github-gin-gonic-gin-dev", CORPORA / "gin")
    if not roots["regex"].is_dir():
        _extract_deb("librust-regex-dev", CORPORA / "regex")
    if not roots["three"].is_dir():
        packs = sorted(DOWNLOADS.glob("three-*.tgz"))
        if not packs:
            _run(["npm", "pack", "--silent", "three"], cwd=DOWNLOADS)
            packs = sorted(DOWNLOADS.glob("three-*.tgz"))
        _extract_tar(packs[-1], CORPORA / "three")
    return roots


def ensure_aider() -> Path | None:
    """The aider venv's python, installing aider-chat there once; None if that fails."""
    python = AIDER_VENV / "bin" / "python"
    check = [str(python), "-c", "import aider.repomap"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    try:
        _run([sys.executable, "-m", "venv", str(AIDER_VENV)])
        _run([str(python), "-m", "pip", "install", "--quiet", f"aider-chat=={AIDER_VERSION}"])
    except subprocess.CalledProcessError as error:
        print(f"aider-chat could not be installed: {error}", file=sys.stderr)
        return None
    return python if subprocess.run(check, capture_output=True).returncode == 0 else None


def source_files(root: Path, suffixes: tuple[str, ...]) -> list[str]:
    """Repository-relative source files of a corpus, sorted."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(suffixes):
                found.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(found)


# Runs in a fresh interpreter of either venv; prints one JSON line.
CHILD = r"""
import json, os, resource, statistics, sys, time
from pathlib import Path
sys.path.insert(0, os.environ["SLOWCODE_SRC"])
from slowcode.context.tokens import ESTIMATE
tool, root, budget, phase, cache, target, edit, ref_edit, repeat = sys.argv[1:10]
root, budget, repeat = Path(root), int(budget), int(repeat)
files = json.loads(sys.stdin.read())

if tool == "slowcode":
    from slowcode.context.policy import ContextPolicy
    from slowcode.context.repomap import RepoMap

    def build():
        repo_map = RepoMap(root, ContextPolicy(root), cache_dir=Path(cache))
        return repo_map, lambda: (repo_map.refresh(files), repo_map.render(budget))[1]
else:
    import logging
    logging.disable(logging.CRITICAL)
    from aider.repomap import RepoMap

    class Model:
        def token_count(self, text):
            return ESTIMATE.count(text)

    class Quiet:
        # aider's InputOutput as RepoMap uses it: files are read through it.

        def read_text(self, filename, silent=False):
            try:
                return Path(filename).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    absolute = [str(root / rel) for rel in files]

    def build():
        repo_map = RepoMap(map_tokens=budget, root=str(root), main_model=Model(), io=Quiet(),
                           refresh="always")
        return repo_map, lambda: repo_map.get_repo_map([], absolute) or ""

def timed(render):
    start = time.perf_counter()
    text = render()
    return time.perf_counter() - start, text

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime

result = {}
start, start_cpu = time.perf_counter(), cpu()
repo_map, render = build()
elapsed, text = timed(render)
result[phase] = time.perf_counter() - start
result[phase + "_cpu"] = cpu() - start_cpu
result["tokens"] = ESTIMATE.count(text)
path = root / target
original = path.read_bytes()
try:
    if phase == "cold":
        os.utime(path)
        result["touch"], _ = timed(render)
        path.write_bytes(original + edit.encode())
        start_cpu = cpu()
        result["edit"], text = timed(render)
        result["edit_cpu"] = cpu() - start_cpu
        ref_times, ref_cpus = [], []
        for number in range(repeat):
            if number:
                path.write_bytes(original)
                render()  # untimed: the original references again
            # Trailing newlines make each content new (no remembered map), tags alike.
            path.write_bytes(original + ref_edit.encode() + b"\n" * number)
            start_cpu = cpu()
            elapsed, text = timed(render)
            ref_cpus.append(cpu() - start_cpu)
            ref_times.append(elapsed)
        result["ref_edit"] = statistics.median(ref_times)
        result["ref_edit_min"] = min(ref_times)
        result["ref_edit_cpu"] = statistics.median(ref_cpus)
    else:
        # Not the cold run's edit: its map is in the cache already.
        path.write_bytes(original + edit.replace("dded", "dded_again").encode())
        result["edit_new_process"], text = timed(render)
finally:
    path.write_bytes(original)
if phase == "cold":
    render()  # untimed: the caches hold the original content again for the warm run
result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result["worker_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(
    python: str,
    tool: str,
    root: Path,
    files: list[str],
    budget: int,
    phase: str,
    cache: Path,
    target: str,
    edit: str,
    ref_edit: str,
    repeat: int,
) -> dict[str, float]:
    env = {**os.environ, "SLOWCODE_SRC": str(HERE.parent), "PYTHONHASHSEED": "random"}
    argv = [python, "-c", CHILD, tool, str(root), str(budget), phase, str(cache), target, edit]
    argv += [ref_edit, str(repeat)]
    done = subprocess.run(
        argv, input=json.dumps(files), capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{tool} {phase} failed:\n{done.stderr[-2000:]}")
    values: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return values


def bench_one(
    tool: str, python: str, name: str, root: Path, budget: int, repeat: int
) -> dict[str, float]:
    files = source_files(root, SUFFIXES[name])
    target = files[len(files) // 2]
    edit = EDITS[Path(target).suffix]
    ref_edit = REF_EDITS[Path(target).suffix]
    cache = WORK / "cache" / tool / name
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(root / ".aider.tags.cache.v4", ignore_errors=True)
    edits = (target, edit, ref_edit, repeat)
    cold = measure(python, tool, root, files, budget, "cold", cache, *edits)
    warm = measure(python, tool, root, files, budget, "warm", cache, *edits)
    return {
        "files": len(files),
        **cold,
        "warm": warm["warm"],
        "edit_new_process": warm["edit_new_process"],
        "cold_tokens": cold["tokens"],
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| corpus | files | budget | tool | cold | cold CPU | warm | touch | edit (CPU) "
        "| ref edit, median (CPU) | edit, new process | tokens | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        rss = f"{row['rss_mb']:.0f} MB"
        if row["tool"] == "slowcode" and float(row["worker_rss_mb"]) > 0:
            rss += f" (+ workers {row['worker_rss_mb']:.0f} MB)"
        lines.append(
            f"| {row['corpus']} | {row['files']} | {row['budget']} | {row['tool']} "
            f"| {row['cold']:.2f} s | {row['cold_cpu']:.2f} s | {row['warm']:.3f} s "
            f"| {row['touch']:.3f} s | {row['edit']:.3f} s ({row['edit_cpu']:.3f} s) "
            f"| {row['ref_edit']:.3f} s ({row['ref_edit_cpu']:.3f} s) "
            f"| {row['edit_new_process']:.3f} s "
            f"| {row['tokens']} | {rss} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=sorted(SUFFIXES))
    parser.add_argument("--budget", action="append", type=int)
    parser.add_argument(
        "--repeat", type=int, default=5, help="ref edits per run; the median is reported"
    )
    parser.add_argument("--skip-aider", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    roots = prepare_corpora()
    tools = [("slowcode", SLOWCODE_PYTHON)]
    if not args.skip_aider:
        aider = ensure_aider()
        if aider is not None:
            tools.append(("aider", str(aider)))
    rows: list[dict[str, object]] = []
    for name in args.corpus or ["sympy", "gin", "regex", "three"]:
        for budget in args.budget or [1024, 8192]:
            for tool, python in tools:
                result = bench_one(tool, python, name, roots[name], budget, max(args.repeat, 1))
                rows.append({"corpus": name, "budget": budget, "tool": tool, **result})
                print(f"{name} {budget} {tool}: {json.dumps(result)}", file=sys.stderr)
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    print(json.dumps(rows, indent=2) if args.json else table(rows))
    if not args.json:
        print(f"\n{os.cpu_count()} cores; load average at the end {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
