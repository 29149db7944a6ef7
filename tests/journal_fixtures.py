"""Real session journals, written by scripted sessions, kept as fixtures.

`python -m tests.journal_fixtures` runs three scripted sessions against the fake
Messages API and copies their journals to `tests/fixtures/journals/<name>/`, with
`expected.json` holding what the code of the day derived from them (the session
history, and for `stopped` what resuming it did). The committed files were written
by slowcode as of commit 122df5f, before journal events were typed: the tests in
tests/journal/test_fixture_journals.py prove that journals of that format still
resume, still give the same history, and that every event parses to a typed one.

- `finished`: a failed request and a retry, a protocol error, a plan sent back, an
  architectural question, a step sent back after a "why?" and revised (verdicts
  carried over, the developer's own edit merged, "not architectural", a check
  run), a refused apply (a merge in progress), a decision record, the end, an undo.
- `stopped`: a step sent back with an edited hunk, the revised review left open
  with one verdict given: the developer closed slowcode.
- `recovered`: a step refused for a syntax error, a merge conflict handing the
  step back, an apply killed after its first write and completed on resume.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slowcode.core.config import Config
from slowcode.core.plan import Plan
from slowcode.core.step_review import StepReview, Verdict, new_side_text
from slowcode.engine.human import (
    Answer,
    DecisionAction,
    PlanVerdict,
    Question,
    StepAction,
    StepVerdict,
)
from slowcode.engine.review.hunk_ops import edit_in_review
from slowcode.engine.session.workflow import Workflow
from slowcode.journal.log import (
    HEAD_FILE,
    JOURNAL_FILE,
    Journal,
    find_sessions,
    read_entries,
    read_events,
)
from slowcode.model.settings import ModelSettings
from slowcode.model.types import ModelError
from slowcode.ops.history import session_history
from slowcode.ops.undo import undo_last_step
from tests.context.repos import git, make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, Turn, http_error, reply, tool_use_block

FIXTURES = Path(__file__).parent / "fixtures" / "journals"
EXPECTED_FILE = "expected.json"
NAMES = ("finished", "stopped", "recovered")

EDITOR = "str_replace_based_edit_tool"
APP = (
    "def greet(name):\n    return 'hello ' + name\n\n\n"
    + "".join(f"def helper_{n}():\n    return {n}\n\n\n" for n in range(3))
    + "def shout(name):\n    return name.upper()\n"
)
DECISION = {
    "title": "Keep farewells in a module of their own",
    "context": "Farewells grow.",
    "decision": "Put farewells in farewell.py.",
    "consequences": "One more module.",
    "alternatives": [{"option": "Keep app.py", "why_not": "it mixes concerns"}],
}


class Quit(Exception):
    """The developer closed slowcode while it waited for them."""


class Crash(BaseException):
    """Stands for the process dying at this instant."""


def app_repo(path: Path) -> Path:
    """A repository holding APP as app.py, with a git identity to commit with."""
    return with_identity(make_repo(path, {"app.py": APP}))


def edit(old: str, new: str, path: str = "app.py") -> dict[str, Any]:
    """A `str_replace` tool call."""
    return tool_use_block(
        EDITOR, {"command": "str_replace", "path": path, "old_str": old, "new_str": new}
    )


def plan_turn(*titles: str) -> Turn:
    """A `propose_plan` turn with one step per title."""
    steps = [{"title": t, "why": f"because {t.lower()}"} for t in titles]
    return reply(tool_use_block("propose_plan", {"goal": "improve greetings", "steps": steps}))


def finish(summary: str, **more: Any) -> dict[str, Any]:
    """A `finish_step` tool call."""
    return tool_use_block("finish_step", {"summary": summary, **more})


def workflow(root: Path, server: FakeMessagesAPI, human: Any, **config: Any) -> Workflow:
    """A workflow in `root` talking to `server`, with tiny backoffs."""
    settings = ModelSettings(
        base_url=server.base_url,
        api_key="test-key",
        retry_backoff_seconds=0.01,
        timeout_seconds=5,
        stream_retries=1,
        max_retries=0,
    )
    return Workflow(
        root=root, config=Config(**config), settings=settings, human=human, on_progress=_ignore
    )


def _ignore(_event: object) -> None:
    return None


@dataclass
class Developer:
    """A developer following a script of step reviews (one callable per review)."""

    plan_feedback: list[str] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)
    shown: list[list[list[object]]] = field(default_factory=list)

    async def review_plan(self, plan: Plan) -> PlanVerdict:
        if self.plan_feedback:
            return PlanVerdict(approved=False, feedback=self.plan_feedback.pop(0))
        return PlanVerdict(approved=True, steps=list(plan.steps))

    async def answer_question(self, question: Question) -> Answer:
        return Answer(question.options[0].label, 0)

    async def review_step(self, review: StepReview) -> StepVerdict:
        self.shown.append(shown(review))
        verdict: StepVerdict = await self.reviews.pop(0)(review)
        return verdict


def shown(review: StepReview) -> list[list[object]]:
    """What the developer sees of each hunk: file, index, verdict, carried over, comment."""
    return [[h.file, h.index, str(h.verdict), h.carried_over, h.comment] for h in review.hunks]


# -- finished ---------------------------------------------------------------------------


async def finished(root: Path, server: FakeMessagesAPI) -> None:
    """The long session: nearly every kind of event, then an undo of its last step."""
    server.script(
        http_error(400, "fake refusal"),
        reply("Let me look.", tool_use_block(EDITOR, {"command": "view", "path": "app.py"})),
        reply("I would rather just talk.", stop_reason="end_turn"),
        plan_turn("Greet politely"),
        plan_turn("Greet politely", "Add a farewell module"),
        reply(
            tool_use_block(
                "ask_human",
                {
                    "question": "Where should greetings live?",
                    "options": [
                        {"label": "In app.py", "consequences": "one module"},
                        {"label": "In greetings.py"},
                    ],
                    "architectural": True,
                },
            )
        ),
        reply(edit("'hello '", "'Hello, '"), edit("name.upper()", "name.upper() + '!'")),
        reply(finish("Polite greetings.")),
        reply("Because a capital reads as a greeting.", stop_reason="end_turn"),  # the "why?"
        reply(edit("name.upper() + '!'", "name.title()"), finish("Polite greetings, titled.")),
        reply(
            tool_use_block(
                EDITOR,
                {
                    "command": "create",
                    "path": "farewell.py",
                    "file_text": "def bye():\n    return 'bye'\n",
                },
            ),
            finish("A farewell module.", architectural=True, decision=DECISION),
        ),
        reply("Done: polite greetings and a farewell module.", stop_reason="end_turn"),
    )

    async def first_round(review: StepReview) -> StepVerdict:
        review.set_verdict(0, Verdict.ACCEPTED, "nice")
        review.set_verdict(1, Verdict.REJECTED, "no shouting")
        assert review.ask_why is not None
        await review.ask_why(0)
        return StepVerdict(StepAction.SEND_BACK, feedback="title-case instead")

    async def second_round(review: StepReview) -> StepVerdict:
        review.accept_all()
        # The developer's own edit elsewhere in the file, merged with the step.
        app = root / "app.py"
        app.write_text(app.read_text().replace("return 2\n", "return 20\n"))
        return StepVerdict(
            StepAction.APPLY,
            decision_action=DecisionAction.NOT_ARCHITECTURAL,
            reason="where the code lives is not settled by this step",
        )

    async def refused(review: StepReview) -> StepVerdict:
        review.accept_all()
        head = git(root, "rev-parse", "HEAD").strip()
        (root / ".git" / "MERGE_HEAD").write_text(head + "\n")
        return StepVerdict(StepAction.APPLY, decision_action=DecisionAction.RECORD)

    async def recorded(review: StepReview) -> StepVerdict:
        (root / ".git" / "MERGE_HEAD").unlink()
        return StepVerdict(StepAction.APPLY, decision_action=DecisionAction.RECORD)

    human = Developer(
        plan_feedback=["Add a farewell step too"],
        reviews=[first_round, second_round, refused, recorded],
    )
    flow = workflow(root, server, human, check_command="true")
    try:
        await flow.run("Make greetings nicer")
    except ModelError:
        await flow.retry()
    await flow.client.aclose()
    undo_last_step(root)


# -- stopped ----------------------------------------------------------------------------


STOPPED_TURNS = (
    plan_turn("Greet politely"),
    reply(edit("'hello '", "'Hello, '"), edit("name.upper()", "name.upper() + '!'")),
    reply(finish("Polite greetings.")),
    reply(edit("name.upper() + '!'", "name.title()"), finish("Polite greetings, titled.")),
)
RESUMED_TURNS = (reply("Done: polite greetings.", stop_reason="end_turn"),)


async def stopped(root: Path, server: FakeMessagesAPI) -> None:
    """A revised review left open: one verdict given, then slowcode closed."""
    server.script(*STOPPED_TURNS)

    async def first_round(review: StepReview) -> StepVerdict:
        review.set_verdict(0, Verdict.ACCEPTED, "nice")
        edit_in_review(review, 1, new_side_text(review.hunks[1]).replace("upper", "lower"))
        review.set_verdict(1, Verdict.EDITED, "quieter")
        return StepVerdict(StepAction.SEND_BACK, feedback="no shouting")

    async def quits(review: StepReview) -> StepVerdict:
        review.set_verdict(1, Verdict.REJECTED, "keep it")
        raise Quit

    flow = workflow(root, server, Developer(reviews=[first_round, quits]))
    with suppress(Quit):
        await flow.run("Make greetings nicer")
    await flow.client.aclose()


def resume_developer() -> Developer:
    """Who reviews the `stopped` session's reopened review: applies it as it stands."""

    async def applies(review: StepReview) -> StepVerdict:
        review.set_verdict(0, Verdict.ACCEPTED, "nice")
        return StepVerdict(StepAction.APPLY)

    return Developer(reviews=[applies])


