"""Provenance notes exported as Agent Trace records, checked against the format's rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from slowcode.cli.main import main
from slowcode.core.step_review import Verdict
from tests.context.repos import git
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import make_workflow, two_step_script

# The record's rules as agent-trace.dev 0.1.0 states them: required fields, the
# contributor kinds, 1-based line ranges.
CONTRIBUTOR = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["human", "ai", "mixed", "unknown"]}},
}
RECORD_RULES: dict[str, Any] = {
    "type": "object",
    "required": ["version", "id", "timestamp", "files"],
    "properties": {
        "vcs": {
            "type": "object",
            "required": ["type", "revision"],
            "properties": {"type": {"enum": ["git", "jj", "hg", "svn"]}},
        },
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "conversations"],
                "properties": {
                    "conversations": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ranges"],
                            "properties": {
                                "contributor": CONTRIBUTOR,
                                "ranges": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["start_line", "end_line"],
                                        "properties": {
                                            "start_line": {"type": "integer", "minimum": 1},
                                            "end_line": {"type": "integer", "minimum": 1},
                                            "contributor": CONTRIBUTOR,
                                        },
                                    },
                                },
                            },
                        },
                    }
                },
            },
        },
    },
}


async def test_each_step_commit_exports_one_valid_record(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.script(*two_step_script())
    human = ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]])
    await make_workflow(repo, fake_api, human, []).run("Make greetings nicer")
    first, second = git(repo, "rev-list", "--reverse", "HEAD~2..HEAD").split()

    status = main(["provenance", "export", "--commits", "HEAD~2..HEAD", "-C", str(repo)])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == "exported 2 step commits\n"
    records = [json.loads(line) for line in captured.out.splitlines()]
    for record in records:
        jsonschema.validate(record, RECORD_RULES)
    assert [r["vcs"]["revision"] for r in records] == [first, second]

    (app,) = records[0]["files"]
    assert app["path"] == "app.py"
    (ranges,) = [c["ranges"] for c in app["conversations"]]
    line = (repo / "app.py").read_text().splitlines().index("    return 'Hello, ' + name") + 1
    # Only the accepted hunk was committed: one range, on the line it wrote, marked `ai`.
    assert [(r["start_line"], r["end_line"], r["contributor"]["type"]) for r in ranges] == [
        (line, line, "ai")
    ]
    assert ranges[0]["contributor"]["model_id"].startswith("anthropic/")
    slowcode = records[0]["metadata"]["dev.slowcode"]
    assert [h["verdict"] for h in slowcode["hunks"]] == ["accepted", "rejected"]
    assert {f["path"] for f in records[1]["files"]} >= {"farewell.py"}


def test_an_unknown_format_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["provenance", "export", "--format", "git-ai", "-C", str(repo)]) == 2
    assert "invalid choice: 'git-ai'" in capsys.readouterr().err
