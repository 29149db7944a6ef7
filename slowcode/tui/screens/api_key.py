"""Asks for an API key for this run: the way on from "no model" or a refused key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from slowcode.tui.literal import literal
from slowcode.tui.screens.feedback import SendingInput
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar

KEPT_IN_MEMORY = (
    "The key is used by this run of slowcode only: it is not written to disk, to the "
    "journal or to git. To keep one, set ANTHROPIC_API_KEY."
)


class ApiKeyScreen(IgnoresTypeAhead, ModalScreen[str | None]):
    """A hidden one-line box for an API key; dismisses with it, or None on `escape`.

    Keys typed before the dialog was drawn are dropped: the rest of a task typed
    ahead must not land in the key box.

    Args:
        why: What happened, in one line (no model configured, the key was refused).
        endpoint: Where the requests go, so the key asked for is the right one.
    """

    CSS_PATH = "api_key.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back")]

    def __init__(self, why: str, endpoint: str) -> None:
        super().__init__()
        self._why = why
        self._endpoint = endpoint

    def compose(self) -> ComposeResult:
        """What happened, the box, and what becomes of the key."""
        with Vertical(id="api-key-dialog"):
            yield Label(literal(self._why), id="api-key-why")
            yield Label(literal(f"API key for {self._endpoint}:"), id="api-key-prompt")
            yield SendingInput(password=True, placeholder="sk-ant-…", id="api-key-input")
            yield Label(KEPT_IN_MEMORY, id="api-key-note")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answers with the key, unless the box is empty."""
        event.stop()
        key = event.value.strip()
        if not key:
            self.notify("Paste a key, or press escape to go back.", severity="warning")
            return
        self.dismiss(key)

    def action_cancel(self) -> None:
        """Goes back without a key."""
        self.dismiss(None)
