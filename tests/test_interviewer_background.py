"""Scoring beside the conversation: submit returns at once, stale results are dropped, results are delivered."""

from __future__ import annotations

import asyncio

from server.conversation.machine import InterviewMachine
from server.conversation.planning import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.background import BackgroundEvaluations
from server.evaluation.base import AnswerEvaluation
from server.evaluation.builtin import BuiltinEvaluator
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, THIN, setup


class SlowFirstEvaluator:
    """Builtin scores, but the first call finishes last: results arrive out of order."""

    name = "slow-first"

    def __init__(self) -> None:
        self.calls = 0
        self.inner = BuiltinEvaluator()

    async def evaluate(self, question: PlannedQuestion | str, answer: str, setup: InterviewSetup) -> AnswerEvaluation:
        self.calls += 1
        if self.calls == 1:
            await asyncio.sleep(0.2)
        return await self.inner.evaluate(question, answer, setup)


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
    runner = BackgroundEvaluations(SlowFirstEvaluator(), setup(), on_result)
    runner.submit(question, 1, THIN)  # slow
    runner.submit(question, 1, f"{THIN} {STRONG_BEHAVIORAL}")  # re-scored after a follow-up, fast
    latest = await runner.drain(timeout_s=5)
    assert len(delivered) == 1 and delivered[0].answer.endswith(STRONG_BEHAVIORAL)
    assert latest[1] is delivered[0]


async def test_a_failing_callback_or_evaluator_does_not_break_the_runner() -> None:
    class Broken:
        name = "broken"

        async def evaluate(
            self, question: PlannedQuestion | str, answer: str, setup: InterviewSetup
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
