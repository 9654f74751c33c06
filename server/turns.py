"""End-of-turn detection: a pure, synchronous state machine.

It is fed voice-activity probabilities with their position in the candidate's audio stream and answers with
events. It never reads a clock and never touches a socket, so every decision is reproducible from a labelled
sequence of frames. Time is the position in the audio (milliseconds since the stream began).

Why these rules: an interviewer that cuts a thinking candidate off is worse than a slow one, so a turn ends
only after a silence whose required length grows when the words so far sound unfinished (a trailing "and",
a filler, "let me think"). Speech must last a while before it counts, longer while the interviewer itself is
talking (echo, coughs and "mm-hm" are short), so that only confirmed speech barges in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class TurnConfig:
    speech_threshold: float = 0.5
    #: Probability below which a window counts as silence once speech was heard (hysteresis).
    silence_threshold: float = 0.35
    #: Continuous speech needed before the candidate is considered to be talking.
    speech_confirm_ms: float = 200
    #: Continuous speech needed to interrupt the interviewer while it speaks.
    barge_in_confirm_ms: float = 400
    #: Silence that ends a turn after a complete-sounding statement.
    end_silence_ms: float = 800
    #: Silence that ends a turn when the words so far sound unfinished (thinking pause).
    unfinished_silence_ms: float = 3500
    #: Silence that ends a turn after the candidate asked for time ("let me think").
    hold_silence_ms: float = 10_000
    #: A turn longer than this ends at once (bounds the memory and the transcription cost).
    max_turn_ms: float = 120_000


class Phase(Enum):
    WAITING = "waiting"  # no confirmed speech in this turn yet
    TALKING = "talking"  # the candidate is speaking (or pausing inside the turn)


@dataclass(frozen=True)
class SpeechStarted:
    """Confirmed speech; ``at_ms`` is where it began (before the confirmation delay)."""

    at_ms: float
    barge_in: bool


@dataclass(frozen=True)
class TurnEnded:
    """The candidate's turn is over. ``speech_start_ms``..``speech_end_ms`` spans the words."""

    speech_start_ms: float
    speech_end_ms: float
    decided_at_ms: float
    forced: bool = False


TurnEvent = SpeechStarted | TurnEnded

_HOLD = re.compile(
    r"\b(let me think|give me a (moment|second|sec|minute)|one (moment|second|sec)|hold on|let me see)\b[\s.,!?]*$"
)
_UNFINISHED_TAIL = re.compile(
    r"\b(and|so|but|or|because|then|um+|uh+|er+|hmm+|like|which|that|the|a|an|to|of|with|for|my|our|is|was|"
    r"were|if|when|while|also|well)\W*$"
)


def silence_needed(hint: str, config: TurnConfig) -> float:
    """How long a silence must last to end the turn, given the words heard so far."""
    text = hint.strip().lower()
    if not text:
        return config.end_silence_ms
    if _HOLD.search(text):
        return config.hold_silence_ms
    if _UNFINISHED_TAIL.search(text) or text.endswith((",", "-", "...", "…")):
        return config.unfinished_silence_ms
    return config.end_silence_ms


class TurnDetector:
    """Feed it :meth:`feed` with each VAD window; act on the events it returns."""

    def __init__(self, config: TurnConfig | None = None) -> None:
        self.config = config or TurnConfig()
        self.phase = Phase.WAITING
        self.interviewer_speaking = False
        self._hint = ""
        self._run_start: float | None = None  # start of the current unconfirmed speech run
        self._in_speech = False
        self._turn_start = 0.0
        self._last_speech_end = 0.0

    @property
    def silence_needed_ms(self) -> float:
        return silence_needed(self._hint, self.config)

    def set_interviewer_speaking(self, speaking: bool) -> None:
        self.interviewer_speaking = speaking

    def set_hint(self, transcript_so_far: str) -> None:
        """The latest words of this turn (a partial transcript), used to judge whether a pause is final."""
        self._hint = transcript_so_far

    def feed(self, probability: float, start_ms: float, duration_ms: float) -> list[TurnEvent]:
        end_ms = start_ms + duration_ms
        threshold = self.config.silence_threshold if self._in_speech else self.config.speech_threshold
        self._in_speech = probability >= threshold
        if self.phase is Phase.WAITING:
            return self._feed_waiting(start_ms, end_ms)
        return self._feed_talking(end_ms)

    def end_turn_now(self, at_ms: float) -> list[TurnEvent]:
        """The candidate said they are done (button, key): end the turn without waiting for silence."""
        if self.phase is not Phase.TALKING:
            return []
        return [self._finish(at_ms, forced=True)]

    def reset(self) -> None:
        """Forget the current turn (after a typed answer, say)."""
        self.phase = Phase.WAITING
        self._run_start = None
        self._in_speech = False
        self._hint = ""

    def _feed_waiting(self, start_ms: float, end_ms: float) -> list[TurnEvent]:
        if not self._in_speech:
            self._run_start = None
            return []
        if self._run_start is None:
            self._run_start = start_ms
        confirm = self.config.barge_in_confirm_ms if self.interviewer_speaking else self.config.speech_confirm_ms
        if end_ms - self._run_start < confirm:
            return []
        self.phase = Phase.TALKING
        self._turn_start = self._run_start
        self._last_speech_end = end_ms
        self._run_start = None
        return [SpeechStarted(at_ms=self._turn_start, barge_in=self.interviewer_speaking)]

    def _feed_talking(self, end_ms: float) -> list[TurnEvent]:
        if self._in_speech:
            self._last_speech_end = end_ms
        if end_ms - self._turn_start >= self.config.max_turn_ms:
            return [self._finish(end_ms, forced=True)]
        if end_ms - self._last_speech_end >= self.silence_needed_ms:
            return [self._finish(end_ms)]
        return []

    def _finish(self, decided_at_ms: float, forced: bool = False) -> TurnEnded:
        event = TurnEnded(self._turn_start, self._last_speech_end, decided_at_ms, forced)
        self.reset()
        return event
