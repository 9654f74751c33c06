"""The interfaces every speech engine implements, embedded or remote.

They are async so that remote engines (OpenAI and compatible servers) and embedded ones (which run their
CPU-heavy work in a worker thread) slot in alike. Audio crosses these interfaces as PCM16 mono bytes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Transcript:
    """What was heard, and how sure the engine is of it (0..1, the mean probability of its tokens; None when
    the engine does not say). A low confidence marks a transcript that should not be trusted word for word."""

    text: str
    confidence: float | None = None


class EngineError(RuntimeError):
    """An engine failed to do its job (model error, remote error, timeout)."""


@runtime_checkable
class SpeechToText(Protocol):
    """Turns one utterance of 16 kHz mono PCM16 audio into text."""

    name: str

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        """Transcribe a whole utterance. ``partial`` asks for a cheaper pass used for live captions; ``urgent``
        (a barge-in check: the interviewer talks over the candidate until it answers) goes before queued work."""
        ...


@runtime_checkable
class TextToSpeech(Protocol):
    """Speaks text as PCM16 mono audio at :attr:`sample_rate`, chunk by chunk."""

    name: str
    sample_rate: int

    def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        """Yield PCM16 chunks for ``text`` as soon as each is ready. ``background`` marks speech made ahead of
        need (:class:`~server.engines.cache.CachedSpeech` preparing a sentence): it must never hold up speech
        that a session is waiting for."""
        ...


class VadStream(Protocol):
    """Voice activity of one audio stream (one session).

    :meth:`push` never waits for the model: each probability goes to the ``heard`` callback the stream was
    opened with, on the event loop it was opened on, in the order of the windows — at once (a model cheap
    enough to run inline) or a few milliseconds later (:class:`~server.engines.silero_batch.BatchedSilero`
    scores many sessions' windows in one run, off the loop)."""

    def push(self, pcm16k: bytes) -> None:
        """Feed PCM16 audio; every model window it completes will be heard."""
        ...

    def close(self) -> None:
        """Stop: windows still being scored are never heard."""
        ...


class VoiceActivity(Protocol):
    """A voice activity model shared by all sessions; each session opens its own stream."""

    name: str

    @property
    def window_ms(self) -> float:
        """Length of audio each probability describes."""
        ...

    def open_stream(self, heard: Callable[[tuple[float, ...]], None]) -> VadStream:
        """A stream whose probabilities go to ``heard``; call it on the event loop that will hear them."""
        ...


@runtime_checkable
class TurnModel(Protocol):
    """Hears from the voice whether a turn is finished: the fall or the hang of the intonation, which the words
    cannot carry. Shared by all sessions."""

    name: str

    async def judge(self, pcm16k: bytes) -> float:
        """The probability (0..1) that the turn ending with this audio (its last seconds, the silence so far
        included) is finished."""
        ...
