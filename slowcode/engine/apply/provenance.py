"""Writing a step commit's provenance note, right after its commit and check.

The note is built from the journal (`slowcode.journal.provenance`) and stored in
`refs/notes/slowcode`. A note that cannot be written does not undo the step: the
commit stands, the developer is told in one line, and `slowcode audit verify
--commits` will name the commit as lacking its note.
"""

from __future__ import annotations

from pathlib import Path

from slowcode.core.errors import SlowcodeError
from slowcode.git.notes import configure_rewrite, patch_id, write_note
from slowcode.journal.log import read_events
from slowcode.journal.provenance import ProvenanceNote, build_note


def record_provenance(
    root: Path, journal: Path, session: str, step: int, commit: str
) -> ProvenanceNote:
    """Builds the note of `step` from the journal and attaches it to `commit`.

    Raises:
        SlowcodeError: The journal cannot be read or git cannot store the note.
    """
    configure_rewrite(root)
    note = build_note(read_events(journal), session, step, patch_id(root, commit))
    write_note(root, commit, note.to_text())
    return note


def try_record_provenance(
    root: Path, journal: Path, session: str, step: int, commit: str
) -> str | None:
    """`record_provenance`, with a failure returned as its one-line message instead."""
    try:
        record_provenance(root, journal, session, step, commit)
    except SlowcodeError as error:
        return f"no provenance note for {commit[:12]}: {error}"
    return None
