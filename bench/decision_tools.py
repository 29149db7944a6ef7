"""Compatibility check: the decision formats' own tools on records slowcode wrote.

Installs the tools once into bench/.work/decision-tools/:
- adr-tools 3.0.0, Debian's package of npryce/adr-tools (`apt-get download`,
  unpacked with its paths pointed at the unpacked copy). The npm package called
  `adr-tools` is another program (a fork of phodal/adr: its `-s` is search and it
  has no `link`), so it is not the tool whose format slowcode writes.
- log4brains 1.1.0 from npm.

adr-tools: in a temporary git repository slowcode writes records in `doc/adr`
(accepted, proposed, one superseded by slowcode, one deprecated), then runs
`adr list`, `adr generate toc`, `adr generate graph`, `adr new -s` on an accepted
and on a proposed record, and `adr link`; slowcode must then read every record
with the status and links the tool means, supersede one of adr-tools' records
itself, and the tool's graph must show that link too.

log4brains: slowcode writes records (with a supersede, a status change, options
and deciders) next to a `.log4brains.yml`, then `log4brains build` makes the
static site; every record must be in the site's data with slowcode's title,
status, deciders and superseded-by link, and its `Supersedes` link resolved.

Prints one PASS/FAIL/SKIP line per check and exits 1 when any check fails. A tool
that cannot be installed (no `npm`, no Debian package lists) is a SKIP, with the
reason.

Usage: python bench/decision_tools.py [--skip-adr-tools] [--skip-log4brains] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from slowcode.core.decision_record import (  # noqa: E402
    ConsideredOption,
    DecisionRecord,
    DecisionStatus,
)
from slowcode.decisions.lifecycle import find, set_status, supersede  # noqa: E402
from slowcode.decisions.store import DecisionStore  # noqa: E402

TOOLS = HERE / ".work" / "decision-tools"
ADR_TOOLS_DEB = "adr-tools"
ADR_TOOLS_VERSION = "3.0.0"
LOG4BRAINS_VERSION = "1.1.0"
TODAY = dt.date(2026, 12, 2)
S = DecisionStatus


@dataclass
class Check:
    """One line of the report."""

    tool: str
    name: str
    result: str  # PASS, FAIL or SKIP
    detail: str = ""


class Report:
    """The checks so far, printed as they come."""

    def __init__(self) -> None:
        self.checks: list[Check] = []

    def add(self, tool: str, name: str, ok: bool, detail: str = "") -> bool:
        check = Check(tool, name, "PASS" if ok else "FAIL", "" if ok else detail)
        self.checks.append(check)
        print(_row(check), flush=True)
        return ok

    def skip(self, tool: str, reason: str) -> None:
        check = Check(tool, "(all)", "SKIP", reason)
        self.checks.append(check)
        print(_row(check), flush=True)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.result == "FAIL"]


def _row(check: Check) -> str:
    line = f"{check.result:<5} {check.tool:<11} {check.name}"
    return line + (f"\n      {check.detail}" if check.detail else "")


def _run(
    argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def _git(root: Path, *args: str) -> None:
    done = _run(["git", "-C", str(root), *args])
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} failed: {done.stderr.strip()}")


def _repository(root: Path) -> Path:
    root.mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Ada Developer")
    _git(root, "config", "user.email", "ada@example.com")
    return root


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", message)


# -- installing the tools -----------------------------------------------------------


def ensure_adr_tools() -> tuple[Path | None, str]:
    """The unpacked `adr` command, unpacking Debian's package once; (None, why) if it cannot."""
    home = TOOLS / f"adr-tools-{ADR_TOOLS_VERSION}"
    adr = home / "usr" / "bin" / "adr"
    if adr.exists():
        return adr, ""
    downloads = TOOLS / "dl"
    downloads.mkdir(parents=True, exist_ok=True)
    wanted = f"{ADR_TOOLS_DEB}_{ADR_TOOLS_VERSION}-*.deb"  # any Debian revision of 3.0.0
    if not list(downloads.glob(wanted)):
        done = _run(["apt-get", "download", ADR_TOOLS_DEB], downloads)
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"apt-get download adr-tools failed ({why}); run apt-get update first"
    debs = sorted(downloads.glob(wanted))
    if not debs:
        offered = sorted(p.name for p in downloads.glob(f"{ADR_TOOLS_DEB}_*.deb"))
        return None, f"Debian offers {offered}, not adr-tools {ADR_TOOLS_VERSION}"
    unpacking = home.parent / f"{home.name}.partial"
    shutil.rmtree(unpacking, ignore_errors=True)
    done = _run(["dpkg-deb", "-x", str(debs[-1]), str(unpacking)])
    if done.returncode != 0:
        return None, f"dpkg-deb -x failed: {done.stderr.strip()}"
    # The scripts name their helpers and template by absolute path: point them here.
    for script in (unpacking / "usr" / "bin").iterdir():
        _relocate(script, home)
    for script in (unpacking / "usr" / "libexec" / "adr-tools").iterdir():
        _relocate(script, home)
    unpacking.rename(home)
    return adr, ""