async def resume_stopped(root: Path, server: FakeMessagesAPI) -> dict[str, Any]:
    """Resumes the `stopped` session in `root`; returns what came of it."""
    server.script(*RESUMED_TURNS)
    human = resume_developer()
    before = len(server.message_requests)
    flow = workflow(root, server, human)
    resumed = await flow.resume()
    await flow.client.aclose()
    return {
        "resumed": resumed,
        "shown": human.shown,
        "requests": len(server.message_requests) - before,
        "app.py": (root / "app.py").read_text(encoding="utf-8"),
        "subjects": git(root, "log", "--format=%s").splitlines(),
        "state": str(flow.session.state),
    }


# -- recovered --------------------------------------------------------------------------


@contextmanager
def dies_after(kind: str) -> Iterator[None]:
    """Raises `Crash` right after the first event of `kind` is journaled."""
    original = Journal.append

    def append(self: Journal, type: str, data: dict[str, Any], **options: Any) -> Any:
        written = original(self, type, data, **options)
        if type == kind:
            Journal.append = original  # type: ignore[method-assign]
            raise Crash
        return written

    Journal.append = append  # type: ignore[method-assign]
    try:
        yield
    finally:
        Journal.append = original  # type: ignore[method-assign]


async def recovered(root: Path, server: FakeMessagesAPI) -> None:
    """A refused step, a merge conflict, an apply killed midway and completed on resume."""
    server.script(
        plan_turn("Greet politely"),
        reply(edit("def greet(name):", "def greet(name:"), finish("Polite greetings.")),
        reply(edit("def greet(name:", "def greet(name):"), edit("'hello '", "'Hello, '")),
        reply(finish("Polite greetings.")),
        reply(edit("'hi '", "'Hello, '"), finish("Polite greetings, again.")),
    )

    async def conflicts(review: StepReview) -> StepVerdict:
        review.accept_all()
        app = root / "app.py"
        app.write_text(app.read_text().replace("'hello '", "'hi '"))
        return StepVerdict(StepAction.APPLY)

    async def applies(review: StepReview) -> StepVerdict:
        review.accept_all()
        return StepVerdict(StepAction.APPLY)

    flow = workflow(root, server, Developer(reviews=[conflicts, applies]))
    with dies_after("file_written"), suppress(Crash):
        await flow.run("Make greetings nicer")
    await flow.client.aclose()
    server.script(reply("Done: polite greetings.", stop_reason="end_turn"))
    again = workflow(root, server, Developer())
    await again.resume()
    await again.client.aclose()


