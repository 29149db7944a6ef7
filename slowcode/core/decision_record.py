"""A decision record, independent of the format it is stored in."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DecisionStatus(StrEnum):
    """The lifecycle states of a decision record."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DEPRECATED = "deprecated"
    SUPERSEDED = "superseded"


@dataclass
class ConsideredOption:
    """One option that was weighed, with what speaks for and against it."""

    title: str
    pros: list[str] = field(default_factory=list)
    cons: list[str] = field(default_factory=list)


@dataclass
class DecisionRecord:
    """An architectural decision: context, options weighed, outcome and consequences.

    `number` and `path` are set once the record has a place in the decisions folder.
    `chosen` is the title of the chosen option when the options name it.
    `links` holds every link line the file carries (`("Supersedes", path)`,
    `("Amended by", path)`, …) in the order written; `supersedes` and
    `superseded_by` are the first supersede link of each direction.
    """

    title: str
    context: str
    outcome: str
    consequences: str = ""
    status: DecisionStatus = DecisionStatus.PROPOSED
    date: str = ""
    decision_makers: list[str] = field(default_factory=list)
    options: list[ConsideredOption] = field(default_factory=list)
    chosen: str = ""
    number: int | None = None
    path: str | None = None
    superseded_by: str | None = None
    supersedes: str | None = None
    # Derived from the file as written; two records with the same content are equal.
    links: list[tuple[str, str]] = field(default_factory=list, compare=False)

    @property
    def record_id(self) -> str:
        """The id that never changes as records are added: `0003`, or the file's slug.

        Numbered files (`0003-use-x.md`) have their number, four digits; others (a
        log4brains `20261121-use-x.md`, a hand-named `use-x.md`) their file name
        without `.md`. "" for a record not yet written.
        """
        if self.number is not None:
            return f"{self.number:04d}"
        if not self.path:
            return ""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name

    @classmethod
    def from_finish_step(cls, data: dict[str, Any]) -> DecisionRecord:
        """The draft a `finish_step` call's `decision` object describes."""
        first_line = str(data.get("decision", "")).split("\n")[0][:80]
        options = [ConsideredOption(title=str(data.get("title", first_line)))]
        for alternative in data.get("alternatives") or []:
            options.append(
                ConsideredOption(
                    title=str(alternative.get("option", "")),
                    cons=[str(alternative["why_not"])] if alternative.get("why_not") else [],
                )
            )
        return cls(
            title=str(data.get("title", "")),
            context=str(data.get("context", "")),
            outcome=str(data.get("decision", "")),
            consequences=str(data.get("consequences", "")),
            options=options,
            chosen=options[0].title,
        )