def _relocate(script: Path, home: Path) -> None:
    text = script.read_text(encoding="utf-8")
    for folder in ("/usr/libexec/adr-tools", "/usr/share/adr-tools"):
        text = text.replace(folder, f"{home}{folder}")
    script.write_text(text, encoding="utf-8")


def ensure_log4brains() -> tuple[Path | None, str]:
    """The `log4brains` command from npm, installed once; (None, why) if it cannot be."""
    prefix = TOOLS / f"log4brains-{LOG4BRAINS_VERSION}"
    command = prefix / "node_modules" / ".bin" / "log4brains"
    if command.exists():
        return command, ""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed (apt-get install npm), so log4brains cannot be"
    prefix.mkdir(parents=True, exist_ok=True)
    print(f"installing log4brains {LOG4BRAINS_VERSION} from npm into {prefix} …", flush=True)
    done = _run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
         f"log4brains@{LOG4BRAINS_VERSION}"]
    )  # fmt: skip
    if done.returncode != 0 or not command.exists():
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"npm install log4brains@{LOG4BRAINS_VERSION} failed: {why}"
    return command, ""


# -- adr-tools ----------------------------------------------------------------------


def check_adr_tools(adr: Path, work: Path, report: Report) -> None:
    """slowcode's adr-tools records through `adr`, and `adr`'s edits back through slowcode."""
    tool = "adr-tools"
    root = _repository(work / "adr-tools")
    (root / "doc" / "adr").mkdir(parents=True)
    store = DecisionStore(root)
    report.add(tool, "slowcode detects doc/adr as adr-tools", store.layout.format == "adr-tools")
    for title, status in (
        ("Use SQLite", S.ACCEPTED),
        ("Queue jobs in Redis", S.PROPOSED),
        ("Log requests as text", S.ACCEPTED),
        ("Retry failed jobs", S.ACCEPTED),
    ):
        record = DecisionRecord(
            title=title,
            context=f"Why: {title.lower()}.",
            outcome=f"We {title[0].lower()}{title[1:]}.",
            consequences="Some follow.",
            status=status,
            date="2026-11-01",
        )
        store.write(record)
    store = DecisionStore(root)
    supersede(
        store,
        find(store, "3"),
        DecisionRecord(title="Log requests as JSON", context="Collectors.", outcome="JSON."),
        today=TODAY,
    )
    store = DecisionStore(root)
    set_status(store, find(store, "4"), S.DEPRECATED, today=TODAY)
    _commit(root, "slowcode's records")
    written = [p.relative_to(root).as_posix() for p in DecisionStore(root).record_files()]

    env = {**os.environ, "ADR_DATE": TODAY.isoformat(), "EDITOR": "true"}
    env.pop("VISUAL", None)

    def adr_run(*args: str) -> str:
        done = _run([str(adr), *args], root, env)
        if done.returncode != 0:
            report.add(tool, f"adr {' '.join(args)} exits 0", False, done.stderr.strip())
        return done.stdout

    listed = adr_run("list").split()
    report.add(tool, "adr list lists every record", listed == written, f"{listed} != {written}")
    toc = adr_run("generate", "toc")
    missing = [
        r.path
        for r in DecisionStore(root).records()
        if f"* [{r.number}. {r.title}]({Path(r.path or '').name})" not in toc
    ]
    report.add(tool, "adr generate toc names every record", not missing, f"missing: {missing}")
    graph = adr_run("generate", "graph")
    nodes = sorted(int(n) for n in re.findall(r"^\s*_(\d+) \[label=", graph, re.M))
    report.add(tool, "adr generate graph has a node per record", nodes == [1, 2, 3, 4, 5], graph)
    report.add(
        tool,
        "adr generate graph draws slowcode's supersede",
        re.search(r'_5 -> _3 \[label="Supercedes"', graph) is not None,
        graph,
    )

    adr_run("new", "-s", "1", "Use PostgreSQL")
    adr_run("new", "-s", "2", "Queue jobs in NATS")
    adr_run("link", "7", "Amends", "4", "Amended by")
    _commit(root, "adr-tools' edits")

    records = {r.record_id: r for r in DecisionStore(root).records()}
    statuses = {rid: r.status.value for rid, r in records.items()}
    expected = {
        "0001": "superseded",
        "0002": "superseded",
        "0003": "superseded",
        "0004": "deprecated",
        "0005": "accepted",
        "0006": "accepted",
        "0007": "accepted",
    }
    report.add(
        tool,
        "slowcode reads each status after adr new -s (accepted and proposed) and adr link",
        statuses == expected,
        f"{statuses}",
    )

    def number(path: str | None) -> str | None:
        return Path(path).name[:4] if path else None

    links = {rid: (number(r.supersedes), number(r.superseded_by)) for rid, r in records.items()}
    expected_links = {
        "0001": (None, "0006"),
        "0002": (None, "0007"),
        "0003": (None, "0005"),
        "0004": (None, None),
        "0005": ("0003", None),
        "0006": ("0001", None),
        "0007": ("0002", None),
    }
    report.add(
        tool, "slowcode reads every supersede link both ways", links == expected_links, f"{links}"
    )
    amends = (
        [(verb, number(t)) for verb, t in records["0007"].links],
        [(verb, number(t)) for verb, t in records["0004"].links],
    )
    report.add(
        tool,
        "slowcode reads adr link's Amends / Amended by",
        amends == ([("Supersedes", "0002"), ("Amends", "0004")], [("Amended by", "0007")]),
        f"{amends}",
    )

    store = DecisionStore(root)
    before = (root / "doc/adr/0006-use-postgresql.md").read_text(encoding="utf-8")
    supersede(
        store,
        find(store, "6"),
        DecisionRecord(title="Use PostgreSQL 17", context="Upgrade.", outcome="Version 17."),
        today=TODAY,
    )
    after = (root / "doc/adr/0006-use-postgresql.md").read_text(encoding="utf-8")
    kept = [line for line in before.splitlines() if line != "Accepted"]
    report.add(
        tool,
        "slowcode supersedes adr-tools' record, keeping its other lines",
        all(line in after.splitlines() for line in kept)
        and find(DecisionStore(root), "6").status is S.SUPERSEDED,
        after,
    )
    graph = adr_run("generate", "graph")
    drawn = sorted(re.findall(r'_(\d+) -> _(\d+) \[label="([^"]+)"', graph))
    wanted = sorted(
        [("5", "3", "Supercedes"), ("6", "1", "Supersedes"), ("7", "2", "Supersedes"),
         ("7", "4", "Amends"), ("8", "6", "Supercedes")]
    )  # fmt: skip
    report.add(tool, "adr generate graph draws every link afterwards", drawn == wanted, graph)


