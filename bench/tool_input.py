"""Tool-input check benchmark: refusing a 2 MiB input against json-parsing it.

A tool input over 1 MiB of JSON is refused by `protocol.input_problem` before
any schema check; the check is one `json.dumps` of the input, so it should cost
about what parsing that JSON costs (the baseline, measured in the same run),
and a pathological input (one long run of a repeated character, or deep
nesting of small objects) no more than a plain one.

Usage: python bench/tool_input.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable

from slowcode.engine.model_loop.protocol import EDITOR_TOOL, MAX_INPUT_BYTES, input_problem

REFUSAL_TARGET_SECONDS = 1.0
RATIO_TARGET = 10.0


def inputs() -> dict[str, dict[str, object]]:
    """2 MiB inputs of the editor tool: plain lines, one repeated character, many keys."""
    size = 2 * MAX_INPUT_BYTES
    lines = "def f():\n    return 'Bearer abcdefgh12345678'\n" * (size // 44)
    return {
        "plain lines": {"command": "create", "path": "big.py", "file_text": lines},
        "one repeated character": {"command": "create", "path": "a.py", "file_text": "a" * size},
        "many keys": {
            "command": "create",
            "path": "k.py",
            "file_text": "",
            **{f"k{n}": "v" for n in range(size // 12)},
        },
    }


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if runs < 3 else statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    missed = False
    for label, tool_input in inputs().items():
        text = json.dumps(tool_input)
        problem = input_problem(EDITOR_TOOL, tool_input)
        assert problem is not None and "over the limit" in problem, problem
        refuse = best_of(
            args.runs, lambda tool_input=tool_input: input_problem(EDITOR_TOOL, tool_input)
        )
        parse = best_of(args.runs, lambda text=text: json.loads(text))
        ratio = refuse / parse
        print(
            f"{label:24} {len(text) / 2**20:.1f} MiB: refused in {refuse * 1000:.1f} ms, "
            f"json.loads {parse * 1000:.1f} ms (baseline), ratio {ratio:.2f}"
        )
        missed = missed or refuse > REFUSAL_TARGET_SECONDS or ratio > RATIO_TARGET
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
