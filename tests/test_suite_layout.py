"""The suite's own shape: shared helpers live in helper modules, never in test modules."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent
_FROM_TEST_MODULE = re.compile(r"^\s*(?:from|import) tests(?:\.\w+)*\.test_\w+", re.M)


def test_no_test_module_is_imported_by_another() -> None:
    offenders = [
        path.relative_to(TESTS).as_posix()
        for path in sorted(TESTS.rglob("*.py"))
        if _FROM_TEST_MODULE.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "import shared helpers from tests/helpers or a helper module"
