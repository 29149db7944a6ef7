"""The history of a repository's sessions, worked out from their journals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slowcode.cli.main import main
from slowcode.core.step_review import Verdict
from slowcode.engine.human import StepAction, StepVerdict
from slowcode.engine.progress import Progress
from slowcode.journal import events as ev
from slowcode.journal.log import Journal
from slowcode.model.cost_text import format_cost
from slowcode.model.pricing import cost_usd
from slowcode.model.types import Usage
from slowcode.ops.history import load_history
from slowcode.ops.undo import undo_last_step
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, Turn, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, make_workflow, two_step_script


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def sent_back_first_script() -> list[Turn]:
    """Step 1 is sent back once, then applied: two review rounds."""
    script = two_step_script()
    resend = reply(tool_use_block("finish_step", {"summary": "Polite greetings, again."}))
    return [*script[:4], resend, *script[4:]]


async def test_history_counts_verdicts_commits_tokens_and_cost(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*sent_back_first_script())
    human = ScriptedHuman(
        hunk_verdicts=[[Verdict.REJECTED, Verdict.REJECTED], [Verdict.ACCEPTED, Verdict.REJECTED]],
        step_actions=[StepVerdict(StepAction.SEND_BACK, feedback="again")],
    )
    events: list[Progress] = []
    workflow = make_workflow(repo, fake_api, human, events)
    await workflow.run("Make greetings nicer")
    undo = undo_last_step(repo)

    (session,) = load_history(repo)
    assert session.session_id == workflow.session.session_id
    assert session.task == "Make greetings nicer" and session.finished
    first, second = session.steps
    assert (first.title, first.rounds, first.accepted, first.rejected, first.edited) == (
        "Greet politely",
        2,
        1,
        1,
        0,
    )
    assert second.title == "Add a farewell module" and second.accepted == 1
    heads = git(repo, "log", "--format=%H", "-4").split()  # the decision mark, the undo, 2, 1
    assert session.commits == [heads[3], heads[2]] and heads[1] == undo.commit
    assert second.undone_by == undo.commit and first.undone_by is None
    # The engine's own running totals are what the journal adds up to.
    assert session.usage == workflow.session.usage and session.tokens > 0
    assert session.cost_usd == pytest.approx(workflow.session.cost)
    assert session.cost_usd == pytest.approx(cost_usd("claude-sonnet-5-5", session.usage))
    assert session.duration_seconds >= 0


async def test_the_history_command_prints_text_and_json(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.script(*two_step_script())
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("Make greetings nicer")
    session_id = workflow.session.session_id

    assert main(["history", "-C", str(repo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{session_id}  finished  2 steps  ")
    assert lines[0].endswith("Make greetings nicer")
    assert lines[1].startswith("   1  Greet politely  ·  2 accepted, 0 rejected, 0 edited  ·  ")
    # Each step's own tokens and estimated cost, as the History screen shows them.
    history = load_history(repo)[0]
    first = history.steps[0]
    assert f"  ·  {first.tokens:,} tokens  {format_cost(first.cost_usd)}  ·  " in lines[1]
    assert first.tokens > 0

    assert main(["history", "--json", "-C", str(repo)]) == 0
    (data,) = json.loads(capsys.readouterr().out)
    assert data["session"] == session_id and len(data["commits"]) == 2
    assert [step["accepted"] for step in data["steps"]] == [2, 1]
    assert data["usage"]["output_tokens"] == workflow.session.usage.output_tokens


def test_no_sessions_and_an_unreadable_journal(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "-C", str(repo)]) == 0
    assert capsys.readouterr().out.startswith("no sessions in ")
    broken = repo / ".slowcode/sessions/20260101-000000-000000"
    broken.mkdir(parents=True)
    (broken / "journal.jsonl").write_text("not json\n")
    (session,) = load_history(repo)
    assert "line 1 is not valid JSON" in session.problem
    assert main(["history", "-C", str(repo)]) == 0
    assert "unreadable: " in capsys.readouterr().out
    assert Usage() == session.usage


def test_the_history_shows_cache_reads_and_writes_beside_the_tokens() -> None:
    from slowcode.cli.history_command import session_lines
    from slowcode.ops.history import SessionHistory
    from slowcode.tui.screens.history import session_label

    cached = SessionHistory("s1", task="t", usage=Usage(100, 50, 2_000, 12_345), cost_usd=0.01)
    tokens = "14,495 tokens (cache read 12,345, written 2,000)"
    assert f"{tokens}  est. $0.0100" in session_lines(cached)[0]
    assert f"{tokens} · est. $0.0100" in session_label(cached)
    plain = SessionHistory("s2", task="t", usage=Usage(100, 50))
    assert "150 tokens  est. $0.0000" in session_lines(plain)[0]


# 1,000 input, 500 output, 400 written (five minutes) and 2,000 read, on Sonnet 5.5:
#   1,000 × 2 + 500 × 10 + 400 × 2.50 + 2,000 × 0.10 = 8,200 per million → $0.0082.
USED = {
    "input_tokens": 1000,
    "output_tokens": 500,
    "cache_creation_input_tokens": 400,
    "cache_read_input_tokens": 2000,
}
VERTEX_SONNET = "claude-sonnet-5-5@20261001"


def journaled_session(repo: Path, started: dict[str, Any]) -> Journal:
    """A journal of one answered request, its `session_started` data as given."""
    journal = Journal.create(repo)
    journal.append("session_started", started)
    journal.record(ev.ModelResponse(stop_reason="end_turn", usage=USED, model=VERTEX_SONNET))
    return journal


def test_an_old_journal_without_provider_or_region_is_priced_from_its_model_alone(
    repo: Path,
) -> None:
    journal = journaled_session(repo, {"task": "t", "model": VERTEX_SONNET, "root": str(repo)})

    started = journal.entries()[0].event
    assert isinstance(started, ev.SessionStarted)
    assert (started.provider, started.region) == (None, None)
    (session,) = load_history(repo)
    assert (session.provider, session.region) == (None, None)
    assert session.cost_usd == pytest.approx(0.0082)  # no regional premium: unknown region


@pytest.mark.parametrize(
    ("region", "cost"),
    [
        ("us-east5", 0.0082 * 1.1),  # a regional endpoint: 10% more, $0.00902
        ("global", 0.0082),
    ],
)
def test_history_reprices_a_vertex_session_for_its_journaled_region(
    repo: Path, region: str, cost: float
) -> None:
    started = {"task": "t", "model": VERTEX_SONNET, "provider": "vertex", "region": region}
    journaled_session(repo, started)

    (session,) = load_history(repo)

    assert (session.provider, session.region) == ("vertex", region)
    assert session.cost_usd == pytest.approx(cost)


async def test_the_journal_records_the_endpoint_but_never_a_credential(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(*two_step_script())
    workflow = make_workflow(repo, fake_api, ScriptedHuman(), [])
    await workflow.run("Make greetings nicer")

    assert workflow.journal is not None
    text = workflow.journal.path.read_text()
    (started,) = [line for line in text.splitlines() if '"session_started"' in line]
    data = json.loads(started)["data"]
    assert data["provider"] == "anthropic" and "region" not in data
    assert set(data) == {"task", "model", "root", "provider"}
    assert workflow.settings.api_key == "test-key" and "test-key" not in text
