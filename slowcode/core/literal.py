"""Text that slowcode did not write, made safe to show: every character visible, none obeyed.

Model output, step titles, file names and contents, git, server and check output
and even the developer's own task reach the screen through `visible`. It keeps
newlines and tabs and turns everything a terminal would act on into a visible
stand-in: C0 controls become their Unicode control pictures (``ESC`` is ``␛``,
so an OSC 52 clipboard write reads ``␛]52;…``), a C1 control becomes ``␛`` and
its 7-bit equivalent (CSI, ``\\x9b``, reads ``␛[``), ``DEL`` is ``␡``, the
bidirectional overrides and isolates that reorder what is displayed (the
"Trojan Source" characters) are written out as ``⟨U+202E⟩``, and a lone
surrogate, which no terminal encoding can carry, becomes ``�``.

Markup is not this module's concern: it returns plain strings, and the TUI
builds its widgets' content from them literally (`slowcode.tui.literal`).
"""

from __future__ import annotations

_CONTROL_PICTURES = 0x2400
"""U+2400 (``␀``) onward: one picture per C0 control, in code order."""

_BIDI_CONTROLS = (
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
)


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n\t":
            table[code] = chr(_CONTROL_PICTURES + code)
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        # A C1 control is ESC followed by the character 0x40 below it (ECMA-48 § 5.3).
        table[code] = "\u241b" + chr(code - 0x40)
    for char in _BIDI_CONTROLS:
        table[ord(char)] = f"⟨U+{ord(char):04X}⟩"
    for code in range(0xD800, 0xE000):
        table[code] = "\ufffd"
    return table


_VISIBLE = _table()
_ONE_LINE = {**_VISIBLE, ord("\n"): "\u2424", ord("\t"): " "}  # ␤
# One character for one: C1 controls and bidirectional controls become U+FFFD.
_PER_CHARACTER = {
    code: (stand_in if len(stand_in) == 1 else "\ufffd") for code, stand_in in _VISIBLE.items()
}


def visible(text: str) -> str:
    """`text` with every control character shown instead of obeyed.

    Newlines and tabs stay; C0 and C1 controls, ``DEL``, bidirectional
    overrides and lone surrogates are replaced by visible stand-ins (see the
    module's docstring). Runs in time linear in the length of `text`.

    Args:
        text: Text from outside slowcode.

    Returns:
        The text, safe to hand to a terminal.
    """
    return text.translate(_VISIBLE)


def visible_line(text: str) -> str:
    """Like `visible`, for a one-line field: a newline shows as ``␤`` and a tab as a space."""
    return text.translate(_ONE_LINE)


def visible_per_character(text: str) -> str:
    """Like `visible`, but one character for each: for text whose offsets must not move.

    C0 controls and ``DEL`` still show as their pictures; the stand-ins that take
    several characters (C1 and bidirectional controls) are ``�`` here.
    """
    return text.translate(_PER_CHARACTER)


_SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}


def without_lone_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by ``�``, so that UTF-8 can carry it."""
    return text.translate(_SURROGATES)


def whole_characters(value: object) -> object:
    """`value` (a JSON value) with every lone surrogate in its strings replaced by ``�``.

    A server may send ``\\ud800`` in a JSON string; Python decodes it to a character
    that no UTF-8 file (the journal) or request body can hold.
    """
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, dict):
        return {whole_characters(key): whole_characters(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_characters(item) for item in value]
    return value
