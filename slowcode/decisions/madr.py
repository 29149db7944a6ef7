"""Markdown Decision Records (MADR 4): render a `DecisionRecord` to a file and parse it back.

The layout is MADR 4's: YAML front matter (`status`, `date`, `decision-makers`, and
`supersedes` / `superseded-by` when set), `# Title`, then the sections Context and
Problem Statement, Considered Options, Decision Outcome (with `### Consequences`) and
Pros and Cons of the Options.

`parse(render(r)) == r` for every record whose one-line fields (title, date, option
titles, pros, cons, decision makers, chosen option) hold no line breaks and whose
texts are stripped. Free-text lines that start with `#` or `\\` are escaped with a
backslash (Markdown shows them unchanged), so a heading inside a text can never be
mistaken for a section. The parser is lenient with hand-written records: missing
sections stay empty, and adr-tools' `## Status` / `## Context` / `## Decision` /
`## Consequences` layout is understood too.
"""

from __future__ import annotations

import posixpath
import re

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions import front_matter as fm
from slowcode.decisions.links import (
    MARKDOWN_LINK,
    SUPERSEDED_BY_VERBS,
    SUPERSEDES_VERBS,
    first_of,
    href_to,
    link_lines,
    markdown_link,
    target_of,
)

CONTEXT = "Context and Problem Statement"
OPTIONS = "Considered Options"
OUTCOME = "Decision Outcome"
CONSEQUENCES = "Consequences"
PROS_AND_CONS = "Pros and Cons of the Options"

_CHOSEN_PREFIX = "Chosen option:"
_CHOSEN = re.compile(
    r'Chosen option: "((?:[^"\\]|\\.)*)"(?:, because (.*)|\.?(?:\n\n(.*))?)', re.DOTALL
)
# One line that starts in lower case, with no Markdown to escape: it follows "because".
_READS_AS_REASON = re.compile(r"[a-z][^\n]*")
_SUCCESSOR = re.compile(r"super[sc]eded by\s+(.+)", re.I | re.S)
# 1–7 digits: `20261121-use-x.md` is a log4brains date, not record number 20261121.
_NUMBER_IN_NAME = re.compile(r"(\d{1,7})-")
_ADR_TOOLS_TITLE = re.compile(r"\d+\.\s+")
_BULLET = re.compile(r"[*-] (.*)")
_PRO_CON = re.compile(r"[*-] (Good|Bad|Neutral), because ?(.*)")

FrontMatter = dict[str, "str | list[str]"]


# Rendering ------------------------------------------------------------------------


def render(record: DecisionRecord) -> str:
    """The record as a MADR 4 Markdown file."""
    return "\n".join([*front_matter(record), "", *render_body(record)]).rstrip("\n") + "\n"


def front_matter(record: DecisionRecord) -> list[str]:
    """MADR's YAML front matter lines, delimiters included.

    A superseded record says so as MADR 4 does: `status: "superseded by ADR-0005"`.
    Names YAML would read as numbers or booleans (`0123`, `yes`) are quoted.
    """
    status = record.status.value
    if record.status is DecisionStatus.SUPERSEDED and record.superseded_by:
        status = f"superseded by {reference(record.superseded_by)}"
    lines = ["---", *fm.render_key("status", status, quoted=" " in status)]
    if record.date.strip():
        lines += fm.render_key("date", one_line(record.date))
    lines += fm.render_key("decision-makers", [one_line(n) for n in record.decision_makers])
    return [*lines, "---"]


def reference(target: str) -> str:
    """How MADR names another record: `ADR-0005` for `0005-use-x.md`, else the file's stem."""
    number = number_from_path(target)
    if number is not None:
        return f"ADR-{number:04d}"
    return posixpath.splitext(posixpath.basename(target))[0] or target


