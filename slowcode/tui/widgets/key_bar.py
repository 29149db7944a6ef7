"""The keys that work now, at the foot of every screen, drawn as lines of text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.screen import ModalScreen
from textual.widget import Widget

if TYPE_CHECKING:
    from textual import events
    from textual.app import RenderResult
    from textual.geometry import Size
    from textual.screen import Screen

_GAP = "  "
MAX_LINES = 3
"""The bar's height at most (its CSS `max-height`): the screen above it needs the room."""
_HELP_KEY = "question_mark"
_UNICODE_NAMES = {key: name for name, key in KEY_NAME_REPLACEMENTS.items()}
"""Keys Textual names apart from their character's Unicode name (``slash``: solidus)."""


def is_typed_key(key: str) -> bool:
    """True for a key a text box takes as text (``y``, ``question_mark``), not as a command."""
    first = key.split(",")[0]
    character = key_to_character(_UNICODE_NAMES.get(first, first))
    return character is not None and character.isprintable()  # not enter, up, ctrl+s


def typing_into(screen: Screen[object]) -> bool:
    """True while the screen's focus is on a box that takes text."""
    from textual.widgets import Input, TextArea

    return isinstance(screen.focused, Input | TextArea) and not getattr(
        screen.focused, "read_only", False
    )


class KeyHint(NamedTuple):
    """One key as the bar shows it."""

    key: str
    """The key as pressed (``enter``, ``a``), sent when the hint is clicked."""
    display: str
    """The key as shown (``⏎``, ``a``)."""
    description: str
    enabled: bool


_MORE = KeyHint("question_mark", "…", "", True)
"""Ends a bar cut short: more keys than it shows, `?` lists them."""


class KeyBar(Widget):
    """Shows each active key with what it does, wrapping onto a second line when narrow.

    It draws text rather than a widget per key, as Textual's `Footer` does: it is
    on every screen, its keys change with each focus move, and rebuilding widgets
    for that cost more than the screen's first frame can spare. Disabled keys are
    shown dimmed; clicking a key presses it.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;  /* MAX_LINES */
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--disabled {
        text-style: dim;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--disabled"}

    def on_mount(self) -> None:
        """Redraws whenever the screen's keys change (focus moves, actions enable)."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        """Stops listening to a screen that is going away."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh(layout=True)

    def hints(self) -> list[KeyHint]:
        """The shown keys of the focused widget, the screen and the app, one per action."""
        seen: dict[str, int] = {}
        hints: list[KeyHint] = []
        typing = typing_into(self.screen)
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show:
                continue
            if typing and is_typed_key(binding.key):
                continue  # typed into the box, so it does nothing else now
            display = self.app.get_key_display(binding)
            hint = KeyHint(binding.key, display, binding.description, active.enabled)
            at = seen.get(binding.action)
            if at is not None:
                # Two keys for one action (`q` and `ctrl+q`): the plainer one, where it works.
                if is_typed_key(binding.key) and not is_typed_key(hints[at].key):
                    hints[at] = hint
                continue
            seen[binding.action] = len(hints)
            hints.append(hint)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            # Hidden from the key list by Textual, but the one way to find commands.
            binding = palette.binding
            display = self.app.get_key_display(binding)
            hints.append(KeyHint(binding.key, display, binding.description, palette.enabled))
        return hints

    def _lines(self, width: int) -> list[Text]:
        """The hints packed into lines; at most `MAX_LINES`, ending in ``? Keys …`` when cut.

        The keys cut are the last ones (the app's, after the screen's); `?` lists them.
        """
        hints = self.hints()
        lines = self._pack(hints, width)
        if len(lines) <= MAX_LINES:
            return lines
        help_hints = [hint for hint in hints if hint.key == _HELP_KEY]
        others = [hint for hint in hints if hint.key != _HELP_KEY]
        while others and len(lines) > MAX_LINES:
            others.pop()
            lines = self._pack([*others, *help_hints, _MORE], width)
        return lines

    def _pack(self, hints: list[KeyHint], width: int) -> list[Text]:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        disabled_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        lines: list[Text] = [Text()]
        for hint in hints:
            entry = Text(style=disabled_style if not hint.enabled else "")
            entry.append(hint.display, style=key_style)
            if hint.description:
                entry.append(f" {hint.description}")
            entry.stylize(Style(meta={"key": hint.key}))
            line = lines[-1]
            needed = len(entry) + (len(_GAP) if line else 0)
            if line and line.cell_len + needed > width:
                line = Text()
                lines.append(line)
            if line:
                line.append(_GAP)
            line.append_text(entry)
        return lines

    def shown_lines(self) -> list[str]:
        """The bar's lines as plain text, at its current width."""
        return [line.plain for line in self._lines(max(self.content_size.width, 1))]

    def render(self) -> RenderResult:
        """The hints, packed into as many lines as the width needs."""
        lines = self._lines(max(self.content_size.width, 1))
        lines += [Text()] * (self._covered_height() - len(lines))
        return Text("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the hints need at `width`, and as the bar it covers."""
        return max(len(self._lines(max(width, 1))), self._covered_height())

    def _covered_height(self) -> int:
        """On a dialog, the height of the key bar of the screen under it (else 0).

        A dialog's bar covers that one whole, so none of the keys it lists, which
        do not work while the dialog is open, shows through.
        """
        stack = self.app.screen_stack
        if not isinstance(self.screen, ModalScreen) or self.screen not in stack:
            return 0
        if stack.index(self.screen) == 0:
            return 0
        below = stack[stack.index(self.screen) - 1]
        bars = below.query(KeyBar)
        return max((bar.outer_size.height for bar in bars), default=0)

    def on_click(self, event: events.Click) -> None:
        """Presses the key whose hint was clicked."""
        key = event.style.meta.get("key")
        if isinstance(key, str):
            event.stop()
            self.app.simulate_key(key)
