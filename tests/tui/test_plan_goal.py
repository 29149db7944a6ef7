"""The plan list shows the plan's goal above its steps, and wrapped lines keep their indent."""

from __future__ import annotations

from pathlib import Path

from slowcode.core.config import Config
from slowcode.core.plan import Plan, PlanStep
from slowcode.engine.progress import PlanUpdated
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp

GOAL = "store the list as [bold]JSON[/bold]"
WHY = "the old format cannot hold a due date, and every reader of the file must know the new one"


async def test_the_plan_shows_its_goal_and_wrapped_reasons_keep_their_indent(
    tmp_path: Path,
) -> None:
    app = SlowcodeApp(tmp_path, Config(), ModelSettings(), resume=False)
    async with app.run_test(size=(80, 24)) as pilot:
        plan = Plan(GOAL, [PlanStep("Move storage to JSON", WHY), PlanStep("Document it", "")])
        app._report(PlanUpdated(plan))
        await pilot.pause()
        plan_list = app.session_screen.plan_list
        assert plan_list.border_title == f"Plan · {GOAL}".replace("[", "\\[")
        rows = [plan_list.render_line(y).text.rstrip() for y in range(plan_list.size.height)]
        first = next(i for i, row in enumerate(rows) if "1. Move storage" in row)
        indent = rows[first].index("Move")
        reason = rows[first + 1 : first + 1 + 3]
        assert reason[0].strip().startswith("the old format")
        # Every line of the wrapped reason starts under the title, not at the edge.
        wrapped = [row for row in reason if row.strip() and "2. Document" not in row]
        assert len(wrapped) >= 2
        assert all(row[:indent].strip() == "" for row in wrapped)
