"""`slowcode decisions export --html DIR`, opened in headless Chromium from file://."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from slowcode.cli.main import main
from slowcode.core.decision_record import DecisionRecord
from slowcode.decisions.lifecycle import find, supersede
from slowcode.decisions.store import DecisionStore
from tests.context.repos import git, make_repo, with_identity

RECORDS = Path(__file__).parent.parent / "decisions" / "records"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "the export is checked in Debian's chromium: apt-get install chromium"
    return found


def dump_dom(url: str, profile: Path) -> str:
    """The page's DOM after its scripts ran, from a real headless Chromium."""
    done = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log mixing the three formats, with supersede chains and a citing commit, exported."""
    root = with_identity(make_repo(tmp_path_factory.mktemp("log") / "repo", {"README.md": "x\n"}))
    folder = root / "docs/decisions"
    folder.mkdir(parents=True)
    for record in RECORDS.iterdir():
        shutil.copy(record, folder / record.name)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Records")
    store = DecisionStore(root)
    supersede(
        store,
        find(store, "4"),
        DecisionRecord(title="Queue jobs in NATS", context="", outcome="NATS."),
        today=dt.date(2026, 12, 2),
    )
    git(root, "add", "-A")
    git(
        root, "commit", "-qm", "Move to NATS\n\nDecision: docs/decisions/0005-queue-jobs-in-nats.md"
    )
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["decisions", "-C", str(root), "export", "--html", str(out)]) == 0
    return out


def test_the_index_lists_every_record(site: Path, tmp_path: Path) -> None:
    dom = dump_dom(site.joinpath("index.html").as_uri(), tmp_path / "profile")
    ids = re.findall(r'<tr data-id="([^"]+)"', dom)
    assert ids == ["0003", "0004", "0005", "20261003-render-pages-on-the-server"]
    assert "hidden" not in " ".join(re.findall(r"<tr [^>]*>", dom))
    assert '<span id="shown">4</span>' in dom


def test_the_filter_box_hides_what_does_not_match(site: Path, tmp_path: Path) -> None:
    dom = dump_dom(site.joinpath("index.html").as_uri() + "?q=superseded", tmp_path / "profile")
    shown = [
        re.search(r'data-id="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
        for tag in re.findall(r"<tr [^>]*>", dom)
        if "hidden" not in tag
    ]
    assert shown == ["0004"]
    assert '<span id="shown">1</span>' in dom


def test_every_link_resolves(site: Path, tmp_path: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 5
    for page in pages:
        dom = dump_dom(page.as_uri(), tmp_path / "profile")
        assert "</html>" in dom
        for href in re.findall(r'href="([^"]+)"', dom):
            parts = urlsplit(href)
            assert not parts.scheme or parts.scheme == "file", (page.name, href)
            if parts.path:
                assert (page.parent / unquote(parts.path)).is_file(), (page.name, href)


def test_a_record_page_links_both_ways_with_history_and_citations(
    site: Path, tmp_path: Path
) -> None:
    old = dump_dom((site / "0004-queue-jobs-in-redis.html").as_uri(), tmp_path / "profile")
    assert 'Superseded by <a href="0005-queue-jobs-in-nats.html">0005 Queue jobs in NATS</a>' in old
    assert re.search(r"<b>accepted</b>.*<b>superseded</b>", old, re.S)
    assert "<h2>Context</h2>" in old and "Amended by" in old
    new = dump_dom((site / "0005-queue-jobs-in-nats.html").as_uri(), tmp_path / "profile")
    assert 'Supersedes <a href="0004-queue-jobs-in-redis.html">0004 Queue jobs in Redis</a>' in new
    assert "Move to NATS" in new.split('<ul id="cited">')[1]


def test_the_graph_draws_every_record_and_the_supersede_arrow(site: Path) -> None:
    svg = (site / "graph.svg").read_text()
    assert svg.count('<g class="record">') == 4
    assert svg.count('class="supersede"') == 1
    assert 'href="0005-queue-jobs-in-nats.html"' in svg
