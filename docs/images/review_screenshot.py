"""Renders docs/images/review.svg: the review screen of the offline demo's architectural step.

Run with `make screenshots`. It walks the recorded demo session in the real app,
headless, up to the second step's review, accepts its first hunk and saves the
screen as SVG.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from slowcode.demo.runner import create_sample_repository, load_session
from slowcode.core.config import Config
from slowcode.model.loopback import ReplayServer
from slowcode.model.settings import ModelSettings
from slowcode.tui.app import SlowcodeApp

OUT = Path(__file__).with_name("review.svg")


async def render() -> None:
    session = load_session()
    repo = create_sample_repository(Path(tempfile.mkdtemp(prefix="slowcode-shot-")) / "sample")
    with ReplayServer(session.responses) as server:
        settings = ModelSettings(model=session.model, api_key="demo", base_url=server.base_url)
        app = SlowcodeApp(repo, Config(model=session.model), settings, initial_task=session.task)
        async with app.run_test(size=(120, 40)) as pilot:

            async def until(condition: object) -> None:
                for _ in range(500):
                    if callable(condition) and condition():
                        return
                    await pilot.pause(0.02)
                raise TimeoutError("the demo did not get there")

            await pilot.press("enter")
            await until(lambda: app.session_screen.plan_list.reviewing)
            await pilot.press("enter")
            await until(lambda: type(app.screen).__name__ == "ReviewScreen")
            await pilot.press("a", "enter")
            await until(lambda: getattr(getattr(app.screen, "review", None), "step_number", 0) == 2)
            await pilot.press("y")
            await pilot.pause(0.3)
            OUT.write_text(app.export_screenshot(title="slowcode: reviewing a step"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(render())
