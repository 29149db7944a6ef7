"""What the developer does to hunks beyond a verdict: split, edit, and carry verdicts over.

Splitting works like `git add -p`'s `s`: a hunk whose changes are separated by
unchanged lines becomes one hunk per run of changes, the unchanged lines between
two runs shown (and counted) in both. Editing replaces a hunk's new side with the
developer's text. Carrying over keeps the verdicts of hunks a revised step
proposes again unchanged.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from slowcode.core.errors import SlowcodeError
from slowcode.core.step_review import (
    DiffLine,
    FileDiff,
    Hunk,
    LineKind,
    StepReview,
    Verdict,
    new_side_text,
    side_lines,
)

_LineKey = tuple[LineKind, str, bool]


class HunkOpError(SlowcodeError):
    """A split or an edit that cannot be done; the message says why in one line."""


# -- split ---------------------------------------------------------------------------


def _change_runs(lines: list[DiffLine]) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of added/removed lines."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if line.kind is LineKind.CONTEXT:
            if start is not None:
                runs.append((start, index))
                start = None
        elif start is None:
            start = index
    if start is not None:
        runs.append((start, len(lines)))
    return runs


def can_split(hunk: Hunk) -> bool:
    """Whether `split_hunk` would cut `hunk`: not edited, and unchanged lines between changes."""
    return hunk.verdict is not Verdict.EDITED and len(_change_runs(hunk.lines)) > 1


def split_hunk(hunk: Hunk) -> list[Hunk]:
    """The hunk cut at its unchanged lines, one hunk per run of changes.

    Each piece keeps the unchanged lines on both sides of its run, so the lines
    between two runs belong to both neighbours (`compose` allows that overlap).
    Pieces are undecided; their `index` is set by the caller.

    Args:
        hunk: The hunk to split.

    Returns:
        The pieces, in order; `[hunk]` itself when it has a single run of changes.

    Raises:
        HunkOpError: The hunk was edited (its lines are the developer's now).
    """
    if hunk.verdict is Verdict.EDITED:
        raise HunkOpError("An edited hunk cannot be split; split it before editing.")
    runs = _change_runs(hunk.lines)
    if len(runs) < 2:
        return [hunk]
    # The old/new line number of each line's position: where the next line on that
    # side would be, counted from the header (a side of length 0 starts after it).
    old_at = [hunk.source_start if hunk.source_length else hunk.source_start + 1]
    new_at = [hunk.target_start if hunk.target_length else hunk.target_start + 1]
    for line in hunk.lines:
        old_at.append(old_at[-1] + (line.kind is not LineKind.ADDED))
        new_at.append(new_at[-1] + (line.kind is not LineKind.REMOVED))
    pieces: list[Hunk] = []
    for number in range(len(runs)):
        first = runs[number - 1][1] if number else 0
        last = runs[number + 1][0] if number + 1 < len(runs) else len(hunk.lines)
        lines = hunk.lines[first:last]
        source_length = sum(1 for line in lines if line.kind is not LineKind.ADDED)
        target_length = sum(1 for line in lines if line.kind is not LineKind.REMOVED)
        pieces.append(
            Hunk(
                file=hunk.file,
                index=hunk.index,
                source_start=old_at[first] - (source_length == 0),
                source_length=source_length,
                target_start=new_at[first] - (target_length == 0),
                target_length=target_length,
                section=hunk.section,
                lines=list(lines),
                comment=hunk.comment,
            )
        )
    return pieces


def _file_of(review: StepReview, hunk: Hunk) -> FileDiff:
    for file in review.files:
        if any(candidate is hunk for candidate in file.hunks):
            return file
    raise ValueError(f"hunk {hunk.header} is not part of this review")


def split_in_review(review: StepReview, position: int) -> int:
    """Splits the hunk at `position` (review order) in place and renumbers its file's hunks.

    Returns:
        How many hunks took its place (1 when it could not be split further).

    Raises:
        HunkOpError: The hunk was edited.
    """
    hunk = review.hunks[position]
    pieces = split_hunk(hunk)
    if len(pieces) == 1:
        return 1
    file = _file_of(review, hunk)
    at = next(index for index, candidate in enumerate(file.hunks) if candidate is hunk)
    file.hunks[at : at + 1] = pieces
    for index, each in enumerate(file.hunks):
        each.index = index
    return len(pieces)


# -- edit ----------------------------------------------------------------------------


def _uses_crlf(hunk: Hunk) -> bool:
    """True when every new-side line that ends does so with "\\r\\n" (a Windows-style file)."""
    ended = [
        line for line in hunk.lines if line.kind is not LineKind.REMOVED and not line.no_newline
    ]
    return bool(ended) and all(line.text.endswith("\r") for line in ended)


def editable_text(hunk: Hunk) -> str:
    """The hunk's new side as an editor shows it: without the final line ending.

    Lines ending in "\\r\\n" are shown without the "\\r" and get it back from
    `from_editor`, since an editor keeps only one kind of line ending.

    Raises:
        HunkOpError: A line holds a carriage return an editor would lose.
    """
    lines = side_lines(hunk, new=True)
    if _uses_crlf(hunk):
        lines = [
            line.removesuffix("\r\n") + "\n" if line.endswith("\n") else line for line in lines
        ]
    text = "".join(lines).removesuffix("\n")
    if "\r" in text:
        raise HunkOpError(
            "This hunk holds carriage returns inside its lines, which the editor would lose; "
            "edit the file outside slowcode, or accept or reject the hunk."
        )
    return text


def _ends_without_newline(hunk: Hunk) -> bool:
    new_side = [line for line in hunk.lines if line.kind is not LineKind.REMOVED]
    return bool(new_side) and new_side[-1].no_newline


def from_editor(hunk: Hunk, text: str) -> str:
    """The new side to store for text from the editor: the inverse of `editable_text`.

    The one line ending `editable_text` took off is put back, so a blank last line
    stays a line; a hunk whose new side ended without a line ending (the end of a
    file without one) keeps ending without one. An empty text removes every line.
    Lines get back the "\\r" of a hunk whose lines end in "\\r\\n".
    """
    if text and not _ends_without_newline(hunk):
        text += "\n"
    if _uses_crlf(hunk):
        text = text.replace("\n", "\r\n")
    return text


def _split_keep_ends(text: str) -> list[tuple[str, bool]]:
    """(line text, has no newline) pairs of `text`, split only at "\\n"."""
    parts = text.split("\n")
    lines = [(part, False) for part in parts[:-1]]
    if parts[-1]:
        lines.append((parts[-1], True))
    return lines


def edit_hunk(hunk: Hunk, new_side: str, *, fixed_lead: int = 0) -> None:
    """Replaces the hunk's new side with `new_side`; the verdict becomes EDITED.

    The old side stays as it was, so `compose` writes the edit exactly where the
    hunk was. The lines are diffed again (old side against the edit), so the view
    shows what the edit changes. The model's own lines stay in `original_lines`.

    Args:
        hunk: The hunk to edit.
        new_side: The new text, line endings included (see `from_editor`).
        fixed_lead: How many of the hunk's first lines stay unchanged context
            whatever the diff would pair them with (lines it shares with the
            hunk before it, which `compose` takes from that hunk).

    Raises:
        HunkOpError: The text contains a NUL byte, or changes the fixed lines.
    """
    if "\x00" in new_side:
        raise HunkOpError("The edited text contains a NUL byte; binary text is refused.")
    old = [line for line in hunk.lines if line.kind is not LineKind.ADDED]
    new = _split_keep_ends(new_side)
    old_keys = [(line.text, line.no_newline) for line in old]
    if old_keys[:fixed_lead] != new[:fixed_lead]:
        raise HunkOpError(
            f"The first {fixed_lead} line(s) are shared with the hunk above and cannot be "
            "changed here; edit them in that hunk."
        )
    old_start = hunk.source_start if hunk.source_length else hunk.source_start + 1
    new_start = hunk.target_start if hunk.target_length else hunk.target_start + 1
    lines: list[DiffLine] = [
        DiffLine(LineKind.CONTEXT, line.text, old_start + i, new_start + i, line.no_newline)
        for i, line in enumerate(old[:fixed_lead])
    ]
    matcher = SequenceMatcher(None, old_keys[fixed_lead:], new[fixed_lead:], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        a1, a2, b1, b2 = (at + fixed_lead for at in (a1, a2, b1, b2))
        if tag == "equal":
            for offset in range(a2 - a1):
                source = old[a1 + offset]
                lines.append(
                    DiffLine(
                        LineKind.CONTEXT,
                        source.text,
                        old_start + a1 + offset,
                        new_start + b1 + offset,
                        source.no_newline,
                    )
                )
            continue
        for offset in range(a2 - a1):
            source = old[a1 + offset]
            lines.append(
                DiffLine(
                    LineKind.REMOVED, source.text, old_start + a1 + offset, None, source.no_newline
                )
            )
        for offset in range(b2 - b1):
            text, no_newline = new[b1 + offset]
            lines.append(DiffLine(LineKind.ADDED, text, None, new_start + b1 + offset, no_newline))
    if hunk.original_lines is None:
        hunk.original_lines = hunk.lines
    hunk.lines = lines
    hunk.target_length = len(new)
    if not new:
        hunk.target_start = new_start - 1
    hunk.verdict = Verdict.EDITED
    hunk.carried_over = False


def _begin(hunk: Hunk) -> int:
    """Where the hunk's old lines begin, 0-based (as `compose` places it)."""
    return hunk.source_start if hunk.source_length == 0 else hunk.source_start - 1


def _shared_lead(file: FileDiff, hunk: Hunk, new_side: str) -> int:
    """How many first lines of `hunk` must stay as they are for `new_side` to be exact.

    Pieces of a split share the unchanged lines between their runs, and `compose`
    takes shared lines from the hunk above. If the edit keeps them, they stay fixed
    context; if it changes them and the hunk above holds them only as context, the
    hunk above gives them up, so the edit is written as typed.
    """
    begin = _begin(hunk)
    above = [
        other
        for other in file.hunks
        if other is not hunk and _begin(other) < begin < _begin(other) + other.source_length
    ]
    if not above:
        return 0
    previous = max(above, key=_begin)
    shared = _begin(previous) + previous.source_length - begin
    old_keys = [
        (line.text, line.no_newline) for line in hunk.lines if line.kind is not LineKind.ADDED
    ]
    if _split_keep_ends(new_side)[:shared] == old_keys[:shared]:
        return shared
    tail = previous.lines[len(previous.lines) - shared :]
    if all(line.kind is LineKind.CONTEXT for line in tail):
        del previous.lines[len(previous.lines) - shared :]
        previous.source_length -= shared
        previous.target_length -= shared
        return 0
    return shared  # the hunk above changed them: edit_hunk refuses the change


def edit_in_review(review: StepReview, position: int, new_side: str) -> Hunk:
    """Edits the hunk at `position` and moves the new-side line numbers of later hunks.

    Returns:
        The edited hunk.

    Raises:
        HunkOpError: The text cannot be used.
    """
    if "\x00" in new_side:
        raise HunkOpError("The edited text contains a NUL byte; binary text is refused.")
    hunk = review.hunks[position]
    file = _file_of(review, hunk)
    before = hunk.target_length
    edit_hunk(hunk, new_side, fixed_lead=_shared_lead(file, hunk, new_side))
    shift = hunk.target_length - before
    if shift:
        for later in file.hunks:
            if later.source_start > hunk.source_start:
                _shift_new_numbers(later, shift)
    return hunk


def _shift_new_numbers(hunk: Hunk, shift: int) -> None:
    hunk.target_start += shift
    hunk.lines = [
        DiffLine(
            line.kind,
            line.text,
            line.old_number,
            None if line.new_number is None else line.new_number + shift,
            line.no_newline,
        )
        for line in hunk.lines
    ]


# -- carry over --------------------------------------------------------------------


def _key(file: str, lines: list[DiffLine]) -> tuple[str, tuple[_LineKey, ...]]:
    # Line numbers are left out: an earlier hunk that grew or shrank moves them.
    return file, tuple((line.kind, line.text, line.no_newline) for line in lines)


def carry_over(previous: StepReview, current: StepReview) -> int:
    """Gives `current`'s hunks that are identical to one of `previous` that hunk's verdict.

    A hunk is identical when its file and its lines (markers and text) are the same;
    an edited hunk matches the model's lines it was made from, and carries the edit
    over too. A hunk the developer split last round is split again where its pieces
    match, so each piece keeps its own verdict. Carried hunks are marked
    `carried_over`; the rest stay undecided.

    Args:
        previous: The review of the last round, with the developer's verdicts.
        current: The review of the revised step.

    Returns:
        How many hunks got a verdict.
    """
    decided: dict[tuple[str, tuple[_LineKey, ...]], Hunk] = {}
    for hunk in previous.hunks:
        if not hunk.is_decided:
            continue
        lines = hunk.original_lines if hunk.original_lines is not None else hunk.lines
        decided.setdefault(_key(hunk.file, lines), hunk)
    _split_as_before(current, decided)
    carried = 0
    for position, hunk in enumerate(current.hunks):
        match = decided.pop(_key(hunk.file, hunk.lines), None)
        if match is None:
            continue
        if match.verdict is Verdict.EDITED:
            edit_in_review(current, position, new_side_text(match))
        hunk.verdict = match.verdict
        hunk.comment = match.comment
        hunk.why = match.why
        hunk.carried_over = True
        carried += 1
    return carried


def _split_as_before(
    review: StepReview, decided: dict[tuple[str, tuple[_LineKey, ...]], Hunk]
) -> None:
    """Splits each hunk of `review` with no match of its own whose pieces have some."""
    for file in review.files:
        for hunk in list(file.hunks):
            if _key(hunk.file, hunk.lines) in decided or not can_split(hunk):
                continue
            pieces = split_hunk(hunk)
            if any(_key(piece.file, piece.lines) in decided for piece in pieces):
                at = next(index for index, each in enumerate(file.hunks) if each is hunk)
                file.hunks[at : at + 1] = pieces
        for index, each in enumerate(file.hunks):
            each.index = index
