"""A tool input over 1 MiB of JSON is refused, in one line, before any schema check."""

from __future__ import annotations

from slowcode.engine.model_loop.protocol import MAX_INPUT_BYTES, input_problem, input_size
from tests.helpers.sessions import EDITOR

TWO_MIB = "x = 1\n" * (2 * MAX_INPUT_BYTES // 6)


def create(text: str) -> dict[str, object]:
    return {"command": "create", "path": "big.py", "file_text": text}


def test_an_input_over_one_mib_is_refused_with_its_size() -> None:
    tool_input = create(TWO_MIB)
    size = input_size(tool_input)
    assert size > 2 * MAX_INPUT_BYTES

    problem = input_problem(EDITOR, tool_input)

    assert problem == (
        f"The input of {EDITOR} is {size:,} bytes of JSON, over the limit of 1,048,576 "
        "bytes (1 MiB); nothing was run: split it into smaller edits."
    )


def test_the_size_is_checked_before_the_schema() -> None:
    problem = input_problem(EDITOR, {"command": 3, "path": "", "file_text": TWO_MIB})
    assert problem is not None and "over the limit of 1,048,576 bytes" in problem


def test_an_input_at_the_limit_is_checked_as_usual() -> None:
    envelope = input_size(create(""))
    assert input_problem(EDITOR, create("a" * (MAX_INPUT_BYTES - envelope))) is None
    problem = input_problem(EDITOR, create("a" * (MAX_INPUT_BYTES - envelope + 1)))
    assert problem is not None and "over the limit" in problem
