"""A record's lifecycle: proposed → accepted / rejected; accepted → deprecated / superseded.

Superseding updates both records: the old one becomes `superseded` with a link to
the new one, and the new one links back (`supersedes`), each in the folder's format.
"""

from __future__ import annotations

import datetime as dt

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.decisions.store import DecisionStore

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


def find(store: DecisionStore, number: int) -> DecisionRecord:
    """The record numbered `number`.

    Raises:
        LifecycleError: There is no such record (one line).
    """
    record = store.get(number)
    if record is None:
        raise LifecycleError(f"no decision record {number} in {store.layout.label}")
    return record


def set_status(
    store: DecisionStore, record: DecisionRecord, status: DecisionStatus
) -> DecisionRecord:
    """Moves `record` to `status` (accept, reject, deprecate) and rewrites it.

    Superseding needs the new record: use `supersede`.

    Raises:
        LifecycleError: The lifecycle does not allow the move.
    """
    if status is S.SUPERSEDED:
        raise LifecycleError("superseding needs the new record: use supersede")
    if not can_move(record.status, status):
        raise LifecycleError(
            f"decision {record.number} is {record.status.value}; it cannot become {status.value}"
        )
    record.status = status
    store.write(record)
    return record


def supersede(
    store: DecisionStore,
    old: DecisionRecord,
    new: DecisionRecord,
    today: dt.date | None = None,
) -> DecisionRecord:
    """Writes `new` as accepted, superseding `old`, and links the two both ways.

    Returns:
        The new record, with its number and path set.

    Raises:
        LifecycleError: `old` is not a written record, or cannot be superseded.
    """
    if old.path is None:
        raise LifecycleError("only a written record can be superseded")
    if not can_move(old.status, S.SUPERSEDED):
        raise LifecycleError(
            f"decision {old.number} is {old.status.value}; only an accepted or deprecated "
            "decision can be superseded"
        )
    new.status = S.ACCEPTED
    if not new.date:
        new.date = (today or dt.date.today()).isoformat()
    new.supersedes = old.path
    new_path = store.write(new)
    old.status = S.SUPERSEDED
    old.superseded_by = new_path
    store.write(old)
    return new
