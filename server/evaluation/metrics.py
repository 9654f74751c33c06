"""Conversation metrics of an interview: talk time, speaking rate, how long the candidate took to start answering.

Computed from the turns as stored and what the session measured (:class:`Timings`); what was not measured is
estimated from the words and said to be.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from server.text.words import count_words

#: Speaking rate used to estimate the interviewer's talk time when the session did not measure it.
ESTIMATED_INTERVIEWER_WPM = 160


class TurnLike(Protocol):
    """A finished exchange as stored (``server.store.base.StoredTurn`` fits)."""

    @property
    def index(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def question_number(self) -> int: ...
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def answered_by(self) -> str: ...
    @property
    def answer_duration_ms(self) -> int: ...
    @property
    def response_gap_ms(self) -> int | None: ...
    @property
    def interrupted(self) -> bool: ...
    @property
    def asked_by(self) -> str: ...
    @property
    def asked_at(self) -> datetime: ...
    @property
    def answer_started_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Timings:
    """What the session measured about the conversation as a whole."""

    #: Total time the interviewer's speech played; estimated from its words when ``None``.
    interviewer_speech_ms: int | None = None
    #: Wall-clock length of the interview, if known.
    duration_ms: int | None = None
    #: How long the question of each turn (by turn index) played, as the session sent it; a turn missing
    #: here has its question's length estimated from its words.
    question_speech_ms: dict[int, int] = field(default_factory=dict)


class ConversationMetrics(BaseModel):
    candidate_speaking_s: float
    interviewer_speaking_s: float
    talk_time_ratio: float = Field(description="Candidate's share of the talk time, 0-1.")
    words_per_minute: float | None = Field(description="Candidate's speaking rate over spoken answers.")
    response_delay_ms_mean: float | None = Field(
        description="From the end of the question's speech to the start of the spoken answer; null if none measured."
    )
    response_delay_ms_median: float | None
    response_delay_ms_max: int | None
    response_delays_measured: int = Field(default=0, description="Spoken answers whose delay was measured.")
    response_delay_estimated: bool = Field(
        default=False, description="Some questions' speech lengths were estimated from their words."
    )
    interviewer_speech_estimated: bool
    spoken_answers: int = 0
    typed_answers: int
    interruptions: int
    duration_s: float | None = None


def conversation_metrics(turns: Sequence[TurnLike], timings: Timings) -> ConversationMetrics:
    voice = [t for t in turns if t.answered_by == "voice" and t.answer_duration_ms > 0]
    candidate_ms = sum(t.answer_duration_ms for t in voice)
    estimated = timings.interviewer_speech_ms is None
    interviewer_ms = (
        sum(count_words(t.question) for t in turns) * 60_000 // ESTIMATED_INTERVIEWER_WPM
        if timings.interviewer_speech_ms is None
        else timings.interviewer_speech_ms
    )
    total = candidate_ms + interviewer_ms
    spoken_words = sum(count_words(t.answer) for t in voice)
    delays = [measured for t in voice if (measured := response_delay(t, timings)) is not None]
    gaps = [delay for delay, _ in delays]
    return ConversationMetrics(
        candidate_speaking_s=round(candidate_ms / 1000, 1),
        interviewer_speaking_s=round(interviewer_ms / 1000, 1),
        talk_time_ratio=round(candidate_ms / total, 3) if total else 0.0,
        words_per_minute=round(spoken_words / (candidate_ms / 60_000), 1) if candidate_ms else None,
        response_delay_ms_mean=round(statistics.fmean(gaps), 1) if gaps else None,
        response_delay_ms_median=float(statistics.median(gaps)) if gaps else None,
        response_delay_ms_max=max(gaps) if gaps else None,
        response_delays_measured=len(gaps),
        response_delay_estimated=any(guessed for _, guessed in delays),
        interviewer_speech_estimated=estimated,
        spoken_answers=len(voice),
        typed_answers=sum(1 for t in turns if t.answered_by == "text"),
        interruptions=sum(1 for t in turns if t.interrupted),
        duration_s=round(timings.duration_ms / 1000, 1) if timings.duration_ms is not None else None,
    )


def response_delay(turn: TurnLike, timings: Timings) -> tuple[int, bool] | None:
    """How long the candidate took to start answering a spoken question, in milliseconds, and whether the
    question's length had to be estimated. Measured from the end of the question's speech (asked at, plus
    how long it played) to the start of the answer; an answer that started while the question was still
    playing (the candidate cut in) counts as no delay. ``None`` when the answer's start was not recorded."""
    if turn.response_gap_ms is not None:
        return turn.response_gap_ms, False
    if turn.answer_started_at is None:
        return None
    played = timings.question_speech_ms.get(turn.index)
    guessed = played is None
    if played is None:
        played = count_words(turn.question) * 60_000 // ESTIMATED_INTERVIEWER_WPM
    waited = (turn.answer_started_at - turn.asked_at).total_seconds() * 1000 - played
    return max(0, round(waited)), guessed


def response_delay_text(m: ConversationMetrics) -> str:
    """The response delay in words, consistent with what was measured (the page says the same)."""
    if m.spoken_answers == 0:
        return "not measured (no spoken answers)"
    if m.response_delay_ms_mean is None:
        return f"not recorded for the {m.spoken_answers} spoken answer(s)"
    text = (
        f"mean {m.response_delay_ms_mean:.0f} ms, median {m.response_delay_ms_median or 0:.0f} ms, longest "
        f"{m.response_delay_ms_max} ms over {m.response_delays_measured} spoken answer(s), from the end of the "
        "question to the start of the answer"
    )
    return text + (" (some question lengths estimated from their words)" if m.response_delay_estimated else "")
