"""`search_code`: git grep over the files the model may see."""

from __future__ import annotations

from pathlib import Path

import pytest

from slowcode.context.policy import ContextPolicy
from slowcode.context.search import NO_MATCHES, search_code
from slowcode.core.errors import ToolInputError
from tests.context.repos import make_repo, write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path / "repo",
        {
            ".gitignore": "build/\n",
            "src/http.py": "def fetch():\n    return retry(3)\n",
            "src/util/retry.py": "def retry(times):\n    return times\n",
            "top.py": "retry = None\n",
            ".env": "RETRY_TOKEN=retry\n",
        },
    )
    write(root, "build/gen.py", "retry = 'generated'\n")
    write(root, "notes.md", "remember: retry with backoff\n")
    write(root, "blob.bin", b"retry\x00\x01\x02")
    write(root, "odd:name.py", "retry_odd = 1\n")
    return root


def test_finds_tracked_and_untracked_but_never_ignored_or_excluded(repo: Path) -> None:
    result = search_code(repo, ContextPolicy(repo), r"retry")
    lines = result.split("\n")
    assert "src/http.py:2:     return retry(3)" in lines
    assert "src/util/retry.py:1: def retry(times):" in lines
    assert "notes.md:1: remember: retry with backoff" in lines
    assert "odd:name.py:1: retry_odd = 1" in lines
    joined = "\n".join(lines)
    assert "build/" not in joined
    assert ".env" not in joined
    assert "blob.bin" not in joined


def test_extended_regex_and_path_glob(repo: Path) -> None:
    policy = ContextPolicy(repo)
    assert search_code(repo, policy, r"def (fetch|retry)\(", path_glob="src/**/*.py").split(
        "\n"
    ) == ["src/http.py:1: def fetch():", "src/util/retry.py:1: def retry(times):"]
    # A glob without a folder matches at any depth.
    nested = search_code(repo, policy, r"^def", path_glob="retry.py")
    assert nested == "src/util/retry.py:1: def retry(times):"
    top_only = search_code(repo, policy, r"retry", path_glob="./top.py")
    assert top_only == "top.py:1: retry = None"


def test_results_are_truncated_with_a_count(repo: Path) -> None:
    result = search_code(repo, ContextPolicy(repo), r"retry", max_results=2)
    lines = result.split("\n")
    assert len(lines) == 3
    total = len(search_code(repo, ContextPolicy(repo), r"retry").split("\n"))
    assert lines[-1].startswith(f"… {total - 2} more matches")


def test_no_match(repo: Path) -> None:
    assert search_code(repo, ContextPolicy(repo), r"nothing_like_this_\d+") == NO_MATCHES


def test_a_match_only_in_excluded_files_is_no_match(repo: Path) -> None:
    assert search_code(repo, ContextPolicy(repo), r"RETRY_TOKEN") == NO_MATCHES


def test_bad_regex_is_a_one_line_tool_error(repo: Path) -> None:
    with pytest.raises(ToolInputError) as caught:
        search_code(repo, ContextPolicy(repo), r"retry(")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("The search failed:")
    assert "(" in message or "paren" in message.lower()


@pytest.mark.parametrize("bad", [0, -1, True, "5"])
def test_bad_max_results(repo: Path, bad: object) -> None:
    with pytest.raises(ToolInputError):
        search_code(repo, ContextPolicy(repo), "retry", max_results=bad)  # type: ignore[arg-type]


def test_empty_pattern(repo: Path) -> None:
    with pytest.raises(ToolInputError):
        search_code(repo, ContextPolicy(repo), "")


@pytest.mark.parametrize(("pattern", "glob"), [("x\x00y", None), ("retry", "*.py\x00")])
def test_a_nul_character_is_a_tool_error(repo: Path, pattern: str, glob: str | None) -> None:
    with pytest.raises(ToolInputError, match="NUL"):
        search_code(repo, ContextPolicy(repo), pattern, glob)


def test_a_large_result_is_capped_at_a_whole_line_with_a_note(tmp_path: Path) -> None:
    from slowcode.context.search import MAX_OUTPUT_CHARS

    body = "".join(f"retry_{n} = '{'y' * 250}'\n" for n in range(400))
    root = make_repo(tmp_path / "big", {"many.py": body})
    result = search_code(root, ContextPolicy(root), r"retry_", max_results=500)
    *matches, note = result.split("\n")
    assert len(result) <= MAX_OUTPUT_CHARS + 100
    assert all(line.endswith("y'") for line in matches)  # every line whole
    shown = len(matches)
    assert note == f"… {400 - shown} more matches not shown; narrow the pattern or path_glob."
    assert 0 < shown < 400
