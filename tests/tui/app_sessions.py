"""What the app's session tests share: a small repository, scripted turns, waiting on the pilot."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.fakeapi import Turn, reply, tool_use_block

SIZE = (120, 40)


def app_repo(path: Path) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Dev")
    git("config", "user.email", "dev@example.invalid")
    (path / "app.py").write_text("def hello():\n    return 'hello'\n")
    git("add", "app.py")
    git("commit", "-q", "-m", "initial")
    return path


def plan_turn() -> Turn:
    return reply(
        "I will add a greeting function.",
        tool_use_block(
            "propose_plan",
            {"goal": "greet by name", "steps": [{"title": "Add greet", "why": "callers need it"}]},
        ),
    )


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


GREET = "    return 'hello'\n\n\ndef greet(name):\n    return name\n"


def step_turn(new_str: str = GREET, summary: str = "Adds `greet`.") -> Turn:
    """A step that replaces `hello`'s return line of app.py with `new_str`, then finishes."""
    return reply(
        tool_use_block(
            "str_replace_based_edit_tool",
            {
                "command": "str_replace",
                "path": "app.py",
                "old_str": "    return 'hello'\n",
                "new_str": new_str,
            },
        ),
        tool_use_block("finish_step", {"summary": summary, "architectural": False}),
    )
