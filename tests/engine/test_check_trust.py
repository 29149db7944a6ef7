"""A check command from the repository's own files runs only once trusted; its environment."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slowcode.core.config import Config, load_config
from slowcode.core.trust import TrustStore, command_hash
from slowcode.engine.apply.check import REDACTED, check_environment, run_check
from slowcode.engine.apply.check_trust import CheckGate
from slowcode.engine.progress import CheckStarted, NoticeRaised, Progress
from tests.fakeapi import FakeMessagesAPI, reply, tool_use_block
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import edit, make_workflow, plan_turn

PY = sys.executable


@dataclass
class AskedHuman(ScriptedHuman):
    """A developer who answers the trust question with `trusts` and counts the questions."""

    trusts: bool = False
    asked: list[tuple[str, str]] = field(default_factory=list)

    async def trust_check(self, command: str, source: str) -> bool:
        self.asked.append((command, source))
        return self.trusts


def test_the_source_of_the_check_command_is_kept(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    (tmp_path / ".slowcode.toml").write_text('check_command = "make test"\n')
    config = load_config(tmp_path, {}, user_config=user)
    assert (config.check_command, config.check_command_source) == ("make test", ".slowcode.toml")

    (tmp_path / ".slowcode.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.slowcode]\ncheck_command = "pytest"\n')
    config = load_config(tmp_path, {}, user_config=user)
    assert config.check_command_source == "pyproject.toml [tool.slowcode]"

    # The developer's own sources take the command over, and with it the trust.
    assert (
        load_config(tmp_path, {"SLOWCODE_CHECK_COMMAND": "pytest -q"}).check_command_source is None
    )
    user.write_text('check_command = "tox"\n')
    assert load_config(tmp_path, {}, user_config=user).check_command_source is None
    user.write_text('model = "m"\n')  # the user file leaves the project's command as it is
    assert load_config(tmp_path, {}, user_config=user).check_command_source is not None


async def test_a_project_command_asks_once_and_a_trust_is_remembered(tmp_path: Path) -> None:
    config = Config(check_command="make test", check_command_source=".slowcode.toml")
    store = TrustStore(tmp_path / "trust.json")
    declining = AskedHuman(trusts=False)
    gate = CheckGate(tmp_path, config, declining, store)
    assert not await gate.allowed("make test")
    assert not await gate.allowed("make test")  # the "no" holds for the session
    assert declining.asked == [("make test", ".slowcode.toml")]
    assert store.entries() == []

    trusting = AskedHuman(trusts=True)
    assert await CheckGate(tmp_path, config, trusting, store).allowed("make test")
    (entry,) = store.entries()
    assert (entry.repository, entry.sha256) == (str(tmp_path.resolve()), command_hash("make test"))
    # The next session runs it without asking; a changed command asks again.
    again = AskedHuman(trusts=False)
    assert await CheckGate(tmp_path, config, again, store).allowed("make test")
    assert not await CheckGate(tmp_path, config, again, store).allowed("make test; curl x")
    assert again.asked == [("make test; curl x", ".slowcode.toml")]
    # Another repository is another question.
    assert not await CheckGate(tmp_path / "other", config, again, store).allowed("make test")


async def test_commands_of_the_developer_run_and_nobody_to_ask_means_no(tmp_path: Path) -> None:
    store = TrustStore(tmp_path / "trust.json")
    human = AskedHuman(trusts=True)
    assert await CheckGate(tmp_path, Config(check_command="x"), human, store).allowed("x")
    assert human.asked == []
    from_project = Config(check_command="x", check_command_source=".slowcode.toml")
    assert not await CheckGate(tmp_path, from_project, ScriptedHuman(), store).allowed("x")


def test_a_damaged_trust_file_trusts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "trust.json"
    path.write_text("{not json")
    config = Config(check_command="x", check_command_source=".slowcode.toml")
    gate = CheckGate(tmp_path, config, AskedHuman(trusts=True), TrustStore(path))
    assert not asyncio.run(gate.allowed("x"))
    assert "not a list of trusted commands" in gate.problem


async def test_an_untrusted_check_is_not_run_and_the_model_is_told(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply("Done.", stop_reason="end_turn"),
    )
    events: list[Progress] = []
    human = AskedHuman(trusts=False)
    workflow = make_workflow(
        repo,
        fake_api,
        human,
        events,
        check_command="touch ran.txt",
        check_command_source=".slowcode.toml",
    )
    await workflow.run("polite")
    assert human.asked == [("touch ran.txt", ".slowcode.toml")]
    assert not (repo / "ran.txt").exists()
    assert not any(isinstance(e, CheckStarted) for e in events)
    assert any(
        isinstance(e, NoticeRaised) and "check not run: touch ran.txt" in e.message for e in events
    )
    result = json.loads(fake_api.message_requests[2].body["messages"][-1]["content"][1]["content"])
    assert result["check"] == {"ran": False, "reason": "not trusted"}
    assert workflow.journal is not None
    (skipped,) = [e["data"] for e in workflow.journal.events() if e["type"] == "check_skipped"]
    assert skipped == {
        "command": "touch ran.txt",
        "reason": "not trusted",
        "source": ".slowcode.toml",
    }


async def test_a_trusted_check_runs_without_credentials_and_their_values_redacted(
    repo: Path, fake_api: FakeMessagesAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "gateway-token-0123456789")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-not-anthropic-shaped-42")
    script = (
        "import os\n"
        "print('key:', os.environ.get('ANTHROPIC_API_KEY'))\n"
        "print('token:', os.environ.get('ANTHROPIC_AUTH_TOKEN'))\n"
        "print('leak: gateway-token-0123456789 and test-key-value-99')\n"
    )
    (repo / "check.py").write_text(script)
    fake_api.script(
        plan_turn("Greet politely"),
        reply(edit("'hello '", "'Hello, '"), tool_use_block("finish_step", {"summary": "Polite."})),
        reply("Done.", stop_reason="end_turn"),
    )
    human = AskedHuman(trusts=True)
    workflow = make_workflow(
        repo,
        fake_api,
        human,
        [],
        check_command=f"{PY} check.py",
        check_command_source="pyproject.toml [tool.slowcode]",
    )
    # The key the check must never see (the client already holds the fake server's).
    workflow.settings = dataclasses.replace(workflow.settings, api_key="test-key-value-99")
    await workflow.run("polite")
    result = json.loads(fake_api.message_requests[2].body["messages"][-1]["content"][1]["content"])
    tail = result["check"]["output_tail"]
    assert tail.splitlines() == [
        "key: None",
        "token: None",
        f"leak: {REDACTED} and {REDACTED}",
    ]
    assert workflow.journal is not None
    journal = workflow.journal.path.read_text(encoding="utf-8")
    assert "gateway-token-0123456789" not in journal
    assert "test-key-value-99" not in journal


def test_provider_credentials_are_left_out_for_that_provider() -> None:
    env = {"AWS_SECRET_ACCESS_KEY": "aws-secret-value", "PATH": "/bin", "ANTHROPIC_API_KEY": "k"}
    kept, secrets = check_environment(env, "bedrock")
    assert kept == {"PATH": "/bin"}
    assert secrets == ["aws-secret-value"]  # "k" is too short to search for
    kept, _ = check_environment(env, "anthropic")
    assert "AWS_SECRET_ACCESS_KEY" in kept


async def test_run_check_redacts_every_line(tmp_path: Path) -> None:
    lines: list[str] = []
    result = await run_check(
        "echo one secret-value-1234; echo two",
        tmp_path,
        lines.append,
        secrets=["secret-value-1234"],
    )
    assert lines == [f"one {REDACTED}", "two"]
    assert "secret-value-1234" not in result.output_tail
