"""One scripted session through each provider's fake ends in the same commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from slowcode.core.config import Config
from slowcode.core.step_review import Verdict
from slowcode.engine.progress import Progress, SessionState
from slowcode.engine.session.workflow import Workflow
from slowcode.journal import events as ev
from slowcode.journal.log import find_sessions, read_entries
from slowcode.ops.history import load_history
from tests.context.repos import make_repo, with_identity
from tests.fakeapi import FakeMessagesAPI, fake_settings
from tests.fakeapi.clouds import secrets, use_cloud_credentials
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import APP, two_step_script

MODELS = {
    "anthropic": "claude-sonnet-5-5",
    "bedrock": "us.anthropic.claude-sonnet-5-5-v1:0",
    "vertex": "claude-sonnet-5-5@20261001",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def run_session(
    provider: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Workflow]:
    repo = make_repo(folder / "project", {"app.py": APP, "README.md": "# demo\n"})
    with_identity(repo)
    with FakeMessagesAPI(provider=provider) as server:
        use_cloud_credentials(monkeypatch, server, folder)
        server.script(*two_step_script())
        settings = fake_settings(server, model=MODELS[provider], stream_retries=1, max_retries=0)
        events: list[Progress] = []
        workflow = Workflow(
            root=repo,
            config=Config(model=MODELS[provider]),
            settings=settings,
            human=ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]]),
            on_progress=events.append,
        )
        await workflow.run("Make greetings nicer")
        await workflow.client.aclose()
    assert workflow.session.state is SessionState.DONE
    assert server.pending == 0
    assert {route["model"] for route in server.provider_routes} <= {MODELS[provider]}
    return repo, workflow


async def test_the_same_session_through_each_provider_makes_the_same_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    histories = {}
    for provider in MODELS:
        repo, _ = await run_session(provider, tmp_path / provider, monkeypatch)
        # Commit ids differ (session ids, times); the trees and messages do not.
        histories[provider] = git(repo, "log", "--format=%T %s%n%b", "--no-show-signature")
        histories[provider] = "\n".join(
            line
            for line in histories[provider].splitlines()
            if not line.startswith(("Slowcode-Session:", "Assisted-by:"))
        )
        journal = "".join(
            path.read_text() for path in (repo / ".slowcode").rglob("*") if path.is_file()
        )
        for secret in secrets():
            assert secret not in journal
        assert f"Assisted-by: slowcode:{MODELS[provider]}" in git(repo, "log", "-1", "--format=%B")
    assert histories["bedrock"] == histories["anthropic"]
    assert histories["vertex"] == histories["anthropic"]
    assert "Add a farewell module" in histories["anthropic"]


async def test_history_prices_each_session_for_the_endpoint_its_journal_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    costs: dict[str, float] = {}
    for provider in MODELS:
        repo, workflow = await run_session(provider, tmp_path / provider, monkeypatch)
        (folder,) = find_sessions(repo)
        started = read_entries(folder)[0].event
        assert isinstance(started, ev.SessionStarted)
        # The fakes' settings: Vertex AI in us-east5, Bedrock in us-east-1.
        region = {"anthropic": None, "bedrock": "us-east-1", "vertex": "us-east5"}[provider]
        assert (started.provider, started.region) == (provider, region)
        (history,) = load_history(repo)
        assert history.provider == provider and history.region == region
        assert workflow.session.cost is not None and history.cost_usd is not None
        # The re-price from the journal is what the session counted as it ran.
        assert history.cost_usd == pytest.approx(workflow.session.cost)
        costs[provider] = history.cost_usd
    # The same tokens: Bedrock's geography profile (`us.`) and Vertex AI's us-east5
    # region cost 10% more than Anthropic's API.
    assert costs["anthropic"] > 0
    assert costs["vertex"] == pytest.approx(costs["anthropic"] * 1.1)
    assert costs["bedrock"] == pytest.approx(costs["anthropic"] * 1.1)