# -- log4brains ---------------------------------------------------------------------


def check_log4brains(log4brains: Path, work: Path, report: Report) -> None:
    """slowcode's log4brains records in `log4brains build`'s static site."""
    tool = "log4brains"
    root = _repository(work / "log4brains")
    (root / ".log4brains.yml").write_text(
        "project:\n  name: Decision tools check\n  tz: UTC\n  adrFolder: ./docs/adr\n",
        encoding="utf-8",
    )
    (root / "docs" / "adr").mkdir(parents=True)
    store = DecisionStore(root)
    report.add(tool, "slowcode detects .log4brains.yml", store.layout.format == "log4brains")
    store.write(
        DecisionRecord(
            title="Render pages on the server",
            context="Pages must work without JavaScript.",
            outcome="Templates render on the server.",
            status=S.ACCEPTED,
            date="2026-11-01",
            decision_makers=["Ada Developer", "Grace Hopper"],
            options=[
                ConsideredOption("Server templates", pros=["no JavaScript"], cons=["reloads"]),
                ConsideredOption("A single-page app", pros=["fast after load"]),
            ],
            chosen="Server templates",
        )
    )
    for title, status in (
        ("Use SQLite", S.ACCEPTED),
        ("Cache pages in Varnish", S.PROPOSED),
        ("Retry failed jobs", S.ACCEPTED),
        ("Queue jobs in Redis", S.PROPOSED),
    ):
        store.write(
            DecisionRecord(
                title=title, context=f"Why: {title}.", outcome="Done.", status=status,
                date="2026-11-02",
            )
        )  # fmt: skip
    store = DecisionStore(root)
    supersede(
        store,
        find(store, "20261102-use-sqlite"),
        DecisionRecord(title="Use PostgreSQL", context="Many writers.", outcome="PostgreSQL."),
        today=TODAY,
    )
    store = DecisionStore(root)
    set_status(store, find(store, "20261102-cache-pages-in-varnish"), S.REJECTED, today=TODAY)
    set_status(store, find(store, "20261102-retry-failed-jobs"), S.DEPRECATED, today=TODAY)
    _commit(root, "slowcode's records")
    records = DecisionStore(root).records()

    out = work / "log4brains-site"
    started = time.monotonic()
    done = _run([str(log4brains), "build", "--out", str(out)], root)
    seconds = time.monotonic() - started
    if not report.add(
        tool,
        f"log4brains build exits 0 ({seconds:.0f} s)",
        done.returncode == 0,
        (done.stdout + done.stderr)[-2000:],
    ):
        return
    summary = re.search(r"total of (\d+) ADRs", done.stdout)
    report.add(
        tool,
        "log4brains build counts every record",
        summary is not None and int(summary.group(1)) == len(records),
        done.stdout[-500:],
    )
    listed = {a["slug"]: a for a in _json(out, "data/*/adrs.json")}
    missing = [r.record_id for r in records if r.record_id not in listed]
    report.add(tool, "every record is in the site's list", not missing, f"missing: {missing}")
    for record in records:
        if record.record_id not in listed:
            continue
        page = _json(out, f"_next/data/*/adr/{record.record_id}.json")["pageProps"]["currentAdr"]
        superseded_by = Path(record.superseded_by).stem if record.superseded_by else None
        newer = (page["supersededBy"] or {}).get("slug")
        seen = (page["title"], page["status"], newer, page["deciders"])
        wanted = (record.title, record.status.value, superseded_by, record.decision_makers)
        report.add(
            tool,
            f"{record.record_id}: title, status, superseded-by, deciders",
            seen == wanted,
            f"log4brains {seen} != slowcode {wanted}",
        )
        body = page["body"]["enhancedMdx"]
        if record.supersedes:
            link = f'<AdrLink slug="{Path(record.supersedes).stem}"'
            report.add(
                tool, f"{record.record_id}: its Supersedes link resolves", link in body, body
            )
        page_html = out / "adr" / record.record_id / "index.html"
        report.add(tool, f"{record.record_id}: has its page", page_html.is_file(), str(page_html))


