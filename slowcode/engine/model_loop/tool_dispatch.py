"""One tool call of the model's: its input checked, routed to what runs it, journaled.

Every tool call goes through `ToolDispatcher.dispatch`, whatever the tool: the
input is checked against the tool's schema, staging edits are refused before a
plan is approved or on a file git sees as conflicted, and the call and its
result are journaled and reported, so a resumed session knows what was done.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from slowcode.context.search import search_code
from slowcode.core.errors import ToolInputError
from slowcode.engine.model_loop import protocol
from slowcode.engine.progress import SessionState, ToolCalled, ToolFailed
from slowcode.engine.staging.editor_tool import ToolOutcome, run_editor_command
from slowcode.git import repo_state
from slowcode.journal import events as ev

if TYPE_CHECKING:
    from slowcode.engine.ports import ToolPorts

REPEATS_THAT_BREAK = 3
"""The same failing call this many times in a row counts as a protocol break."""


class ToolDispatcher:
    """Runs the model's tool calls for a workflow.

    Args:
        workflow: The session whose staged tree, steps, journal and progress the
            calls use.
    """

    def __init__(self, workflow: ToolPorts) -> None:
        self.flow = workflow
        # The last failing call (name and input, as canonical JSON) and how often in a row.
        self._failing: tuple[str, int] = ("", 0)

    async def dispatch(self, use: dict[str, Any]) -> ToolOutcome:
        """Runs one `tool_use` block and returns its result (an error result when refused)."""
        flow = self.flow
        name = str(use.get("name", ""))
        tool_input = use.get("input")
        problem = protocol.input_problem(name, tool_input)
        summary = summarise(name, tool_input)
        flow.emit(ToolCalled(name, summary))
        if problem is None and isinstance(tool_input, dict):
            try:
                outcome = await self._run(name, tool_input)
            except ToolInputError as error:
                outcome = ToolOutcome(str(error), is_error=True)
        else:
            flow.mark_protocol_break()
            outcome = ToolOutcome(problem or "Invalid tool input.", is_error=True)
        outcome = self._repeated(name, tool_input, outcome)
        flow.record(
            ev.ToolCall(
                id=use.get("id"),
                name=name,
                input=tool_input,
                is_error=outcome.is_error,
                result=outcome.text,
            )
        )
        if outcome.is_error:
            reason = next((line for line in outcome.text.splitlines() if line.strip()), "")
            flow.emit(ToolFailed(name, summary, reason.strip()))
        return outcome

    def _repeated(self, name: str, tool_input: object, outcome: ToolOutcome) -> ToolOutcome:
        """Names a failing call sent again unchanged; the third time it breaks the protocol.

        A model that repeats a call that failed (the same non-unique `old_str`, say)
        gets the same error each time; told so, it can change the call, and if it
        keeps repeating it the protocol strikes stop the session instead of a loop.
        """
        if not outcome.is_error:
            self._failing = ("", 0)
            return outcome
        key = json.dumps([name, tool_input], sort_keys=True, default=repr)
        times = self._failing[1] + 1 if self._failing[0] == key else 1
        self._failing = (key, times)
        if times < REPEATS_THAT_BREAK:
            return outcome
        problem = (
            f"{outcome.text.rstrip()} This exact call failed {times} times in a row: "
            "change it (view the file again, use a longer old_str) instead of repeating it."
        )
        self.flow.mark_protocol_break()
        self.flow.record(ev.ProtocolError(problem=problem))
        return ToolOutcome(problem, is_error=True)

    async def _run(self, name: str, tool_input: dict[str, Any]) -> ToolOutcome:
        flow = self.flow
        if name == protocol.EDITOR_TOOL:
            return await self._edit(tool_input)
        if name == protocol.SEARCH_TOOL:
            text = await asyncio.to_thread(
                search_code,
                flow.root,
                flow.policy,
                tool_input["pattern"],
                tool_input.get("path_glob"),
                int(tool_input.get("max_results", 50)),
            )
            return ToolOutcome(text)
        if name == protocol.PLAN_TOOL:
            return await flow.steps.propose_plan(tool_input)
        if name == protocol.ASK_TOOL:
            return await flow.steps.ask_human(tool_input)
        problem = self._conflict_problem(flow.tree.staged_paths())
        if problem is not None:
            return ToolOutcome(problem, is_error=True)
        return await flow.steps.finish_step(tool_input)

    async def _edit(self, tool_input: dict[str, Any]) -> ToolOutcome:
        flow = self.flow
        command = tool_input["command"]
        stages = command in protocol.STAGING_EDITOR_COMMANDS
        if stages and flow.session.state is not SessionState.STEP_WORKING:
            flow.mark_protocol_break()
            return ToolOutcome(
                "No approved plan yet: call propose_plan and wait for approval before "
                "staging edits.",
                is_error=True,
            )
        if stages:
            problem = self._conflict_problem([flow.paths.normalise(str(tool_input["path"]))])
            if problem is not None:
                return ToolOutcome(problem, is_error=True)
        outcome = await asyncio.to_thread(run_editor_command, flow.tree, tool_input)
        if stages and not outcome.is_error:
            self._record_staged(str(tool_input["path"]))
        return outcome

    def _conflict_problem(self, paths: list[str]) -> str | None:
        conflicted = set(repo_state.conflicted_paths(self.flow.root))
        touched = [path for path in paths if path in conflicted]
        return repo_state.conflict_refusal(touched) + "." if touched else None

    def _record_staged(self, path: str) -> None:
        tree = self.flow.tree
        rel = self.flow.paths.normalise(path)
        text = tree.staged_text(rel)
        if text is None:
            return
        previous = tree.journaled_text(rel)
        self.flow.record(ev.Staged.of(rel, text, tree.base_text(rel), previous))
        tree.mark_journaled(rel)


def summarise(name: str, tool_input: object) -> str:
    """One line for the activity log: `view src/app.py`, `search "retry"`."""
    if not isinstance(tool_input, dict):
        return name
    if name == protocol.EDITOR_TOOL:
        return f"{tool_input.get('command', '?')} {tool_input.get('path', '')}".strip()
    if name == protocol.SEARCH_TOOL:
        return f"search {json.dumps(tool_input.get('pattern', ''))}"
    return name.replace("_", " ")
