"""Headless sessions against the fake model server, for the detector and `why` tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slowcode.core.config import Config
from slowcode.engine.progress import Progress
from slowcode.engine.session.workflow import Workflow
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.fakeapi.server import fake_settings

EDITOR = "str_replace_based_edit_tool"
APP = (
    "def greet(name):\n    return 'hello ' + name\n\n\ndef shout(name):\n    return name.upper()\n"
)


def project(root: Path) -> Path:
    """A repository with `app.py`, a README and a git identity."""
    repo = make_repo(root, {"app.py": APP, "README.md": "# demo\n"})
    with_identity(repo)
    return repo


def workflow(repo: Path, server: FakeMessagesAPI, human: Any, events: list[Progress]) -> Workflow:
    """A workflow on `repo` talking to `server`, answered by `human`."""
    return Workflow(
        root=repo,
        config=Config(),
        settings=fake_settings(server),
        human=human,
        on_progress=events.append,
    )


def plan(*titles: str) -> Any:
    """The model's `propose_plan` turn."""
    steps = [{"title": t, "why": f"because {t.lower()}"} for t in titles]
    return reply(tool_use_block("propose_plan", {"goal": "better greetings", "steps": steps}))


def edit(old: str, new: str, path: str = "app.py") -> dict[str, Any]:
    """A `str_replace` edit."""
    return tool_use_block(
        EDITOR, {"command": "str_replace", "path": path, "old_str": old, "new_str": new}
    )


def finish(summary: str, decision: dict[str, Any] | None = None) -> dict[str, Any]:
    """A `finish_step` call, architectural when it carries a decision."""
    data: dict[str, Any] = {"summary": summary}
    if decision:
        data |= {"architectural": True, "decision": decision}
    return tool_use_block("finish_step", data)