def _json(out: Path, pattern: str) -> Any:
    """The JSON file of log4brains' site that `pattern` matches (its build id is a folder)."""
    found = sorted(out.glob(pattern))
    if not found:
        raise SystemExit(f"log4brains wrote no {pattern} in {out}")
    return json.loads(found[0].read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-adr-tools", action="store_true")
    parser.add_argument("--skip-log4brains", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary repositories")
    args = parser.parse_args(argv)
    report = Report()
    work = Path(tempfile.mkdtemp(prefix="slowcode-decision-tools-"))
    steps: list[tuple[str, bool, Callable[[], tuple[Path | None, str]], Callable[..., None]]] = [
        ("adr-tools", args.skip_adr_tools, ensure_adr_tools, check_adr_tools),
        ("log4brains", args.skip_log4brains, ensure_log4brains, check_log4brains),
    ]
    try:
        for tool, skipped, ensure, check in steps:
            if skipped:
                report.skip(tool, "skipped by its option")
                continue
            command, why = ensure()
            if command is None:
                report.skip(tool, why)
                continue
            check(command, work, report)
    finally:
        if args.keep:
            print(f"repositories kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    counts = {r: sum(c.result == r for c in report.checks) for r in ("PASS", "FAIL", "SKIP")}
    print()
    print(", ".join(f"{n} {r.lower()}" for r, n in counts.items()))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
