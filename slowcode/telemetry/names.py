"""The names of everything slowcode exports: the GenAI conventions' where they have one.

Kept as strings here rather than taken from `opentelemetry-semantic-conventions`,
whose GenAI names are incubating (and moving to a repository of their own): a
renamed constant there must not rename an attribute dashboards already query.
"""

from __future__ import annotations

from slowcode.model.usage import Usage

# -- spans ------------------------------------------------------------------------------

AGENT_NAME = "slowcode"
SESSION_SPAN = f"invoke_agent {AGENT_NAME}"
REVIEW_SPAN = "slowcode.review"
APPLY_SPAN = "slowcode.apply"
COMMIT_SPAN = "slowcode.commit"
CHECK_SPAN = "slowcode.check"


PLAN_TOOL = "propose_plan"
FINISH_TOOL = "finish_step"
"""The tools whose calls a resumed session may carry on: their events open their span."""


def chat_span(model: str) -> str:
    """A model request's span name: `chat {model}`, as the conventions name it."""
    return f"chat {model}".strip()


def tool_span(tool: str) -> str:
    """A tool call's span name: `execute_tool {tool}`."""
    return f"execute_tool {tool}".strip()


# -- the GenAI conventions' attributes ----------------------------------------------------

OPERATION = "gen_ai.operation.name"
PROVIDER = "gen_ai.provider.name"
SYSTEM = "gen_ai.system"  # the provider's earlier name, still read by many backends
AGENT = "gen_ai.agent.name"
CONVERSATION = "gen_ai.conversation.id"
REQUEST_MODEL = "gen_ai.request.model"
REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens"
RESPONSE_MODEL = "gen_ai.response.model"
FINISH_REASONS = "gen_ai.response.finish_reasons"
INPUT_TOKENS = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens"
CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens"
OUTPUT_MESSAGES = "gen_ai.output.messages"
TOOL_NAME = "gen_ai.tool.name"
TOOL_CALL_ID = "gen_ai.tool.call.id"
TOOL_ARGUMENTS = "gen_ai.tool.call.arguments"
TOOL_RESULT = "gen_ai.tool.call.result"
TOKEN_TYPE = "gen_ai.token.type"
ERROR_TYPE = "error.type"
REQUEST_ID = "anthropic.request.id"  # the name the anthropic SDK's own spans give it

# -- slowcode's attributes --------------------------------------------------------------

SESSION_ID = "slowcode.session.id"
SESSION_RESUMED = "slowcode.session.resumed"
SESSION_STATE = "slowcode.session.state"
TASK = "slowcode.task"
REQUEST_PURPOSE = "slowcode.request.purpose"
REQUEST_MESSAGES = "slowcode.request.messages"
PLAN_STEPS = "slowcode.plan.steps"
PLAN_APPROVED = "slowcode.plan.approved"
STEP = "slowcode.step"
STEP_SUMMARY = "slowcode.step.summary"
STEP_COMMITTED = "slowcode.step.committed"
REVIEW_HUNKS = "slowcode.review.hunks"
REVIEW_ACTION = "slowcode.review.action"
REVIEW_SECONDS = "slowcode.review.duration"
REVIEW_CARRIED = "slowcode.review.carried_over"
REVIEW_REOPENED = "slowcode.review.reopened"
REVIEW_FEEDBACK = "slowcode.review.feedback"
DECISION_ACTION = "slowcode.decision.action"
HUNK_VERDICT = "slowcode.hunk.verdict"
APPLY_FILES = "slowcode.apply.files"
APPLY_WRITTEN = "slowcode.apply.files_written"
APPLY_MERGED = "slowcode.apply.files_merged"
APPLY_PATHS = "slowcode.apply.paths"
COMMIT_ID = "slowcode.commit.id"
COMMIT_FILES = "slowcode.commit.files"
COMMIT_DECISION = "slowcode.commit.decision_record"
COMMIT_RECOVERED = "slowcode.commit.recovered"
CHECK_EXIT_CODE = "slowcode.check.exit_code"
CHECK_PASSED = "slowcode.check.passed"
CHECK_SKIPPED = "slowcode.check.skipped"
CHECK_SKIP_REASON = "slowcode.check.skip_reason"
CHECK_COMMAND = "slowcode.check.command"

# -- metrics ---------------------------------------------------------------------------

TOKEN_USAGE = "gen_ai.client.token.usage"
OPERATION_DURATION = "gen_ai.client.operation.duration"
COST = "slowcode.cost"
STEPS = "slowcode.steps"
HUNKS = "slowcode.review.hunks"
REVIEW_DURATION = "slowcode.review.duration"


def input_tokens(usage: Usage) -> int:
    """Every input token of a request, cached ones included, as the conventions count them.

    The Messages API counts cache reads and writes apart from `input_tokens`.
    """
    return usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens


def usage_attributes(usage: Usage) -> dict[str, int]:
    """A request's `gen_ai.usage.*` attributes."""
    return {
        INPUT_TOKENS: input_tokens(usage),
        OUTPUT_TOKENS: usage.output_tokens,
        CACHE_READ_TOKENS: usage.cache_read_input_tokens,
        CACHE_CREATION_TOKENS: usage.cache_creation_input_tokens,
    }
