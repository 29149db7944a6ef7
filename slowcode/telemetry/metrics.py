"""The session's metrics: tokens and request durations as the GenAI conventions name them,
and slowcode's own cost, steps, hunk verdicts and review times."""

from __future__ import annotations

from opentelemetry.metrics import Meter
from opentelemetry.util.types import Attributes

from slowcode.model.usage import Usage
from slowcode.telemetry import names as n

# The bucket boundaries the GenAI conventions advise for these two histograms.
_TOKEN_BUCKETS = [4.0**power for power in range(14)]
_SECONDS_BUCKETS = [0.01 * 2**power for power in range(14)]


class SessionMetrics:
    """The instruments one session records to.

    Args:
        meter: The meter of the session's meter provider.
    """

    def __init__(self, meter: Meter) -> None:
        self._tokens = meter.create_histogram(
            n.TOKEN_USAGE,
            unit="{token}",
            description="Number of input and output tokens used.",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )
        self._duration = meter.create_histogram(
            n.OPERATION_DURATION,
            unit="s",
            description="GenAI operation duration.",
            explicit_bucket_boundaries_advisory=_SECONDS_BUCKETS,
        )
        self._cost = meter.create_counter(
            n.COST, unit="USD", description="Estimated cost of the model requests, at list prices."
        )
        self._steps = meter.create_counter(
            n.STEPS, unit="{step}", description="Steps of the plan applied."
        )
        self._hunks = meter.create_counter(
            n.HUNKS, unit="{hunk}", description="Reviewed hunks, by the developer's verdict."
        )
        self._review_time = meter.create_histogram(
            n.REVIEW_DURATION, unit="s", description="Time the developer spent on a step's review."
        )

    def request(
        self, usage: Usage, cost: float | None, seconds: float, attributes: Attributes
    ) -> None:
        """One model request: its tokens, its estimated cost and its duration."""
        self._tokens.record(n.input_tokens(usage), {**(attributes or {}), n.TOKEN_TYPE: "input"})
        self._tokens.record(usage.output_tokens, {**(attributes or {}), n.TOKEN_TYPE: "output"})
        self._duration.record(seconds, attributes)
        if cost is not None:
            self._cost.add(cost, attributes)

    def failed_request(self, seconds: float, attributes: Attributes) -> None:
        """A model request that failed: its duration, with its `error.type`."""
        self._duration.record(seconds, attributes)

    def review(self, verdicts: dict[str, int], seconds: float, action: str) -> None:
        """One step review: how many hunks got each verdict, and how long it took."""
        for verdict, count in verdicts.items():
            if count:
                self._hunks.add(count, {n.HUNK_VERDICT: verdict})
        self._review_time.record(seconds, {n.REVIEW_ACTION: action})

    def step(self, committed: bool) -> None:
        """One step of the plan done (with a commit, or with nothing accepted)."""
        self._steps.add(1, {n.STEP_COMMITTED: committed})
