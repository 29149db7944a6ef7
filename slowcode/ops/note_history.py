"""Session history told by provenance notes, for a clone that has the notes but no journal.

A note carries what `slowcode history` shows of a step: its title, the hunk
verdicts and its commit. Token use and timing stay in the journal, so a session
known only from notes lists none; it says it came from notes (`source`).
"""

from __future__ import annotations

from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.git.notes import noted_commits, read_note
from slowcode.git.runner import git_text
from slowcode.journal.provenance import ProvenanceNote
from slowcode.ops.step_history import SessionHistory, StepHistory


def sessions_from_notes(root: Path) -> list[SessionHistory]:
    """Every session that step notes of the current history name, in commit order."""
    noted = noted_commits(root)
    if not noted:
        return []
    try:
        order = git_text(root, "rev-list", "--reverse", "HEAD").split()
    except SlowcodeError:
        return []
    sessions: dict[str, SessionHistory] = {}
    for commit in order:
        if commit not in noted:
            continue
        try:
            note = ProvenanceNote.from_text(read_note(root, commit) or "")
        except SlowcodeError:
            continue
        session = sessions.setdefault(
            note.session,
            SessionHistory(note.session, task=note.task, model=note.model, source="notes"),
        )
        verdicts = [hunk.get("verdict") for hunk in note.hunks]
        session.steps.append(
            StepHistory(
                note.step,
                note.title,
                accepted=verdicts.count("accepted"),
                rejected=verdicts.count("rejected"),
                edited=verdicts.count("edited"),
                commit=commit,
            )
        )
    return list(sessions.values())
