"""Scoring beside the conversation: submit returns at once, stale results are dropped, results are delivered."""

from __future__ import annotations

import asyncio

from server.conversation.machine import InterviewMachine
from server.conversation.questions import PlannedQuestion
from server.conversation.setup import InterviewSetup
from server.evaluation.background import BackgroundEvaluations
from server.evaluation.base import AnswerEvaluation, FlagKind
from server.evaluation.builtin import BuiltinEvaluator
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, THIN, setup


class HeldFirstEvaluator:
    """Builtin scores, but the first call waits until the test releases it: it finishes when the test says."""

    name = "held-first"

    def __init__(self, expected: int = 1) -> None:
        self.expected = expected
        self.later_done = asyncio.Event()
        self.calls = 0
        self.confidences: list[float | None] = []
        self.inner = BuiltinEvaluator()
        self.first_started = asyncio.Event()
        self.release_first = asyncio.Event()
        self.first_cancelled = False

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
            self.first_started.set()
            try:
                await self.release_first.wait()
            except asyncio.CancelledError:
                self.first_cancelled = True
                raise
        return await self.inner.evaluate(question, answer, setup, asr_confidence=asr_confidence)


async def test_submit_does_not_wait_and_results_are_delivered() -> None:
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)

    question = InterviewMachine.start(setup()).plan[0]
    evaluator = HeldFirstEvaluator()
    runner = BackgroundEvaluations(evaluator, setup(), on_result)
    runner.submit(question, 1, THIN)
    assert runner.pending == 1 and delivered == []  # submit returned before any scoring
    await evaluator.first_started.wait()
    assert runner.pending == 1 and delivered == []  # scoring is under way and the conversation goes on
    evaluator.release_first.set()
    latest = await runner.drain(timeout_s=30)
    assert [e.question_number for e in delivered] == [1] and latest[1] == delivered[0]
    assert delivered[0].answer == THIN and runner.pending == 0


async def test_an_older_evaluation_finishing_late_is_dropped() -> None:
    delivered: list[AnswerEvaluation] = []
    newer_delivered = asyncio.Event()

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)
        newer_delivered.set()

    question = InterviewMachine.start(setup()).plan[0]
    evaluator = HeldFirstEvaluator()
    runner = BackgroundEvaluations(evaluator, setup(), on_result)
    runner.submit(question, 1, THIN)  # held
    runner.submit(question, 1, f"{THIN} {STRONG_BEHAVIORAL}")  # re-scored after a follow-up: finishes first
    await asyncio.wait_for(newer_delivered.wait(), 30)
    assert [e.answer for e in delivered] == [f"{THIN} {STRONG_BEHAVIORAL}"]
    evaluator.release_first.set()  # only now does the older evaluation finish
    latest = await runner.drain(timeout_s=30)
    assert runner.pending == 0 and evaluator.calls == 2
    assert len(delivered) == 1, "the older result, finishing last, must be dropped"
    assert latest[1] is delivered[0]


async def test_the_recognisers_confidence_reaches_the_evaluator() -> None:
    """A spoken answer the recogniser was unsure of is scored without judging its delivery, and says so."""
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)

    evaluator = HeldFirstEvaluator()
    evaluator.release_first.set()  # nothing held here
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
    delivered: list[AnswerEvaluation] = []

    async def on_result(evaluation: AnswerEvaluation) -> None:
        delivered.append(evaluation)  # (an exception here would be logged and swallowed by the runner)

    evaluator = HeldFirstEvaluator()
    runner = BackgroundEvaluations(evaluator, setup(), on_result)
    runner.submit("Tell me about yourself.", 1, THIN)
    await evaluator.first_started.wait()  # cancel work that is running, not work that never began
    await runner.close()
    assert runner.pending == 0 and evaluator.first_cancelled
    evaluator.release_first.set()
    assert await runner.drain(timeout_s=5) == {} and delivered == []
