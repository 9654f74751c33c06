"""The interface between a live or REST session and whatever conducts the interview.

A session owns one :class:`Interviewer` per interview. It asks it for the opening, hands it each finished
answer, and speaks (or returns) whatever comes back. The interviewer's state can be snapshotted after every
turn and restored, so an interview survives a reconnect or a server restart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from protocol.messages import UtteranceKind
from server.conversation.setup import InterviewSetup


@dataclass
class Reply:
    """What the interviewer says next.

    ``chunks`` yields the words in pieces of any size (whole text, sentences or streamed tokens); the session
    cuts them into sentences, so speech starts on the first sentence while a remote model still writes the
    rest. ``done`` is true for the closing words. ``asked_by`` is "observer" when the reply asks an observer's
    question; ``observer_action`` names the observer's steering the reply carries out ("ask_question",
    "skip_topic"), so the session can tell the observers it happened.
    """

    kind: UtteranceKind
    question_number: int
    chunks: AsyncIterator[str]
    done: bool = False
    asked_by: str = "interviewer"
    observer_action: str | None = None
    #: False for words that ask nothing (the greeting): once they were heard, ask :meth:`Interviewer.proceed`.
    expects_answer: bool = True


@dataclass(frozen=True)
class Answer:
    """A finished candidate turn, as the interviewer receives it."""

    text: str
    answered_by: str = "voice"  # "voice" or "text"
    duration_ms: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)


class Interviewer(Protocol):
    """Conducts one interview. Implementations: ``builtin`` (embedded, deterministic) and ``openai``."""

    @property
    def finished(self) -> bool: ...

    async def begin(self) -> Reply:
        """The greeting, which asks nothing (or, when restored mid-interview, the current question again)."""
        ...

    async def proceed(self) -> Reply:
        """The first question, once the greeting (a reply with ``expects_answer`` false) was heard."""
        ...

    async def respond(self, answer: Answer) -> Reply:
        """Take a finished answer; return a follow-up, the next question, or the closing."""
        ...

    def record_heard(self, text: str) -> None:
        """The candidate barged in: of the last reply, only ``text`` was heard. The history keeps only that."""
        ...

    def queue_question(self, text: str) -> None:
        """An observer's question: the next :meth:`respond` asks it, word for word, before anything of its own.

        Raises ``InterviewFinishedError`` once the closing words were said.
        """
        ...

    def skip_topic(self) -> None:
        """An observer's request: the next :meth:`respond` moves on to the next planned question (or closes)."""
        ...

    def snapshot(self) -> dict[str, Any]:
        """JSON-serialisable state, enough for :func:`restore` to continue exactly here."""
        ...

    def upcoming(self) -> list[str]:
        """Texts this interviewer will most likely say soon, word for word (the next planned question), so that
        their speech is made while the current words play; empty when it cannot know them."""
        ...


class InterviewerFactory(Protocol):
    name: str

    def fixed_sentences(self) -> list[str]:
        """Sentences this engine says word for word in any interview (acknowledgements, transitions), cut as
        the live session cuts replies: their speech is made once, when the server starts."""
        ...

    def create(self, setup: InterviewSetup) -> Interviewer: ...

    def restore(self, setup: InterviewSetup, state: dict[str, Any]) -> Interviewer: ...


async def single(text: str) -> AsyncIterator[str]:
    """Wrap an already known text as a one-chunk stream."""
    yield text
