"""A scripted two-step session on a small app: the repository, the model's turns, the workflow."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from slowcode.core.config import Config
from slowcode.engine.progress import Progress
from slowcode.engine.session.workflow import Workflow
from slowcode.journal.log import JournalListener
from slowcode.model.settings import ModelSettings
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, Turn, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman

EDITOR = "str_replace_based_edit_tool"
APP = (
    "def greet(name):\n    return 'hello ' + name\n\n\n"
    + "".join(f"def helper_{n}():\n    return {n}\n\n\n" for n in range(3))
    + "def shout(name):\n    return name.upper()\n"
)


def app_repo(tmp_path: Path) -> Path:
    """A repository holding only APP as app.py, with a git identity to commit with."""
    root = make_repo(tmp_path / "project", {"app.py": APP})
    with_identity(root)
    return root


def session_repo(tmp_path: Path) -> Path:
    """The small app of the scripted sessions, with a README, ready to commit."""
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    return root


def make_workflow(
    repo: Path,
    server: FakeMessagesAPI,
    human: ScriptedHuman,
    events: list[Progress],
    *,
    journal_listeners: Sequence[JournalListener] = (),
    **config: Any,
) -> Workflow:
    """A workflow on `repo` talking to the fake server, answered by `human`."""
    settings = ModelSettings(
        base_url=server.base_url,
        api_key="test-key",
        retry_backoff_seconds=0.01,
        timeout_seconds=5,
        stream_retries=1,
        max_retries=0,
    )
    return Workflow(
        root=repo,
        config=Config(**config),
        settings=settings,
        human=human,
        on_progress=events.append,
        journal_listeners=journal_listeners,
    )


def plan_turn(*titles: str) -> Any:
    """The model's plan: one step per title."""
    steps = [{"title": t, "why": f"because {t.lower()}"} for t in titles]
    return reply(tool_use_block("propose_plan", {"goal": "improve greetings", "steps": steps}))


def edit(old: str, new: str, path: str = "app.py") -> dict[str, Any]:
    """A `str_replace` call of the editor tool."""
    return tool_use_block(
        EDITOR, {"command": "str_replace", "path": path, "old_str": old, "new_str": new}
    )


DECISION = {
    "title": "Keep greetings in a module of their own",
    "context": "Greetings grow.",
    "decision": "Move greetings to greetings.py.",
    "consequences": "One more module.",
    "alternatives": [{"option": "Keep app.py", "why_not": "it mixes concerns"}],
}


def two_step_script() -> list[Turn]:
    """Two steps on the app: polite greetings, then an architectural farewell module."""
    return [
        reply("Let me look.", tool_use_block(EDITOR, {"command": "view", "path": "app.py"})),
        plan_turn("Greet politely", "Add a farewell module"),
        reply(edit("'hello '", "'Hello, '"), edit("name.upper()", "name.upper() + '!'")),
        reply(tool_use_block("finish_step", {"summary": "Polite greetings."})),
        reply(
            tool_use_block(
                EDITOR,
                {
                    "command": "create",
                    "path": "farewell.py",
                    "file_text": "def bye():\n    return 'bye'\n",
                },
            ),
            tool_use_block(
                "finish_step",
                {"summary": "A farewell module.", "architectural": True, "decision": DECISION},
            ),
        ),
        reply("Done: greetings are polite and there is a farewell module.", stop_reason="end_turn"),
    ]


def log(repo: Path, *args: str) -> str:
    """`git log` in `repo`, as text."""
    return subprocess.run(
        ["git", "-C", str(repo), "log", *args], capture_output=True, text=True, check=True
    ).stdout
