"""A yes/no dialog for an action that makes a commit (undoing a step)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from slowcode.tui.literal import literal


class ConfirmScreen(ModalScreen[bool]):
    """Asks one question; dismisses with True on `y`/`enter`, False on `n`/`escape`.

    Args:
        question: What is about to happen, as a question.
    """

    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        """The question and a one-line hint."""
        with Vertical(id="confirm-dialog"):
            yield Label(literal(self._question), id="confirm-question")
            yield Label("y / enter yes · n / escape no", id="confirm-hint")

    def action_answer(self, yes: bool) -> None:
        """Closes the dialog with the answer."""
        self.dismiss(yes)
