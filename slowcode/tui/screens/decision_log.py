"""The Decisions screen: the log with search and a status filter, one record read at a time.

The list shows number, title, status and date; typing in the search box filters it
as you type, `f` cycles the status filter. The selected record is rendered as
Markdown with the commits that cite it (their `Decision:` trailer) and its
supersede links, which `>` / `<` follow. `s` supersedes the selected record with a
new one; `a` / `x` / `d` / `p` accept, reject, deprecate or propose it again, where
the lifecycle allows; each change is confirmed, then written in the folder's own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.decisions.lifecycle import can_move, set_status, supersede
from slowcode.decisions.store import DecisionStore
from slowcode.ops.blame import CitingCommit, citations
from slowcode.ops.decision_commits import DecisionCommit, commit_decision_edit, supersede_action
from slowcode.tui.decision_markdown import options_markdown
from slowcode.tui.literal import LiteralInput, literal_line, notify
from slowcode.tui.screens.confirm import ConfirmScreen
from slowcode.tui.screens.feedback import FeedbackScreen
from slowcode.tui.widgets.key_bar import KeyBar
from slowcode.tui.widgets.literal_markdown import LiteralMarkdown

# `f` cycles through these; None shows every status.
STATUS_FILTERS: tuple[DecisionStatus | None, ...] = (None, *DecisionStatus)


@dataclass
class DecisionLog:
    """What the screen shows: the records and the commits citing each (by record path)."""

    records: list[DecisionRecord] = field(default_factory=list)
    cited_by: dict[str, list[CitingCommit]] = field(default_factory=dict)


def option_text(record: DecisionRecord) -> str:
    """`0003  Use PostgreSQL  (accepted, 2026-11-21)`."""
    number = record.record_id or "----"
    date = f", {record.date}" if record.date else ""
    return f"{number}  {record.title}  ({record.status.value}{date})"


def matches(record: DecisionRecord, query: str, status: DecisionStatus | None) -> bool:
    """Whether the record passes the status filter and holds every word of `query`."""
    if status is not None and record.status is not status:
        return False
    options = " ".join(o.title for o in record.options)
    text = f"{record.record_id} {record.title} {record.context} {record.outcome} {options}"
    words = query.casefold().split()
    return all(word in text.casefold() for word in words)


def record_markdown(
    record: DecisionRecord, by_path: dict[str, DecisionRecord], cited_by: list[CitingCommit]
) -> str:
    """The record as Markdown: metadata, links, sections, and the commits that cite it."""
    meta = [f"**{record.status.value}**"]
    if record.date:
        meta.append(record.date)
    if record.decision_makers:
        meta.append("decided by " + ", ".join(record.decision_makers))
    parts = [f"# {record.title or 'Untitled decision'}", " · ".join(meta)]
    links = []
    if record.superseded_by:
        links.append(f"⇢ Superseded by {_named(record.superseded_by, by_path)} (`>` to open)")
    if record.supersedes:
        links.append(f"⇠ Supersedes {_named(record.supersedes, by_path)} (`<` to open)")
    if links:
        parts.append("\n".join(f"- {link}" for link in links))
    if record.context:
        parts += ["## Context and Problem Statement", record.context]
    if record.options:
        parts += ["## Considered Options", options_markdown(record)]
    outcome = record.outcome
    if record.chosen:
        outcome = f"Chosen option: **{record.chosen}**" + (f"\n\n{outcome}" if outcome else "")
    if outcome:
        parts += ["## Decision Outcome", outcome]
    if record.consequences:
        parts += ["## Consequences", record.consequences]
    parts.append("## Commits citing this record")
    if cited_by:
        parts.append("\n".join(f"- `{c.sha[:10]}` {c.date} {c.subject}" for c in cited_by))
    else:
        parts.append("No commit cites this record yet.")
    parts.append(f"`{record.path}`")
    return "\n\n".join(parts)


def _named(path: str, by_path: dict[str, DecisionRecord]) -> str:
    target = by_path.get(path)
    if target is None:
        return f"`{path}`"
    return f"{target.record_id} {target.title}"


class DecisionLogScreen(Screen[None]):
    """The decision log: search, filter, read, follow links, supersede.

    Args:
        root: The repository root.
        decisions_dir: The configured decisions folder (None: detect).
    """

    TITLE = "Decisions"
    CSS_PATH = "decision_log.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search"),
        Binding("f", "cycle_filter", "Status filter"),
        Binding("s", "supersede", "Supersede…"),
        Binding("a", "set_status('accepted')", "Accept"),
        Binding("x", "set_status('rejected')", "Reject"),
        Binding("d", "set_status('deprecated')", "Deprecate"),
        Binding("p", "set_status('proposed')", "Propose again"),
        Binding("greater_than_sign", "follow('superseded_by')", "Newer"),
        Binding("less_than_sign", "follow('supersedes')", "Older"),
        Binding("j", "cursor(1)", "Next", show=False),
        Binding("k", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(self, root: Path, decisions_dir: str | None) -> None:
        super().__init__()
        self._root = root
        self._store = DecisionStore(root, decisions_dir)
        self._log = DecisionLog()
        self._shown: list[DecisionRecord] = []
        self._filter = 0
        self._selected_path: str | None = None

    @property
    def selected(self) -> DecisionRecord | None:
        """The highlighted record, if any."""
        index = self.query_one("#log-records", OptionList).highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    def compose(self) -> ComposeResult:
        """Title, search box and filter, the list beside the selected record, the footer."""
        yield Label(literal_line(f"Decisions · {self._store.layout.label}"), id="log-title")
        with Horizontal(id="log-body"):
            with Vertical(id="log-side"):
                yield LiteralInput(placeholder="/ search titles and text", id="log-search")
                yield Label("", id="log-filter")
                yield OptionList(id="log-records")
            with VerticalScroll(id="log-reader"):
                yield LiteralMarkdown("", id="log-record")
        yield KeyBar()

    def on_mount(self) -> None:
        """Reads the folder and git log away from the UI thread."""
        self._update_filter_label()
        self._load()

    @work(thread=True, exclusive=True, group="decisions", exit_on_error=False)
    def _load(self) -> None:
        self.app.call_from_thread(self._loaded, self._read_log())

    def _read_log(self) -> DecisionLog:
        # Reads every record and runs git log: too slow for the UI thread, so workers call it.
        return DecisionLog(self._store.records(), citations(self._root))

    def _loaded(self, log: DecisionLog, select: str | None = None) -> None:
        self._log = log
        self._refilter(keep=select or self._selected_path, last=True)
        self.query_one("#log-records", OptionList).focus()

    def _refilter(self, keep: str | None = None, last: bool = False) -> None:
        query = self.query_one("#log-search", Input).value
        status = STATUS_FILTERS[self._filter]
        self._shown = [r for r in self._log.records if matches(r, query, status)]
        options = self.query_one("#log-records", OptionList)
        options.clear_options()
        options.add_options([Option(literal_line(option_text(record))) for record in self._shown])
        self._update_filter_label()
        if not self._shown:
            self._show_empty(query)
            return
        paths = [r.path for r in self._shown]
        index = paths.index(keep) if keep in paths else (len(paths) - 1 if last else 0)
        options.highlighted = index
        self._show(self._shown[index])

    def _update_filter_label(self) -> None:
        status = STATUS_FILTERS[self._filter]
        total = len(self._log.records)
        which = f"status: {status.value}" if status else "all statuses"
        self.query_one("#log-filter", Label).update(
            f"{len(self._shown)} of {total} records · {which} (f)"
        )

    def _show_empty(self, query: str) -> None:
        if not self._log.records:
            text = f"No decision records in `{self._store.folder}` yet."
        else:
            text = "No record matches" + (f" “{query}”" if query else "") + "."
        self.query_one("#log-record", LiteralMarkdown).update(text)

    def _show(self, record: DecisionRecord) -> None:
        self._selected_path = record.path
        by_path = {r.path: r for r in self._log.records if r.path}
        cited = self._log.cited_by.get(record.path or "", [])
        self.query_one("#log-record", LiteralMarkdown).update(
            record_markdown(record, by_path, cited)
        )
        self.refresh_bindings()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filters the list as the search text changes."""
        event.stop()
        self._refilter(keep=self._selected_path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """`enter` in the search box moves to the list."""
        event.stop()
        self.query_one("#log-records", OptionList).focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Shows the highlighted record."""
        if 0 <= event.option_index < len(self._shown):
            self._show(self._shown[event.option_index])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offers links, status changes and supersede only where they apply."""
        if action == "search":
            # Not offered from the search box itself: it is already there.
            return self.focused is not self.query_one("#log-search", Input)
        record = self._current()
        if action == "set_status":
            # False, not None: a move the lifecycle refuses is hidden, not greyed out.
            return record is not None and can_move(
                record.status, DecisionStatus(str(parameters[0]))
            )
        if action == "follow":
            return record is not None and bool(getattr(record, str(parameters[0])))
        if action == "supersede":
            return record is not None and record.status in (
                DecisionStatus.ACCEPTED,
                DecisionStatus.DEPRECATED,
            )
        return True

    def _current(self) -> DecisionRecord | None:
        return next((r for r in self._log.records if r.path == self._selected_path), None)

    def action_search(self) -> None:
        """Moves to the search box."""
        self.query_one("#log-search", Input).focus()

    def action_cycle_filter(self) -> None:
        """Shows only the next status (all → proposed → … → superseded → all)."""
        self._filter = (self._filter + 1) % len(STATUS_FILTERS)
        self._refilter(keep=self._selected_path)

    def action_follow(self, link: str) -> None:
        """Opens the superseding (`>`) or superseded (`<`) record."""
        record = self._current()
        target = getattr(record, link, None) if record else None
        if not target:
            return
        if target not in (r.path for r in self._shown):
            # The filter or search hides it: show everything so it can be selected.
            self._filter = 0
            self.query_one("#log-search", Input).value = ""
        self._refilter(keep=target)

    def action_set_status(self, status: str) -> None:
        """Asks for confirmation, then moves the selected record to `status`."""
        record = self._current()
        new = DecisionStatus(status)
        if record is None or not can_move(record.status, new):
            return
        number = f"{record.record_id} " if record.record_id else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write_status(record, new)

        self.app.push_screen(
            ConfirmScreen(
                f"Mark {number}“{record.title}” as {new.value}? "
                f"({record.status.value} now; {record.path} is rewritten and committed)"
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="decisions", exit_on_error=False)
    def _write_status(self, record: DecisionRecord, status: DecisionStatus) -> None:
        before = record.status
        try:
            path = set_status(self._store, record, status)
        except SlowcodeError as error:
            record.status = before
            self.app.call_from_thread(notify, self, str(error), severity="error")
            return
        committed = commit_decision_edit(self._root, [path], record, status.value)
        self._tell(f"{record.path}: {before.value} → {status.value}", committed)
        self.app.call_from_thread(self._loaded, self._read_log(), record.path)

    def _tell(self, done: str, committed: DecisionCommit) -> None:
        """Says what was written and whether it was committed (from a worker thread)."""
        severity = "information" if committed.commit else "error"
        self.app.call_from_thread(notify, self, f"{done}; {committed.line}", severity=severity)

    def action_supersede(self) -> None:
        """Asks for the new decision, then writes it and links both records."""
        old = self._current()
        if old is None:
            return

        def outcome_given(title: str, outcome: str | None) -> None:
            if outcome:
                self._write_supersede(old, title, outcome)

        def titled(title: str | None) -> None:
            if title:
                self.app.push_screen(
                    FeedbackScreen(
                        f"What is decided now, instead of “{old.title}”?",
                        placeholder="e.g. We use PostgreSQL: several processes write at once.",
                    ),
                    lambda outcome: outcome_given(title, outcome),
                )

        self.app.push_screen(
            FeedbackScreen(
                f"Supersede {old.record_id} “{old.title}”: title of the new decision",
                placeholder="e.g. Use PostgreSQL for session state",
            ),
            titled,
        )

    @work(thread=True, exclusive=True, group="decisions", exit_on_error=False)
    def _write_supersede(self, old: DecisionRecord, title: str, outcome: str) -> None:
        new = DecisionRecord(
            title=title, context=f"Replaces the decision “{old.title}”.", outcome=outcome
        )
        try:
            paths = supersede(self._store, old, new)
        except SlowcodeError as error:
            self.app.call_from_thread(notify, self, str(error), severity="error")
            return
        committed = commit_decision_edit(self._root, paths, new, supersede_action(old))
        self._tell(f"{old.path} superseded by {new.path}", committed)
        self.app.call_from_thread(self._loaded, self._read_log(), new.path)

    def action_cursor(self, offset: int) -> None:
        """Moves the selection (`j`/`k`)."""
        option_list = self.query_one("#log-records", OptionList)
        if offset > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_back(self) -> None:
        """Leaves the search box first, then the screen."""
        search = self.query_one("#log-search", Input)
        if search.has_focus:
            self.query_one("#log-records", OptionList).focus()
            return
        self.dismiss(None)
