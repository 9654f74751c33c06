"""The ``builtin`` interviewer: the state machine with its own template wording, offline and deterministic."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from server.conversation import wording as w
from server.conversation.base import Answer, Reply
from server.conversation.decisions import Utterance
from server.conversation.machine import InterviewMachine, Policy
from server.conversation.setup import InterviewSetup
from server.text.sentences import split_sentences

#: Threads of the process's builtin interviewers, their own: a reply the candidate waits for never queues behind
#: answers being scored or uploads being decoded (asyncio's default pool).
_REPLIES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="viva-interviewer")


class BuiltinInterviewer:
    """A thin async face on :class:`InterviewMachine`; every decision is the machine's.

    Replying to a long answer costs the machine up to ~40 ms of pure Python (it reads all 8,000 characters a
    typed answer may have), which on the event loop would stall every socket of the process that long. So the
    calls that reply run in worker threads of their own, where the loop still gets the GIL every switch
    interval. What the session reads meanwhile (:meth:`snapshot`, :meth:`upcoming`, :attr:`finished`) is a copy
    taken at the end of the last completed call, never the machine half-way through one. Calls are made one at
    a time (the live session's interviewer desk, the text interview's request), so the machine is never shared."""

    def __init__(self, machine: InterviewMachine) -> None:
        self.machine = machine
        self._views = _Views.of(machine)

    @property
    def finished(self) -> bool:
        return self._views.finished

    async def begin(self) -> Reply:
        return await self._reply(self.machine.begin)

    async def proceed(self) -> Reply:
        return await self._reply(self.machine.proceed)

    async def respond(self, answer: Answer) -> Reply:
        return await self._reply(lambda: self.machine.respond(answer))

    def record_heard(self, text: str) -> None:
        self.machine.record_heard(text)
        self._views = _Views.of(self.machine)

    def queue_question(self, text: str) -> None:
        self.machine.queue_observer_question(text)
        self._views = _Views.of(self.machine)

    def skip_topic(self) -> None:
        self.machine.request_skip()
        self._views = _Views.of(self.machine)

    def snapshot(self) -> dict[str, Any]:
        return self._views.snapshot

    def upcoming(self) -> list[str]:
        return list(self._views.upcoming)

    async def _reply(self, call: Callable[[], Utterance]) -> Reply:
        def call_and_read() -> tuple[Utterance, _Views]:
            utterance = call()
            return utterance, _Views.of(self.machine)

        utterance, self._views = await asyncio.get_running_loop().run_in_executor(_REPLIES, call_and_read)
        return reply_for(utterance)


@dataclass(frozen=True)
class _Views:
    """What the machine shows between calls."""

    snapshot: dict[str, Any]
    upcoming: list[str]
    finished: bool

    @classmethod
    def of(cls, machine: InterviewMachine) -> _Views:
        return cls(machine.snapshot(), machine.upcoming(), machine.finished)


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
