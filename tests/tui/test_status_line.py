"""The status line shows the step's tokens and cost beside the session's."""

from __future__ import annotations

import pytest
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
    async with app.run_test(size=(240, 5)):
        line = app.query_one(StatusLine)
        line.model = "claude-sonnet-5-5"
        line.state = SessionState.STEP_WORKING
        line.usage = Usage(3204, 910, 0, 800)
        line.cost_usd = 0.0312
        planning = str(line.render())
        assert "step" not in planning.replace("step working", "")
        assert "3.2k in · 910 out" in planning and "$0.0312" in planning

        line.step = 2
        line.step_usage = Usage(1234, 300, 1100, 8100)
        line.step_cost_usd = 0.0082
        text = str(line.render())
        step, session = text.split(" | ")
        assert step.endswith(
            "step 2 1.2k in · 300 out · cache 8.1k read / 1.1k written · est. $0.0082"
        )
        assert session.startswith(
            "session 3.2k in · 910 out · cache 800 read / 0 written · est. $0.0312"
        )

        line.model = "qwen3-coder"
        line.cost_usd = None
        line.step_cost_usd = None
        unknown = str(line.render())
        assert "written · cost unknown | session" in unknown
        assert unknown.endswith("cache 800 read / 0 written · cost unknown")


def _fill(line: StatusLine, *, step: int | None) -> None:
    line.model = "claude-sonnet-5-5"
    line.state = SessionState.STEP_WORKING
    line.usage = Usage(123_456, 9_100, 0, 80_000)
    line.cost_usd = 0.3125
    line.step = step
    line.step_usage = Usage(12_345, 3_000, 1_100, 8_100)
    line.step_cost_usd = 0.0821


@pytest.mark.parametrize("columns", [160, 120, 80, 60, 40])
@pytest.mark.parametrize("step", [None, 2])
async def test_a_narrow_line_drops_details_but_keeps_state_tokens_and_cost(
    columns: int, step: int | None
) -> None:
    app = _Host()
    async with app.run_test(size=(columns, 5)) as pilot:
        line = app.query_one(StatusLine)
        _fill(line, step=step)
        await pilot.pause()
        width = line.content_size.width
        text = str(line.render())
    assert len(text) <= width
    assert text.startswith(("claude-sonnet-5-5 · step working", "step working"))
    assert "$0.3125" in text
    assert "123" in text or "132.6k tok" in text  # the session's tokens, in some form
    if columns >= 160:
        assert "cache" in text
    if step is not None and columns >= 80:
        assert "step 2 ≈$0.0821 | session" in text or "step 2 12.3k in" in text


async def test_the_connection_problem_stays_while_it_fits() -> None:
    app = _Host()
    async with app.run_test(size=(80, 5)) as pilot:
        line = app.query_one(StatusLine)
        _fill(line, step=2)
        line.connection = "retrying in 2 s"
        await pilot.pause()
        text = str(line.render())
    assert text.endswith("· retrying in 2 s") and "$0.3125" in text


async def test_token_counts_have_one_format_at_every_width() -> None:
    app = _Host()
    async with app.run_test(size=(240, 5)):
        line = app.query_one(StatusLine)
        line.model = "claude-sonnet-5-5"
        line.state = SessionState.STEP_WORKING
        line.usage = Usage(8880, 910, 0, 800)
        line.cost_usd = 0.0312
        for step in (None, 2):
            line.step = step
            line.step_usage = Usage(1234, 300, 1100, 8100)
            variants = line.variants()
            assert all("in 8,880" not in v and "cache read" not in v for v in variants)
            assert all("8.9k in" in v for v in variants[:-1])
