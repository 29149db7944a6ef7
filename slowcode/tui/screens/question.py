"""A question from the model (`ask_human`): pick an option or write an answer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from slowcode.engine.human import Answer, Question
from slowcode.tui.literal import literal_text
from slowcode.tui.screens.feedback import SendingInput
from slowcode.tui.screens.type_ahead import IgnoresTypeAhead
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_markdown import LiteralMarkdown


class QuestionScreen(IgnoresTypeAhead, ModalScreen[Answer]):
    """Shows the question and its options with their consequences.

    `enter` on an option answers with it; `enter` in the text box answers with
    free text (option None). There is no way out without an answer: the model
    waits for one.

    Args:
        question: The model's question.
    """

    CSS_PATH = "question.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Options / answer", show=True),
    ]

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        """The question, the options, the free-text box."""
        question = self.question
        with Vertical(id="question-dialog"):
            yield LiteralMarkdown(question.question, id="question-text")
            if question.architectural:
                yield Label(
                    "⚑ Architectural: your answer becomes a decision record draft.",
                    id="question-flag",
                )
            if question.options:
                yield OptionList(
                    *[self._option(index) for index in range(len(question.options))],
                    id="question-options",
                )
            placeholder = "or write your own answer" if question.options else "your answer"
            yield SendingInput(placeholder=placeholder, id="question-answer")
            yield Label("enter confirm · tab switch", id="question-hint")
        yield KeyBar()

    def _option(self, index: int) -> Option:
        option = self.question.options[index]
        prompt = literal_text(f"{index + 1}. {option.label}", style="bold")
        if option.consequences:
            prompt.append(literal_text(f"\n   {option.consequences}", style="dim"))
        return Option(prompt, id=str(index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Answers with the chosen option."""
        event.stop()
        index = event.option_index
        self.dismiss(Answer(self.question.options[index].label, option=index))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answers with the written text, unless there is none."""
        event.stop()
        text = event.value.strip()
        if not text:
            self.notify("Pick an option or write an answer.", severity="warning")
            return
        self.dismiss(Answer(text, option=None))
