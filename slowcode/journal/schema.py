"""What a typed journal event is: a frozen dataclass per kind, a registry, the checks.

Each kind of event is a frozen dataclass registered under the kind string the
journal stores in an event's `type`; its fields are the keys of the event's
`data`, with the same names. `to_data` gives the `data` to write and `from_data`
reads it back, checking that every field without a default is there and holds a
value of its declared type, so a journal edited by hand, or written by a version
that named a field differently, is refused with one line instead of failing deep
inside a reader.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self, TypeVar

from slowcode.core.errors import SlowcodeError

OMIT_WHEN_NONE = "omit_when_none"
"""Field metadata: leave the key out of the written data when the value is None
(the kinds whose writers add a key only sometimes)."""

VERBATIM = "verbatim"
"""Field metadata: journal the value exactly as it is, never redacted. For file
content that is staged, reviewed and committed byte for byte (decision 0024): a
masked copy would be committed after a resume instead of what was reviewed."""


class EventFormatError(SlowcodeError):
    """A journal event whose data does not fit its kind."""


@dataclass(frozen=True)
class JournalEvent:
    """One thing a session did, as the journal records it (subclasses are the kinds)."""

    KIND: ClassVar[str] = ""

    @property
    def type(self) -> str:
        """The kind string the journal stores in the event's `type`."""
        return self.KIND

    def to_data(self) -> dict[str, Any]:
        """The event's `data` as written: one key per field, in field order."""
        data: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value is None and item.metadata.get(OMIT_WHEN_NONE):
                continue
            data[item.name] = value
        return data

    @classmethod
    def verbatim_fields(cls) -> frozenset[str]:
        """The names of the fields journaled exactly as they are (`VERBATIM`)."""
        return frozenset(
            item.name for item in dataclasses.fields(cls) if item.metadata.get(VERBATIM)
        )

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Self:
        """The event from its journaled `data`; keys the kind does not know are ignored.

        Raises:
            EventFormatError: A field without a default is missing, or a value is
                not of its field's type.
        """
        values: dict[str, Any] = {}
        hints = _hints(cls)
        for item in dataclasses.fields(cls):
            if item.name not in data:
                if (
                    item.default is dataclasses.MISSING
                    and item.default_factory is dataclasses.MISSING
                ):
                    raise EventFormatError(f"a {cls.KIND} event has no {item.name!r}")
                continue
            value = data[item.name]
            if not _fits(value, hints[item.name]):
                raise EventFormatError(
                    f"a {cls.KIND} event's {item.name!r} is {type(value).__name__} {value!r:.60}"
                )
            values[item.name] = value
        return cls(**values)


@dataclass(frozen=True)
class UnknownEvent(JournalEvent):
    """An event of a kind this version does not know (written by a newer one).

    It is kept as it was read, so nothing is lost and the chain still verifies;
    every reader passes over it.

    Attributes:
        kind: The event's `type` as journaled.
        data: Its `data`, untouched.
    """

    kind: str
    data: dict[str, Any]

    @property
    def type(self) -> str:
        """The kind string as journaled."""
        return self.kind

    def to_data(self) -> dict[str, Any]:
        """The data exactly as it was read."""
        return self.data


class EventRecorder(Protocol):
    """Something that journals an event: a session's `record`."""

    def __call__(self, event: JournalEvent, *, sync: bool = False) -> object:
        """Journals `event` (fsynced when `sync`); what it returns is not used."""


EVENT_TYPES: dict[str, type[JournalEvent]] = {}
"""Every known kind string and the dataclass of its events."""

E = TypeVar("E", bound=JournalEvent)


def event_kind(kind: str) -> Callable[[type[E]], type[E]]:
    """Registers a dataclass as the type of the journal's `kind` events."""

    def register(cls: type[E]) -> type[E]:
        if kind in EVENT_TYPES:
            raise ValueError(f"journal event kind {kind!r} is registered twice")
        cls.KIND = kind
        EVENT_TYPES[kind] = cls
        return cls

    return register


def parse_event(kind: str, data: dict[str, Any]) -> JournalEvent:
    """The typed event for a journaled `type` and `data` (`UnknownEvent` for a new kind).

    Raises:
        EventFormatError: The data does not fit a known kind.
    """
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        return UnknownEvent(kind, dict(data))
    return cls.from_data(data)


def event_type(kind: str) -> type[JournalEvent]:
    """The dataclass of the journal's `kind` events (`UnknownEvent` for a new kind)."""
    return EVENT_TYPES.get(kind, UnknownEvent)


_HINTS: dict[type[JournalEvent], dict[str, Any]] = {}


def _hints(cls: type[JournalEvent]) -> dict[str, Any]:
    """The class's resolved field annotations (resolved once per class)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _fits(value: object, hint: Any) -> bool:
    """Whether a JSON value fits a field's annotation (checked one level deep)."""
    if hint is Any or hint is object:
        return True
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        return any(_fits(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    base = origin or hint
    if base is list:
        return isinstance(value, list)
    if base is dict:
        return isinstance(value, dict)
    return True
