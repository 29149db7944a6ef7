"""A record's lifecycle: proposed → accepted / rejected; accepted → deprecated / superseded.

Superseding updates both records: the old one becomes `superseded` with a link to
the new one, and the new one links back (`supersedes`), each in its own format.
Every change to an existing record is a lossless edit (`edits`): only the status,
date and link lines change. Each function returns the paths it changed, so the
caller can commit them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from slowcode.core.atomic import write_text_atomic
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.decisions import adr_tools, edits
from slowcode.decisions.formats import DecisionFormat, sniff
from slowcode.decisions.links import href_to
from slowcode.decisions.store import DecisionStore
from slowcode.git.runner import git_text

S = DecisionStatus

# Which status a record may move to from each status. A rejected record may be
# proposed again; superseded is final (supersede the record that replaced it).
TRANSITIONS: dict[DecisionStatus, frozenset[DecisionStatus]] = {
    S.PROPOSED: frozenset({S.ACCEPTED, S.REJECTED}),
    S.ACCEPTED: frozenset({S.DEPRECATED, S.SUPERSEDED}),
    S.REJECTED: frozenset({S.PROPOSED}),
    S.DEPRECATED: frozenset({S.ACCEPTED, S.SUPERSEDED}),
    S.SUPERSEDED: frozenset(),
}


class LifecycleError(SlowcodeError):
    """A status change the lifecycle does not allow, or a record that does not exist."""


def can_move(current: DecisionStatus, new: DecisionStatus) -> bool:
    """Whether a record in status `current` may move to `new`."""
    return new in TRANSITIONS[current]


def find(store: DecisionStore, wanted: str | int) -> DecisionRecord:
    """The record with the id `wanted` (`3`, `0003`, `ADR-0003`, a slug or file name).

    Raises:
        LifecycleError: There is no such record, or the number is ambiguous (one line).
    """
    try:
        record = store.find(str(wanted))
    except SlowcodeError as error:
        raise LifecycleError(str(error)) from None
    if record is None:
        raise LifecycleError(f"no decision record {wanted} in {store.layout.label}")
    return record


def set_status(
    store: DecisionStore,
    record: DecisionRecord,
    status: DecisionStatus,
    today: dt.date | None = None,
) -> str:
    """Moves `record` to `status` (accept, reject, deprecate), editing only its status lines.

    The "last updated" date (MADR, log4brains) becomes `today`. Superseding needs
    the new record: use `supersede`.

    Returns:
        The repository-relative path of the file changed.

    Raises:
        LifecycleError: The lifecycle does not allow the move.
        SlowcodeError: The file cannot be read or written (one line).
    """
    if status is S.SUPERSEDED:
        raise LifecycleError("superseding needs the new record: use supersede")
    if not can_move(record.status, status):
        raise LifecycleError(
            f"decision {record.record_id} is {record.status.value}; it cannot become {status.value}"
        )
    date = (today or dt.date.today()).isoformat()
    path = _edit(store, record, lambda text: edits.change_status(text, status, date=date))
    record.status = status
    record.date = date
    return path


def supersede(
    store: DecisionStore,
    old: DecisionRecord,
    new: DecisionRecord,
    today: dt.date | None = None,
) -> list[str]:
    """Writes `new` as accepted, superseding `old`, and links the two both ways.

    `new` is written whole in the folder's format (with its `Supersedes` link);
    in `old` only the status and date lines change (adr-tools: the status word
    gives way to `Superceded by …`, as `adr new -s` does).

    Returns:
        The repository-relative paths changed: the new record's, then the old one's.

    Raises:
        LifecycleError: `old` is not a written record, or cannot be superseded.
        SlowcodeError: A file cannot be read or written (one line).
    """
    text = draft_superseding(store, old, new, today)
    return write_superseding(store, old, new, text, today)


def draft_superseding(
    store: DecisionStore,
    old: DecisionRecord,
    new: DecisionRecord,
    today: dt.date | None = None,
) -> str:
    """The file `new` will be, superseding `old`: accepted, dated, decision makers filled.

    Sets `new`'s number, path, status, date, decision makers and `supersedes`.

    Raises:
        LifecycleError: `old` is not a written record, or cannot be superseded.
    """
    if old.path is None:
        raise LifecycleError("only a written record can be superseded")
    if not can_move(old.status, S.SUPERSEDED):
        raise LifecycleError(
            f"decision {old.record_id} is {old.status.value}; only an accepted or deprecated "
            "decision can be superseded"
        )
    new.status = S.ACCEPTED
    if not new.date:
        new.date = (today or dt.date.today()).isoformat()
    if not new.decision_makers:
        # As for a record a step writes: the developer (git `user.name`) decided.
        new.decision_makers = developer(store.root)
    new.supersedes = old.path
    if new.number is None and store.format is not DecisionFormat.LOG4BRAINS:
        new.number = store.next_number()
    if new.path is None:
        new.path = store.path_for(new)
    return store.format.render(new, {old.path: old.title})


def write_superseding(
    store: DecisionStore,
    old: DecisionRecord,
    new: DecisionRecord,
    text: str,
    today: dt.date | None = None,
) -> list[str]:
    """Writes `text` (a `draft_superseding` draft, maybe edited) as `new`, and marks `old`.

    Returns:
        The paths changed: the new record's, then the old one's.
    """
    assert new.path is not None and old.path is not None
    new_path = store.write_text(new.path, text)
    date = (today or dt.date.today()).isoformat()
    link = edits.Link("Superceded by", link_label(old, new, store), href_to(old.path, new_path))
    reference = f"ADR-{new.number:04d}" if new.number is not None else new.record_id

    def superseded(text: str) -> str:
        return edits.change_status(
            text, S.SUPERSEDED, date=date, superseded_by=link, reference=reference
        )

    old_path = _edit(store, old, superseded)
    old.status = S.SUPERSEDED
    old.superseded_by = new_path
    return [new_path, old_path]


def developer(root: Path) -> list[str]:
    """The developer's git `user.name`, as a decision maker list (empty when unset)."""
    try:
        name = git_text(root, "config", "--get", "user.name", check=False).strip()
    except SlowcodeError:
        return []
    return [name] if name else []


def link_label(old: DecisionRecord, new: DecisionRecord, store: DecisionStore) -> str:
    """The label of a link from `old` to `new`, in `old`'s own format."""
    if old.path is not None:
        text = (store.root / old.path).read_text(encoding="utf-8")
        if sniff(text) is DecisionFormat.ADR_TOOLS:
            return adr_tools.label(new.path or "", new.title)
    return new.record_id


def _edit(store: DecisionStore, record: DecisionRecord, change: Callable[[str], str]) -> str:
    """Applies `change` to the record's file; returns the path (written only if it changed)."""
    if record.path is None:
        raise LifecycleError("only a written record can be edited")
    target = store.root / record.path
    try:
        with target.open(encoding="utf-8", newline="") as file:
            before = file.read()
        after = change(before)
        if after != before:
            write_text_atomic(target, after)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise SlowcodeError(f"cannot edit decision record {record.path}: {reason}") from None
    return record.path
