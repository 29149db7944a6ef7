"""The model's thinking in the session log: indented under its own header, apart from the answer."""

from __future__ import annotations

from pathlib import Path

from slowcode.core.config import Config
from slowcode.engine.progress import ModelTextStreamed, ModelThinkingStreamed, ToolCalled
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp
from slowcode.tui.widgets.commentary import THINKING_FOLD


async def test_thinking_is_folded_under_a_header_and_the_answer_follows(tmp_path: Path) -> None:
    settings = ModelSettings(base_url="http://127.0.0.1:9")
    app = SlowcodeApp(tmp_path, Config(), settings, resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for event in (
            ModelThinkingStreamed("The test is "),
            ModelThinkingStreamed("slow.\nRead it"),
            ModelThinkingStreamed(" first."),
            ModelTextStreamed("Reading the test."),
            ToolCalled("str_replace_based_edit_tool", "view tests/test_a.py"),
        ):
            app._report(event)
        await pilot.pause()
        lines = list(app.session_screen.commentary.lines)
    assert lines[:5] == [
        "✻ thinking",
        f"{THINKING_FOLD}The test is slow.",
        f"{THINKING_FOLD}Read it first.",
        "Reading the test.",
        "→ view tests/test_a.py",
    ]
