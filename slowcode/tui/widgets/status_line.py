"""One line about the model: name, session state, the step's and the session's tokens and cost."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from slowcode.core.session_state import SessionState
from slowcode.model.cost_text import format_cost
from slowcode.model.usage import Usage
from slowcode.tui.literal import literal_line


def compact(tokens: int) -> str:
    """A token count in at most four characters and a suffix: ``950``, ``1.2k``, ``3.4M``."""
    if tokens < 1000:
        return str(tokens)
    if tokens < 999_950:
        return f"{tokens / 1000:.1f}k"
    return f"{tokens / 1_000_000:.1f}M"


def _short_cost(cost: float | None) -> str:
    """A cost in the fewest characters that still say it is an estimate: ``≈$0.0312``."""
    return "cost ?" if cost is None else f"≈${cost:.4f}"


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
    cost_usd: reactive[float | None] = reactive(0.0)
    step: reactive[int | None] = reactive(None)
    """The step in progress; None while planning (the step's figures are then not shown)."""
    step_usage: reactive[Usage] = reactive(Usage)
    step_cost_usd: reactive[float | None] = reactive(0.0)
    connection: reactive[str] = reactive("")
    """Empty while all is well; otherwise e.g. ``retrying in 2 s`` or the error."""

    def render(self) -> Content:
        """The line, e.g. ``claude-sonnet-5-5 · step working · step 2 1.2k in · 300 out ·
        cache 8.1k read / 1.2k written · est. $0.0100 | session 3.2k in · 910 out · …``.

        When the line is wider than the widget, the less important parts go first
        (cache figures, the model's name, the step's figures), down to the state,
        the session's tokens and its cost: see `variants`.
        """
        width = self.content_size.width
        variants = self.variants()
        chosen = next((line for line in variants if len(line) <= width), variants[-1])
        # The model's name and the connection's problem come from outside: shown literally.
        return literal_line(chosen)

    def variants(self) -> list[str]:
        """The line at every level of detail, the most detailed first."""
        usage = self.usage
        state = self.state.value.replace("_", " ")
        model = self.model or "no model"
        session_cache = (
            f"cache {compact(usage.cache_read_input_tokens)} read"
            f" / {compact(usage.cache_creation_input_tokens)} written"
        )
        session_short = f"{compact(usage.input_tokens)} in · {compact(usage.output_tokens)} out"
        session_full = session_short
        cost = format_cost(self.cost_usd)
        short_cost = _short_cost(self.cost_usd)
        if self.step is not None:
            step = self.step_usage
            step_tokens = (
                f"step {self.step} {compact(step.input_tokens)} in · "
                f"{compact(step.output_tokens)} out"
            )
            step_cache = (
                f"cache {compact(step.cache_read_input_tokens)} read"
                f" / {compact(step.cache_creation_input_tokens)} written"
            )
            step_cost = format_cost(self.step_cost_usd)
            detailed = [
                [
                    model,
                    state,
                    step_tokens,
                    step_cache,
                    f"{step_cost} | session {session_full}",
                    session_cache,
                    cost,
                ],
                [
                    model,
                    state,
                    step_tokens,
                    step_cache,
                    f"{step_cost} | session {session_full}",
                    cost,
                ],
                [model, state, step_tokens, f"{step_cost} | session {session_short}", cost],
                [state, step_tokens, f"{step_cost} | session {session_short}", cost],
                [
                    state,
                    f"step {self.step} {_short_cost(self.step_cost_usd)} | session {session_short}",
                    short_cost,
                ],
            ]
        else:
            detailed = [
                [model, state, session_full, session_cache, cost],
                [model, state, session_full, cost],
                [state, session_full, cost],
            ]
        levels = [*detailed, [state, session_short, cost], [state, session_short, short_cost]]
        if self.connection:
            levels = [[*parts, self.connection] for parts in levels] + levels[-1:]
        tokens = usage.input_tokens + usage.output_tokens
        levels.append([state, f"{compact(tokens)} tok", short_cost])
        return [" · ".join(parts) for parts in levels]

    def watch_state(self, state: SessionState) -> None:
        """Colours the line when the session failed."""
        self.set_class(state is SessionState.FAILED, "-failed")

    def watch_connection(self, connection: str) -> None:
        """Colours the line while the connection has a problem."""
        self.set_class(bool(connection), "-problem")
