"""`slowcode decisions export --html DIR`: the decision log as a static site.

The site works from `file://` with no network: plain HTML, one inline style
sheet, one inline script (the index's filter box), and an SVG supersede graph.
Each record's page is rendered from its Markdown (markdown-it-py, raw HTML
off) with its status history (from git), the commits that cite it (their
`Decision:` trailer) and its supersede links both ways.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from slowcode.core.atomic import write_text_atomic
from slowcode.core.decision_record import DecisionRecord
from slowcode.core.errors import SlowcodeError
from slowcode.decisions.formats import parse_any
from slowcode.decisions.store import DecisionStore
from slowcode.git.runner import git_text
from slowcode.ops.blame import CitingCommit, citations
from slowcode.ops.decision_graph import supersede_graph

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
a{color:#0b5cad}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}
td:first-child,td:last-child{white-space:nowrap}#graph{overflow:auto}
.status{font-weight:600}.superseded,.deprecated,.rejected{color:#8a6d3b}
.accepted{color:#2e7d32}.missing{border-bottom:1px dotted #999}.proposed{color:#1565c0}
#filter{width:100%;padding:.4rem;font-size:1rem;margin:.5rem 0 1rem}
aside{background:#f6f8fa;padding:.5rem 1rem;border-radius:6px;margin:1rem 0}
pre{background:#f6f8fa;padding:.5rem;overflow:auto}
"""
_FILTER_SCRIPT = """
const box = document.getElementById("filter");
function apply() {
  const words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const row of document.querySelectorAll("#records tbody tr")) {
    const text = row.textContent.toLowerCase();
    row.hidden = !words.every((w) => text.includes(w));
    if (!row.hidden) shown++;
  }
  document.getElementById("shown").textContent = shown;
}
box.addEventListener("input", apply);
const wanted = new URLSearchParams(location.search).get("q");
if (wanted) box.value = wanted;
apply();
"""


@dataclass
class StatusChange:
    """One status a record had, from the commit that gave it that status."""

    status: str
    date: str
    commit: str
    subject: str


@dataclass
class SitePage:
    """One record's page: the record, its file name in the site, and what links to it."""

    record: DecisionRecord
    name: str
    superseded_by: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)


def page_name(record: DecisionRecord) -> str:
    """The record's page in the site: its file name with `.html` for `.md`."""
    stem = posixpath.splitext(posixpath.basename(record.path or record.record_id))[0]
    return f"{stem}.html"


def export_site(store: DecisionStore, folder: Path) -> list[Path]:
    """Writes the site into `folder` (created if missing).

    Returns:
        The files written: the index, the graph, then one page per record.

    Raises:
        SlowcodeError: The folder cannot be written (one line).
    """
    records = store.records()
    pages = _pages(records)
    cited = citations(store.root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SlowcodeError(f"cannot create {folder}: {exc.strerror or exc}") from None
    graph = supersede_graph([(p.record, p.name) for p in pages.values()])
    written = [
        _write(folder / "index.html", _index(store, list(pages.values()), graph)),
        _write(folder / "graph.svg", graph),
    ]
    by_path = {path: page for path, page in pages.items()}
    for path, page in pages.items():
        history = status_history(store.root, path)
        body = _record_page(store, page, by_path, cited.get(path, []), history)
        written.append(_write(folder / page.name, body))
    return written


def _pages(records: Sequence[DecisionRecord]) -> dict[str, SitePage]:
    pages = {r.path: SitePage(r, page_name(r)) for r in records if r.path}
    for path, page in pages.items():
        record = page.record
        targets = [t for verb, t in record.links if verb.casefold() in ("supersedes", "supercedes")]
        for older in [record.supersedes or "", *targets]:
            if older in pages and older != path:
                _add(page.supersedes, older)
                _add(pages[older].superseded_by, path)
        if record.superseded_by in pages and record.superseded_by != path:
            _add(page.superseded_by, record.superseded_by)
            _add(pages[record.superseded_by].supersedes, path)
    return pages


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def status_history(root: Path, path: str) -> list[StatusChange]:
    """Each status the record had, oldest first, from the commits that changed its file."""
    try:
        log = git_text(root, "log", "--reverse", "--format=%H%x1f%as%x1f%s", "--", path)
    except SlowcodeError:
        return []
    changes: list[StatusChange] = []
    for line in log.splitlines():
        sha, date, subject = [*line.split("\x1f"), "", ""][:3]
        try:
            text = git_text(root, "show", f"{sha}:{path}")
        except SlowcodeError:
            continue
        status = parse_any(text, path).status.value
        if not changes or changes[-1].status != status:
            changes.append(StatusChange(status, date, sha, subject))
    return changes


def _write(file: Path, text: str) -> Path:
    try:
        write_text_atomic(file, text)
    except OSError as exc:
        raise SlowcodeError(f"cannot write {file}: {exc.strerror or exc}") from None
    return file


def _document(title: str, body: str, script: str = "") -> str:
    tail = f"<script>{script}</script>\n" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n{tail}</body>\n</html>\n"
    )


