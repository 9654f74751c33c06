"""The ``openai`` interviewer: the same state machine decides, a GPT-4-class model words it.

Keeping the decisions (which question, whether to follow up, when to close) in the machine keeps them
bounded, auditable and restorable; the model makes the words natural and refers to what the candidate
said. Its reply is streamed: each sentence is yielded as soon as it is complete, so speech starts on the
first. Each sentence is checked before it is yielded; one that reveals the instructions ends the model's
turn. If the model fails twice (error, timeout, empty or leaking output), the builtin wording is spoken
instead, and the interview records the fallback.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

from server.config import Settings
from server.conversation import wording as w
from server.conversation.base import Answer, Reply, single
from server.conversation.decisions import Move, Utterance
from server.conversation.machine import InterviewMachine, Policy
from server.conversation.prompts import interviewer_system_prompt, interviewer_turn_prompt, leaks_instructions
from server.conversation.setup import InterviewSetup
from server.llm.client import (
    ATTEMPTS,
    MODEL_FAILURES,
    InvalidOutput,
    chat_messages,
    describe_failure,
    make_client,
)
from server.llm.usage import record
from server.text.sentences import SentenceSplitter

#: Moves said word for word: repeating must not change the question, nor the model an observer's question; the
#: short greeting is the same for every candidate (and costs no model call before the first words).
_VERBATIM = frozenset({Move.GREET, Move.REPEAT, Move.NUDGE, Move.RESUME, Move.OBSERVER_QUESTION})
#: A reply longer than this is cut at the sentence that crosses it.
MAX_REPLY_CHARS = 700
_MARKDOWN = re.compile(r"[*_#`]+")


class OpenAIInterviewer:
    def __init__(
        self,
        machine: InterviewMachine,
        settings: Settings,
        client: openai.AsyncOpenAI,
        fallbacks: list[str] | None = None,
    ) -> None:
        self.machine = machine
        self.settings = settings
        self.client = client
        #: Why the builtin wording was used, one entry per fallback (kept in the snapshot for the report).
        self.fallbacks: list[str] = fallbacks or []
        self._system = interviewer_system_prompt(machine.setup)

    @property
    def finished(self) -> bool:
        return self.machine.finished

    async def begin(self) -> Reply:
        return self._reply(self.machine.begin())

    async def proceed(self) -> Reply:
        return self._reply(self.machine.proceed())

    async def respond(self, answer: Answer) -> Reply:
        return self._reply(self.machine.respond(answer))

    def record_heard(self, text: str) -> None:
        self.machine.record_heard(text)

    def queue_question(self, text: str) -> None:
        self.machine.queue_observer_question(text)

    def skip_topic(self) -> None:
        self.machine.request_skip()

    def snapshot(self) -> dict[str, Any]:
        return self.machine.snapshot() | {"engine": "openai", "fallbacks": list(self.fallbacks)}

    def upcoming(self) -> list[str]:
        """Only the greeting is known word for word: the model words every question itself."""
        return self.machine.upcoming()[:1] if not self.machine.started else []

    # ------------------------------------------------------------------ wording

    def _reply(self, utterance: Utterance) -> Reply:
        chunks = single(utterance.text) if utterance.move in _VERBATIM else self._phrase(utterance)
        return Reply(
            kind=utterance.kind,
            question_number=utterance.question_number,
            chunks=chunks,
            done=utterance.done,
            asked_by=utterance.asked_by,
            observer_action=utterance.observer_action,
            expects_answer=utterance.expects_answer,
        )

    async def _phrase(self, utterance: Utterance) -> AsyncIterator[str]:
        context = interviewer_turn_prompt(self.machine.setup, utterance, self.machine.history, self.machine.plan)
        messages = chat_messages(self._system, context)
        said: list[str] = []
        reasons: list[str] = []
        for _attempt in range(ATTEMPTS):
            try:
                async for sentence in self._stream(messages):
                    said.append(sentence)
                    yield sentence + " "
                if not said:
                    raise InvalidOutput("empty reply")
                self.machine.reword_last(" ".join(said))
                return
            except MODEL_FAILURES as exc:
                reasons.append(describe_failure(exc))
                if said:
                    break  # words already spoken cannot be taken back: finish with the builtin wording
        record(fallbacks=1)
        self.fallbacks.append(f"turn {len(self.machine.history)}: {'; '.join(reasons)}")
        rest = _builtin_rest(utterance) if said else utterance.text
        yield rest
        self.machine.reword_last(" ".join([*said, rest]))

    async def _stream(self, messages: list[ChatCompletionMessageParam]) -> AsyncIterator[str]:
        """Complete sentences of the model's streamed reply, each checked before it is released."""
        stream = await self.client.chat.completions.create(
            model=self.settings.openai_model,
            messages=messages,
            stream=True,
            stream_options={"include_usage": True},
            temperature=0.3,
        )
        splitter = SentenceSplitter()
        length = 0
        async for chunk in stream:
            if chunk.usage:
                record(
                    model_requests=1,
                    prompt_tokens=chunk.usage.prompt_tokens,
                    completion_tokens=chunk.usage.completion_tokens,
                )
            if not chunk.choices or not chunk.choices[0].delta.content:
                continue
            for sentence in splitter.push(_MARKDOWN.sub("", chunk.choices[0].delta.content)):
                length += len(sentence)
                if length > MAX_REPLY_CHARS:
                    return
                yield self._checked(sentence)
        for rest in splitter.flush():
            if length + len(rest) <= MAX_REPLY_CHARS:
                yield self._checked(rest)

    def _checked(self, sentence: str) -> str:
        if leaks_instructions(sentence, self._system):
            raise InvalidOutput("reply revealed the instructions")
        return sentence.strip()


class OpenAIInterviewerFactory:
    name = "openai"

    def __init__(self, settings: Settings, policy: Policy | None = None, client: openai.AsyncOpenAI | None = None):
        self.settings = settings
        self.policy = policy or Policy()
        self.client = client or make_client(settings)

    def fixed_sentences(self) -> list[str]:
        """The lead-ins of the moves said word for word (the model words the rest)."""
        return w.fixed_sentences(w.REPEAT, w.FINISH_QUESTION, w.NUDGE, w.RESUME)

    def create(self, setup: InterviewSetup) -> OpenAIInterviewer:
        return OpenAIInterviewer(InterviewMachine.start(setup, self.policy), self.settings, self.client)

    def restore(self, setup: InterviewSetup, state: dict[str, Any]) -> OpenAIInterviewer:
        machine = InterviewMachine.restore(setup, state, self.policy)
        return OpenAIInterviewer(machine, self.settings, self.client, list(state.get("fallbacks", [])))


def _builtin_rest(utterance: Utterance) -> str:
    """What still has to be said after the model failed mid-reply: the question itself, in builtin words."""
    if utterance.move in (Move.GREET, Move.ASK) and utterance.question is not None:
        return utterance.question.text
    if utterance.move is Move.REPHRASE and utterance.question is not None:
        return utterance.question.rephrased
    return utterance.text
