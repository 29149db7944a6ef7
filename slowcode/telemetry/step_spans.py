"""A step's spans: its review, its apply and commit, its check.

slowcode.review      step_review_opened … step_verdict (hunk counts by verdict, time)
slowcode.apply       step_verdict (apply) … step_applied
└── slowcode.commit  the last write … commit_made / commit_refused
slowcode.check       step_applied … check_run / check_skipped
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, Status, StatusCode, Tracer
from opentelemetry.util.types import AttributeValue

from slowcode.core.step_review import Verdict
from slowcode.journal import events as ev
from slowcode.journal.schema import JournalEvent
from slowcode.telemetry import names as n
from slowcode.telemetry.metrics import SessionMetrics

_NS = 1_000_000_000


class StepSpans:
    """The spans of the step under way, from its journal events (see `SessionSpans`).

    Args:
        tracer: Where the spans are made.
        metrics: Where the review's verdicts, its time and the steps done go.
        content: Also export the step's summary, feedback, paths and check command.
    """

    def __init__(self, tracer: Tracer, metrics: SessionMetrics, *, content: bool) -> None:
        self._tracer = tracer
        self._metrics = metrics
        self._content = content
        self._parent: Span | None = None
        self._last = 0
        self.review: Span | None = None
        self._review_started = 0
        self._apply: Span | None = None
        self._written = 0
        self._commit_from = 0

    def follow(self, event: JournalEvent, now: int, last: int, parent: Span | None) -> None:
        """Takes one event of the session, and acts on those of a step.

        Args:
            event: The event as journaled.
            now: When it was recorded (ns since the epoch).
            last: When the event before it was recorded.
            parent: The span new spans go under: the tool call's, or the session's.
        """
        self._last, self._parent = last, parent
        match event:
            case ev.StepReviewOpened(step=step, summary=summary, hunks=hunks):
                self._open_review(step, now, {n.REVIEW_HUNKS: hunks, n.STEP_SUMMARY: summary})
            case ev.StepReviewResumed(step=step):
                self._open_review(step, now, {n.SESSION_RESUMED: True})
            case ev.VerdictsCarriedOver(hunks=hunks) if self.review is not None:
                self.review.set_attribute(n.REVIEW_CARRIED, hunks)
            case ev.StepVerdictGiven():
                self._verdict(event, now)
            case ev.ApplyRefused(step=step):
                self._end_apply("apply_refused")
                self._open_review(step, now, {n.REVIEW_REOPENED: True})
            case ev.MergeAttempted(paths=paths) if self._apply is not None:
                self._apply.set_attribute(n.APPLY_MERGED, len(paths))
            case ev.ApplyIntentRecorded(step=step, files=files):
                self._apply = self._apply or self._child(n.APPLY_SPAN, {n.STEP: step})
                self._apply.set_attribute(n.APPLY_FILES, len(files))
                self._written, self._commit_from = 0, now
            case ev.FileWritten() | ev.DecisionWritten():
                self._written += 1
                self._commit_from = now
            case ev.CommitMade() | ev.CommitRefused():
                self._commit(event, now)
            case ev.CommitChoiceMade(choice=choice):
                self._commit_from = now
                if choice == "send_back":
                    self._end_apply("commit_refused")
            case ev.MergeConflict():
                self._end_apply("merge_conflict")
            case ev.ApplyRolledBack():
                self._end_apply("rolled_back")
            case ev.StepApplied(step=step, commit=commit, paths=paths):
                self._applied(step, commit, paths)
            case ev.CheckRun() | ev.CheckSkipped():
                self._check(event, now)
            case _:
                pass

    def _open_review(self, step: int, now: int, attributes: dict[str, AttributeValue]) -> None:
        end_span(self.review)
        if not self._content:
            attributes.pop(n.STEP_SUMMARY, None)
        self.review = self._child(n.REVIEW_SPAN, {n.STEP: step, **attributes})
        self._review_started = now

    def _verdict(self, given: ev.StepVerdictGiven, now: int) -> None:
        counts = dict.fromkeys((str(v) for v in Verdict), 0)
        for hunk in given.hunks:
            verdict = str(hunk.get("verdict", Verdict.UNDECIDED))
            counts[verdict] = counts.get(verdict, 0) + 1
        seconds = (now - self._review_started) / _NS if self.review is not None else 0.0
        if self.review is not None:
            self.review.set_attributes(
                {
                    n.REVIEW_ACTION: given.action,
                    n.REVIEW_HUNKS: len(given.hunks),
                    n.REVIEW_SECONDS: seconds,
                    **{f"{n.REVIEW_HUNKS}.{verdict}": count for verdict, count in counts.items()},
                }
            )
            if given.decision_action:
                self.review.set_attribute(n.DECISION_ACTION, given.decision_action)
            if self._content and given.feedback:
                self.review.set_attribute(n.REVIEW_FEEDBACK, given.feedback)
            self.review.end()
            self.review = None
        self._metrics.review(counts, seconds, given.action)
        if given.action == "apply":
            end_span(self._apply)
            self._apply = self._child(n.APPLY_SPAN, {n.STEP: given.step})
            self._written = 0

    def _commit(self, event: ev.CommitMade | ev.CommitRefused, now: int) -> None:
        parent = self._apply or self._parent
        attributes: dict[str, AttributeValue] = {n.STEP: event.step}
        if isinstance(event, ev.CommitMade):
            attributes |= {
                n.COMMIT_ID: event.commit,
                n.COMMIT_FILES: len(event.paths),
                n.COMMIT_DECISION: event.decision_path is not None,
                n.COMMIT_RECOVERED: event.recovered,
            }
        span = self._tracer.start_span(
            n.COMMIT_SPAN,
            context=under(parent),
            attributes=attributes,
            start_time=self._commit_from or self._last,
        )
        if isinstance(event, ev.CommitRefused):
            span.set_attribute(n.ERROR_TYPE, "commit_refused")
            span.set_status(Status(StatusCode.ERROR))
        span.end(end_time=now)
        self._commit_from = now

    def _applied(self, step: int, commit: str | None, paths: list[str]) -> None:
        span = self._apply or self._child(n.APPLY_SPAN, {n.STEP: step}, self._last)
        span.set_attributes({n.STEP_COMMITTED: commit is not None, n.APPLY_WRITTEN: self._written})
        if commit:
            span.set_attribute(n.COMMIT_ID, commit)
        if self._content:
            span.set_attribute(n.APPLY_PATHS, paths)
        span.end()
        self._apply = None
        self._metrics.step(committed=commit is not None)

    def _end_apply(self, error: str) -> None:
        if self._apply is not None:
            self._apply.set_attribute(n.ERROR_TYPE, error)
            self._apply.set_status(Status(StatusCode.ERROR))
            self._apply.end()
            self._apply = None

    def _check(self, event: ev.CheckRun | ev.CheckSkipped, now: int) -> None:
        span = self._child(n.CHECK_SPAN, {}, start=self._last)
        if isinstance(event, ev.CheckRun):
            span.set_attributes(
                {n.CHECK_EXIT_CODE: event.exit_code, n.CHECK_PASSED: event.exit_code == 0}
            )
            if event.exit_code != 0:
                span.set_attribute(n.ERROR_TYPE, "check_failed")
                span.set_status(Status(StatusCode.ERROR))
        else:
            span.set_attributes({n.CHECK_SKIPPED: True, n.CHECK_SKIP_REASON: event.reason})
        if self._content:
            span.set_attribute(n.CHECK_COMMAND, event.command)
        span.end(end_time=now)

    def end(self) -> None:
        """Ends the review and the apply still open (the tool call or the session ended)."""
        end_span(self.review)
        end_span(self._apply)
        self.review = self._apply = None

    def _child(
        self, name: str, attributes: dict[str, AttributeValue], start: int | None = None
    ) -> Span:
        return self._tracer.start_span(
            name, context=under(self._parent), attributes=attributes, start_time=start
        )


def under(parent: Span | None) -> Context | None:
    """The context a child of `parent` is started in (None: a span of its own trace)."""
    return trace.set_span_in_context(parent) if parent is not None else None


def end_span(span: Span | None) -> None:
    """Ends `span`, if there is one."""
    if span is not None:
        span.end()
