"""A session that makes many small edits to one large file, for the journal's size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slowcode.core.step_review import StepReview
from slowcode.engine.human import StepVerdict
from slowcode.journal import events as ev
from slowcode.journal.log import JOURNAL_FILE, find_sessions, read_entries
from tests.context.repos import git
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import Quit, ScriptedHuman
from tests.helpers.sessions import edit, make_workflow, plan_turn

EDITS_PER_TURN = 10


def large_module(lines: int) -> str:
    """A module of `lines` distinct lines, about 40 bytes each."""
    return "".join(f"value_{n:06} = {n}  # one line of a large module\n" for n in range(lines))


def edited(text: str, lines: int, edits: int) -> tuple[str, list[tuple[str, str]]]:
    """The text after `edits` edits spread over the module, and each edit's (old, new)."""
    changes = []
    for k in range(edits):
        n = k * (lines // edits)
        old = f"value_{n:06} = {n}  #"
        new = f"value_{n:06} = -{n}  #"
        changes.append((old, new))
        text = text.replace(old, new, 1)
    return text, changes


@dataclass(frozen=True)
class Growth:
    """What the journal of a many-edits session holds once the step is staged.

    Attributes:
        folder: The session's journal folder.
        journal_bytes: The journal's size.
        whole_text_bytes: Its size if every `staged` event held both texts whole.
        expected: The staged text the edits make.
    """

    folder: Path
    journal_bytes: int
    whole_text_bytes: int
    expected: str


class StopsAtTheReview(ScriptedHuman):
    """Leaves the session when the step's review opens: everything is staged by then."""

    async def review_step(self, review: StepReview) -> StepVerdict:
        raise Quit


async def stage_many_edits(root: Path, server: FakeMessagesAPI, lines: int, edits: int) -> Growth:
    """Runs a session whose one step makes `edits` edits to `big.py` and stops at its review."""
    original = large_module(lines)
    (root / "big.py").write_text(original)
    git(root, "add", "big.py")
    git(root, "commit", "-qm", "A large module")
    expected, changes = edited(original, lines, edits)
    turns = [plan_turn("Negate many values")]
    for start in range(0, edits, EDITS_PER_TURN):
        batch = changes[start : start + EDITS_PER_TURN]
        turns.append(reply(*(edit(old, new, "big.py") for old, new in batch)))
    turns.append(reply(tool_use_block("finish_step", {"summary": "Negated."})))
    server.script(*turns)
    try:
        workflow = make_workflow(root, server, StopsAtTheReview(), [], max_changed_lines=2 * edits)
        await workflow.run("negate the values")
    except Quit:
        pass
    folder = find_sessions(root)[-1]
    journal = folder / JOURNAL_FILE
    return Growth(folder, journal.stat().st_size, whole_text_size(journal), expected)


def whole_text_size(journal: Path) -> int:
    """The journal's size were each `staged` event to carry its texts whole, as before deltas."""
    size = journal.stat().st_size
    staged: dict[str, str] = {}
    base: dict[str, str | None] = {}
    for entry in read_entries(journal):
        event = entry.event
        if not isinstance(event, ev.Staged):
            continue
        base.setdefault(event.path, event.base)
        if event.delta is None:
            staged[event.path] = str(event.text)
            continue
        head, tail, middle = event.delta
        previous = staged.get(event.path, base[event.path]) or ""
        staged[event.path] = previous[:head] + middle + previous[len(previous) - tail :]
        # The text whole instead of null, the base whole where it was left out, no delta.
        size += len(json.dumps(staged[event.path])) - len("null")
        if event.base is None and base[event.path] is not None:
            size += len(json.dumps(base[event.path])) - len("null")
        size -= len(',"delta":') + len(json.dumps(event.delta))
    return size