def _index(store: DecisionStore, pages: list[SitePage], graph: str) -> str:
    rows = []
    for page in pages:
        record = page.record
        status = record.status.value
        rows.append(
            f'<tr data-id="{html.escape(record.record_id)}">'
            f"<td>{html.escape(record.record_id)}</td>"
            f'<td><a href="{html.escape(page.name)}">{html.escape(record.title)}</a></td>'
            f'<td class="status {status}">{status}</td>'
            f"<td>{html.escape(record.date or '-')}</td></tr>"
        )
    body = (
        f"<h1>Decision log</h1>\n<p>{html.escape(store.layout.label)} · "
        f'<span id="shown">{len(pages)}</span> of {len(pages)} records · '
        '<a href="graph.svg">supersede graph</a></p>\n'
        '<input id="filter" type="search" placeholder="Filter by number, title, status or date"'
        ' aria-label="Filter records">\n'
        '<table id="records">\n<thead><tr><th>Number</th><th>Title</th><th>Status</th>'
        "<th>Date</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
        f'<h2>Supersede graph</h2>\n<div id="graph">{graph}</div>'
    )
    return _document("Decision log", body, _FILTER_SCRIPT)


def _record_page(
    store: DecisionStore,
    page: SitePage,
    pages: dict[str, SitePage],
    cited: list[CitingCommit],
    history: list[StatusChange],
) -> str:
    record = page.record
    assert record.path is not None
    text = (store.root / record.path).read_text(encoding="utf-8")
    rendered = render_markdown(text, record.path, pages)

    def links(paths: list[str]) -> str:
        return ", ".join(
            f'<a href="{html.escape(pages[p].name)}">{html.escape(pages[p].record.record_id)} '
            f"{html.escape(pages[p].record.title)}</a>"
            for p in paths
        )

    facts = [
        f"<p><b>{html.escape(record.record_id)}</b> · "
        f'<span class="status {record.status.value}">{record.status.value}</span>'
        f" · {html.escape(record.date or 'undated')} · <code>{html.escape(record.path)}</code></p>"
    ]
    if page.superseded_by:
        facts.append(f'<p class="superseded-by">Superseded by {links(page.superseded_by)}</p>')
    if page.supersedes:
        facts.append(f'<p class="supersedes">Supersedes {links(page.supersedes)}</p>')
    history_items = "".join(
        f"<li>{html.escape(c.date)}: <b>{html.escape(c.status)}</b> "
        f"(<code>{c.commit[:10]}</code> {html.escape(c.subject)})</li>"
        for c in history
    )
    cited_items = "".join(
        f"<li><code>{c.sha[:10]}</code> {html.escape(c.date)} {html.escape(c.subject)}</li>"
        for c in cited
    )
    aside = (
        '<aside><h2>Status history</h2><ul id="history">'
        + (history_items or "<li>not committed yet</li>")
        + '</ul><h2>Commits citing this decision</h2><ul id="cited">'
        + (cited_items or "<li>none</li>")
        + "</ul></aside>"
    )
    nav = '<p><a href="index.html">← all decisions</a></p>'
    body = f"{nav}\n{''.join(facts)}\n{aside}\n<article>{rendered}</article>"
    return _document(f"{record.record_id} {record.title}", body)


def render_markdown(text: str, path: str, pages: dict[str, SitePage]) -> str:
    """The record's Markdown as HTML; links to other records point to their pages."""
    body = _strip_front_matter(text)
    parser = MarkdownIt("commonmark", {"html": False})
    tokens = parser.parse(_COMMENT.sub("", body))
    folder = posixpath.dirname(path)
    opened: list[bool] = []
    for token in _walk(tokens):
        if token.type == "link_close":
            if opened and opened.pop():
                token.tag = "span"
            continue
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        target = posixpath.normpath(posixpath.join(folder, unquote(href)))
        if "://" in href or href.startswith(("#", "mailto:")):
            opened.append(False)
        elif target in pages:
            token.attrSet("href", pages[target].name)
            opened.append(False)
        else:
            # A file outside the log (a record that is gone, a source file): no dead link.
            token.tag = "span"
            token.attrs = {"class": "missing", "title": f"{href} is not in this decision log"}
            opened.append(True)
    return str(parser.renderer.render(tokens, parser.options, {}))


def _walk(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.children:
            found.extend(_walk(token.children))
    return found


def _strip_front_matter(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[index + 1 :])
    return text
