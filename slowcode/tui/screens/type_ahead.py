"""Keys typed before a screen was drawn do not answer it.

A developer who types ahead (`enter`, `y`) while a dialog is still opening would
otherwise answer a question they never saw: record a decision, trust a command,
accept a hunk. A screen with this mixin drops every key that reached slowcode
before the screen was mounted, the moment just before its first frame. A key's
time is when the terminal driver read it; the screen's is taken from a message
posted when it mounts, on the same clock. (The cut-off is the mount, not the
painted frame: a key pressed the instant the frame appears must count.)
"""

from __future__ import annotations

import math

from textual import events
from textual.message import Message
from textual.screen import Screen


class IgnoresTypeAhead:
    """Mixin for a `Screen` whose keys decide something."""

    _drawn_at: float = math.inf

    class Drawn(Message):
        """Posted when the screen mounts; its `time` is the cut-off."""

    def on_mount(self) -> None:
        """Takes the time the screen mounted, on the keys' clock."""
        self._as_screen().post_message(IgnoresTypeAhead.Drawn())

    def on_ignores_type_ahead_drawn(self, message: IgnoresTypeAhead.Drawn) -> None:
        """From now on keys count."""
        self._drawn_at = message.time

    def on_key(self, event: events.Key) -> None:
        """Drops a key that was typed before the screen could be seen."""
        if event.time < self._drawn_at:
            event.prevent_default()
            event.stop()

    def _as_screen(self) -> Screen[object]:
        assert isinstance(self, Screen)
        return self
