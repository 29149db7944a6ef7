"""The supersede graph of a decision log, drawn as a standalone SVG.

Each chain of records that supersede one another is a row, oldest on the left,
with an arrow from each record to the one that superseded it; records no other
record supersedes or is superseded by share rows after the chains. Every box
links to the record's page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from slowcode.core.decision_record import DecisionRecord

BOX_WIDTH = 230
BOX_HEIGHT = 46
GAP_X = 50
GAP_Y = 22
PER_ROW = 3
_COLOURS = {
    "accepted": "#e8f5e9",
    "proposed": "#e3f2fd",
    "superseded": "#fff8e1",
    "deprecated": "#fff8e1",
    "rejected": "#fbe9e7",
}


def supersede_graph(records: Sequence[tuple[DecisionRecord, str]]) -> str:
    """The SVG of the records' supersede links; each `(record, page)` box links to `page`."""
    by_path = {r.path: (r, page) for r, page in records if r.path}
    edges = sorted(_edges([r for r, _page in records], set(by_path)))
    newer: dict[str, list[str]] = {}
    older: dict[str, list[str]] = {}
    for old, new in edges:
        newer.setdefault(old, []).append(new)
        older.setdefault(new, []).append(old)
    rows = _rows([r.path for r, _p in records if r.path], newer, older)
    positions: dict[str, tuple[int, int]] = {}
    for row_index, row in enumerate(rows):
        for column, path in row:
            positions[path] = (
                10 + column * (BOX_WIDTH + GAP_X),
                10 + row_index * (BOX_HEIGHT + GAP_Y),
            )
    width = max((x for x, _y in positions.values()), default=0) + BOX_WIDTH + 20
    height = max((y for _x, y in positions.values()), default=0) + BOX_HEIGHT + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" '
        'role="img" aria-label="Supersede graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    for old, new in edges:
        (x1, y1), (x2, y2) = positions[old], positions[new]
        parts.append(
            f'<line class="supersede" x1="{x1 + BOX_WIDTH}" y1="{y1 + BOX_HEIGHT // 2}" '
            f'x2="{x2}" y2="{y2 + BOX_HEIGHT // 2}" stroke="#555" marker-end="url(#arrow)"/>'
        )
    for path, (x, y) in positions.items():
        record, page = by_path[path]
        status = record.status.value
        title = record.title if len(record.title) <= 32 else record.title[:31] + "…"
        parts.append(
            f'<a href="{html.escape(page)}"><g class="record">'
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" '
            f'fill="{_COLOURS.get(status, "#eee")}" stroke="#888"/>'
            f'<text x="{x + 8}" y="{y + 18}" font-weight="bold">'
            f"{html.escape(record.record_id)} · {status}</text>"
            f'<text x="{x + 8}" y="{y + 36}">{html.escape(title)}</text></g></a>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _edges(records: Sequence[DecisionRecord], known: set[str]) -> set[tuple[str, str]]:
    """`(older, newer)` for every supersede link either side writes."""
    edges: set[tuple[str, str]] = set()
    for record in records:
        if not record.path:
            continue
        if record.superseded_by in known and record.superseded_by != record.path:
            edges.add((record.path, record.superseded_by))
        if record.supersedes in known and record.supersedes != record.path:
            edges.add((record.supersedes, record.path))
    return edges


def _rows(
    paths: list[str], newer: dict[str, list[str]], older: dict[str, list[str]]
) -> list[list[tuple[int, str]]]:
    """Rows of `(column, path)`: one per chain (column = depth), then the rest, `PER_ROW` each."""
    placed: set[str] = set()
    rows: list[list[tuple[int, str]]] = []
    for path in paths:
        if path in placed or path not in newer or path in older:
            continue
        # A chain starts at a record that supersedes nothing.
        row: list[tuple[int, str]] = []
        frontier, depth = [path], 0
        while frontier:
            following = []
            for item in frontier:
                if item not in placed:
                    placed.add(item)
                    row.append((depth, item))
                    following.extend(newer.get(item, []))
            frontier, depth = following, depth + 1
        rows.append(_spread(row))
    # Cycles (hand-written records may have them) and records without links.
    rest = [p for p in paths if p not in placed]
    for start in range(0, len(rest), PER_ROW):
        rows.append(list(enumerate(rest[start : start + PER_ROW])))
    return rows


def _spread(row: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Gives records at the same depth their own columns, so no box hides another."""
    spread: list[tuple[int, str]] = []
    used: set[int] = set()
    for depth, path in sorted(row):
        column = depth
        while column in used:
            column += 1
        used.add(column)
        spread.append((column, path))
    return spread
