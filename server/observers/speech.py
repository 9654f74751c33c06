"""How long the interviewer spoke, read back from the interview's events, for the report's timing figures.

The session records each utterance it speaks (``utterance_start``, then ``utterance_end`` with the audio's
length, or ``interrupted`` with how much of it played). From them the report measures the interviewer's
talk time instead of estimating it from words, and each question's length, so that a response delay runs
from the end of the question to the start of the answer (a turn's ``asked_at`` is when the question began).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from protocol import messages as m
from server.evaluation.metrics import Timings, TurnLike
from server.store.base import Store

#: The kinds of event that carry the interviewer's speech.
KINDS = ("utterance_start", "utterance_end", "interrupted")
#: A turn's question is the utterance that started within this many seconds of the turn's ``asked_at``.
MATCH_S = 2.0


@dataclass
class _Utterance:
    started: datetime
    kind: str
    played_ms: int | None = None


async def speech_timings(store: Store, interview_id: str, turns: list[TurnLike], base: Timings) -> Timings:
    """``base`` with the interviewer's measured talk time and each turn's question length, when the events
    hold them (an interview answered over REST has none, and keeps the estimates)."""
    utterances: list[_Utterance] = []
    open_ids: dict[int, _Utterance] = {}
    for stored in await store.get_events(interview_id, kinds=KINDS):
        event = m.parse_live_event(stored.payload)
        if isinstance(event, m.UtteranceStart):
            utterance = _Utterance(stored.at, event.kind.value)
            utterances.append(utterance)
            open_ids[event.utterance_id] = utterance  # ids restart with each session: the latest one counts
        elif isinstance(event, m.UtteranceEnd) and (found := open_ids.get(event.utterance_id)) is not None:
            found.played_ms = event.duration_ms if found.played_ms is None else found.played_ms
        elif isinstance(event, m.Interrupted) and (found := open_ids.get(event.utterance_id)) is not None:
            found.played_ms = event.played_ms
    played = [u for u in utterances if u.played_ms is not None]
    if not played:
        return base
    questions: dict[int, int] = {}
    for turn in turns:
        asked = [u for u in played if u.kind != m.UtteranceKind.PROMPT.value]
        closest = min(asked, key=lambda u: abs((u.started - turn.asked_at).total_seconds()), default=None)
        if closest is not None and abs((closest.started - turn.asked_at).total_seconds()) <= MATCH_S:
            questions[turn.index] = closest.played_ms or 0
    return Timings(
        interviewer_speech_ms=sum(u.played_ms or 0 for u in played),
        duration_ms=base.duration_ms,
        question_speech_ms=questions,
    )
