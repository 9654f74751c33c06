"""What an interview consumed: model tokens, seconds of audio transcribed and synthesized, and its cost.

Remote engines are shared by all sessions, so they cannot hold per-interview counters. Instead each session
runs inside :func:`metering` with its own :class:`UsageMeter`; the engines add what they use to
:func:`current_meter` (a context variable, inherited by tasks the session starts) and to the process-wide
counters exported as metrics (``viva_prompt_tokens_total``…, summed over the workers like every metric).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from prometheus_client import Counter
from pydantic import BaseModel, Field

from server.config import Settings
from server.metrics import METRICS


class Prices(BaseModel):
    """Prices used for the cost estimate, in US dollars; configurable because every provider differs."""

    input_per_million_tokens: float = Field(default=2.5, ge=0)
    output_per_million_tokens: float = Field(default=10.0, ge=0)
    transcription_per_minute: float = Field(default=0.006, ge=0)
    speech_per_million_characters: float = Field(default=15.0, ge=0)


def prices_from(settings: Settings) -> Prices:
    return Prices(
        input_per_million_tokens=settings.price_input_per_million_tokens,
        output_per_million_tokens=settings.price_output_per_million_tokens,
        transcription_per_minute=settings.price_transcription_per_minute,
        speech_per_million_characters=settings.price_speech_per_million_characters,
    )


class Usage(BaseModel):
    """Counters of one interview (or of the whole process)."""

    model_requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    transcribed_seconds: float = 0.0
    synthesized_seconds: float = 0.0
    synthesized_characters: int = 0
    fallbacks: int = Field(default=0, description="Times a remote engine failed and the builtin one answered.")

    def cost(self, prices: Prices) -> float:
        """Estimated cost in US dollars, rounded to a hundredth of a cent."""
        total = (
            self.prompt_tokens * prices.input_per_million_tokens / 1e6
            + self.completion_tokens * prices.output_per_million_tokens / 1e6
            + self.transcribed_seconds / 60 * prices.transcription_per_minute
            + self.synthesized_characters * prices.speech_per_million_characters / 1e6
        )
        return round(total, 4)


class UsageMeter:
    """Accumulates one interview's usage; safe to share between the tasks of one session (one event loop)."""

    def __init__(self, usage: Usage | None = None) -> None:
        self.usage = usage or Usage()

    def add(self, **counts: float) -> None:
        for name, value in counts.items():
            setattr(self.usage, name, getattr(self.usage, name) + value)


#: Everything this process has used, for the metrics endpoint: one counter per field of :class:`Usage`.
PROCESS_TOTALS = {
    name: Counter(f"viva_{name}", f"Usage: {field.description or name}", registry=METRICS.registry)
    for name, field in Usage.model_fields.items()
}
_current: ContextVar[UsageMeter | None] = ContextVar("viva_usage_meter", default=None)


def current_meter() -> UsageMeter | None:
    return _current.get()


@contextlib.contextmanager
def metering(meter: UsageMeter) -> Iterator[UsageMeter]:
    """Attribute everything used inside this block (and in tasks started from it) to ``meter``."""
    token = _current.set(meter)
    try:
        yield meter
    finally:
        _current.reset(token)


def record(**counts: float) -> None:
    """Add counts (field names of :class:`Usage`) to the current interview and to the process totals."""
    meter = _current.get()
    if meter is not None:
        meter.add(**counts)
    for name, value in counts.items():
        PROCESS_TOTALS[name].inc(value)
