"""The status line shows the step's tokens and cost beside the session's."""

from __future__ import annotations

from textual.app import App, ComposeResult

from slowcode.engine.progress import SessionState
from slowcode.model.types import Usage
from slowcode.tui.widgets.status_line import StatusLine, compact


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine()


def test_token_counts_are_compact() -> None:
    assert [compact(n) for n in (0, 950, 999, 1000, 1234, 999_949, 999_950, 3_400_000)] == [
        "0",
        "950",
        "999",
        "1.0k",
        "1.2k",
        "999.9k",
        "1.0M",
        "3.4M",
    ]


async def test_the_step_comes_first_then_the_session() -> None:
    app = _Host()
    async with app.run_test():
        line = app.query_one(StatusLine)
        line.model = "claude-sonnet-5-5"
        line.state = SessionState.STEP_WORKING
        line.usage = Usage(3204, 910, 0, 800)
        line.cost_usd = 0.0312
        planning = str(line.render())
        assert "step" not in planning.replace("step working", "")
        assert "in 3,204 · out 910" in planning and "$0.0312" in planning

        line.step = 2
        line.step_usage = Usage(1234, 300, 1100, 8100)
        line.step_cost_usd = 0.0082
        text = str(line.render())
        step, session = text.split(" | ")
        assert step.endswith(
            "step 2 1.2k in · 300 out · cache 8.1k read / 1.1k written · est. $0.0082"
        )
        assert session.startswith(
            "session in 3,204 · out 910 · cache read 800 · cache write 0 · est. $0.0312"
        )

        line.model = "qwen3-coder"
        line.cost_usd = None
        line.step_cost_usd = None
        unknown = str(line.render())
        assert "written · cost unknown | session" in unknown
        assert unknown.endswith("cache read 800 · cache write 0 · cost unknown")
