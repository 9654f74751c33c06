"""Scoring beside the conversation: submit returns at once, stale results are dropped, results are delivered."""

from __future__ import annotations

import asyncio
import contextlib

from server.conversation.machine import InterviewMachine
from server.conversation.planning import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.background import BackgroundEvaluations
from server.evaluation.base import AnswerEvaluation, FlagKind
from server.evaluation.builtin import BuiltinEvaluator
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, THIN, setup


class SlowFirstEvaluator:
    """Builtin scores, but the first call finishes after the second (or after 0.2 s when there is no second):
    results arrive out of order."""

    name = "slow-first"

    def __init__(self, expected: int = 1) -> None:
        self.expected = expected
        self.later_done = asyncio.Event()
        self.calls = 0
        self.confidences: list[float | None] = []
        self.inner = BuiltinEvaluator()

    async def evaluate(
        self,
        question: PlannedQuestion | str,
        answer: str,
        setup: InterviewSetup,
        *,
        asr_confidence: float | None = None,
    ) -> AnswerEvaluation:
        self.calls += 1
        self.confidences.append(asr_confidence)
        if self.calls == 1:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.later_done.wait(), 0.2 if self.expected == 1 else 30)
        evaluation = await self.inner.evaluate(question, answer, setup, asr_confidence=asr_confidence)
        if self.calls > 1:
            self.later_done.set()
        return evaluation


async def test_submit_does_not_wait_and_results_are_delivered() -> None:
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)

    question = InterviewMachine.start(setup()).plan[0]
    runner = BackgroundEvaluations(SlowFirstEvaluator(), setup(), on_result)
    runner.submit(question, 1, THIN)
    assert runner.pending == 1 and delivered == []  # the conversation goes on meanwhile
    latest = await runner.drain(timeout_s=5)
    assert [e.question_number for e in delivered] == [1] and latest[1] == delivered[0]


async def test_an_older_evaluation_finishing_late_is_dropped() -> None:
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)

    question = InterviewMachine.start(setup()).plan[0]
    runner = BackgroundEvaluations(SlowFirstEvaluator(expected=2), setup(), on_result)
    runner.submit(question, 1, THIN)  # slow
    runner.submit(question, 1, f"{THIN} {STRONG_BEHAVIORAL}")  # re-scored after a follow-up, fast
    latest = await runner.drain(timeout_s=5)
    assert len(delivered) == 1 and delivered[0].answer.endswith(STRONG_BEHAVIORAL)
    assert latest[1] is delivered[0]


async def test_the_recognisers_confidence_reaches_the_evaluator() -> None:
    """A spoken answer the recogniser was unsure of is scored without judging its delivery, and says so."""
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)

    evaluator = SlowFirstEvaluator(expected=2)
    runner = BackgroundEvaluations(evaluator, setup(), on_result)
    runner.submit("Tell me about a migration you led.", 1, STRONG_BEHAVIORAL, asr_confidence=0.3)
    runner.submit("Tell me about yourself.", 2, STRONG_BEHAVIORAL)
    await runner.drain(timeout_s=5)
    assert sorted(evaluator.confidences, key=str) == [0.3, None]
    unsure = next(e for e in delivered if e.question_number == 1)
    assert unsure.score_of("communication") is None
    assert {f.kind for f in unsure.flags} >= {FlagKind.UNRELIABLE_TRANSCRIPT, FlagKind.UNSCORED_CRITERION}
    sure = next(e for e in delivered if e.question_number == 2)
    assert sure.score_of("communication") is not None


async def test_a_failing_callback_or_evaluator_does_not_break_the_runner() -> None:
    class Broken:
        name = "broken"

        async def evaluate(
            self,
            question: PlannedQuestion | str,
            answer: str,
            setup: InterviewSetup,
            *,
            asr_confidence: float | None = None,
        ) -> AnswerEvaluation:
            raise RuntimeError("bug")

    async def on_result(evaluation: AnswerEvaluation) -> None:
        raise RuntimeError("store down")

    runner = BackgroundEvaluations(Broken(), setup(), on_result)
    runner.submit("Tell me about yourself.", 1, THIN)
    assert await runner.drain(timeout_s=5) == {}
    working = BackgroundEvaluations(BuiltinEvaluator(), setup(), on_result)
    working.submit("Tell me about yourself.", 3, STRONG_BEHAVIORAL)
    assert (await working.drain(timeout_s=5))[3].question_number == 3


async def test_close_cancels_pending_work() -> None:
    async def on_result(evaluation: AnswerEvaluation) -> None:
        raise AssertionError("must not be delivered")

    runner = BackgroundEvaluations(SlowFirstEvaluator(), setup(), on_result)
    runner.submit("Tell me about yourself.", 1, THIN)
    await runner.close()
    assert runner.pending == 0
