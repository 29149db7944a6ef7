"""Composing files from hunk verdicts, atomic writes, and applying a reviewed step."""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slowcode.core.atomic import write_text_atomic
from slowcode.core.errors import ToolInputError
from slowcode.core.step_review import DiffLine, FileDiff, Hunk, LineKind, Verdict
from slowcode.engine.apply.writes import StaleFileError, compose
from slowcode.engine.staging.diffs import diff_texts
from tests.context.repos import make_repo, write
from tests.helpers.writes import write_step


def one_diff(old: str | None, new: str) -> FileDiff:
    (diff,) = diff_texts({"f.txt": (old, new)})
    return diff


def with_verdicts(diff: FileDiff, verdicts: list[Verdict]) -> FileDiff:
    for hunk, verdict in zip(diff.hunks, verdicts, strict=True):
        hunk.verdict = verdict
    return diff


def lines_of(*numbers: int) -> str:
    return "".join(f"line {n}\n" for n in numbers)


# ---- compose: hand-picked edge cases -------------------------------------------------

EDGE_CASES = [
    pytest.param(lines_of(1, 2, 3), "line 0\n" + lines_of(1, 2, 3), id="insert-at-top"),
    pytest.param(lines_of(1, 2, 3), lines_of(1, 2, 3, 4), id="append-at-end"),
    pytest.param(lines_of(1, 2, 3), lines_of(2, 3), id="delete-first"),
    pytest.param(lines_of(1, 2, 3), lines_of(1, 2), id="delete-last"),
    pytest.param("a\nb", "a\nb\n", id="add-final-newline"),
    pytest.param("a\nb\n", "a\nb", id="drop-final-newline"),
    pytest.param("a\nb", "a\nc", id="change-last-without-newline"),
    pytest.param("", "a\n", id="empty-to-text"),
    pytest.param("a\n", "", id="text-to-empty"),
    pytest.param("x", "", id="no-newline-to-empty"),
    pytest.param("\n\n", "\n", id="blank-lines"),
    pytest.param("a\r\nb\r\n", "a\r\nB\r\n", id="crlf"),
]


@pytest.mark.parametrize(("old", "new"), EDGE_CASES)
def test_all_accepted_is_new_and_all_rejected_is_nothing(old: str, new: str) -> None:
    accepted = with_verdicts(one_diff(old, new), [Verdict.ACCEPTED] * len(one_diff(old, new).hunks))
    assert compose(accepted) == new
    diff = one_diff(old, new)
    assert compose(with_verdicts(diff, [Verdict.REJECTED] * len(diff.hunks))) is None
    assert compose(one_diff(old, new)) is None  # undecided takes the old side


def test_mixed_verdicts_over_several_hunks() -> None:
    old = lines_of(*range(1, 31))
    new = old.replace("line 2\n", "two\n").replace("line 15\n", "").replace("line 29\n", "x\ny\n")
    diff = one_diff(old, new)
    assert len(diff.hunks) == 3
    with_verdicts(diff, [Verdict.REJECTED, Verdict.ACCEPTED, Verdict.UNDECIDED])
    assert compose(diff) == old.replace("line 15\n", "")
    with_verdicts(diff, [Verdict.ACCEPTED, Verdict.REJECTED, Verdict.ACCEPTED])
    assert compose(diff) == old.replace("line 2\n", "two\n").replace("line 29\n", "x\ny\n")


def test_new_file_created_only_when_accepted() -> None:
    diff = one_diff(None, "hello\n")
    assert compose(diff) is None
    assert compose(with_verdicts(diff, [Verdict.REJECTED])) is None
    assert compose(with_verdicts(diff, [Verdict.ACCEPTED])) == "hello\n"
    empty = one_diff(None, "")
    assert compose(empty) is None
    assert compose(with_verdicts(empty, [Verdict.ACCEPTED])) == ""


def test_edited_hunk_writes_the_developers_lines() -> None:
    diff = one_diff(lines_of(1, 2, 3), lines_of(1, 3))
    (hunk,) = diff.hunks
    hunk.lines = [
        DiffLine(LineKind.CONTEXT, "line 1", 1, 1),
        DiffLine(LineKind.REMOVED, "line 2", 2, None),
        DiffLine(LineKind.ADDED, "line two", None, 2),
        DiffLine(LineKind.CONTEXT, "line 3", 3, 3),
    ]
    hunk.verdict = Verdict.EDITED
    assert compose(diff) == "line 1\nline two\nline 3\n"


def test_a_hunk_that_does_not_fit_is_an_error() -> None:
    diff = FileDiff("f.txt", "a\n", "b\n", [Hunk("f.txt", 0, 5, 1, 5, 1, "", [])])
    diff.hunks[0].verdict = Verdict.ACCEPTED
    with pytest.raises(ValueError, match="does not fit"):
        compose(diff)


# ---- compose: property test against `git apply` ---------------------------------------

texts = st.builds(
    lambda lines, final: "\n".join(lines) + ("\n" if final and lines else ""),
    st.lists(st.sampled_from(["a", "b", "c", "d", ""]), max_size=14),
    st.booleans(),
)


