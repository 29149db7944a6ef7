"""The `slowcode` command line: help, version, usage errors and one-line failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slowcode import __version__
from slowcode.cli.main import main, parse_arguments

# Prints, as JSON, which heavy packages `slowcode ARGS` pulled in; help goes to devnull.
IMPORT_PROBE = """
import contextlib, json, os, sys
from slowcode.cli.main import main
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    status = main(sys.argv[1:])
loaded = {name.split(".")[0] for name in sys.modules}
heavy = sorted(loaded & {"textual", "anthropic", "rich", "git", "opentelemetry"})
print(json.dumps({"status": status, "heavy": heavy}))
"""


def run_slowcode(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs `python -m slowcode ARGS` in a fresh interpreter, outside any repository."""
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    return subprocess.run(
        [sys.executable, "-m", "slowcode", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"]])
def test_help_exits_0_without_importing_textual_anthropic_or_opentelemetry(
    argv: list[str],
) -> None:
    # Even with telemetry switched on: only a session that exports imports OpenTelemetry.
    environment = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}
    probe = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout)
    assert result == {"status": 0, "heavy": []}


def test_help_describes_the_path_the_options_and_the_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: slowcode")
    for word in ("PATH", "--model", "--no-resume", "--version", "demo"):
        assert word in shown


def test_demo_help_names_its_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("usage: slowcode demo")
    assert "--keep" in shown


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"slowcode {__version__}"


@pytest.mark.parametrize("argv", [["--frobnicate"], ["demo", "--frobnicate"], ["a", "b"]])
def test_a_usage_error_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage: slowcode" in capsys.readouterr().err


def test_the_first_argument_picks_the_command() -> None:
    assert parse_arguments(["demo", "--keep"]).keep is True
    opened = parse_arguments(["./demo", "--model", "m", "--no-resume"])
    assert (opened.path, opened.model, opened.resume) == ("./demo", "m", False)
    assert parse_arguments([]).path == "."


def test_outside_a_git_repository_one_line_and_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-repo"
    folder.mkdir()
    result = run_slowcode([], cwd=folder)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("slowcode: ")
    assert "not a git repository" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_missing_folder_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "nowhere")]) == 1
    error = capsys.readouterr().err
    assert error == f"slowcode: no such folder: {tmp_path / 'nowhere'}\n"


def test_a_bad_configuration_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    (tmp_path / ".slowcode.toml").write_text("max_changed_lines = 'eighty'\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("slowcode: ")
    assert error.count("\n") == 1
    assert "max_changed_lines" in error


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    from tests.context.repos import make_repo

    # A record long enough that `| head -3` closes the pipe before slowcode is done.
    root = make_repo(tmp_path / "p", {"README.md": "# p\n"})
    record = root / "docs" / "decisions" / "0001-a-long-record.md"
    record.parent.mkdir(parents=True)
    record.write_text("# A long record\n\n" + "A line of context.\n" * 200_000)
    for _ in range(3):
        done = subprocess.run(
            f"'{sys.executable}' -m slowcode decisions show 1 | head -3",
            shell=True,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.stdout.count("\n") == 3
        assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["why", "a.py:1"], "slowcode: a.py:1 is not committed yet: the repository has no commits"),
        (
            ["audit", "verify", "--commits", "HEAD~1..HEAD"],
            "slowcode: the repository has no commits yet",
        ),
        (
            ["provenance", "export", "--format", "agent-trace"],
            "slowcode: the repository has no commits yet",
        ),
        (["undo", "--yes"], "slowcode: nothing to undo: the repository has no commits"),
    ],
)
def test_a_repository_without_commits_gets_one_plain_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    said: str,
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)

    assert main(argv) == 1
    assert capsys.readouterr().err == said + "\n"


def test_a_range_before_the_first_commit_says_how_to_check_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.context.repos import make_repo

    monkeypatch.chdir(make_repo(tmp_path / "p", {"a.txt": "a\n"}))

    assert main(["audit", "verify", "--commits", "HEAD~3..HEAD"]) == 1
    assert capsys.readouterr().err == (
        "slowcode: 'HEAD~3..HEAD' names commits this repository does not have (a range that "
        "reaches before the first commit?); --commits HEAD checks every commit\n"
    )
    assert main(["audit", "verify", "--commits", "HEAD"]) == 0
