"""Markdown pieces shared by the screens that show a decision record."""

from __future__ import annotations

from slowcode.core.decision_record import DecisionRecord


def options_markdown(record: DecisionRecord) -> str:
    """The considered options as a Markdown list: the chosen one marked, pros and cons below."""
    lines: list[str] = []
    for option in record.options:
        chosen = " *(chosen)*" if option.title == record.chosen else ""
        lines.append(f"- **{option.title}**{chosen}")
        lines += [f"  - good: {pro}" for pro in option.pros]
        lines += [f"  - bad: {con}" for con in option.cons]
    return "\n".join(lines)
