"""Every step commit carries a provenance note in refs/notes/slowcode, built from the journal."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from slowcode.cli.main import main
from slowcode.core.step_review import Verdict
from slowcode.git.notes import NOTES_REF, patch_id, read_note
from slowcode.journal.log import find_sessions, read_events
from slowcode.journal.provenance import SCHEMA, NoteError, ProvenanceNote
from tests.context.repos import git
from tests.fakeapi import FakeMessagesAPI
from tests.helpers.humans import ScriptedHuman
from tests.helpers.sessions import make_workflow, two_step_script


async def run_two_steps(repo: Path, fake_api: FakeMessagesAPI) -> None:
    fake_api.script(*two_step_script())
    human = ScriptedHuman(hunk_verdicts=[[Verdict.ACCEPTED, Verdict.REJECTED]])
    await make_workflow(repo, fake_api, human, []).run("Make greetings nicer")


async def test_each_step_commit_has_a_note_from_the_journal(
    repo: Path, fake_api: FakeMessagesAPI
) -> None:
    await run_two_steps(repo, fake_api)
    first, second = git(repo, "rev-list", "--reverse", "HEAD~2..HEAD").split()

    note = ProvenanceNote.from_text(read_note(repo, first) or "")
    raw = json.loads(read_note(repo, first) or "")
    assert raw["schema"] == SCHEMA
    assert (note.step, note.title, note.task) == (1, "Greet politely", "Make greetings nicer")
    assert note.explanation == "Polite greetings."
    assert [(h["file"], h["verdict"]) for h in note.hunks] == [
        ("app.py", "accepted"),
        ("app.py", "rejected"),
    ]
    assert note.patch_id == patch_id(repo, first)
    assert note.decision is None
    assert note.check == {"ran": False, "reason": "not configured"}

    later = ProvenanceNote.from_text(read_note(repo, second) or "")
    assert later.step == 2
    assert later.decision is not None
    assert later.decision["path"].startswith("docs/decisions/0001-")
    # The hash-chain head recorded is a real event of the journal, at or after the commit.
    events = read_events(find_sessions(repo)[-1])
    assert 0 < note.journal_seq < later.journal_seq <= len(events)
    assert note.journal_hash and note.journal_hash != later.journal_hash


async def test_notes_follow_an_amended_commit(repo: Path, fake_api: FakeMessagesAPI) -> None:
    await run_two_steps(repo, fake_api)
    assert NOTES_REF in git(repo, "config", "--get-all", "notes.rewriteRef")
    before = read_note(repo, "HEAD")
    git(repo, "commit", "--amend", "-q", "-m", "Reworded subject")
    assert read_note(repo, "HEAD") == before


def test_a_note_of_another_schema_is_refused() -> None:
    with pytest.raises(NoteError, match="schema"):
        ProvenanceNote.from_text('{"schema": "slowcode-provenance/9"}')
    with pytest.raises(NoteError, match="JSON"):
        ProvenanceNote.from_text("not json")


def clone_of(repo: Path, clone: Path, *, with_notes: bool) -> Path:
    """A teammate's clone of `repo`: no journal, and the provenance notes when fetched."""
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    if with_notes:
        git(clone, "fetch", "-q", "origin", f"{NOTES_REF}:{NOTES_REF}")
    return clone


