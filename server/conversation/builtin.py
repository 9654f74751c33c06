"""The ``builtin`` interviewer: the state machine with its own template wording, offline and deterministic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from server.conversation import wording as w
from server.conversation.base import Answer, Reply
from server.conversation.decisions import Utterance
from server.conversation.machine import InterviewMachine, Policy
from server.conversation.setup import InterviewSetup
from server.text.sentences import split_sentences


class BuiltinInterviewer:
    """A thin async face on :class:`InterviewMachine`; every decision is the machine's."""

    def __init__(self, machine: InterviewMachine) -> None:
        self.machine = machine

    @property
    def finished(self) -> bool:
        return self.machine.finished

    async def begin(self) -> Reply:
        return reply_for(self.machine.begin())

    async def proceed(self) -> Reply:
        return reply_for(self.machine.proceed())

    async def respond(self, answer: Answer) -> Reply:
        return reply_for(self.machine.respond(answer))

    def record_heard(self, text: str) -> None:
        self.machine.record_heard(text)

    def queue_question(self, text: str) -> None:
        self.machine.queue_observer_question(text)

    def skip_topic(self) -> None:
        self.machine.request_skip()

    def snapshot(self) -> dict[str, Any]:
        return self.machine.snapshot()

    def upcoming(self) -> list[str]:
        return self.machine.upcoming()


class BuiltinInterviewerFactory:
    name = "builtin"

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()

    def fixed_sentences(self) -> list[str]:
        return w.fixed_sentences(*w.TEMPLATES)

    def create(self, setup: InterviewSetup) -> BuiltinInterviewer:
        return BuiltinInterviewer(InterviewMachine.start(setup, self.policy))

    def restore(self, setup: InterviewSetup, state: dict[str, Any]) -> BuiltinInterviewer:
        return BuiltinInterviewer(InterviewMachine.restore(setup, state, self.policy))


def reply_for(utterance: Utterance) -> Reply:
    """The machine's words as a reply streamed sentence by sentence, so speech can start on the first."""
    return Reply(
        kind=utterance.kind,
        question_number=utterance.question_number,
        chunks=_sentences(utterance.text),
        done=utterance.done,
        asked_by=utterance.asked_by,
        observer_action=utterance.observer_action,
        expects_answer=utterance.expects_answer,
    )


async def _sentences(text: str) -> AsyncIterator[str]:
    for sentence in split_sentences(text):
        yield sentence + " "
