"""The check command: streamed line by line, its exit code and tail sent to the model."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

from slowcode.engine.apply.check import CHECK_TAIL_CHARS, run_check
from slowcode.engine.progress import (
    CheckFinished,
    CheckOutput,
    CheckStarted,
    NoticeRaised,
    Progress,
)
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, edit, make_workflow, plan_turn

PY = sys.executable


async def test_lines_arrive_while_the_command_still_runs(tmp_path: Path) -> None:
    # The command prints, then waits for a file that only the test creates after seeing
    # the first line: it can only finish if that line was streamed before the end.
    gate = tmp_path / "gate"
    script = (
        "import pathlib, sys, time\n"
        "print('first', flush=True)\n"
        f"while not pathlib.Path({str(gate)!r}).exists(): time.sleep(0.01)\n"
        "print('second', file=sys.stderr, flush=True)\n"
        "sys.exit(3)\n"
    )
    (tmp_path / "check.py").write_text(script)
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line == "first":
            gate.write_text("go")

    result = await asyncio.wait_for(run_check(f"{PY} check.py", tmp_path, on_line), 10)
    assert lines == ["first", "second"]
    assert result.exit_code == 3 and not result.passed
    assert result.output_tail == "first\nsecond"


async def test_a_long_output_is_cut_to_its_tail(tmp_path: Path) -> None:
    command = f"{PY} -c \"print('\\n'.join('line %d' % n for n in range(3000)))\""
    lines: list[str] = []
    result = await run_check(command, tmp_path, lines.append)
    assert len(lines) == 3000 and result.passed
    assert len(result.output_tail) <= CHECK_TAIL_CHARS
    assert result.output_tail.endswith("line 2999")


async def test_a_command_that_runs_too_long_is_killed(tmp_path: Path) -> None:
    lines: list[str] = []
    result = await run_check(
        f"{PY} -c 'import time; time.sleep(30)'", tmp_path, lines.append, timeout=0.5
    )
    assert result.exit_code == -1
    assert lines[-1] == "timed out after 0.5 s"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return app_repo(tmp_path)


async def test_a_failing_check_is_streamed_shown_and_reported_to_the_model(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    (repo / "check.sh").write_text("echo checking app.py\ngrep -q Hello app.py && exit 1\n")
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), events, check_command="sh check.sh")
    await workflow.run("polite")

    check_events = [e for e in events if isinstance(e, CheckStarted | CheckOutput | CheckFinished)]
    assert check_events == [
        CheckStarted("sh check.sh"),
        CheckOutput("checking app.py"),
        CheckFinished("sh check.sh", 1),
    ]
    # Announced once, by CheckFinished: no notice says it again.
    assert not any(isinstance(e, NoticeRaised) and "check" in e.message for e in events)
    result = json.loads(fake_api.message_requests[2].body["messages"][-1]["content"][1]["content"])
    assert result["check"] == {
        "ran": True,
        "command": "sh check.sh",
        "exit_code": 1,
        "output_tail": "checking app.py",
    }
    journal = workflow.journal
    assert journal is not None
    (run,) = [e["data"] for e in journal.events() if e["type"] == "check_run"]
    assert run["exit_code"] == 1
