"""`slowcode why FILE:LINE` on lines of an applied step, on other lines, and on bad input."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview
from slowcode.engine.human import (
    Answer,
    DecisionAction,
    PlanVerdict,
    Question,
    StepAction,
    StepVerdict,
)
from tests.context.repos import git
from tests.decisions.sessions import edit, finish, plan, project, workflow
from tests.fakeapi import FakeMessagesAPI, reply

DECISION = {
    "title": "Greetings take a greeting word",
    "context": "Callers want other greetings.",
    "decision": "Add a greeting parameter with a default.",
}


@dataclass
class Accepting:
    async def review_plan(self, plan: Plan) -> PlanVerdict:
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def review_step(self, review: StepReview) -> StepVerdict:
        review.accept_all()
        return StepVerdict(StepAction.APPLY, decision_action=DecisionAction.RECORD)

    async def answer_question(self, question: Question) -> Answer:
        raise AssertionError("no question expected")


@pytest.fixture
async def applied(tmp_path: Path, fake_api: FakeMessagesAPI) -> tuple[Path, str]:
    repo = project(tmp_path / "p")
    fake_api.script(
        plan("Let greet take a greeting"),
        reply(
            edit(
                "def greet(name):\n    return 'hello ' + name",
                "def greet(name, greeting='hello'):\n    return greeting + ' ' + name",
            )
        ),
        reply(finish("greet takes the greeting word; hello stays the default.", DECISION)),
        reply("Done."),
    )
    flow = workflow(repo, fake_api, Accepting(), [])
    await flow.run("Let callers choose the greeting")
    return repo, flow.session.session_id


def why(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["why", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


async def test_a_line_of_an_applied_step(
    applied: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, session = applied
    code, out, _ = why(capsys, f"{repo / 'app.py'}:2")
    assert code == 0
    sha = git(repo, "rev-parse", "HEAD").strip()
    record = "docs/decisions/0001-greetings-take-a-greeting-word.md"
    assert out.splitlines()[0].startswith(f"app.py:2 was last changed by commit {sha[:12]} (")
    assert f"session {session}, step 1: Let greet take a greeting\n" in out
    assert "task: Let callers choose the greeting\n" in out
    assert "\ngreet takes the greeting word; hello stays the default.\n" in out
    assert out.endswith(f"decision: {record} (Greetings take a greeting word)\n")

    code, out, _ = why(capsys, f"{repo / 'app.py'}:1", "--json")
    data = json.loads(out)
    assert (data["commit"], data["session"], data["step"]) == (sha, session, 1)
    assert data["text"] == "def greet(name, greeting='hello'):"
    assert data["decision_path"] == record
    assert data["author"] == "Ada Developer"


async def test_a_line_slowcode_did_not_write(
    applied: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = applied
    code, out, _ = why(capsys, f"{repo / 'app.py'}:5")
    assert code == 0
    assert out.endswith(
        ": initial\nslowcode did not write this line (the commit has no Slowcode-Session "
        "trailer).\n"
    )


async def test_an_uncommitted_line(
    applied: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = applied
    with (repo / "app.py").open("a") as handle:
        handle.write("# new\n")
    code, out, _ = why(capsys, f"{repo / 'app.py'}:7")
    assert (code, out) == (0, "app.py:7 is not committed yet: nobody can say why it is there.\n")


def test_a_location_without_a_line_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["why", "app.py"]) == 2
    err = capsys.readouterr().err
    assert "expected FILE:LINE (e.g. app.py:12), got 'app.py'" in err


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        ("app.py:99", "slowcode: app.py has no line 99"),
        ("app.py:0", "slowcode: line numbers start at 1, got 0"),
        ("nope.py:1", "slowcode: no such file: "),
        ("untracked.py:1", "slowcode: untracked.py is not tracked by git"),
    ],
)
async def test_bad_locations_are_one_line_errors(
    applied: tuple[Path, str], capsys: pytest.CaptureFixture[str], suffix: str, message: str
) -> None:
    repo, _ = applied
    (repo / "untracked.py").write_text("x = 1\n")
    code, out, err = why(capsys, str(repo / suffix))
    assert (code, out) == (1, "")
    assert err.startswith(message)
    assert err.count("\n") == 1