def audit(repo: Path, revisions: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["audit", "verify", "--commits", revisions, "-C", str(repo)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


async def test_the_audit_passes_on_the_session_and_names_a_tampered_commit(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    first, second = git(repo, "rev-list", "--reverse", "HEAD~2..HEAD").split()
    status, out, _ = audit(repo, "HEAD~2..HEAD", capsys)
    assert status == 0, out
    assert out.count(" OK: note matches, journal checked") == 2

    # A note edited to say a rejected hunk was accepted no longer matches the journal.
    edited = json.loads(read_note(repo, first) or "")
    edited["hunks"][1]["verdict"] = "undecided"
    git_notes_add(repo, first, json.dumps(edited))
    status, out, err = audit(repo, "HEAD~2..HEAD", capsys)
    assert status == 1
    assert f"{first[:12]} FAIL: 1 hunk(s) without a human verdict: app.py hunk 1" in out
    assert f"{second[:12]} OK" in out
    assert err == "slowcode: 1 of 2 step commits failed the audit\n"

    # A rejected hunk claimed as accepted: the verdicts look complete, the commit's lines disagree.
    edited["hunks"][1]["verdict"] = "accepted"
    git_notes_add(repo, first, json.dumps(edited))
    status, out, _ = audit(repo, "HEAD~2..HEAD", capsys)
    assert status == 1
    assert f"{first[:12]} FAIL: {NOT_THE_VERDICTS}" in out

    # Lines and verdicts that agree, a comment that does not: only the journal can tell.
    edited["hunks"][1]["verdict"] = "rejected"
    edited["explanation"] = "Something else entirely."
    git_notes_add(repo, first, json.dumps(edited))
    status, out, _ = audit(repo, "HEAD~2..HEAD", capsys)
    assert f"{first[:12]} FAIL: the note differs from the journal in: explanation" in out


NOT_THE_VERDICTS = (
    "app.py in the commit is not what the note's accepted and edited hunks make of it "
    "(a committed hunk called rejected, or one left out)"
)


async def test_without_the_journal_the_commits_lines_check_the_verdicts(
    repo: Path, fake_api: FakeMessagesAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    clone = clone_of(repo, tmp_path / "clone", with_notes=True)
    first = git(clone, "rev-parse", "HEAD~1").strip()
    note = json.loads(read_note(clone, first) or "")
    assert [h["lines"] for h in note["hunks"]] == [
        ["-    return 'hello ' + name", "+    return 'Hello, ' + name"],
        ["-    return name.upper()", "+    return name.upper() + '!'"],
    ]
    assert note["unreviewed"] == []

    for tamper in ("flip", "drop"):
        changed = json.loads(json.dumps(note))
        if tamper == "flip":
            changed["hunks"][0]["verdict"] = "rejected"  # applied, now said to be rejected
        else:
            del changed["hunks"][0]  # applied, now not in the note at all
        git_notes_add(clone, first, json.dumps(changed))
        status, out, _ = audit(clone, "HEAD~2..HEAD", capsys)
        assert status == 1, tamper
        assert f"{first[:12]} FAIL: {NOT_THE_VERDICTS}" in out

    # A note from before hunks carried their lines is audited as it was.
    old = json.loads(json.dumps(note))
    for hunk in old["hunks"]:
        del hunk["lines"]
    del old["unreviewed"]
    git_notes_add(clone, first, json.dumps(old))
    status, out, _ = audit(clone, "HEAD~2..HEAD", capsys)
    assert status == 0, out


async def test_an_amend_that_changes_the_diff_fails_the_audit(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    (repo / "farewell.py").write_text("def bye():\n    return 'BYE'\n")
    git(repo, "commit", "-q", "--amend", "-a", "--no-edit")  # the note follows, the diff changed
    head = git(repo, "rev-parse", "HEAD").strip()
    status, out, _ = audit(repo, "HEAD~2..HEAD", capsys)
    assert status == 1
    assert f"{head[:12]} FAIL: the commit's diff is not the diff the note was made for" in out


async def test_a_step_commit_without_a_note_fails_the_audit(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    git(repo, "notes", f"--ref={NOTES_REF}", "remove", "HEAD")
    status, out, _ = audit(repo, "HEAD~2..HEAD", capsys)
    assert status == 1
    assert "FAIL: no provenance note in refs/notes/slowcode" in out


def git_notes_add(repo: Path, commit: str, text: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "notes", f"--ref={NOTES_REF}", "add", "-f", "-m", text, commit],
        check=True,
        capture_output=True,
    )


async def test_a_clone_that_fetched_the_notes_explains_a_line_and_passes_the_audit(
    repo: Path, fake_api: FakeMessagesAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    clone = clone_of(repo, tmp_path / "clone", with_notes=True)
    assert not (clone / ".slowcode").exists()  # no journal travels with the clone

    line = (clone / "app.py").read_text().splitlines().index("    return 'Hello, ' + name") + 1
    status = main(["why", str(clone / f"app.py:{line}")])
    out = capsys.readouterr().out
    assert status == 0
    assert "task: Make greetings nicer" in out
    assert "Polite greetings." in out
    assert "hunk 1 of app.py: accepted as proposed" in out
    assert "source: the commit's provenance note (refs/notes/slowcode)" in out

    status, out, _ = audit(clone, "HEAD~2..HEAD", capsys)
    assert status == 0
    assert out.count(" OK: note matches\n") == 0 and out.count(" OK: note matches (") == 2

    assert main(["history", "-C", str(clone)]) == 0
    out = capsys.readouterr().out
    assert "from provenance notes (no journal here)  2 steps  Make greetings nicer" in out
    assert "   1  Greet politely  ·  1 accepted, 1 rejected, 0 edited  ·  " in out
    assert main(["history", "--json", "-C", str(clone)]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["source"] == "notes"
    assert len(listed["commits"]) == 2


async def test_without_a_note_why_says_where_its_story_comes_from(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    git(repo, "notes", f"--ref={NOTES_REF}", "remove", "HEAD~1")
    line = (repo / "app.py").read_text().splitlines().index("    return 'Hello, ' + name") + 1
    main(["why", str(repo / f"app.py:{line}")])
    out = capsys.readouterr().out
    assert "source: the session's journal in .slowcode/" in out
    assert "hunk verdicts: not known here" in out


async def test_why_shows_escape_sequences_from_a_note_instead_of_sending_them(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    first = git(repo, "rev-list", "--reverse", "HEAD~2..HEAD").split()[0]
    hostile = json.loads(read_note(repo, first) or "")
    hostile["task"] = "innocent\x1b]52;c;ZXZpbA==\x07 task"
    git_notes_add(repo, first, json.dumps(hostile))
    line = (repo / "app.py").read_text().splitlines().index("    return 'Hello, ' + name") + 1
    (repo / ".slowcode").rename(repo / ".slowcode-away")  # the note is the only source
    main(["why", str(repo / f"app.py:{line}")])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "␛]52;c;ZXZpbA==" in out


async def test_an_undo_passes_the_audit_as_the_exact_reverse_of_its_step(
    repo: Path, fake_api: FakeMessagesAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    from slowcode.ops.undo import undo_last_step

    await run_two_steps(repo, fake_api)
    base = git(repo, "rev-parse", "HEAD~2").strip()
    result = undo_last_step(repo)

    status, out, _ = audit(repo, f"{base}..HEAD", capsys)

    assert status == 0, out
    assert f"{result.commit[:12]} OK: reverts {result.undone[:12]} exactly" in out
    assert out.count(" OK: note matches, journal checked") == 2

    # A revert that takes back more than its step, or something else, is named.
    (repo / "app.py").write_text("print('not the step')\n")
    git(repo, "add", "app.py")
    message = f"Revert\n\nSlowcode-Undo: {result.undone}\nSlowcode-Session: {result.session_id}"
    git(repo, "commit", "-q", "-m", message)
    status, out, _ = audit(repo, f"{base}..HEAD", capsys)
    assert status == 1
    assert "FAIL: it changes app.py, which its step did not" in out


async def test_a_clone_without_the_notes_says_how_to_fetch_them(
    repo: Path, fake_api: FakeMessagesAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_two_steps(repo, fake_api)
    clone = clone_of(repo, tmp_path / "clone", with_notes=False)
    fetch = f"`git fetch origin {NOTES_REF}:{NOTES_REF}`"

    assert main(["history", "-C", str(clone)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"no sessions in {clone}; commits here carry slowcode trailers")
    assert fetch in out
    line = (clone / "app.py").read_text().splitlines().index("    return 'Hello, ' + name") + 1
    main(["why", str(clone / f"app.py:{line}")])
    out = capsys.readouterr().out
    assert "source: the commit message only (no provenance note, no journal here; " in out
    assert fetch in out
