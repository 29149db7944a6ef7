"""One line about the model: name, session state, tokens, cost, connection."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget

from slowcode.engine.progress import SessionState
from slowcode.model.types import Usage


class StatusLine(Widget):
    """Shows the model, the session state, token use, cost and the connection status.

    The parent sets the attributes; the line redraws itself.
    """

    DEFAULT_CSS = """
    StatusLine {
        width: 100%;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        &.-problem { color: $text-warning; }
        &.-failed { color: $text-error; }
    }
    """

    model: reactive[str] = reactive("")
    state: reactive[SessionState] = reactive(SessionState.IDLE)
    usage: reactive[Usage] = reactive(Usage)
    cost_usd: reactive[float] = reactive(0.0)
    connection: reactive[str] = reactive("")
    """Empty while all is well; otherwise e.g. ``retrying in 2 s`` or the error."""

    def render(self) -> str:
        """The line, e.g. ``claude-sonnet-5-5 · planning · in 1,204 · out 310 · …``."""
        usage = self.usage
        parts = [
            self.model or "no model",
            self.state.value.replace("_", " "),
            f"in {usage.input_tokens:,}",
            f"out {usage.output_tokens:,}",
            f"cache read {usage.cache_read_input_tokens:,}",
            f"${self.cost_usd:.4f}",
        ]
        if self.connection:
            parts.append(self.connection)
        return " · ".join(parts)

    def watch_state(self, state: SessionState) -> None:
        """Colours the line when the session failed."""
        self.set_class(state is SessionState.FAILED, "-failed")

    def watch_connection(self, connection: str) -> None:
        """Colours the line while the connection has a problem."""
        self.set_class(bool(connection), "-problem")
