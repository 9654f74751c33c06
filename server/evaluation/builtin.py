"""Evaluator engines behind the :class:`~server.evaluation.base.Evaluator` interface."""

from __future__ import annotations

import asyncio

from server.conversation.questions import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, as_planned
from server.evaluation.scoring import evaluate_answer


class BuiltinEvaluator:
    """Rubric scoring by evidence units and sentence embeddings, deterministic and offline. Runs in a worker
    thread (about 100-150 ms per answer on one core, most of it in onnxruntime, which releases the GIL) so
    that a live session's audio keeps flowing meanwhile."""

    name = "builtin"

    async def evaluate(
        self,
        question: PlannedQuestion | str,
        answer: str,
        setup: InterviewSetup,
        *,
        asr_confidence: float | None = None,
    ) -> AnswerEvaluation:
        planned = as_planned(question, setup)
        return await asyncio.to_thread(evaluate_answer, planned, answer, setup, asr_confidence=asr_confidence)
