"""`slowcode trust`: the trusted check commands listed and revoked from the shell."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.trust import TrustStore, command_hash


def _repository(path: Path) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def test_list_and_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = _repository(tmp_path / "one"), _repository(tmp_path / "two")
    store = TrustStore()  # the test's own user data folder (tests/conftest.py)
    store.trust(first, "make test", ".slowcode.toml")
    store.trust(second, "pytest -q", "pyproject.toml [tool.slowcode]")

    assert main(["trust"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2
    assert listed[0].startswith(command_hash("make test")[:12])
    assert str(first.resolve()) in listed[0] and "make test" in listed[0]

    assert main(["trust", "revoke", command_hash("make test")[:6]]) == 0
    assert "revoked" in capsys.readouterr().out
    assert [entry.command for entry in store.entries()] == ["pytest -q"]

    assert main(["trust", "revoke", "-C", str(second)]) == 0
    capsys.readouterr()
    assert store.entries() == []
    assert main(["trust", "list"]) == 0
    assert "no trusted check commands" in capsys.readouterr().out


def test_revoking_nothing_is_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trust", "revoke"]) == 1
    assert main(["trust", "revoke", "abc123"]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2
    assert "name a command's hash" in errors[0]
    assert "no trusted check command matches" in errors[1]