def render_body(record: DecisionRecord, *, link_lines: bool = True, bullet: str = "*") -> list[str]:
    """The title and MADR sections, without front matter.

    Args:
        record: The record.
        link_lines: Whether to write the "Supersedes" line under "More Information"
            (MADR 4's place for links; log4brains keeps links under `## Links`).
        bullet: The list marker (`*` as MADR's template, `-` as log4brains').
    """
    lines = [f"# {one_line(record.title)}", ""]

    lines += [f"## {CONTEXT}", ""]
    if record.context.strip():
        lines += [escape(record.context.strip()), ""]

    if record.options:
        lines += [f"## {OPTIONS}", ""]
        lines += [f"{bullet} {one_line(option.title)}" for option in record.options]
        lines.append("")

    lines += [f"## {OUTCOME}", ""]
    outcome = _outcome_paragraph(record.chosen, record.outcome.strip())
    if outcome:
        lines += [outcome, ""]
    if record.consequences.strip():
        lines += [f"### {CONSEQUENCES}", "", escape(record.consequences.strip()), ""]

    if record.options:
        lines += [f"## {PROS_AND_CONS}", ""]
        for option in record.options:
            lines += [f"### {one_line(option.title)}", ""]
            bullets = [f"{bullet} Good, because {one_line(pro)}" for pro in option.pros]
            bullets += [f"{bullet} Bad, because {one_line(con)}" for con in option.cons]
            if bullets:
                lines += [*bullets, ""]
    if link_lines and record.supersedes:
        # MADR 4 keeps links to other records under "More Information".
        target = record.supersedes
        lines += ["## More Information", ""]
        href = href_to(record.path, target).replace(" ", "%20")
        lines += [f"Supersedes [{reference(target)}]({href})", ""]
    return lines


def _outcome_paragraph(chosen: str, outcome: str) -> str:
    chosen = one_line(chosen)
    if chosen:
        quoted = chosen.replace("\\", "\\\\").replace('"', '\\"')
        if not outcome:
            return f'Chosen option: "{quoted}".'
        if _READS_AS_REASON.fullmatch(outcome):
            # MADR's own phrasing, when the outcome is a reason ("it needs no server").
            return f'Chosen option: "{quoted}", because {outcome}'
        # A sentence of its own ("We will store …") reads badly after "because".
        return f'Chosen option: "{quoted}".\n\n{escape(outcome)}'
    if outcome.startswith(_CHOSEN_PREFIX):
        # Without a chosen option, a text that happens to start like one must not be
        # read back as one.
        return "\\" + escape(outcome)
    return escape(outcome)


def link_to(record: DecisionRecord, target: str) -> str:
    """A Markdown link from `record`'s file to the repository path `target`."""
    return markdown_link(record.path, one_line(target))


def escape(text: str) -> str:
    """Escapes lines starting with `#` or `\\` so they never read as headings."""
    return "\n".join(
        "\\" + line if line.startswith(("#", "\\")) else line for line in text.split("\n")
    )


def unescape(text: str) -> str:
    """Undoes `escape`."""
    return "\n".join(line[1:] if line.startswith("\\") else line for line in text.split("\n"))


