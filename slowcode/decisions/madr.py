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

import json
import posixpath
import re

from slowcode.core.decision_record import ConsideredOption, DecisionRecord, DecisionStatus
from slowcode.decisions.links import markdown_link

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
_NUMBER_IN_NAME = re.compile(r"(\d+)-")
_ADR_TOOLS_TITLE = re.compile(r"\d+\.\s+")
_BULLET = re.compile(r"[*-] (.*)")
_PRO_CON = re.compile(r"[*-] (Good|Bad|Neutral), because ?(.*)")
_PLAIN_SCALAR = re.compile(r"[\w./(][\w ./()+@,'-]*", re.UNICODE)
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "~"})
_FRONT_MATTER_KEY = re.compile(r"([A-Za-z0-9_-]+):(?:\s+(.*)|\s*)$")

FrontMatter = dict[str, "str | list[str]"]


# Rendering ------------------------------------------------------------------------


def render(record: DecisionRecord) -> str:
    """The record as a MADR 4 Markdown file."""
    return "\n".join([*front_matter(record), "", *render_body(record)]).rstrip("\n") + "\n"


def front_matter(record: DecisionRecord) -> list[str]:
    """MADR's YAML front matter lines, delimiters included."""
    lines = ["---", f"status: {record.status.value}", f"date: {_yaml_scalar(record.date)}"]
    makers = [one_line(name) for name in record.decision_makers]
    if makers:
        lines.append("decision-makers:")
        lines.extend(f"  - {_yaml_scalar(name)}" for name in makers)
    else:
        lines.append("decision-makers: []")
    if record.supersedes:
        lines.append(f"supersedes: {_yaml_scalar(one_line(record.supersedes))}")
    if record.superseded_by:
        lines.append(f"superseded-by: {_yaml_scalar(one_line(record.superseded_by))}")
    return [*lines, "---"]


def render_body(record: DecisionRecord, *, link_lines: bool = True) -> list[str]:
    """The title and MADR sections, without front matter.

    Args:
        record: The record.
        link_lines: Whether to write the "Superseded by" / "Supersedes" lines under
            the title (MADR shows them there; log4brains keeps links elsewhere).
    """
    lines = [f"# {one_line(record.title)}", ""]
    if link_lines and record.superseded_by:
        lines += [f"Superseded by {link_to(record, record.superseded_by)}.", ""]
    if link_lines and record.supersedes:
        lines += [f"Supersedes {link_to(record, record.supersedes)}.", ""]

    lines += [f"## {CONTEXT}", ""]
    if record.context.strip():
        lines += [escape(record.context.strip()), ""]

    if record.options:
        lines += [f"## {OPTIONS}", ""]
        lines += [f"* {one_line(option.title)}" for option in record.options]
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
            bullets = [f"* Good, because {one_line(pro)}" for pro in option.pros]
            bullets += [f"* Bad, because {one_line(con)}" for con in option.cons]
            if bullets:
                lines += [*bullets, ""]
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


def _yaml_scalar(value: str) -> str:
    plain = _PLAIN_SCALAR.fullmatch(value) and value == value.strip()
    if plain and value.lower() not in _YAML_WORDS:
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    # YAML treats these as line breaks even inside quotes; JSON leaves them raw.
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


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
        superseded_by=_scalar(meta.get("superseded-by")) or None,
        supersedes=_scalar(meta.get("supersedes")) or None,
    )


def read_front_matter(lines: list[str]) -> tuple[FrontMatter, int]:
    """Reads the flat YAML front matter MADR uses, without a YAML library.

    Understands `key: value` lines, plain / single- / double-quoted scalars, `[a, b]`
    flow lists and `- item` block lists; that is all MADR front matter holds, so
    slowcode needs no YAML dependency.

    Returns:
        The keys and values, and the index of the first line after the front matter
        (0 when there is none).
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    meta: FrontMatter = {}
    current_list: list[str] | None = None
    for index in range(1, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if stripped in ("---", "..."):
            return meta, index + 1
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") or stripped == "-":
            if current_list is not None:
                current_list.append(_yaml_value(stripped[1:].strip()))
            continue
        match = _FRONT_MATTER_KEY.match(line)
        if match is None:
            current_list = None
            continue
        key, raw = match.group(1), (match.group(2) or "").strip()
        if not raw:
            current_list = []
            meta[key] = current_list
        elif raw.startswith("[") and raw.endswith("]"):
            current_list = None
            meta[key] = _flow_list(raw[1:-1])
        else:
            current_list = None
            meta[key] = _yaml_value(raw)
    # No closing delimiter: this was not front matter after all.
    return {}, 0


def _yaml_value(raw: str) -> str:
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return raw.strip('"')
        return value if isinstance(value, str) else raw
    if raw.startswith("'") and raw.endswith("'") and len(raw) >= 2:
        return raw[1:-1].replace("''", "'")
    return re.sub(r"\s+#.*$", "", raw).strip()


def _flow_list(inner: str) -> list[str]:
    items: list[str] = []
    for match in re.finditer(r'\s*("(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^,]*)\s*(?:,|$)', inner):
        item = match.group(1).strip()
        if item:
            items.append(_yaml_value(item))
    return items


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
