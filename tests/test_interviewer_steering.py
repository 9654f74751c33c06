"""Observers steering the interview state machine: a question asked next, a topic skipped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from protocol.messages import UtteranceKind
from server.config import Settings
from server.conversation.base import Answer
from server.conversation.decisions import Move
from server.conversation.factory import create_interviewer_factory
from server.conversation.machine import InterviewFinishedError, InterviewMachine, Policy
from server.conversation.snapshot import Role
from tests.fake_openai import CHAT, FakeOpenAI, Scripted
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, THIN, setup

OBSERVER_QUESTION = "How did you decide which service to migrate first?"


def test_an_observers_question_is_asked_after_the_current_answer_then_the_interview_goes_on() -> None:
    machine = InterviewMachine.start(setup())
    machine.begin()
    machine.proceed()
    machine.queue_observer_question(f"  {OBSERVER_QUESTION} ")
    asked = machine.respond(Answer(THIN))  # a thin answer would otherwise get a follow-up
    assert asked.move is Move.OBSERVER_QUESTION
    # Introduced, then the observer's words verbatim.
    assert asked.text == f"My colleague would like to ask: {OBSERVER_QUESTION}"
    # Its own number, after the plan's three, so that its answer is scored as its own item.
    assert asked.kind is UtteranceKind.QUESTION and asked.question_number == 4
    assert asked.asked_by == "observer" and asked.observer_action == "ask_question"

    after = machine.respond(Answer("We started with billing because it changed least."))
    assert after.move is Move.FOLLOW_UP and after.question_number == 1, "back to the planned question's follow-up"
    assert after.text.startswith("Coming back to your earlier answer.")
    assert after.asked_by == "interviewer" and after.observer_action is None
    # The answer to the observer's question is kept under its own number, never mixed into question 1's.
    assert machine.answers_to(1) == [THIN]
    assert machine.answers_to(4) == ["We started with billing because it changed least."]
    assert [line.question_number for line in machine.history if line.role is Role.CANDIDATE] == [1, 4]
    observer = machine.observer_asked[0]
    assert (observer.number, observer.text, observer.grounding.source.value) == (4, OBSERVER_QUESTION, "observer")


def test_several_questions_are_asked_in_order_and_a_repeat_repeats_the_observers_words() -> None:
    machine = InterviewMachine.start(setup())
    machine.begin()
    machine.proceed()
    machine.queue_observer_question("First observer question?")
    machine.queue_observer_question("Second observer question?")
    first = machine.respond(Answer(STRONG_BEHAVIORAL))
    assert first.text.endswith(": First observer question?") and first.question_number == 4
    repeated = machine.respond(Answer("Sorry, could you repeat that?"))
    assert repeated.move is Move.REPEAT and repeated.text.endswith("First observer question?")
    assert repeated.question_number == 4, "a prompt belongs to the question being answered"
    rephrased = machine.respond(Answer("What do you mean?"))
    assert rephrased.move is Move.REPHRASE and "First observer question?" in rephrased.text
    second = machine.respond(Answer("An answer."))
    assert second.text.endswith(": Second observer question?") and second.question_number == 5
    assert machine.respond(Answer("Another answer.")).move is Move.ASK
    assert machine.answers_to(4)[-1] == "An answer." and machine.answers_to(5) == ["Another answer."]


def test_a_skip_moves_on_after_the_current_answer_and_closes_after_the_last_question() -> None:
    machine = InterviewMachine.start(setup(), Policy(max_follow_ups_per_question=2))
    machine.begin()
    machine.proceed()
    machine.request_skip()
    moved = machine.respond(Answer(THIN))
    assert moved.move is Move.ASK and moved.question_number == 2 and moved.observer_action == "skip_topic"
    assert moved.text.startswith("Let's leave that topic there.")
    assert machine.respond(Answer(THIN)).move is Move.FOLLOW_UP, "the skip was used up"

    last = InterviewMachine.start(setup(num_questions=1))
    last.begin()
    last.proceed()
    last.request_skip()
    closing = last.respond(Answer(THIN))
    assert closing.move is Move.CLOSE and closing.done and closing.observer_action == "skip_topic"
    with pytest.raises(InterviewFinishedError):
        last.queue_observer_question("Too late?")
    with pytest.raises(InterviewFinishedError):
        last.request_skip()


def test_queued_steering_and_an_observers_pending_question_survive_a_snapshot() -> None:
    machine = InterviewMachine.start(setup())
    machine.begin()
    machine.proceed()
    machine.queue_observer_question(OBSERVER_QUESTION)
    machine.queue_observer_question("Then this one?")
    machine.request_skip()
    restored = InterviewMachine.restore(setup(), machine.snapshot())
    assert restored.respond(Answer(THIN)).text.endswith(OBSERVER_QUESTION)

    again = InterviewMachine.restore(setup(), restored.snapshot())
    resumed = again.begin()  # a reconnect while the observer's question is pending
    assert resumed.move is Move.RESUME and resumed.text.endswith(OBSERVER_QUESTION)
    assert resumed.asked_by == "observer" and resumed.question_number == 4
    assert again.respond(Answer("Billing.")).text.endswith("Then this one?")
    assert again.answers_to(4) == ["Billing."]
    assert again.respond(Answer("Yes.")).observer_action == "skip_topic"


def test_an_old_snapshot_without_steering_still_restores() -> None:
    machine = InterviewMachine.start(setup())
    machine.begin()
    machine.proceed()
    snapshot = machine.snapshot()
    for key in ("observer_questions", "skip_requested", "asked_by_observer"):
        del snapshot[key]
    restored = InterviewMachine.restore(setup(), snapshot)
    assert restored.respond(Answer(STRONG_BEHAVIORAL)).move is Move.ASK


async def test_both_engines_carry_the_observers_steering_in_their_replies() -> None:
    interviewer = create_interviewer_factory(Settings()).create(setup())
    await interviewer.begin()
    await interviewer.proceed()
    interviewer.queue_question(OBSERVER_QUESTION)
    reply = await interviewer.respond(Answer(THIN))
    assert reply.asked_by == "observer" and reply.observer_action == "ask_question"
    assert (
        "".join([chunk async for chunk in reply.chunks]).strip()
        == f"My colleague would like to ask: {OBSERVER_QUESTION}"
    )
    interviewer.skip_topic()
    moved = await interviewer.respond(Answer("An answer."))
    assert moved.observer_action == "skip_topic" and moved.question_number == 2


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    yield from FakeOpenAI.running()


async def test_the_openai_interviewer_says_an_observers_question_word_for_word(fake: FakeOpenAI) -> None:
    fake.reset()
    settings = Settings(
        openai_base_url=fake.base_url,
        openai_api_key="sk-test-key",
        openai_timeout_s=1.0,
        openai_retry_delay_s=0,
        interviewer_engine="openai",
    )
    interviewer = create_interviewer_factory(settings).create(setup())
    fake.push(CHAT, Scripted(content="Hello Jane. Tell me about a migration you led."))
    assert "".join([c async for c in (await interviewer.begin()).chunks])
    assert "".join([c async for c in (await interviewer.proceed()).chunks])
    interviewer.queue_question(OBSERVER_QUESTION)
    reply = await interviewer.respond(Answer(THIN))
    assert "".join([c async for c in reply.chunks]).strip() == f"My colleague would like to ask: {OBSERVER_QUESTION}"
    assert reply.asked_by == "observer" and reply.question_number == 4
    assert len(fake.calls(CHAT)) == 1, "the model must not reword an observer's question"
