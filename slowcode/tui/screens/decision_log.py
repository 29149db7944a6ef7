"""The decision log: the records in the project's decisions folder, one read at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown, OptionList
from textual.widgets.option_list import Option

# Where decision records live when the configuration does not say (first match wins).
_KNOWN_FOLDERS = ("docs/decisions", "docs/adr", "doc/adr", "doc/decisions")
_RECORD_NAME = re.compile(r"^(\d{4})-.+\.md$")
_TITLE_NUMBER = re.compile(r"^\d+\.\s*")


@dataclass(frozen=True)
class RecordFile:
    """A decision record file: its number, title (from its first heading), status and body."""

    number: int
    title: str
    status: str
    path: Path
    text: str


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """MADR's YAML front matter as flat `key: value` pairs, and the text after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    fields = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[end + 4 :].lstrip("\n")


def decisions_folder(root: Path, configured: str | None) -> Path:
    """The folder to read: the configured one, else the first known one that exists."""
    if configured:
        return root / configured
    adr_dir = root / ".adr-dir"
    if adr_dir.is_file():
        return root / adr_dir.read_text(encoding="utf-8").strip()
    for folder in _KNOWN_FOLDERS:
        if (root / folder).is_dir():
            return root / folder
    return root / _KNOWN_FOLDERS[0]


def read_records(folder: Path) -> list[RecordFile]:
    """Every `NNNN-*.md` record in `folder`, by number; titles come from the files."""
    if not folder.is_dir():
        return []
    records = []
    for path in folder.iterdir():
        match = _RECORD_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        fields, text = _split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        title = next(
            (line[2:].strip() for line in text.splitlines() if line.startswith("# ")),
            path.stem,
        )
        status = fields.get("status", "")
        if not status:
            # adr-tools style: a "## Status" section whose next non-empty line is the status.
            lines = [line.strip() for line in text.splitlines()]
            if "## Status" in lines:
                following = lines[lines.index("## Status") + 1 :]
                status = next((line for line in following if line), "").lower()
        records.append(
            RecordFile(int(match.group(1)), _TITLE_NUMBER.sub("", title), status, path, text)
        )
    return sorted(records, key=lambda record: record.number)


class DecisionLogScreen(Screen[None]):
    """Lists the project's decision records and shows the highlighted one.

    Args:
        root: The repository root.
        decisions_dir: The configured decisions folder (None: detect).
    """

    TITLE = "Decision log"
    CSS_PATH = "decision_log.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("j", "cursor(1)", "Next", show=False),
        Binding("k", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(self, root: Path, decisions_dir: str | None) -> None:
        super().__init__()
        self._folder = decisions_folder(root, decisions_dir)
        self._root = root
        self._records: list[RecordFile] = []

    def compose(self) -> ComposeResult:
        """The list of records beside the selected record."""
        yield Label(f"Decision log · {self._relative_folder()}", id="log-title")
        with Horizontal(id="log-body"):
            yield OptionList(id="log-records")
            with VerticalScroll(id="log-reader"):
                yield Markdown("", id="log-record")
        yield Footer()

    def on_mount(self) -> None:
        """Reads the folder away from the UI thread."""
        self._load()

    @work(thread=True, exclusive=True, group="files", exit_on_error=False)
    def _load(self) -> None:
        records = read_records(self._folder)
        self.app.call_from_thread(self._show, records)

    def _show(self, records: list[RecordFile]) -> None:
        self._records = records
        option_list = self.query_one("#log-records", OptionList)
        option_list.clear_options()
        if not records:
            self.query_one("#log-record", Markdown).update(
                f"No decision records in `{self._relative_folder()}` yet."
            )
            return
        option_list.add_options(
            [
                Option(f"{record.number:04d}  {record.title}  ({record.status or 'no status'})")
                for record in records
            ]
        )
        option_list.highlighted = len(records) - 1
        option_list.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Shows the highlighted record."""
        if 0 <= event.option_index < len(self._records):
            record = self._records[event.option_index]
            self.query_one("#log-record", Markdown).update(record.text)

    def action_cursor(self, offset: int) -> None:
        """Moves the selection (`j`/`k`)."""
        option_list = self.query_one("#log-records", OptionList)
        if offset > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_back(self) -> None:
        """Back to the screen beneath."""
        self.dismiss(None)

    def _relative_folder(self) -> str:
        try:
            return str(self._folder.relative_to(self._root))
        except ValueError:
            return str(self._folder)
