"""Asks whether to run a check command that came with the repository, before it first runs."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from slowcode.tui.literal import literal, literal_line
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar


class TrustScreen(IgnoresTypeAhead, ModalScreen[bool]):
    """Shows the command and the file it came from; True only on `y`.

    `n`, `escape` and `enter` answer no: the command stays unrun, and the
    default never runs something by accident.

    Args:
        command: The check command, exactly as configured.
        source: The repository file it was read from.
    """

    CSS_PATH = "trust.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Trust and run"),
        Binding("n,escape,enter", "answer(False)", "Do not run", priority=True),
    ]

    def __init__(self, command: str, source: str) -> None:
        super().__init__()
        self.command = command
        self.source = source

    def compose(self) -> ComposeResult:
        """The question, the command, and a one-line hint."""
        with Vertical(id="trust-dialog"):
            yield Label(
                literal_line(f"Run the check command from {self.source}?"), id="trust-question"
            )
            yield Label(literal(self.command), id="trust-command")
            yield Label(
                "It came with the repository and runs in a shell with your permissions. "
                "y trust this command for this repository and run it · n / escape / enter "
                "do not run it (you are asked again next session) · slowcode trust revoke "
                "forgets a trust",
                id="trust-hint",
            )
        yield KeyBar()

    def action_answer(self, trusted: bool) -> None:
        """Closes the dialog with the answer."""
        self.dismiss(trusted)
