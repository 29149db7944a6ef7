"""The engine never imports Textual or Rich, and start-up never pays for anthropic or
OpenTelemetry."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = [
    "slowcode.engine.session.workflow",
    "slowcode.engine.session.lifecycle",
    "slowcode.engine.session.step_flow",
    "slowcode.core.config",
    "slowcode.journal.log",
    "slowcode.git.repo",
    "slowcode.decisions.store",
    "slowcode.model.client",
    "slowcode.context.system_prompt",
    "slowcode.telemetry.settings",
]


def loaded_modules(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


def test_engine_imports_neither_textual_nor_rich() -> None:
    modules = loaded_modules("\n".join(f"import {name}" for name in ENGINE_MODULES))
    assert "slowcode.engine.session.workflow" in modules
    offenders = sorted(m for m in modules if m.split(".")[0] in {"textual", "rich"})
    assert offenders == []


def test_engine_does_not_import_anthropic_until_a_request() -> None:
    modules = loaded_modules("\n".join(f"import {name}" for name in ENGINE_MODULES))
    assert "anthropic" not in modules


def test_deciding_whether_a_session_exports_imports_no_opentelemetry() -> None:
    modules = loaded_modules("\n".join(f"import {name}" for name in ENGINE_MODULES))
    assert sorted(m for m in modules if m.startswith("opentelemetry")) == []
    assert "slowcode.telemetry.exporter" not in modules


FIRST_FRAME_PATH = (
    "from slowcode.core.config import load_config\n"
    "from slowcode.git.worktree import find_work_tree\n"
    "from slowcode.model.settings import ModelSettings\n"
    "from slowcode.telemetry.settings import telemetry_settings\n"
    "from slowcode.tui.app import SlowcodeApp"
)
"""What `slowcode PATH` imports before the app draws its first frame."""


def test_the_first_frame_loads_no_engine_no_model_client_and_no_other_screen() -> None:
    modules = loaded_modules(FIRST_FRAME_PATH)
    assert "slowcode.tui.screens.session" in modules
    slowcode = {m for m in modules if m.startswith("slowcode.")}
    # Each of these is loaded when first needed, after the first frame.
    late = {
        "slowcode.engine.session.workflow",
        "slowcode.journal.log",
        "slowcode.engine.progress",
        "slowcode.engine.human",
        "slowcode.model.types",
        "slowcode.model.client",
        "slowcode.context.repomap",
        "slowcode.tui.screens.review",
        "slowcode.tui.screens.decision_log",
        "slowcode.tui.screens.help",
        "slowcode.telemetry.exporter",
        "slowcode.telemetry.spans",
    }
    assert sorted(slowcode & late) == []
    assert "git" not in modules  # GitPython
    assert "anthropic" not in modules
    assert "opentelemetry" not in modules
