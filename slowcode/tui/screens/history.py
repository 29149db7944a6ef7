"""The History screen: every session of the repository, and under each its steps.

A session's line gives its task, whether it finished, its tokens, cost and
duration; a step's line its hunk verdicts, its tokens and cost, and its commit
(and the commit that undid it); opened, a step lists its hunks, each with its
verdict and whether it was shown whole. Everything comes from the journals, read
in a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Label, Tree

from slowcode.model.cost_text import format_cost
from slowcode.ops.history import (
    SessionHistory,
    StepHistory,
    format_duration,
    load_history,
    plural,
)
from slowcode.tui.literal import literal_text
from slowcode.tui.widgets.cut_tree import CutTree
from slowcode.tui.widgets.key_bar import KeyBar


def session_label(session: SessionHistory) -> str:
    """`✓ 20261121-…  2 steps · 1,234 tokens · est. $0.0123 · 42 s · Make greetings nicer`.

    The task comes last: it is the longest part, and a narrow screen cuts it first.
    """
    if session.problem:
        return f"✗ {session.session_id}  unreadable: {session.problem}"
    mark = "✓" if session.finished else "…"
    cache = f" ({session.cache_note})" if session.cache_note else ""
    return (
        f"{mark} {session.session_id}  {plural(len(session.steps), 'step')} · "
        f"{session.tokens:,} tokens{cache} · {format_cost(session.cost_usd)} · "
        f"{format_duration(session.duration_seconds)} · {session.task or '(no task)'}"
    )


def step_label(step: StepHistory) -> str:
    """`2. Add a farewell module · 3 accepted, 1 rejected, 0 edited · 2,300 tokens ·
    est. $0.0042 · 1a2b3c4d` (no tokens and cost for a step the model never worked on)."""
    rounds = f" · {step.rounds} rounds" if step.rounds > 1 else ""
    used = f" · {step.tokens:,} tokens · {format_cost(step.cost_usd)}" if step.tokens else ""
    return (
        f"{step.number}. {step.title} · {step.accepted} accepted, {step.rejected} rejected, "
        f"{step.edited} edited{rounds}{used} · {step.outcome}"
    )


_VERDICT_MARKS = {"accepted": "✓", "rejected": "✗", "edited": "~"}


def hunk_label(hunk: dict[str, Any]) -> str:
    """`✓ app.py hunk 2 · accepted · shown whole · 12.4 s in view` (how it was shown is
    left out for journals that did not record it)."""
    verdict = str(hunk.get("verdict", ""))
    index = hunk.get("index")
    number = f" hunk {index + 1}" if isinstance(index, int) else ""
    label = f"{_VERDICT_MARKS.get(verdict, '·')} {hunk.get('file', '?')}{number} · {verdict}"
    if "fully_displayed" in hunk:
        label += " · shown whole" if hunk["fully_displayed"] else " · NOT shown whole"
    seconds = hunk.get("seconds_in_view")
    if isinstance(seconds, int | float):
        label += f" · {seconds:.1f} s in view"
    return label


class HistoryTree(CutTree[None]):
    """The sessions' tree, whose `enter` (open or close a row) is on the key bar."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open / close"),
    ]


class HistoryScreen(Screen[None]):
    """Sessions → steps, newest session first and expanded.

    Args:
        root: The repository whose `.slowcode/sessions/` is read.
    """

    TITLE = "History"
    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root

    def compose(self) -> ComposeResult:
        """A title line, the tree and the keys."""
        yield Label("History: sessions and their steps", id="history-title")
        tree: Tree[None] = HistoryTree("Sessions", id="history-tree")
        tree.show_root = False
        yield tree
        yield KeyBar()

    def on_mount(self) -> None:
        """Reads the journals in a worker; the tree fills in when they are read."""
        self.query_one(Tree).focus()
        self._load()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load(self) -> None:
        sessions = load_history(self._root)
        self.app.call_from_thread(self.show, sessions)

    def show(self, sessions: list[SessionHistory]) -> None:
        """Fills the tree: the newest session first, expanded; the others collapsed."""
        tree: Tree[None] = self.query_one("#history-tree", Tree)
        tree.clear()
        if not sessions:
            tree.root.add_leaf("No sessions yet in this repository.")
            return
        for position, session in enumerate(reversed(sessions)):
            node = tree.root.add(literal_text(session_label(session)), expand=position == 0)
            for step in session.steps:
                if not step.hunks:
                    node.add_leaf(literal_text(step_label(step)))
                    continue
                step_node = node.add(literal_text(step_label(step)))
                for hunk in step.hunks:
                    step_node.add_leaf(literal_text(hunk_label(hunk)))
        tree.cursor_line = 0  # on the newest session: `enter` acts on what is seen first