def one_line(text: str) -> str:
    """The text folded onto one line."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


# Parsing --------------------------------------------------------------------------


def parse(text: str, path: str | None = None, *, numbered_title: bool = True) -> DecisionRecord:
    """Reads a decision record from Markdown; never fails, missing parts stay empty.

    Args:
        text: The file's content.
        path: The file's repository-relative path; its `NNNN-` prefix sets `number`.
        numbered_title: Whether a title like `# 3. Use X` without front matter is an
            adr-tools title whose number is dropped.
    """
    lines = text.replace("\r\n", "\n").split("\n")
    meta, start = read_front_matter(lines)
    title, body = _split_title(lines[start:])
    if title is None:
        title = _title_from_path(path)
    elif numbered_title and not meta and _ADR_TOOLS_TITLE.match(title):
        title = _ADR_TOOLS_TITLE.sub("", title, count=1)
    sections = split_sections(body, "## ")

    context = _text(sections.get(CONTEXT.lower(), sections.get("context", [])))
    outcome_parts = split_sections(sections.get(OUTCOME.lower(), []), "### ")
    outcome_raw = "\n".join(outcome_parts.get("", [])).strip()
    if not outcome_raw and "decision" in sections:
        outcome_raw = "\n".join(sections["decision"]).strip()
    consequences_lines = outcome_parts.get(CONSEQUENCES.lower(), sections.get("consequences"))
    chosen, outcome = _read_outcome(outcome_raw)

    status_text = _scalar(meta.get("status")) or _text(sections.get("status", []))
    links = link_lines(body, path)
    return DecisionRecord(
        title=title,
        context=context,
        outcome=outcome,
        consequences=_text(consequences_lines or []),
        status=parse_status(status_text),
        date=_scalar(meta.get("date")),
        decision_makers=_names(meta.get("decision-makers")),
        options=_options(sections.get(OPTIONS.lower(), []), sections.get(PROS_AND_CONS.lower())),
        chosen=chosen,
        number=number_from_path(path),
        path=path,
        superseded_by=(
            _scalar(meta.get("superseded-by"))
            or _successor(status_text, path)
            or first_of(links, SUPERSEDED_BY_VERBS)
        ),
        supersedes=_scalar(meta.get("supersedes")) or first_of(links, SUPERSEDES_VERBS),
        links=links,
    )


def _successor(status_text: str, path: str | None) -> str | None:
    """What `superseded by ADR-0005` (or `superseded by [..](file)`) names, as written.

    The store resolves `ADR-0005` to the record's path.
    """
    match = _SUCCESSOR.match(status_text.strip())
    if match is None:
        return None
    link = MARKDOWN_LINK.search(match.group(1))
    return target_of(path, link.group(2)) if link else match.group(1).strip() or None


def read_front_matter(lines: list[str]) -> tuple[FrontMatter, int]:
    """Reads MADR's YAML front matter with every value as text (`0123` stays `0123`).

    Returns:
        The keys and values (a string, or a list of strings), and the index of the
        first line after the front matter (0 when there is none, or it is not YAML).
    """
    block = fm.locate(lines)
    if block is None:
        return {}, 0
    meta: FrontMatter = {}
    for key, value in fm.read_text_values(lines).items():
        if isinstance(value, list):
            meta[key] = [str(item) for item in value if item is not None]
        elif isinstance(value, str):
            meta[key] = value
    return meta, block.closing + 1


def _split_title(lines: list[str]) -> tuple[str | None, list[str]]:
    for index, line in enumerate(lines):
        if line.startswith("# ") or line == "#":
            return line[2:].strip(), lines[index + 1 :]
        if line.startswith("## "):
            break
    return None, lines


def split_sections(lines: list[str], marker: str) -> dict[str, list[str]]:
    """Lines grouped under their `marker` headings (lowercased); "" holds the lines before."""
    sections: dict[str, list[str]] = {"": []}
    current = sections[""]
    for line in lines:
        if line.startswith(marker):
            name = line[len(marker) :].strip().lower()
            current = []
            # A repeated heading keeps its first section, as a reader would expect.
            sections.setdefault(name, current)
        else:
            current.append(line)
    return sections


def _text(lines: list[str]) -> str:
    return unescape("\n".join(lines).strip())


def _read_outcome(raw: str) -> tuple[str, str]:
    match = _CHOSEN.fullmatch(raw)
    if match is None:
        return "", unescape(raw)
    chosen = re.sub(r"\\(.)", r"\1", match.group(1))
    if match.group(2) is not None:
        return chosen, unescape(match.group(2).strip())
    return chosen, unescape((match.group(3) or "").strip())


def _options(bullet_lines: list[str], pros_and_cons: list[str] | None) -> list[ConsideredOption]:
    options = [
        ConsideredOption(title=match.group(1).strip())
        for match in (_BULLET.fullmatch(line) for line in bullet_lines)
        if match
    ]
    if pros_and_cons is None:
        return options
    assigned: set[int] = set()
    for title, lines in _subsections(pros_and_cons):
        index = next(
            (i for i, o in enumerate(options) if o.title == title and i not in assigned), None
        )
        if index is None:
            options.append(ConsideredOption(title=title))
            index = len(options) - 1
        assigned.add(index)
        for line in lines:
            match = _PRO_CON.fullmatch(line)
            if match and match.group(1) == "Good":
                options[index].pros.append(match.group(2).strip())
            elif match and match.group(1) == "Bad":
                options[index].cons.append(match.group(2).strip())
    return options


def _subsections(lines: list[str]) -> list[tuple[str, list[str]]]:
    """`### ` subsections in order, keeping their titles as written (duplicates too)."""
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("### "):
            found.append((line[4:].strip(), []))
        elif found:
            found[-1][1].append(line)
    return found


def _scalar(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else value


def _names(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [name for name in value if name]
    return [name.strip() for name in value.split(",") if name.strip()]


def parse_status(text: str) -> DecisionStatus:
    """The status a free-text status line names; PROPOSED when it names none.

    Understands adr-tools' spelling "Superceded by …" and log4brains' "draft".
    """
    word = text.strip().lower()
    if word.startswith("supercede"):
        return DecisionStatus.SUPERSEDED
    for status in DecisionStatus:
        if word.startswith(status.value):
            return status
    return DecisionStatus.PROPOSED


def number_from_path(path: str | None) -> int | None:
    """The number a record's file name starts with (`0003-use-x.md` → 3), or None."""
    if not path:
        return None
    match = _NUMBER_IN_NAME.match(posixpath.basename(path))
    return int(match.group(1)) if match else None


def _title_from_path(path: str | None) -> str:
    if not path:
        return "Untitled decision"
    stem = posixpath.splitext(posixpath.basename(path))[0]
    words = _NUMBER_IN_NAME.sub("", stem, count=1).replace("-", " ").strip()
    return words.capitalize() or "Untitled decision"
