"""Start-up benchmark: time to first frame, and `slowcode --help`.

Every run is a fresh interpreter, so the figures include Python's start-up and
every import, as a developer pays them. The first frame of slowcode's app (in a
temporary git repository) is compared with the first frame of a bare Textual
app holding one Static; both run headless and exit right after their first
refresh. The parent measures from launching the process to reading the child's
"first frame" line.

Usage: python bench/startup.py [--runs N] [--json] [--check]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

FIRST_FRAME = "FIRST-FRAME"
FRAME_RATIO_TARGET = 1.3
HELP_TARGET_SECONDS = 0.2

# Exits after the first refresh that follows the first mount, and says so on stdout.
_AUTO_EXIT = f"""
import asyncio


async def first_frame_then_exit(pilot):
    painted = asyncio.get_running_loop().create_future()
    pilot.app.call_after_refresh(lambda: painted.done() or painted.set_result(None))
    await painted
    print({FIRST_FRAME!r}, flush=True)
    pilot.app.exit()
"""

BARE_APP = (
    _AUTO_EXIT
    + """
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


Bare().run(headless=True, size=(120, 40), auto_pilot=first_frame_then_exit)
"""
)

# The same path as `slowcode PATH`: repository, configuration, settings, app.
SLOWCODE_APP = (
    _AUTO_EXIT
    + """
import os
import sys
from pathlib import Path

from slowcode.core.config import load_config
from slowcode.git.worktree import find_work_tree
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp

root = find_work_tree(Path(sys.argv[1]))
config = load_config(root, os.environ)
settings = ModelSettings.from_env(os.environ, model=config.model)
SlowcodeApp(root, config, settings).run(
    headless=True, size=(120, 40), auto_pilot=first_frame_then_exit
)
"""
)


@dataclass(frozen=True)
class Measurement:
    """The wall times of one measurement, in seconds."""

    name: str
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def time_to_first_frame(program: str, *args: str) -> float:
    """Seconds from launching `python -c program` to its first-frame line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", program, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == FIRST_FRAME:
            elapsed = time.perf_counter() - started
            break
    else:
        _, error = process.communicate()
        raise SystemExit(f"no first frame; the app said:\n{error}")
    process.communicate(timeout=30)
    return elapsed


def time_help(command: Path) -> float:
    """Seconds `slowcode --help` takes, start to exit."""
    started = time.perf_counter()
    subprocess.run([str(command), "--help"], capture_output=True, check=True)
    return time.perf_counter() - started


def make_repository(folder: Path) -> Path:
    """A small git repository with one commit, like a project slowcode opens."""
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    (folder / "app.py").write_text("print('hello')\n", encoding="utf-8")
    git = ["git", "-C", str(folder), "-c", "user.name=bench", "-c", "user.email=b@b.invalid"]
    subprocess.run([*git, "add", "app.py"], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "init"], check=True)
    return folder


def compile_bytecode() -> None:
    """Compiles slowcode's modules to bytecode, as installing it with pip does.

    Textual and every other installed package were compiled when pip installed
    them. slowcode runs from its checkout (an editable install), where Python
    writes bytecode on first import, unless PYTHONDONTWRITEBYTECODE is set: then
    each start would compile every module again, which no installed copy does.
    """
    spec = importlib.util.find_spec("slowcode")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("slowcode is not installed in this interpreter")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def measure(runs: int) -> list[Measurement]:
    """Runs every measurement `runs` times, interleaved so drift hits all alike."""
    command = Path(sys.executable).parent / "slowcode"
    compile_bytecode()
    bare, slowcode, help_ = (
        Measurement("bare Textual app, first frame", []),
        Measurement("slowcode, first frame", []),
        Measurement("slowcode --help", []),
    )
    with tempfile.TemporaryDirectory(prefix="slowcode-bench-") as temporary:
        repository = make_repository(Path(temporary))
        # One unmeasured round warms the file system cache and the bytecode caches.
        time_to_first_frame(BARE_APP)
        time_to_first_frame(SLOWCODE_APP, str(repository))
        for _ in range(runs):
            bare.runs.append(time_to_first_frame(BARE_APP))
            slowcode.runs.append(time_to_first_frame(SLOWCODE_APP, str(repository)))
            help_.runs.append(time_help(command))
    return [bare, slowcode, help_]


def report(measurements: list[Measurement]) -> dict[str, object]:
    """The figures, the ratio and whether each target is met."""
    bare, slowcode, help_ = measurements
    ratio = slowcode.median / bare.median
    return {
        "measurements": [
            {**asdict(m), "median": m.median, "min": min(m.runs), "max": max(m.runs)}
            for m in measurements
        ],
        "first_frame_ratio": ratio,
        "first_frame_ratio_target": FRAME_RATIO_TARGET,
        "first_frame_ratio_ok": ratio <= FRAME_RATIO_TARGET,
        "help_seconds_target": HELP_TARGET_SECONDS,
        "help_ok": help_.median <= HELP_TARGET_SECONDS,
    }


def print_table(result: dict[str, object], measurements: list[Measurement]) -> None:
    """The figures as a table a person reads."""
    print(f"{'measurement':<32} {'median':>8} {'min':>8} {'max':>8}  runs")
    for m in measurements:
        print(
            f"{m.name:<32} {m.median:>7.3f}s {min(m.runs):>7.3f}s {max(m.runs):>7.3f}s"
            f"  {len(m.runs)}"
        )
    verdict = {True: "ok", False: "MISSED"}
    print()
    print(
        f"first frame, slowcode / bare: {result['first_frame_ratio']:.2f}"
        f" (target ≤ {FRAME_RATIO_TARGET}) {verdict[bool(result['first_frame_ratio_ok'])]}"
    )
    print(
        f"slowcode --help: {measurements[2].median:.3f} s"
        f" (target ≤ {HELP_TARGET_SECONDS} s) {verdict[bool(result['help_ok'])]}"
    )


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmark; with --check, exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    measurements = measure(args.runs)
    result = report(measurements)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result, measurements)
    missed = not (result["first_frame_ratio_ok"] and result["help_ok"])
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
