"""Scoring beside the conversation: answers are evaluated in background tasks, never delaying the next
question, and each result is handed to a callback (to store it and stream it to whoever watches).

A question is re-scored each time one of its follow-ups is answered. Results can finish out of order; a
result older than one already delivered for the same question is dropped, so the last word on a question
is always the score of everything said about it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from server.conversation.questions import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, Evaluator

log = logging.getLogger(__name__)

OnResult = Callable[[AnswerEvaluation], Awaitable[None]]


class BackgroundEvaluations:
    """One per interview session. Create it inside the session's :func:`~server.llm.usage.metering`
    block so that model usage of the evaluations is attributed to the interview."""

    def __init__(self, evaluator: Evaluator, setup: InterviewSetup, on_result: OnResult) -> None:
        self.evaluator = evaluator
        self.setup = setup
        self.on_result = on_result
        self.latest: dict[int, AnswerEvaluation] = {}
        self._submitted: dict[int, int] = {}
        self._delivered: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(
        self,
        question: PlannedQuestion | str,
        question_number: int,
        answer: str,
        *,
        asr_confidence: float | None = None,
    ) -> None:
        """Score ``answer`` (all that was said about the question so far) without waiting for it.
        ``asr_confidence``: the recogniser's mean per-segment probability over the spoken answers (``None``
        when typed); a low one keeps delivery from being judged on words that may not be what was said."""
        sequence = self._submitted.get(question_number, 0) + 1
        self._submitted[question_number] = sequence
        run = self._run(question, question_number, answer, sequence, asr_confidence)
        task = asyncio.get_running_loop().create_task(run)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_s: float | None = None) -> dict[int, AnswerEvaluation]:
        """Wait for pending evaluations (before building the report); return the latest per question."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)
        return dict(self.latest)

    async def close(self) -> None:
        """Cancel what is still running (the session is going away without a report)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def _run(
        self, question: PlannedQuestion | str, number: int, answer: str, sequence: int, asr_confidence: float | None
    ) -> None:
        try:
            evaluation = await self.evaluator.evaluate(question, answer, self.setup, asr_confidence=asr_confidence)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("evaluation of question %d failed", number)
            return
        if isinstance(question, str):
            evaluation = evaluation.model_copy(update={"question_number": number})
        if sequence < self._delivered.get(number, 0):
            return  # a newer evaluation of this question was already delivered
        self._delivered[number] = sequence
        self.latest[number] = evaluation
        try:
            await self.on_result(evaluation)
        except Exception:
            log.exception("delivering the evaluation of question %d failed", number)
