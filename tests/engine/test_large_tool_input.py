"""A tool input over 1 MiB of JSON is refused, in one line, before any schema check or read."""

from __future__ import annotations

from pathlib import Path

from slowcode.engine.model_loop.protocol import MAX_INPUT_BYTES, input_problem, input_size
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import EDITOR, app_repo, log, make_workflow, plan_turn, two_step_script

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


async def test_a_session_stops_reading_an_input_past_one_mib_and_the_model_goes_on(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    fake_api.script(
        plan_turn("Greet politely"),
        reply(tool_use_block(EDITOR, create("x = 1\n" * (MAX_INPUT_BYTES // 6 + 100)))),
        *two_step_script()[2:4],
        reply("Done.", stop_reason="end_turn"),
    )
    human = ScriptedHuman()

    await make_workflow(repo, fake_api, human, []).run("Greet politely")

    told = fake_api.message_requests[2].body["messages"][-1]["content"]
    assert [block["text"] for block in told] == [
        f"The input of your tool call was over the limit of 1,048,576 bytes (1 MiB): "
        f"the input of {EDITOR} passed 1,048,576 characters of JSON, so the answer was "
        "not read further; nothing in your response was run: split it into smaller edits."
    ]
    assert not (repo / "big.py").exists()
    assert len(human.reviews) == 1 and log(repo, "--format=%s").splitlines()[0] == "Greet politely"
