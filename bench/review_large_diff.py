"""Large-diff benchmark: the review's diff view against a plain Textual `Log`.

For diffs of 1,000, 5,000 and 20,000 lines (real `git diff` output of a
generated Python file, parsed into a step review as slowcode does), one run
measures, headless at 120×40:

- open time: from mounting the widget to its first frame;
- keypress-to-frame: from pressing `pagedown` to the frame that shows it (median of
  20 presses);
- memory: Python allocations still held after the first frame and the presses
  (tracemalloc, in a second pass so the tracing does not slow the timings).

The baseline is Textual's `Log` holding the same diff text, line for line.

Usage: python bench/review_large_diff.py [--sizes 1000,5000,20000] [--json] [--check]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget
from textual.widgets import Log

from slowcode.core.step_review import StepReview
from slowcode.engine.staging.diffs import diff_texts
from slowcode.tui.widgets.diff_view import DiffView

OPEN_TARGET_SECONDS = 0.5
KEY_TARGET_SECONDS = 0.05
# Memory is "linear" when bytes per diff line at the largest size stay within this
# factor of bytes per line at the smallest.
LINEAR_FACTOR = 1.5
PRESSES = 20
SIZE = (120, 40)


def make_review(diff_lines: int) -> tuple[StepReview, list[str]]:
    """A review whose diff has about `diff_lines` lines, and the same diff as text lines."""
    # Every fourth line changes: 3 context + 1 removed + 1 added per 4 old lines,
    # so the hunks merge and the diff has 5/4 as many lines as the file.
    count = max(diff_lines * 4 // 5, 4)
    old = "".join(f"value_{n} = compute({n}, 'text {n}')  # line {n}\n" for n in range(count))
    new = "".join(
        f"value_{n} = compute({n}, 'text {n}')  # line {n}\n"
        if n % 4
        else f"value_{n} = compute_fast({n}, 'text {n}')  # line {n}\n"
        for n in range(count)
    )
    files = diff_texts({"big/generated.py": (old, new)})
    review = StepReview(1, "Generate table", "A large generated change.", files)
    text = [f"--- a/{files[0].path}", f"+++ b/{files[0].path}"]
    for hunk in review.hunks:
        text.append(hunk.header)
        text.extend(f"{line.kind.value}{line.text}" for line in hunk.lines)
    return review, text


class Host(App[None]):
    """An empty app to mount the measured widget into.

    Animations are off, as a developer who scrolls by page wants them: otherwise each
    press would be measured to the end of Textual's scroll animation, the same for
    every widget.
    """

    def on_mount(self) -> None:
        self.animation_level = "none"


async def _frame(app: App[Any]) -> None:
    painted = asyncio.get_running_loop().create_future()
    app.call_after_refresh(lambda: painted.done() or painted.set_result(None))
    await painted


@dataclass
class Figures:
    """One widget at one size."""

    widget: str
    diff_lines: int
    open_seconds: float
    key_median_seconds: float
    key_max_seconds: float
    memory_bytes: int


async def _measure(make: Callable[[], Widget], *, trace: bool) -> tuple[float, list[float], int]:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if trace:
            tracemalloc.start()
            traced_before = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        widget = make()
        await app.mount(widget)
        await _frame(app)
        opened = time.perf_counter() - started
        widget.focus()
        await pilot.pause()
        keys: list[float] = []
        for _ in range(PRESSES):
            # The key goes in as the terminal driver sends it (the pilot's own waits
            # would add tens of milliseconds to every widget alike); the clock stops
            # at the first frame painted after the widget scrolled.
            scrolled_from = widget.scroll_y
            key = events.Key("pagedown", None)
            key.set_sender(app)
            assert app._driver is not None
            pressed = time.perf_counter()
            app._driver.send_message(key)
            while widget.scroll_y == scrolled_from:
                if time.perf_counter() - pressed > 5:
                    raise RuntimeError(f"{type(widget).__name__} did not scroll")
                await asyncio.sleep(0)
            await _frame(app)
            keys.append(time.perf_counter() - pressed)
        memory = 0
        if trace:
            memory = tracemalloc.get_traced_memory()[0] - traced_before
            tracemalloc.stop()
    return opened, keys, memory


async def run(sizes: list[int]) -> list[Figures]:
    """Measures the diff view and the `Log` baseline at each size."""
    results: list[Figures] = []
    # A discarded warm-up: imports (Pygments' lexer, Textual's widgets) are paid once
    # per process, not per diff, and would otherwise land on the first size measured.
    warm_review, warm_text = make_review(1000)

    def warm_log() -> Widget:
        widget = Log()
        widget.write_lines(warm_text)
        return widget

    await _measure(lambda: DiffView(warm_review), trace=False)
    await _measure(warm_log, trace=False)
    for size in sizes:
        review, text = make_review(size)
        lines = len(text)

        def diff_view(review: StepReview = review) -> Widget:
            return DiffView(review)

        def log(text: list[str] = text) -> Widget:
            widget = Log()
            widget.write_lines(text)
            return widget

        for name, make in (("DiffView", diff_view), ("Log (baseline)", log)):
            opened, keys, _ = await _measure(make, trace=False)
            _, _, memory = await _measure(make, trace=True)
            results.append(Figures(name, lines, opened, statistics.median(keys), max(keys), memory))
    return results


def problems(results: list[Figures]) -> list[str]:
    """The targets the diff view misses (empty when it meets them all)."""
    ours = [r for r in results if r.widget == "DiffView"]
    found: list[str] = []
    largest = max(ours, key=lambda r: r.diff_lines)
    smallest = min(ours, key=lambda r: r.diff_lines)
    if largest.diff_lines >= 20_000 and largest.open_seconds > OPEN_TARGET_SECONDS:
        found.append(f"open {largest.open_seconds:.3f} s > {OPEN_TARGET_SECONDS} s")
    for figures in ours:
        if figures.key_median_seconds > KEY_TARGET_SECONDS:
            found.append(
                f"keypress-to-frame {figures.key_median_seconds * 1000:.1f} ms at "
                f"{figures.diff_lines} lines > {KEY_TARGET_SECONDS * 1000:.0f} ms"
            )
    if largest is not smallest:
        per_small = smallest.memory_bytes / smallest.diff_lines
        per_large = largest.memory_bytes / largest.diff_lines
        if per_large > LINEAR_FACTOR * per_small:
            found.append(
                f"memory not linear: {per_large:.0f} B/line at {largest.diff_lines} lines, "
                f"{per_small:.0f} B/line at {smallest.diff_lines}"
            )
    return found


def table(results: list[Figures]) -> str:
    """The figures as a Markdown table."""
    rows = [
        "| widget | diff lines | open | keypress-to-frame (median / max) | memory |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        rows.append(
            f"| {r.widget} | {r.diff_lines:,} | {r.open_seconds:.3f} s | "
            f"{r.key_median_seconds * 1000:.1f} / {r.key_max_seconds * 1000:.1f} ms | "
            f"{r.memory_bytes / 1e6:.1f} MB |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="diff sizes, in lines")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = asyncio.run(run(sizes))
    missed = problems(results)
    if args.json:
        print(json.dumps({"results": [asdict(r) for r in results], "missed": missed}, indent=2))
    else:
        print(table(results))
        print()
        print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
