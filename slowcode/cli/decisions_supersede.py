"""`slowcode decisions supersede ID --title …` and `slowcode decisions export --html DIR`."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from slowcode.core.decision_record import DecisionRecord
from slowcode.core.errors import SlowcodeError
from slowcode.decisions.formats import parse_any
from slowcode.decisions.lifecycle import draft_superseding, find, write_superseding
from slowcode.decisions.store import DecisionStore
from slowcode.ops.decision_commits import DecisionCommit, commit_decision_edit, supersede_action


def run_supersede(store: DecisionStore, args: argparse.Namespace, out: TextIO) -> int:
    """Writes a record superseding `args.id`; without `--decision`, `$EDITOR` edits the draft.

    The draft is the whole new file, accepted, dated and with the developer as
    decision maker, in the folder's format; what the editor saves is written as it is.

    Raises:
        SlowcodeError: No such record, a move the lifecycle refuses, no editor, or a
            draft saved without a decision (one line; nothing is written).
    """
    old = find(store, args.id)
    title = " ".join(str(args.title).split())
    if not title:
        raise SlowcodeError("the new decision needs a title: --title …")
    new = DecisionRecord(
        title=title,
        context=args.context or f"Replaces the decision “{old.title}”.",
        outcome=args.decision or "",
        consequences=args.consequences or "",
    )
    text = draft_superseding(store, old, new)
    if args.decision is None:
        text = _edit_in_editor(text, Path(new.path or "decision.md").name)
        edited = parse_any(text, new.path)
        if not (edited.outcome.strip() or edited.chosen.strip()):
            raise SlowcodeError("the draft has no decision text; nothing was written")
    elif not args.decision.strip():
        raise SlowcodeError("--decision is empty; nothing was written")
    new_path, old_path = write_superseding(store, old, new, text)
    print(f"{new.record_id} {new.title}: written to {new_path}", file=out)
    print(f"{old.record_id} {old.title}: superseded ({old_path})", file=out)
    if args.no_commit:
        return 0
    committed = commit_decision_edit(store.root, [new_path, old_path], new, supersede_action(old))
    print(committed.line, file=out)
    return report_refusal(committed)


def report_refusal(committed: DecisionCommit | None) -> int:
    """The exit status of an edit whose commit was wanted: 1 when none was made.

    What a refusing hook printed goes to stderr in full; the edit stays written.
    """
    if committed is None or committed.commit:
        return 0
    if committed.output.strip():
        print(committed.output.rstrip("\n"), file=sys.stderr)
    print("the change is written; commit it yourself once git accepts it", file=sys.stderr)
    return 1


def _edit_in_editor(draft: str, name: str) -> str:
    """The draft after the developer's `$VISUAL` / `$EDITOR` saved it."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise SlowcodeError("set $EDITOR to edit the draft, or pass --decision TEXT")
    with tempfile.TemporaryDirectory(prefix="slowcode-decision-") as folder:
        file = Path(folder) / name
        file.write_text(draft, encoding="utf-8")
        try:
            result = subprocess.run([*shlex.split(editor), str(file)], check=False)
        except OSError as exc:
            raise SlowcodeError(f"cannot start the editor {editor!r}: {exc.strerror}") from None
        if result.returncode != 0:
            raise SlowcodeError(
                f"the editor exited with status {result.returncode}; nothing was written"
            )
        return file.read_text(encoding="utf-8")


def run_export(store: DecisionStore, folder: Path, out: TextIO) -> int:
    """Writes the decision log as a static HTML site in `folder`."""
    from slowcode.ops.decision_site import export_site

    written = export_site(store, folder)
    pages = len(written) - 2
    print(f"{pages} records written to {folder} (open {folder / 'index.html'})", file=out)
    return 0
