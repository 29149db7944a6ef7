"""Every key of the screen beneath, with what it does now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from slowcode.tui.widgets.key_bar import KeyBar


@dataclass(frozen=True)
class KeyHelp:
    """One key and what it does; `enabled` is False when it does nothing right now."""

    key: str
    description: str
    enabled: bool = True


def own_actions(node: DOMNode) -> set[str]:
    """The actions bound by slowcode's own classes of `node`, not by Textual's.

    A slowcode widget built on a Textual one (the plan on `OptionList`, the diff on
    `ScrollView`) inherits that widget's keys too; those are Textual's business
    (``super+c`` copies, ``ctrl+pageup`` pages left), not keys slowcode offers.
    """
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("slowcode."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding):
                actions.add(binding.action)
            elif isinstance(binding, tuple) and len(binding) > 1:
                actions.add(binding[1])
    return actions


def keys_of(screen: Screen[object]) -> list[KeyHelp]:
    """The active keys of `screen` (focused widget, screen and app), one row per action.

    Only slowcode's own keys and the command palette are listed (see `own_actions`);
    keys the footer shows come first.
    """
    app = screen.app
    seen: set[tuple[str, str]] = set()
    rows: list[KeyHelp] = []
    owned: dict[int, set[str]] = {}

    def listed(node: DOMNode, action: str, key: str) -> bool:
        if key == app.COMMAND_PALETTE_BINDING:
            return app.ENABLE_COMMAND_PALETTE
        found = owned.get(id(node))
        if found is None:
            found = owned[id(node)] = own_actions(node)
        return action in found

    actives = [
        active
        for active in screen.active_bindings.values()
        if not active.binding.system
        and listed(active.node, active.binding.action, active.binding.key)
    ]
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


_DIALOG_SHARE = 0.9
"""The dialog's `max-height` (help.tcss), as a share of the terminal."""
_CHROME_ROWS = 6
"""The dialog's rows around the table: border, padding, the title and its margin."""
_MIN_ROWS = 2


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
        yield KeyBar()

    def on_mount(self) -> None:
        """Fits the table to the terminal once the key bar has its height."""
        self.call_after_refresh(self._fit_table)

    def on_resize(self, event: events.Resize) -> None:
        """Fits the table to the new size."""
        self.call_after_refresh(self._fit_table)

    def _fit_table(self) -> None:
        """Caps the table at the rows the dialog has, so a long list scrolls instead of
        being cut by the terminal's foot."""
        bar = self.query_one(KeyBar).outer_size.height
        free = int(self.size.height * _DIALOG_SHARE) - bar - _CHROME_ROWS
        self.query_one(DataTable).styles.max_height = max(free, _MIN_ROWS)

    def action_close(self) -> None:
        """Back to the screen beneath."""
        self.dismiss(None)
