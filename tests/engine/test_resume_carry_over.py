"""A step sent back keeps its verdicts across a restart.

A four-hunk step is reviewed (one hunk accepted, two rejected, one edited) and
sent back; the model changes one hunk. The session is stopped at different points
between the send-back and the revised review, resumed in a new `Workflow`, and
the revised review must show what an uninterrupted session shows: the unchanged
hunks carried over with their verdicts, comments and edit, the changed one
undecided. A journal written before the round was journaled carries nothing over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slowcode.core.step_review import StepReview, Verdict, new_side_text
from slowcode.engine.human import StepAction, StepVerdict
from slowcode.engine.progress import NoticeRaised, Progress
from slowcode.engine.review.hunk_ops import edit_in_review
from slowcode.engine.review.state import ROUND
from slowcode.engine.session.resume import resume_point
from slowcode.journal import events as ev
from slowcode.journal.log import (
    HEAD_FILE,
    JOURNAL_FILE,
    Event,
    Journal,
    find_sessions,
    read_events,
    verify,
)
from slowcode.journal.schema import JournalEvent
from slowcode.model.types import ModelError
from tests.context.repos import git, make_repo
from tests.fakeapi import FakeMessagesAPI, Turn, reply, tool_use_block
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import edit, make_workflow, plan_turn

# Four functions far enough apart that a change in each is a hunk of its own.
CALC = "".join(
    f"def f{n}():\n    x = {n}\n    y = x\n    z = y\n    w = z\n    return w\n\n\n"
    for n in range(4)
)
FIRST_ROUND = [
    edit(f"f{n}():\n    x = {n}\n", f"f{n}():\n    x = 10{n}\n", "calc.py") for n in range(4)
]

Shown = tuple[str, int, Verdict, bool, str, str, bool]


def shown(review: StepReview) -> list[Shown]:
    """What the developer sees of each hunk: verdict, mark, comment, text, whether edited."""
    return [
        (
            hunk.file,
            hunk.index,
            hunk.verdict,
            hunk.carried_over,
            hunk.comment,
            new_side_text(hunk),
            hunk.original_lines is not None,
        )
        for hunk in review.hunks
    ]


def new_side(n: int, value: int) -> str:
    """A hunk's new side around `f<n>`'s changed line (the first starts the file)."""
    before = "\n\n" if n else ""
    return f"{before}def f{n}():\n    x = {value}\n    y = x\n    z = y\n    w = z\n"


# The revised review of an uninterrupted session, spelled out.
REVISED = [
    ("calc.py", 0, Verdict.ACCEPTED, True, "fine", new_side(0, 100), False),
    ("calc.py", 1, Verdict.REJECTED, True, "keep 1", new_side(1, 101), False),
    ("calc.py", 2, Verdict.EDITED, True, "rounder", new_side(2, 2000), True),
    ("calc.py", 3, Verdict.UNDECIDED, False, "", new_side(3, 13), False),
]


def first_turns() -> list[Turn]:
    return [
        plan_turn("Tune the numbers"),
        reply(*FIRST_ROUND, tool_use_block("finish_step", {"summary": "Bigger numbers."})),
    ]


def revision_turns() -> list[Turn]:
    return [
        reply(
            edit("x = 103", "x = 13", "calc.py"),
            tool_use_block("finish_step", {"summary": "Bigger numbers, f3 smaller."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    ]


@dataclass
class Reviser(ScriptedHuman):
    """Decides the first round and sends it back; accepts the rest of the revised one.

    `first_round` is the round this developer is shown first (2 after a resume);
    `quit_at_revision` closes slowcode when the revised review opens.
    """

    first_round: int = 1
    quit_at_revision: bool = False
    seen: list[list[Shown]] = field(default_factory=list)

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.seen.append(shown(review))
        if self.first_round + len(self.seen) - 1 == 1:
            review.set_verdict(0, Verdict.ACCEPTED, "fine")
            review.set_verdict(1, Verdict.REJECTED, "keep 1")
            edit_in_review(review, 2, new_side_text(review.hunks[2]).replace("102", "2000"))
            review.set_verdict(2, Verdict.EDITED, "rounder")
            review.set_verdict(3, Verdict.REJECTED, "too big")
            return StepVerdict(StepAction.SEND_BACK, feedback="f3: smaller")
        if self.quit_at_revision:
            raise Quit
        review.accept_all()
        return StepVerdict(StepAction.APPLY)


def calc_repo(path: Path) -> Path:
    root = make_repo(path, {"calc.py": CALC})
    git(root, "config", "user.name", "Ada Developer")
    git(root, "config", "user.email", "ada@example.com")
    return root


def events_of(repo: Path) -> list[Event]:
    return read_events(find_sessions(repo)[-1])


def revised_text() -> str:
    """calc.py after the revised step, with the first round's verdicts kept."""
    return (
        CALC.replace("x = 0\n", "x = 100\n")
        .replace("x = 2\n", "x = 2000\n")
        .replace("x = 3\n", "x = 13\n")
    )


