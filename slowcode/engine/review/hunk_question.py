"""The "why?" side request: one question about one hunk, answered outside the conversation.

The answer never enters the step's conversation (the step is unchanged); it is
shown under the hunk and journaled. The request carries the task, the step, its
summary, the hunk and the file around it, so the model can answer without tools.
"""

from __future__ import annotations

from dataclasses import dataclass

from slowcode.core.step_review import Hunk, StepReview
from slowcode.model.types import TurnRequest
from slowcode.prompts import load_prompt

WHY_MAX_TOKENS = 1024
# Lines of the staged file shown around the hunk; enough to see the function it sits in.
CONTEXT_LINES = 40


@dataclass(frozen=True)
class WhyQuestion:
    """What the model is told for a "why?": the task, the step and the hunk under review."""

    task: str
    step_title: str
    step_reason: str
    summary: str
    hunk: Hunk
    file_text: str | None

    @classmethod
    def of(cls, review: StepReview, position: int, task: str, step_reason: str) -> WhyQuestion:
        """The question about the hunk at `position` (review order) of `review`."""
        hunk = review.hunks[position]
        file_text = next((f.new_text for f in review.files if f.path == hunk.file), None)
        return cls(task, review.title, step_reason, review.summary, hunk, file_text)

    def prompt(self) -> str:
        """The user message: the context, then the hunk as a unified diff."""
        hunk = self.hunk
        diff = "\n".join(
            [f"--- a/{hunk.file}", f"+++ b/{hunk.file}", hunk.header]
            + [f"{line.kind.value}{line.text}" for line in hunk.lines]
        )
        parts = [
            f"Task: {self.task}",
            f"Step {self.step_title!r}" + (f": {self.step_reason}" if self.step_reason else ""),
            f"Your summary of the step:\n{self.summary}",
        ]
        around = self._around()
        if around:
            parts.append(f"{hunk.file} as staged, around the hunk:\n```\n{around}\n```")
        parts.append(f"The hunk:\n```diff\n{diff}\n```")
        parts.append("Why this hunk?")
        return "\n\n".join(parts)

    def request(self) -> TurnRequest:
        """The side request: its own system prompt, one user message, no tools."""
        return TurnRequest(
            system=[{"type": "text", "text": load_prompt("why.md")}],
            tools=[],
            messages=[{"role": "user", "content": self.prompt()}],
            max_tokens=WHY_MAX_TOKENS,
        )

    def _around(self) -> str:
        if not self.file_text:
            return ""
        lines = self.file_text.splitlines()
        numbers = [line.new_number for line in self.hunk.lines if line.new_number is not None]
        if not numbers:
            numbers = [max(self.hunk.target_start, 1)]
        first = max(min(numbers) - CONTEXT_LINES, 1)
        last = min(max(numbers) + CONTEXT_LINES, len(lines))
        return "\n".join(f"{n:>5}  {lines[n - 1]}" for n in range(first, last + 1))
