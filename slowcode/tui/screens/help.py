"""Every key of the screen beneath, with what it does now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


@dataclass(frozen=True)
class KeyHelp:
    """One key and what it does; `enabled` is False when it does nothing right now."""

    key: str
    description: str
    enabled: bool = True


def keys_of(screen: Screen[object]) -> list[KeyHelp]:
    """The active keys of `screen` (focused widget, screen and app), one row per action.

    Keys the footer shows come first; Textual's system keys (copy, ctrl+q) are left out.
    """
    app = screen.app
    seen: set[tuple[str, str]] = set()
    rows: list[KeyHelp] = []
    actives = [active for active in screen.active_bindings.values() if not active.binding.system]
    actives.sort(key=lambda active: not active.binding.show)
    for active in actives:
        binding = active.binding
        description = binding.description or binding.action.replace("_", " ")
        # Keys sharing one binding ("j,down") share its display, so they list once.
        shown = binding.key_display or app.get_key_display(binding)
        marker = (shown, description)
        if marker in seen:
            continue
        seen.add(marker)
        rows.append(KeyHelp(shown, description, active.enabled))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened over; `escape` closes it.

    Args:
        title: The name of the screen beneath.
        keys: Its keys (see `keys_of`).
    """

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, title: str, keys: list[KeyHelp]) -> None:
        super().__init__()
        self._title = title
        self._keys = keys

    def compose(self) -> ComposeResult:
        """The table of keys."""
        with Vertical(id="help-dialog"):
            yield Label(f"Keys · {self._title}", id="help-title")
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            table.add_columns("key", "action")
            for row in self._keys:
                description = row.description if row.enabled else f"{row.description} (not now)"
                table.add_row(row.key, description)
            yield table
            yield Label("escape close", id="help-hint")

    def action_close(self) -> None:
        """Back to the screen beneath."""
        self.dismiss(None)