async def uninterrupted(tmp_path: Path, fake_api: FakeMessagesAPI) -> list[Shown]:
    """The revised review as a session never stopped shows it."""
    repo = calc_repo(tmp_path / "uninterrupted")
    fake_api.script(*first_turns(), *revision_turns())
    human = Reviser()
    await make_workflow(repo, fake_api, human, []).run("tune")
    assert (repo / "calc.py").read_text() == revised_text()
    assert len(human.seen) == 2
    return human.seen[1]


async def resume_and_revise(repo: Path, fake_api: FakeMessagesAPI) -> Reviser:
    """Resumes the stopped session; the model revises, the developer applies."""
    fake_api.script(*revision_turns())
    human = Reviser(first_round=2)
    assert await make_workflow(repo, fake_api, human, []).resume() is True
    assert fake_api.pending == 0
    return human


async def test_verdicts_carry_over_when_the_revision_request_failed_for_good(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    assert await uninterrupted(tmp_path, fake_api) == REVISED
    repo = calc_repo(tmp_path / "project")
    # Nothing is scripted after the first round: the revision request fails (400).
    fake_api.script(*first_turns())
    with pytest.raises(ModelError):
        await make_workflow(repo, fake_api, Reviser(), []).run("tune")
    assert "model_failed" in [e["type"] for e in events_of(repo)]

    human = await resume_and_revise(repo, fake_api)

    assert human.seen == [REVISED]
    assert (repo / "calc.py").read_text() == revised_text()
    carried = [e["data"] for e in events_of(repo) if e["type"] == "verdicts_carried_over"]
    assert carried == [{"step": 1, "hunks": 3}]
    assert verify(find_sessions(repo)[-1])[0]


class Crash(BaseException):
    """Stands for the process dying at this instant."""


async def test_verdicts_carry_over_when_stopped_right_after_the_send_back(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = calc_repo(tmp_path / "project")
    fake_api.script(*first_turns())
    workflow = make_workflow(repo, fake_api, Reviser(), [])
    original = workflow.record

    def dies_once_the_send_back_is_answered(event: JournalEvent, *, sync: bool = False) -> None:
        original(event, sync=sync)
        if isinstance(event, ev.ToolCall) and event.name == "finish_step":
            raise Crash

    workflow.record = dies_once_the_send_back_is_answered  # type: ignore[method-assign]
    with pytest.raises(Crash):
        await workflow.run("tune")
    requests = len(fake_api.message_requests)

    human = await resume_and_revise(repo, fake_api)

    assert human.seen == [REVISED]
    # The finish_step call was not run again: the revision is the next request.
    assert len(fake_api.message_requests) == requests + 2
    assert (repo / "calc.py").read_text() == revised_text()


async def test_a_revised_review_stopped_before_any_verdict_reopens_carried_over(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = calc_repo(tmp_path / "project")
    fake_api.script(*first_turns(), revision_turns()[0])
    first = Reviser(quit_at_revision=True)
    with pytest.raises(Quit):
        await make_workflow(repo, fake_api, first, []).run("tune")
    assert first.seen[1] == REVISED

    fake_api.script(revision_turns()[1])
    human = Reviser(first_round=2)
    assert await make_workflow(repo, fake_api, human, []).resume() is True

    assert human.seen == [REVISED]
    assert (repo / "calc.py").read_text() == revised_text()
    # Carried over once, by the live session; the resume put the journaled hunks back.
    kinds = [e["type"] for e in events_of(repo)]
    assert kinds.count("verdicts_carried_over") == 1
    assert "step_review_resumed" in kinds


def without_rounds(repo: Path) -> int:
    """Rewrites the session's journal as an older slowcode wrote it; returns rounds removed."""
    folder = find_sessions(repo)[-1]
    events = read_events(folder)
    removed = 0
    (folder / JOURNAL_FILE).write_text("")
    (folder / HEAD_FILE).unlink()
    journal = Journal(folder / JOURNAL_FILE)
    for event in events:
        data = dict(event["data"])
        removed += data.pop(ROUND, None) is not None
        journal.append(event["type"], data)
    assert verify(folder)[0]
    return removed


async def test_an_older_journal_without_the_round_carries_nothing_over(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = calc_repo(tmp_path / "project")
    fake_api.script(*first_turns())
    with pytest.raises(ModelError):
        await make_workflow(repo, fake_api, Reviser(), []).run("tune")
    assert without_rounds(repo) == 1

    human = await resume_and_revise(repo, fake_api)

    # As before the round was journaled: every hunk undecided, none marked.
    assert [(v, mark) for _f, _i, v, mark, *_ in human.seen[0]] == [(Verdict.UNDECIDED, False)] * 4
    assert (repo / "calc.py").read_text() == CALC.replace("x = 0\n", "x = 100\n").replace(
        "x = 1\n", "x = 101\n"
    ).replace("x = 2\n", "x = 102\n").replace("x = 3\n", "x = 13\n")
    assert "verdicts_carried_over" not in [e["type"] for e in events_of(repo)]


async def test_the_round_is_rebuilt_only_between_the_send_back_and_the_next_review(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    repo = calc_repo(tmp_path / "project")
    fake_api.script(*first_turns(), *revision_turns())
    await make_workflow(repo, fake_api, Reviser(), []).run("tune")
    events = events_of(repo)
    kinds = [e["type"] for e in events]
    verdict = kinds.index("step_verdict")
    answered = next(
        index
        for index in range(verdict, len(events))
        if kinds[index] == "tool_call" and events[index]["data"]["name"] == "finish_step"
    )
    reopened = kinds.index("step_review_opened", verdict)
    applied = kinds.index("step_applied")

    def sent_back(count: int) -> list[tuple[Verdict, str]] | None:
        point = resume_point("s", events[:count])
        if point.sent_back is None:
            return None
        assert point.sent_back.step_number == 1
        return [(hunk.verdict, hunk.comment) for hunk in point.sent_back.hunks]

    # While the sent-back review is still open it is answered again from the journal.
    for count in range(verdict + 1, answered + 1):
        assert sent_back(count) is None
        assert resume_point("s", events[:count]).review is not None
    first_round = [
        (Verdict.ACCEPTED, "fine"),
        (Verdict.REJECTED, "keep 1"),
        (Verdict.EDITED, "rounder"),
        (Verdict.REJECTED, "too big"),
    ]
    for count in range(answered + 1, reopened):
        assert sent_back(count) == first_round, kinds[count - 1]
    # The revised review opened, then the step was applied: nothing is kept.
    assert sent_back(reopened + 1) is None
    assert sent_back(applied + 1) is None
    edited = resume_point("s", events[: answered + 1]).sent_back
    assert edited is not None
    hunk = edited.hunks[2]
    assert hunk.original_lines is not None
    assert new_side_text(hunk) == new_side(2, 2000)


@dataclass
class ConflictingReviser(ScriptedHuman):
    """Decides the first round, edits f3's line on disk meanwhile, then applies.

    The apply meets the conflicting edit, so the step goes back to the model, which
    stages it again; the developer accepts the rest of the second round.
    """

    repo: Path = Path()
    first_round: int = 1
    seen: list[list[Shown]] = field(default_factory=list)

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.seen.append(shown(review))
        if self.first_round + len(self.seen) - 1 == 1:
            path = self.repo / "calc.py"
            path.write_text(path.read_text().replace("x = 3\n", "x = 33\n"))
            review.set_verdict(0, Verdict.ACCEPTED, "fine")
            review.set_verdict(1, Verdict.REJECTED, "keep 1")
            review.accept_all()
        else:
            review.accept_all()
        return StepVerdict(StepAction.APPLY)


def restaged_turns() -> list[Turn]:
    return [
        reply(
            *FIRST_ROUND[:3],
            edit("x = 33", "x = 133", "calc.py"),
            tool_use_block("finish_step", {"summary": "Bigger numbers, on your f3."}),
        ),
        reply("Done.", stop_reason="end_turn"),
    ]


async def test_verdicts_carry_over_after_a_merge_conflict_and_a_restart(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    straight = calc_repo(tmp_path / "uninterrupted")
    fake_api.script(*first_turns(), *restaged_turns())
    human = ConflictingReviser(repo=straight)
    progress: list[Progress] = []
    await make_workflow(straight, fake_api, human, progress).run("tune")
    # f3's accepted hunk came back changed: the developer is told it is undecided again.
    warnings = [p.message for p in progress if isinstance(p, NoticeRaised) and p.level == "warning"]
    assert any(w.startswith("1 hunk you accepted or edited changed") for w in warnings)
    assert [row[2:4] for row in human.seen[1]] == [
        (Verdict.ACCEPTED, True),
        (Verdict.REJECTED, True),
        (Verdict.ACCEPTED, True),
        (Verdict.UNDECIDED, False),
    ]
    # The restaged line is the developer's own edit changed again, so the first
    # apply of the second round stops and says so; applying again includes it.
    assert len(human.seen) == 3

    repo = calc_repo(tmp_path / "project")
    fake_api.script(*first_turns())
    with pytest.raises(ModelError):
        await make_workflow(repo, fake_api, ConflictingReviser(repo=repo), []).run("tune")
    assert "merge_conflict" in [e["type"] for e in events_of(repo)]
    fake_api.script(*restaged_turns())
    resumed = ConflictingReviser(repo=repo, first_round=2)
    assert await make_workflow(repo, fake_api, resumed, []).resume() is True

    assert resumed.seen == human.seen[1:]
    assert (repo / "calc.py").read_text() == (straight / "calc.py").read_text()
