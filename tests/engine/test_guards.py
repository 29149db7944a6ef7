"""The parse guard: a step that breaks a file's syntax goes back to the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slowcode.engine.progress import SessionState
from slowcode.engine.staging.diffs import diff_texts
from slowcode.engine.staging.guards import language_of, parse_guard_message, parse_regressions
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import app_repo, edit, make_workflow, plan_turn


def _check(path: str, old: str | None, new: str) -> list[str]:
    files = diff_texts({path: (old, new)})
    return [r.path for r in parse_regressions(files, {f.path: f.new_text for f in files})]


def test_a_file_that_parsed_and_now_has_an_error_is_caught() -> None:
    old = "def f():\n    return 1\n"
    found = parse_regressions(
        diff_texts({"m.py": (old, "def f(:\n    return 1\n")}),
        {"m.py": "def f(:\n    return 1\n"},
    )
    assert [(r.path, r.language, r.line) for r in found] == [("m.py", "python", 1)]
    message = parse_guard_message(found)
    assert "m.py parsed cleanly as python" in message and "near line 1" in message


@pytest.mark.parametrize(
    ("path", "old", "new", "caught"),
    [
        ("m.py", "x = 1\n", "x = (1,\n", True),
        ("m.py", "x = 1\n", "x = 2\n", False),
        ("m.py", "x = (\n", "x = ((\n", False),  # it was broken before the step
        ("m.py", None, "def (:\n", False),  # a new file: nothing to compare with
        ("notes.txt", "a\n", "def (:\n", False),  # no grammar for this file type
        ("web/app.ts", "let a: number = 1;\n", "let a: number = ;\n", True),
        ("cfg.json", '{"a": 1}\n', '{"a": 1,,}\n', True),
        ("lib.rs", "fn main() {}\n", "fn main() {\n", True),
    ],
)
def test_only_regressions_in_known_languages_are_caught(
    path: str, old: str | None, new: str, caught: bool
) -> None:
    assert _check(path, old, new) == ([path] if caught else [])


def test_languages_are_picked_by_suffix() -> None:
    assert language_of("a/b/C.PY") == "python"
    assert language_of("x.tsx") == "tsx"
    assert language_of("Makefile") is None


async def test_a_broken_step_is_refused_before_the_developer_sees_it(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = app_repo(tmp_path)
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), edit("def shout(name):", "def shout(name:")),
        reply(tool_use_block("finish_step", {"summary": "Polite."})),
        reply(
            edit("def shout(name:", "def shout(name):"),
            tool_use_block("finish_step", {"summary": "Polite, and it parses."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    )
    human = ScriptedHuman()
    workflow = make_workflow(repo, fake_api, human, [])
    await workflow.run("polite")

    refused = fake_api.message_requests[3].body["messages"][-1]["content"][0]
    assert refused["is_error"] is True
    assert "app.py parsed cleanly as python" in refused["content"]
    assert len(human.reviews) == 1  # only the fixed step reached the developer
    assert human.reviews[0].summary == "Polite, and it parses."
    assert workflow.session.state is SessionState.DONE
    assert "'Hello, '" in (repo / "app.py").read_text()
    journal = workflow.journal
    assert journal is not None
    refusals = [e for e in journal.events() if e["type"] == "step_refused"]
    assert json.dumps(refusals[0]["data"]["files"]) == '["app.py"]'