def patch_of(diff: FileDiff, chosen: list[Hunk]) -> str:
    """A unified diff holding only `chosen` hunks, with new-side starts recomputed."""
    out = ["--- a/f.txt\n", "+++ b/f.txt\n"]
    shift = 0
    for hunk in chosen:
        begin = hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1
        target_start = begin + shift + (0 if hunk.target_length == 0 else 1)
        out.append(
            f"@@ -{hunk.source_start},{hunk.source_length} "
            f"+{target_start},{hunk.target_length} @@\n"
        )
        for line in hunk.lines:
            out.append(f"{line.kind.value}{line.text}\n")
            if line.no_newline:
                out.append("\\ No newline at end of file\n")
        shift += hunk.target_length - hunk.source_length
    return "".join(out)


def git_apply(old: str, patch: str) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch, "f.txt").write_bytes(old.encode())
        Path(scratch, "change.patch").write_bytes(patch.encode())
        subprocess.run(
            ["git", "apply", "--whitespace=nowarn", "change.patch"],
            cwd=scratch,
            check=True,
            capture_output=True,
        )
        return Path(scratch, "f.txt").read_bytes().decode()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=texts, new=texts, data=st.data())
def test_compose_equals_applying_exactly_the_accepted_hunks(
    old: str, new: str, data: st.DataObject
) -> None:
    if old == new:
        return
    diff = one_diff(old, new)
    count = len(diff.hunks)
    assert compose(with_verdicts(diff, [Verdict.ACCEPTED] * count)) == new
    assert compose(with_verdicts(diff, [Verdict.REJECTED] * count)) is None
    verdicts = data.draw(
        st.lists(
            st.sampled_from([Verdict.ACCEPTED, Verdict.REJECTED, Verdict.UNDECIDED]),
            min_size=count,
            max_size=count,
        )
    )
    with_verdicts(diff, verdicts)
    chosen = [hunk for hunk in diff.hunks if hunk.takes_new_side]
    result = compose(diff)
    if not chosen:
        assert result is None
        return
    expected = git_apply(old, patch_of(diff, chosen))
    assert (old if result is None else result) == expected
    # Line count is the old count plus what each accepted hunk adds.
    delta = sum(h.target_length - h.source_length for h in chosen)
    assert len(expected.splitlines()) == len(old.splitlines()) + delta


# ---- atomic writes ----------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".slowcode-tmp")]


def test_atomic_write_keeps_the_mode_and_bytes(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_text("old\n")
    target.chmod(0o750)
    write_text_atomic(target, "new\r\nline ü\n")
    assert target.read_bytes() == "new\r\nline ü\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert leftovers(tmp_path) == []


def test_atomic_write_new_file_mode_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.txt", "x\n")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_failed_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "inside").write_text("keep\n")
    with pytest.raises(OSError):
        write_text_atomic(tmp_path / "taken", "x\n")
    assert (tmp_path / "taken" / "inside").read_text() == "keep\n"
    assert leftovers(tmp_path) == []


# ---- write_step ------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"a.py": lines_of(1, 2, 3), "b.py": "b\n"})


def step(
    repo: Path, changes: dict[str, str], verdict: Verdict = Verdict.ACCEPTED
) -> list[FileDiff]:
    texts: dict[str, tuple[str | None, str]] = {}
    for rel, new in changes.items():
        path = repo / rel
        texts[rel] = (path.read_text() if path.exists() else None, new)
    diffs = diff_texts(texts)
    for diff in diffs:
        for hunk in diff.hunks:
            hunk.verdict = verdict
    return diffs


def test_apply_step_writes_accepted_files_and_creates_folders(repo: Path) -> None:
    files = step(repo, {"a.py": lines_of(1, 3), "pkg/sub/new.py": "new\n", "b.py": "B\n"})
    files[1].hunks[0].verdict = Verdict.REJECTED  # b.py
    written = write_step(repo, files)
    assert written == ["a.py", "pkg/sub/new.py"]
    assert (repo / "a.py").read_text() == lines_of(1, 3)
    assert (repo / "pkg" / "sub" / "new.py").read_text() == "new\n"
    assert (repo / "b.py").read_text() == "b\n"


def test_apply_step_with_everything_rejected_writes_nothing(repo: Path) -> None:
    files = step(repo, {"a.py": "x\n", "c.py": "c\n"}, Verdict.REJECTED)
    assert write_step(repo, files) == []
    assert not (repo / "c.py").exists()
    assert (repo / "a.py").read_text() == lines_of(1, 2, 3)


def test_stale_files_stop_every_write(repo: Path) -> None:
    files = step(repo, {"a.py": "A\n", "b.py": "B\n", "new.py": "n\n"})
    write(repo, "b.py", "the developer kept editing\n")
    write(repo, "new.py", "created meanwhile\n")
    with pytest.raises(StaleFileError) as caught:
        write_step(repo, files)
    assert caught.value.paths == ["b.py", "new.py"]
    assert "b.py, new.py" in str(caught.value)
    assert (repo / "a.py").read_text() == lines_of(1, 2, 3)


def test_apply_step_checks_paths_again(repo: Path) -> None:
    bad = FileDiff(".git/hooks/pre-commit", None, "x\n", [])
    bad.hunks = [Hunk(bad.path, 0, 0, 0, 1, 1, "", [DiffLine(LineKind.ADDED, "x", None, 1)])]
    bad.hunks[0].verdict = Verdict.ACCEPTED
    with pytest.raises(ToolInputError):
        write_step(repo, [bad])
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
