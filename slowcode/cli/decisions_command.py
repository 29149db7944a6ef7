"""`slowcode decisions [list | show ID | search TEXT | status ID STATUS | supersede ID | export]`.

The decision log from the shell. An ID is a record's number (`3`, `0003`,
`ADR-0003`) or, for records without one (log4brains), its file's slug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from slowcode.cli.decisions_supersede import report_refusal, run_export, run_supersede
from slowcode.core.decision_record import DecisionRecord, DecisionStatus
from slowcode.core.errors import SlowcodeError
from slowcode.decisions.lifecycle import find, set_status
from slowcode.decisions.store import DecisionStore
from slowcode.ops.decision_commits import commit_decision_edit


def build_parser() -> argparse.ArgumentParser:
    """The parser of `slowcode decisions`."""
    parser = argparse.ArgumentParser(
        prog="slowcode decisions",
        description=(
            "The project's decision records: list them, show one, search them, or move one "
            "along its lifecycle. The folder and format (MADR 4, adr-tools, log4brains) are "
            "detected."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument(
        "-C", dest="path", default=".", metavar="PATH", help="a folder inside the repository"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="every record: number, status, date, title")
    show = actions.add_parser("show", help="one record in full")
    show.add_argument("id", metavar="ID", help=_ID_HELP)
    search = actions.add_parser("search", help="records whose text contains TEXT")
    search.add_argument("text", metavar="TEXT", help="words to look for (case-insensitive)")
    status = actions.add_parser(
        "status",
        help="move a record along its lifecycle (proposed, accepted, rejected, deprecated)",
    )
    status.add_argument("id", metavar="ID", help=_ID_HELP)
    # Checked by `parse_status`, not argparse `choices`: a bad word is a one-line error.
    status.add_argument("status", metavar="STATUS", help="accepted, rejected, deprecated, proposed")
    supersede = actions.add_parser(
        "supersede",
        help="write a new record that supersedes ID ($EDITOR opens its draft, or --decision)",
    )
    supersede.add_argument("id", metavar="ID", help=_ID_HELP)
    supersede.add_argument("--title", required=True, help="the new decision's title")
    supersede.add_argument("--context", help="why the decision changes (default: names ID)")
    supersede.add_argument(
        "--decision", help="what is decided now; without it $EDITOR opens the draft"
    )
    supersede.add_argument("--consequences", default="", help="what follows from it")
    export = actions.add_parser("export", help="write the log as a static HTML site")
    export.add_argument("--html", required=True, metavar="DIR", help="the folder to write")
    for sub in (status, supersede):
        sub.add_argument(
            "--no-commit",
            action="store_true",
            help="write the change but do not commit it (it is committed by default)",
        )
    for sub in (listing, show, search, status, supersede, export):
        # SUPPRESS: without it the sub-command's default would undo `decisions --json show`.
        sub.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
        )
    parser.set_defaults(run=run_decisions, action="list")
    return parser


_ID_HELP = "the record's number (3, 0003, ADR-0003) or its file's slug"


def open_store(path: Path) -> DecisionStore:
    """The decision store of the repository containing `path`, as configured."""
    from slowcode.core.config import load_config
    from slowcode.git.worktree import find_work_tree

    root = find_work_tree(path)
    config = load_config(root, os.environ, {})
    return DecisionStore(root, config.decisions_dir)


def matches(record: DecisionRecord, text: str) -> bool:
    """Whether `text` occurs (case-insensitively) anywhere in the record."""
    needle = text.casefold()
    options = " ".join(f"{o.title} {' '.join(o.pros)} {' '.join(o.cons)}" for o in record.options)
    haystack = " ".join(
        [record.title, record.context, record.outcome, record.consequences, record.chosen, options]
    )
    return needle in haystack.casefold()


def record_json(record: DecisionRecord) -> dict[str, object]:
    """A record as a JSON object (the status as its word, its stable `id` first)."""
    data: dict[str, object] = {"id": record.record_id, **asdict(record)}
    data["status"] = record.status.value
    return data


def list_line(record: DecisionRecord) -> str:
    """`0003  accepted    2026-11-21  Use PostgreSQL` (a slug id makes its own column)."""
    status = f"{record.status.value:<10}  {record.date or '-':<10}  {record.title}"
    return f"{record.record_id or '----'}  {status}"


# The verbs are accepted too: `status 3 accept` reads as well as `status 3 accepted`.
_STATUS_WORDS: dict[str, DecisionStatus] = {
    **{status.value: status for status in DecisionStatus},
    "accept": DecisionStatus.ACCEPTED,
    "reject": DecisionStatus.REJECTED,
    "deprecate": DecisionStatus.DEPRECATED,
    "propose": DecisionStatus.PROPOSED,
}


def parse_status(word: str) -> DecisionStatus:
    """The status a word names (`accepted` or `accept`, any case).

    Raises:
        SlowcodeError: The word names no status a record can be moved to (one line).
    """
    status = _STATUS_WORDS.get(word.strip().casefold())
    if status is None:
        raise SlowcodeError(
            f"unknown status {word!r}: use accepted, rejected, deprecated or proposed"
        )
    if status is DecisionStatus.SUPERSEDED:
        raise SlowcodeError(
            "superseding needs the new record: use slowcode decisions supersede ID --title …"
        )
    return status


def change_status(store: DecisionStore, wanted: str, word: str) -> tuple[DecisionRecord, str, str]:
    """Moves record `wanted` to the status `word` names, editing only its status lines.

    Returns:
        The rewritten record, the path changed and a line saying what changed.

    Raises:
        SlowcodeError: No such record, an unknown status, or a move the lifecycle refuses.
    """
    status = parse_status(word)
    record = find(store, wanted)
    before = record.status
    path = set_status(store, record, status)
    line = f"{record.record_id} {record.title}: {before.value} → {status.value} ({path})"
    return record, path, line


def run_decisions(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Runs `slowcode decisions`; a missing record is a one-line error (status 1)."""
    out = out or sys.stdout
    store = open_store(Path(args.path))
    if args.action == "status":
        moved, path, line = change_status(store, args.id, args.status)
        committed = None
        if not args.no_commit:
            committed = commit_decision_edit(store.root, [path], moved, moved.status.value)
        if args.json:
            payload = record_json(moved)
            if committed is not None:
                payload["commit"] = committed.commit
            print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
        else:
            print(line + (f"; {committed.line}" if committed else ""), file=out)
        return report_refusal(committed)
    if args.action == "supersede":
        return run_supersede(store, args, out)
    if args.action == "export":
        return run_export(store, Path(args.html), out)
    records = store.records()
    if args.action == "show":
        record = find(store, args.id)
        if args.json:
            print(json.dumps(record_json(record), ensure_ascii=False, indent=2), file=out)
        else:
            assert record.path is not None
            print((store.root / record.path).read_text(encoding="utf-8").rstrip("\n"), file=out)
        return 0
    if args.action == "search":
        records = [r for r in records if matches(r, args.text)]
    if args.json:
        payload = {
            "folder": store.folder,
            "format": store.format.value,
            "records": [record_json(r) for r in records],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
    elif records:
        print("\n".join(list_line(r) for r in records), file=out)
    elif args.action == "search":
        print(f"no decision record mentions {args.text!r}", file=out)
    else:
        print(f"no decision records yet in {store.layout.label}", file=out)
    return 0
