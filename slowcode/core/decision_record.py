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