# -- writing the fixtures ---------------------------------------------------------------


def session_folder(root: Path) -> Path:
    """The one session folder of `root`."""
    (folder,) = find_sessions(root)
    return folder


def history_json(folder: Path) -> dict[str, Any]:
    """The session's history as `slowcode history --json` shows it."""
    return session_history(folder.name, read_entries(folder)).to_json()


def install(name: str, root: Path) -> Path:
    """Copies fixture journal `name` into `root`'s sessions folder; returns the session folder."""
    source = FIXTURES / name
    (session,) = [p for p in source.iterdir() if p.is_dir()]
    target = root / ".slowcode" / "sessions" / session.name
    target.mkdir(parents=True)
    for file in (JOURNAL_FILE, HEAD_FILE):
        shutil.copyfile(session / file, target / file)
    return target


def expected(name: str) -> dict[str, Any]:
    """What the code that wrote fixture `name` derived from it."""
    data: dict[str, Any] = json.loads((FIXTURES / name / EXPECTED_FILE).read_text())
    return data


async def generate(work: Path) -> None:
    """Runs the three sessions under `work` and writes the fixtures."""
    scenarios = {"finished": finished, "stopped": stopped, "recovered": recovered}
    for name, scenario in scenarios.items():
        root = app_repo(work / name)
        server = FakeMessagesAPI()
        server.start()
        try:
            await scenario(root, server)
            folder = session_folder(root)
            out = FIXTURES / name
            shutil.rmtree(out, ignore_errors=True)
            (out / folder.name).mkdir(parents=True)
            for file in (JOURNAL_FILE, HEAD_FILE):
                shutil.copyfile(folder / file, out / folder.name / file)
            result: dict[str, Any] = {
                "kinds": [event["type"] for event in read_events(folder)],
                "history": history_json(folder),
            }
            if name == "stopped":
                again = app_repo(work / "stopped-again")
                install(name, again)
                result["resume"] = await resume_stopped(again, server)
            (out / EXPECTED_FILE).write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        finally:
            server.stop()


def main() -> int:
    """Regenerates every fixture journal."""
    with tempfile.TemporaryDirectory() as work:
        asyncio.run(generate(Path(work)))
    for name in NAMES:
        kinds = expected(name)["kinds"]
        print(f"{name}: {len(kinds)} events, {len(set(kinds))} kinds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
