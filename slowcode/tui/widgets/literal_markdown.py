"""A Markdown view of text slowcode did not write: rendered, but never obeyed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Markdown

from slowcode.core.literal import visible

if TYPE_CHECKING:
    from textual.await_complete import AwaitComplete


class LiteralMarkdown(Markdown):
    """A `Markdown` view of text from outside: controls made visible, links not opened.

    Markdown from the model is meant to be rendered (headings, lists, code), but
    a click on one of its links must not open a URL, and its characters must not
    reach the terminal as control sequences.
    """

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        super().__init__(
            None if markdown is None else visible(markdown), open_links=False, **kwargs
        )

    def update(self, markdown: str) -> AwaitComplete:
        """Replaces the document with `markdown`, made visible."""
        return super().update(visible(markdown))
