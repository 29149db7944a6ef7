"""The session screen's way on without a model: an API key for this run, asked for in a dialog.

With no credential configured, entering a task asks for a key instead of refusing;
after the API refused the key, `a` asks for another and the request goes again. The
key lives in the app's settings for this run only (see `api_key.ApiKeyScreen`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.screen import Screen

NOT_CONFIGURED = "No model configured, so the task cannot start; it stays in the box."
KEY_REFUSED = "The API key was refused."
NO_MODEL = "No model configured: give an API key to start now, or escape to keep the task."


class KeyEntry:
    """Mixin for the session screen: asks for a key and goes on once the app uses it."""

    _configured: bool
    _key_refused: bool = False
    endpoint: Callable[[], str] | None = None
    """Where the requests go, in words, for the dialog (set by the app)."""

    class KeyEntered(Message):
        """The developer gave an API key for this run; `task` starts once it is in use."""

        def __init__(self, key: str, task: str | None) -> None:
            super().__init__()
            self.key = key
            self.task = task

        def __repr__(self) -> str:
            return f"KeyEntered(key=<set>, task={self.task!r})"  # never the key itself

    def start(self, task: str) -> None:
        """Starts a session for `task` (the screen's own)."""
        raise NotImplementedError

    def request_retry(self) -> None:
        """Asks the app to send the failed request again (the screen's own)."""
        raise NotImplementedError

    def write_line(self, line: str) -> None:
        """Adds a line to the session's log (the screen's own)."""
        raise NotImplementedError

    def ask_key(self, why: str, task: str | None) -> None:
        """Asks for a key for this run; without one the task stays in the box."""
        screen = self._key_screen()

        def answered(key: str | None) -> None:
            if key:
                screen.post_message(KeyEntry.KeyEntered(key, task))
            elif task:
                screen.notify(NOT_CONFIGURED, severity="warning")

        from slowcode.tui.screens.api_key import ApiKeyScreen  # only when asked for

        where = self.endpoint() if self.endpoint is not None else "the model"
        screen.app.push_screen(ApiKeyScreen(why, where), answered)

    def action_enter_key(self) -> None:
        """Asks for another key after one was refused (or for one when none is set)."""
        self.ask_key(KEY_REFUSED if self._key_refused else NO_MODEL, None)

    def key_accepted(self, entered: KeyEntered) -> None:
        """The key is in use: starts the waiting task, or re-sends the refused request."""
        screen = self._key_screen()
        self._configured = True
        for hint in screen.query("#configure-hint"):
            hint.remove()
        refused, self._key_refused = self._key_refused, False
        screen.refresh_bindings()
        if entered.task:
            self.start(entered.task)
        elif refused:
            self.write_line("A new API key is in use for this run: the request goes again.")
            self.request_retry()

    def _key_screen(self) -> Screen[None]:
        assert isinstance(self, Screen)
        return self
