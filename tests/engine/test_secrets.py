"""API keys and auth headers never reach the journal or git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from slowcode.core.config import Config
from slowcode.engine.session.workflow import Workflow
from slowcode.model.settings import ModelSettings
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, two_step_script

SENTINEL = "sk-ant-api03-SENTINEL0123456789abcdefSENTINEL"


def every_git_object(root: Path) -> bytes:
    listed = subprocess.run(
        ["git", "-C", str(root), "cat-file", "--batch-all-objects", "--batch"],
        capture_output=True,
        check=True,
    )
    return listed.stdout


async def test_a_session_with_a_sentinel_key_leaves_it_nowhere(
    tmp_path: Path, fake_api: FakeMessagesAPI
) -> None:
    root = make_repo(tmp_path / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(root)
    fake_api.script(*two_step_script())
    settings = ModelSettings(
        base_url=fake_api.base_url,
        api_key=SENTINEL,
        retry_backoff_seconds=0.01,
        timeout_seconds=5,
        stream_retries=1,
        max_retries=0,
    )
    workflow = Workflow(
        root=root,
        config=Config(),
        settings=settings,
        human=ScriptedHuman(),
        on_progress=lambda event: None,
    )
    await workflow.run("Make greetings nicer")

    # The key did go out, so the scan below is looking for something real.
    assert fake_api.message_requests[0].credential == SENTINEL
    needle = SENTINEL.encode()
    for path in (root / ".slowcode").rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
    assert needle not in every_git_object(root)
    for path in (root / ".git").rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path
