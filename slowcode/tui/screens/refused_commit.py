"""A step's commit that git refused: the hooks' output in full, and what to do next."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from slowcode.engine.human import CommitChoice, RefusedCommit
from slowcode.tui.literal import literal
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar


class RefusedCommitScreen(IgnoresTypeAhead, ModalScreen[CommitChoice]):
    """Shows everything git and its hooks printed, and a hook's change to the files.

    `r` retries the commit (after fixing something by hand; a hook's change shown
    here is committed with it), `s` sends the step back to the model with the
    output, `w` commits without hooks after a second, explicit `y`.

    Args:
        refused: The refused commit.
    """

    CSS_PATH = "refused_commit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retry')", "Retry the commit"),
        Binding("s", "choose('send_back')", "Send back with the output"),
        Binding("w", "without_hooks", "Commit without hooks…"),
    ]

    def __init__(self, refused: RefusedCommit) -> None:
        super().__init__()
        self.refused = refused

    def compose(self) -> ComposeResult:
        """The title, the output, the hook's change, the keys."""
        refused = self.refused
        with Vertical(id="refused-dialog"):
            yield Label(
                literal(f"git commit refused step {refused.step}: {refused.title}"),
                id="refused-title",
            )
            yield Label(
                "Nothing was committed; the accepted changes are written in your work tree.",
                id="refused-note",
            )
            with VerticalScroll(id="refused-output"):
                yield Static(literal(refused.output.rstrip() or "(no output)"), id="refused-text")
                if refused.changes:
                    yield Label("A hook changed the step's files; retrying commits this:")
                    yield Static(literal(refused.changes), id="refused-changes")
            yield Label(
                "r retry · s send back to the model · w commit without hooks (asks)",
                id="refused-hint",
            )
        yield KeyBar()

    def action_choose(self, choice: str) -> None:
        """Closes the dialog with `choice`."""
        self.dismiss(CommitChoice(choice))

    def action_without_hooks(self) -> None:
        """Asks once more, with `y` only, before committing past the hooks."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(CommitChoice.WITHOUT_HOOKS)

        self.app.push_screen(WithoutHooksScreen(), answered)


class WithoutHooksScreen(IgnoresTypeAhead, ModalScreen[bool]):
    """Confirms a commit without hooks: only `y` says yes; `enter` never does."""

    CSS_PATH = "refused_commit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes, without hooks"),
        Binding("n,escape,enter", "answer(False)", "No"),
    ]

    def compose(self) -> ComposeResult:
        """The question and its hint."""
        with Vertical(id="refused-dialog"):
            yield Label(
                "Commit this step without running the repository's hooks (git commit "
                "--no-verify)? The choice is journaled.",
                id="refused-title",
            )
            yield Label("y yes · n / escape / enter no", id="refused-hint")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        """Closes the dialog with the answer."""
        self.dismiss(yes)
