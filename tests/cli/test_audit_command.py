"""`slowcode audit verify [SESSION]` from the shell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.journal.log import Journal
from tests.context.repos import make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "project", {"a.txt": "a\n"})


def two_sessions(repo: Path) -> tuple[Journal, Journal]:
    first, second = Journal.create(repo), Journal.create(repo)
    for journal in (first, second):
        journal.append("session_started", {"task": "t"})
        journal.append("note", {"n": 1})
    return first, second


def test_every_intact_session_is_ok(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = two_sessions(repo)
    assert main(["audit", "verify", "-C", str(repo)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(out) == sorted(
        f"{journal.session_id}: OK: 2 events, chain intact" for journal in (first, second)
    )


def test_a_broken_session_is_named_and_exits_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_sessions(repo)
    text = second.path.read_text().replace('"n":1', '"n":2')
    second.path.write_text(text)
    assert main(["audit", "verify", "-C", str(repo)]) == 1
    captured = capsys.readouterr()
    assert f"{first.session_id}: OK" in captured.out
    assert f"{second.session_id}: BROKEN: event 2 (line 2)" in captured.out
    assert captured.err == "slowcode: 1 of 2 journals failed verification\n"


def test_one_session_by_id_or_prefix(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _second = two_sessions(repo)
    assert main(["audit", "verify", first.session_id, "-C", str(repo)]) == 0
    assert capsys.readouterr().out.startswith(f"{first.session_id}: OK")
    assert main(["audit", "verify", "nope", "-C", str(repo)]) == 1
    assert capsys.readouterr().err.startswith("slowcode: no session 'nope'")


def test_no_sessions_is_not_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "-C", str(repo)]) == 0
    assert "no sessions" in capsys.readouterr().out


def test_the_real_command_exits_1_on_a_deleted_last_line(repo: Path) -> None:
    _first, second = two_sessions(repo)
    kept = second.path.read_text().splitlines()[:-1]
    second.path.write_text("".join(line + "\n" for line in kept))
    result = subprocess.run(
        [sys.executable, "-m", "slowcode", "audit", "verify"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "BROKEN: event 2 is missing" in result.stdout
    assert "Traceback" not in result.stderr


def test_audit_without_a_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 2
    assert "usage: slowcode audit" in capsys.readouterr().err
