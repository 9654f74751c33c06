"""Evaluator engines behind the :class:`~server.evaluation.base.Evaluator` interface."""

from __future__ import annotations

import asyncio

from server.conversation.planning import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, as_planned
from server.evaluation.scoring import evaluate_answer


class BuiltinEvaluator:
    """Lexical rubric scoring, deterministic and offline. Runs in a worker thread (about 10 ms of CPU per
    answer) so that a live session's audio keeps flowing meanwhile."""

    name = "builtin"

    async def evaluate(self, question: PlannedQuestion | str, answer: str, setup: InterviewSetup) -> AnswerEvaluation:
        return await asyncio.to_thread(evaluate_answer, as_planned(question, setup), answer, setup)
