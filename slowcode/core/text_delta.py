"""One text as a change of another: the common head and tail kept, the middle replaced.

An edit to a staged file changes one place in it, so the journal records the
edit's effect as `(head, tail, middle)`: the new text is the old one's first
`head` characters, then `middle`, then its last `tail` characters. A hundred
small edits to a large file then cost a hundred small records instead of a
hundred copies of the file.
"""

from __future__ import annotations

from typing import NamedTuple


class TextDelta(NamedTuple):
    """How a new text differs from an old one.

    Attributes:
        head: Characters the two texts share at the start.
        tail: Characters they share at the end, after `head`.
        middle: The new text between them.
    """

    head: int
    tail: int
    middle: str

    def to_json(self) -> list[int | str]:
        """`[head, tail, middle]`."""
        return [self.head, self.tail, self.middle]

    @classmethod
    def from_json(cls, value: object) -> TextDelta:
        """Reads `[head, tail, middle]`.

        Raises:
            ValueError: The value is not of that shape.
        """
        if isinstance(value, list) and len(value) == 3:
            head, tail, middle = value
            if (
                isinstance(head, int)
                and isinstance(tail, int)
                and isinstance(middle, str)
                and head >= 0
                and tail >= 0
            ):
                return cls(head, tail, middle)
        raise ValueError("a text delta is [head, tail, middle]")


def text_delta(old: str, new: str) -> TextDelta:
    """The delta that turns `old` into `new`; the shared head and tail are as long as can be."""
    head = _shared_length(old, new, at_end=False)
    most = min(len(old), len(new)) - head
    tail = _shared_length(old[head:], new[head:], at_end=True, most=most)
    return TextDelta(head, tail, new[head : len(new) - tail])


def apply_delta(old: str, delta: TextDelta) -> str:
    """The text `delta` makes of `old`.

    Raises:
        ValueError: `old` is shorter than the delta's head and tail together.
    """
    if delta.head + delta.tail > len(old):
        raise ValueError("the text delta does not fit the text it is applied to")
    return old[: delta.head] + delta.middle + old[len(old) - delta.tail :]


def _shared_length(a: str, b: str, *, at_end: bool, most: int | None = None) -> int:
    """How many characters `a` and `b` share at their start (or end).

    A binary search over slice comparisons: each comparison runs in C, so a
    megabyte-long text takes a few milliseconds.
    """
    low, high = 0, min(len(a), len(b)) if most is None else most
    while low < high:
        middle = (low + high + 1) // 2
        same = a[len(a) - middle :] == b[len(b) - middle :] if at_end else a[:middle] == b[:middle]
        if same:
            low = middle
        else:
            high = middle - 1
    return low
