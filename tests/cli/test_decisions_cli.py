"""`slowcode decisions list | show N | search TEXT`, plain and --json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions.store import DecisionStore
from tests.context.repos import make_repo, write
from tests.decisions.samples import ADR_TOOLS_NEW, ADR_TOOLS_OLD


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "p", {"README.md": "# p\n"})
    store = DecisionStore(root)
    for n in range(1, 53):
        store.write(
            DecisionRecord(
                title=f"Decision number {n}",
                context=f"Context {n}.",
                outcome="Use the queue." if n == 17 else f"Outcome {n}.",
                status=DecisionStatus.ACCEPTED,
                date="2026-11-21",
                options=[ConsideredOption("Redis")] if n == 17 else [],
            )
        )
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decisions", "-C", str(repo))
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 52
    assert lines[0] == "0001  accepted    2026-11-21  Decision number 1"
    assert run(capsys, "decisions", "-C", str(repo), "list")[1] == out


def test_list_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "list", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["folder"], data["format"]) == ("docs/decisions", "madr")
    assert [r["number"] for r in data["records"]] == list(range(1, 53))
    assert data["records"][16]["status"] == "accepted"


def test_show(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "show", "17")
    assert code == 0
    assert out == (repo / "docs/decisions/0017-decision-number-17.md").read_text()
    code, out, _ = run(capsys, "decisions", "--json", "-C", str(repo), "show", "17")
    record = json.loads(out)
    assert (record["title"], record["outcome"]) == ("Decision number 17", "Use the queue.")
    assert record["options"] == [{"title": "Redis", "pros": [], "cons": []}]


def test_search(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "search", "REDIS")
    assert (code, out) == (0, "0017  accepted    2026-11-21  Decision number 17\n")
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "search", "number 5", "--json")
    assert [r["number"] for r in json.loads(out)["records"]] == [5, 50, 51, 52]
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "search", "nowhere")
    assert (code, out) == (0, "no decision record mentions 'nowhere'\n")


def test_missing_record_is_a_one_line_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "decisions", "-C", str(repo), "show", "99")
    assert (code, out) == (1, "")
    assert err == "slowcode: no decision record 99 in docs/decisions (MADR 4)\n"


def test_usage_errors_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "decisions", "-C", str(repo), "show")[0] == 2
    assert run(capsys, "decisions", "-C", str(repo), "burn")[0] == 2


def test_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "decisions", "-C", str(tmp_path))
    assert code == 1
    assert err.startswith("slowcode: not a git repository")


def test_empty_log_and_adr_tools_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(tmp_path / "q", {"README.md": "x\n"})
    assert run(capsys, "decisions", "-C", str(root))[1] == (
        "no decision records yet in docs/decisions (MADR 4)\n"
    )
    write(root, ".adr-dir", "arch\n")
    write(root, "arch/0001-record-architecture-decisions.md", ADR_TOOLS_OLD)
    write(root, "arch/0002-use-postgresql.md", ADR_TOOLS_NEW)
    code, out, _ = run(capsys, "decisions", "-C", str(root))
    assert code == 0
    assert out.splitlines() == [
        "0001  superseded  2024-03-01  Record architecture decisions",
        "0002  accepted    2024-03-02  Use PostgreSQL",
    ]


def test_status_moves_a_record_and_rewrites_its_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo / "docs/decisions/0017-decision-number-17.md"
    code, out, err = run(capsys, "decisions", "-C", str(repo), "status", "17", "deprecated")
    assert (code, err) == (0, "")
    assert re.fullmatch(
        r"0017 Decision number 17: accepted → deprecated "
        r"\(docs/decisions/0017-decision-number-17\.md\); committed [0-9a-f]{8}\n",
        out,
    )
    assert "status: deprecated" in path.read_text()
    assert DecisionStore(repo).get(17).status is DecisionStatus.DEPRECATED  # type: ignore[union-attr]
    code, out, _ = run(capsys, "decisions", "-C", str(repo), "status", "17", "accept", "--json")
    assert (code, json.loads(out)["status"]) == (0, "accepted")
    assert "status: accepted" in path.read_text()


def test_status_keeps_the_adr_tools_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "q", {"README.md": "x\n"})
    write(root, ".adr-dir", "arch\n")
    write(root, "arch/0001-record-architecture-decisions.md", ADR_TOOLS_OLD)
    write(root, "arch/0002-use-postgresql.md", ADR_TOOLS_NEW)
    code, _, _ = run(capsys, "decisions", "-C", str(root), "status", "2", "Deprecated")
    text = (root / "arch/0002-use-postgresql.md").read_text()
    assert code == 0
    assert text.startswith("# 2. Use PostgreSQL\n\nDate: 2024-03-02\n\n## Status\n\nDeprecated\n")
    assert "Supercedes [1. Record architecture decisions](0001-record-" in text
    assert not (root / "docs").exists()


@pytest.mark.parametrize(
    ("number", "word", "message"),
    [
        ("17", "rejected", "decision 0017 is accepted; it cannot become rejected"),
        (
            "17",
            "superseded",
            "superseding needs the new record: use slowcode decisions supersede ID --title …",
        ),
        ("17", "done", "unknown status 'done': use accepted, rejected, deprecated or proposed"),
        ("99", "accepted", "no decision record 99 in docs/decisions (MADR 4)"),
    ],
)
def test_a_refused_status_change_is_a_one_line_error_and_changes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], number: str, word: str, message: str
) -> None:
    path = repo / "docs/decisions/0017-decision-number-17.md"
    before = path.read_text()
    code, out, err = run(capsys, "decisions", "-C", str(repo), "status", number, word)
    assert (code, out, err) == (1, "", f"slowcode: {message}\n")
    assert path.read_text() == before


def test_supersede_from_the_shell_with_the_decision_text(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "decisions",
        "-C",
        str(repo),
        "supersede",
        "0017",
        "--title",
        "Use NATS",
        "--decision",
        "We queue jobs in NATS.",
    )
    assert (code, err) == (0, "")
    assert "superseded" in out
    records = {r.record_id: r for r in DecisionStore(repo).records()}
    old, new = records["0017"], records["0053"]
    assert (old.status, old.superseded_by) == (DecisionStatus.SUPERSEDED, new.path)
    assert new.supersedes == old.path and new.outcome == "We queue jobs in NATS."


def test_supersede_opens_the_editor_on_the_draft(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nsed -i "s/^## Decision Outcome$/## Decision Outcome\\n\\nEdited here./" "$1"\n'
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    code, _, err = run(
        capsys, "decisions", "-C", str(repo), "supersede", "17", "--title", "Use NATS"
    )
    assert (code, err) == (0, "")
    new = next(r for r in DecisionStore(repo).records() if r.record_id == "0053")
    assert new.outcome == "Edited here."
    assert new.supersedes and new.supersedes.endswith("0017-decision-number-17.md")


def test_supersede_without_a_decision_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "true")
    before = sorted(p.name for p in (repo / "docs/decisions").iterdir())
    code, _, err = run(capsys, "decisions", "-C", str(repo), "supersede", "17", "--title", "X")
    assert code == 1
    assert err == "slowcode: the draft has no decision text; nothing was written\n"
    assert sorted(p.name for p in (repo / "docs/decisions").iterdir()) == before
