"""A yes/no dialog for an action that changes history (undoing a step, a record's status).

Only `y` says yes. `enter` does not: a keystroke meant for something else (the end
of a line typed where no text box had the focus) must never confirm it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from slowcode.tui.literal import literal
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar


class ConfirmScreen(IgnoresTypeAhead, ModalScreen[bool]):
    """Asks one question; dismisses with True on `y`, False on `n`/`escape`; `enter` only reminds.

    Args:
        question: What is about to happen, as a question.
    """

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        Binding("enter", "remind", "Remind", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    @property
    def question(self) -> str:
        """What the dialog asks."""
        return self._question

    def compose(self) -> ComposeResult:
        """The question and a one-line hint."""
        with Vertical(id="confirm-dialog"):
            yield Label(literal(self._question), id="confirm-question")
            yield Label("y yes · n / escape no", id="confirm-hint")
        yield KeyBar()

    def action_remind(self) -> None:
        """Says which keys answer, and answers nothing."""
        self.notify("Press y to go ahead, or n to leave things as they are.")

    def action_answer(self, yes: bool) -> None:
        """Closes the dialog with the answer; its reminder goes with it."""
        self.app.clear_notifications()
        self.dismiss(yes)
