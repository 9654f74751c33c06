"""An interview held over REST, in text: the same interviewer and the same store as the live session.

``question`` returns the question the candidate is being asked (asking twice returns the same words, which
are stored with the interviewer's state); ``answer`` records the answer as a turn and returns what comes next.
Each turn is committed with the interviewer's snapshot before the next question is returned, so a client that
loses its connection, or a server that is killed, continues where the interview stood.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from protocol.messages import EndReason
from server.conversation.base import Answer, Interviewer, Reply, single
from server.services.errors import Refused
from server.services.runtime import Services
from server.store.base import (
    FINAL_STATUSES,
    InterviewClosed,
    InterviewRecord,
    PendingQuestion,
    StoredTurn,
    TurnConflict,
)

# One REST operation at a time per interview in this process (two tabs answering at once). Across processes
# the store's unique turn index does the same job.
_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


def interview_lock(interview_id: str) -> asyncio.Lock:
    lock = _locks.get(interview_id)
    if lock is None:
        lock = _locks[interview_id] = asyncio.Lock()
    return lock


@dataclass(frozen=True)
class Outcome:
    """After an answer: the recorded turn, and either the next question or the closing words."""

    turn: StoredTurn
    next_question: PendingQuestion | None
    closing: str | None


async def _words(chunks: AsyncIterator[str]) -> str:
    return "".join([chunk async for chunk in chunks]).strip()


async def _opening(interviewer: Interviewer) -> Reply:
    """In text the greeting and the first question come together (the greeting asks nothing)."""
    greeting = await interviewer.begin()
    if greeting.expects_answer:
        return greeting
    words = await _words(greeting.chunks)
    question = await interviewer.proceed()
    rest = await _words(question.chunks)
    return replace(question, chunks=single(f"{words} {rest}"))


async def _pending_from(reply: Reply, turn_index: int) -> PendingQuestion:
    return PendingQuestion(
        turn_index=turn_index,
        kind=reply.kind.value,
        question_number=reply.question_number,
        text=await _words(reply.chunks),
        asked_at=datetime.now(UTC),
    )


def _refuse_if_over(record: InterviewRecord) -> None:
    if record.status in FINAL_STATUSES:
        raise Refused("conflict", "interview_over", f"The interview has already ended ({record.end_reason}).")


async def _complete(services: Services, record: InterviewRecord) -> None:
    await services.store.finish(record.id, "completed", EndReason.COMPLETED.value)


def _restore(services: Services, record: InterviewRecord) -> Interviewer:
    if record.interviewer_state is None:
        raise Refused("conflict", "not_started", "Ask for the first question before answering.")
    return services.interviewers.restore(record.setup, record.interviewer_state)


async def current_question(services: Services, record: InterviewRecord) -> PendingQuestion | None:
    """The question to answer now, asking it first if need be; ``None`` once the interview is over."""
    if record.status in FINAL_STATUSES:
        return None
    if (pending := record.current_pending) is not None:
        return pending
    if record.interviewer_state is None:
        interviewer = services.interviewers.create(record.setup)
    else:
        interviewer = services.interviewers.restore(record.setup, record.interviewer_state)
        if interviewer.finished:  # the closing was recorded but the process stopped before finish()
            await _complete(services, record)
            return None
    # A restored interviewer repeats the question it was on (the live session left no words here to reuse).
    pending = await _pending_from(await _opening(interviewer), len(record.turns))
    try:
        await services.store.mark_started(record.id, interviewer.snapshot(), pending)
    except InterviewClosed:
        return None
    return pending


async def answer(services: Services, record: InterviewRecord, text: str, turn_index: int | None = None) -> Outcome:
    """Record ``text`` as the answer to the pending question and return what the interviewer says next.

    ``turn_index``, when given, must be the index the answer will take: a retry of an answer that was
    already saved is refused rather than taken as the answer to the next question.
    """
    _refuse_if_over(record)
    if turn_index is not None and turn_index < len(record.turns):
        raise Refused(
            "conflict",
            "already_answered",
            f"Turn {turn_index} was already answered; the interview is at turn {len(record.turns)}. "
            "Ask for the current question.",
        )
    if turn_index is not None and turn_index > len(record.turns):
        raise Refused(
            "conflict",
            "not_asked_yet",
            f"Turn {turn_index} has not been asked; the interview is at turn {len(record.turns)}.",
        )
    pending = record.current_pending
    interviewer = _restore(services, record)
    if interviewer.finished:
        await _complete(services, record)
        raise Refused("conflict", "interview_over", "The interview has already ended (completed).")
    if pending is None:
        pending = await _pending_from(await _opening(interviewer), len(record.turns))
    reply = await interviewer.respond(Answer(text=text, answered_by="text"))
    answered_at = datetime.now(UTC)
    turn = StoredTurn(
        index=len(record.turns),
        kind=pending.kind,
        question_number=pending.question_number,
        question=pending.text,
        answer=text,
        answered_by="text",
        asked_at=pending.asked_at,
        answer_started_at=None,
        answered_at=answered_at,
        answer_duration_ms=0,
    )
    words = await _words(reply.chunks)
    done = reply.done or interviewer.finished
    next_question = (
        None if done else PendingQuestion(turn.index + 1, reply.kind.value, reply.question_number, words, answered_at)
    )
    try:
        await services.store.append_turn(record.id, turn, interviewer.snapshot(), next_question)
    except TurnConflict as exc:
        raise Refused(
            "conflict",
            "turn_conflict",
            "This question was already answered (in another window?). Ask for the question again.",
        ) from exc
    except InterviewClosed as exc:
        raise Refused("conflict", "interview_over", "The interview ended before this answer arrived.") from exc
    if done:
        await _complete(services, record)
    return Outcome(turn=turn, next_question=next_question, closing=words if done else None)
