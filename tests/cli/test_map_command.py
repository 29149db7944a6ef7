"""`slowcode map`: the repository map on stdout, errors in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.context.tokens import ESTIMATE
from tests.context.mapped_repo import make_mapped_repo


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_map_prints_the_map_within_the_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_mapped_repo(tmp_path / "repo")
    assert main(["map", str(repo), "--tokens", "400", "--query", "close_042", "--stats"]) == 0
    out, err = capsys.readouterr()
    assert "def close_042(self) -> None:" in out
    assert 400 * 0.97 <= ESTIMATE.count(out) <= 400
    assert "60 files, 60 parsed" in err and "of 400 tokens (estimate-v2)" in err
    # The second run comes from the cache and prints the same bytes.
    assert main(["map", str(repo / "pkg"), "--tokens", "400", "--query", "close_042"]) == 0
    assert capsys.readouterr().out == out


def test_map_uses_context_tokens_from_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_mapped_repo(tmp_path / "repo", extra={".slowcode.toml": "context_tokens = 250\n"})
    assert main(["map", str(repo)]) == 0
    assert 240 <= ESTIMATE.count(capsys.readouterr().out) <= 250


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tokens", "0"], "slowcode: --tokens must be at least 1, got 0"),
        (["missing-folder"], "slowcode: not a folder: "),
    ],
)
def test_map_reports_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    repo = make_mapped_repo(tmp_path / "repo", count=2)
    missing = argv[0] == "missing-folder"
    argv = [str(repo / "missing-folder")] if missing else [str(repo), *argv]
    assert main(["map", *argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_map_outside_a_repository_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").mkdir()
    assert main(["map", str(tmp_path / "plain")]) == 1
    assert capsys.readouterr().err.startswith("slowcode: ")
