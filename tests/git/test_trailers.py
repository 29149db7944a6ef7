"""Trailers written once and read by git itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.core.errors import RepositoryError
from slowcode.git.trailers import format_message, parse_trailers, without_trailers


def test_written_trailers_read_back_in_order(tmp_path: Path) -> None:
    message = format_message(
        "Subject",
        "Body text.\n",
        [("Slowcode-Session", "s1"), ("Decision", "a.md"), ("Decision", "b.md")],
    )

    found = parse_trailers(tmp_path, message)

    assert found == {"Slowcode-Session": ["s1"], "Decision": ["a.md", "b.md"]}


def test_a_body_line_with_a_colon_is_not_a_trailer(tmp_path: Path) -> None:
    message = "Subject\n\nNote: this paragraph is prose.\nIt goes on without a colon.\n"

    assert parse_trailers(tmp_path, message) == {}


def test_a_bad_key_is_refused() -> None:
    with pytest.raises(RepositoryError, match="invalid commit trailer key"):
        format_message("Subject", "", [("Not a key", "x")])


def test_without_trailers_drops_only_the_trailer_paragraph(tmp_path: Path) -> None:
    body = (
        "Why it changed.\n\nKey: not a trailer: prose\n\nSlowcode-Session: s1\nSlowcode-Step: 2\n"
    )
    keys = parse_trailers(tmp_path, "Subject\n\n" + body)

    assert without_trailers(body, keys) == "Why it changed.\n\nKey: not a trailer: prose"
    assert without_trailers(body, {}) == body.strip()


def test_a_nul_from_the_model_is_committed_as_its_picture(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("a\n")
    message = format_message("Guard\0 values", "Why:\0 because.", [("Slowcode-Step", "1")])

    subprocess.run(["git", "-C", str(tmp_path), "add", "a.txt"], check=True)
    done = subprocess.run(
        [
            "git",
            "-C",
            str(tmp_path),
            "-c",
            "user.name=A",
            "-c",
            "user.email=a@b",
            "commit",
            "-q",
            "-F",
            "-",
        ],
        input=message,
        text=True,
        capture_output=True,
    )

    assert done.returncode == 0, done.stderr
    assert message.startswith("Guard␀ values\n\nWhy:␀ because.\n\n")
    assert parse_trailers(tmp_path, message) == {"Slowcode-Step": ["1"]}
