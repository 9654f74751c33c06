"""The candidate's side of the conversation: their audio, their turns, what they said, and barge-ins.

A turn is cut into *segments* at pauses of :data:`SEGMENT_GAP_MS` or more, and each segment is transcribed on
its own as soon as the candidate pauses (speculatively, at the first 160 ms of silence; dropped if they go
on). The answer is the segments' words joined: nothing said after a long thinking pause is lost (Whisper
stops at a long silence inside one clip), and when the turn ends only its last segment, usually already
transcribed, stands between the answer and the reply.

Speech over the interviewer is verified before it interrupts: not the interviewer's own voice coming back
(:mod:`~server.live.core.echo`), and words rather than a backchannel ("mm-hm", "okay") or a cough.
Verification never blocks: its transcription is a job like any other, and speech that simply goes on for
:data:`LONG_BARGE_IN_MS` interrupts whatever the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from protocol import messages as m
from protocol.audio import INPUT_SAMPLE_RATE
from server.live.core.echo import EchoGuard
from server.live.core.io import CancelJob, Command, Count, Jobs, JudgeTurn, Send, Transcribe
from server.live.core.turns import (
    JudgeDue,
    LongSilence,
    PauseEnded,
    PauseStarted,
    SpeechStarted,
    TurnConfig,
    TurnDetector,
    TurnEnded,
)
from server.text.transcripts import combined_confidence
from server.text.words import words as word_tokens

BYTES_PER_MS = INPUT_SAMPLE_RATE * 2 // 1000
#: Audio kept before the start of speech: the first syllable is not clipped, and Whisper tiny mishears the
#: first words of a clip with less leading silence than this.
PRE_ROLL_MS = 600
#: Audio kept after the end of speech (the tail of the last word).
POST_ROLL_MS = 200
#: A pause at least this long closes a segment (transcribed alone); shorter ones stay inside it.
SEGMENT_GAP_MS = 700
#: Partial captions re-decode at most this much of the current segment.
PARTIAL_WINDOW_MS = 20_000
#: Speech over the interviewer that goes on this long (pauses shorter than :data:`BURST_GAP_MS` inside it)
#: interrupts it even before its words are known.
LONG_BARGE_IN_MS = 1200
#: A pause this long inside speech over the interviewer ends a burst of it (the long-speech rule starts again,
#: and what a check judged harmless stays behind); a comma's pause (150-350 ms) stays inside one.
BURST_GAP_MS = 400
#: The turn model hears at most this much of the end of the turn.
JUDGED_MS = 8000

#: "[mh-]*m[mh-]*": a hum as Whisper writes it, however it splits it ("M. M. M.", "M-M-", "Mm-hmm", "hmm").
_BACKCHANNEL = re.compile(
    r"^([mh-]*m[mh-]*|uh-?huh|uh-?uh|uh|um|yeah|yes|yep|ok(ay)?|right|sure|got it|i see|ah|oh|cough|"
    r"thank you|thanks|you|alright|all right)$"
)


#: A first word that takes the floor by itself ("Sorry?", "Wait."), even when nothing follows it yet.
_FLOOR_TAKING = re.compile(
    r"^(sorry|wait|stop|excuse|pardon|hold|hang|what|no|can|could|actually|question|hello|hey|one|just)\b"
)


BargeInVerdict = Literal["interrupt", "listen_more", "ignore"]


def barge_in_verdict(words: str, *, more_to_hear: bool) -> BargeInVerdict:
    """What speech over the interviewer is, from its first words: ``interrupt``, ``listen_more`` or ``ignore``.

    The check runs on the first few hundred milliseconds, so its words are often a fragment ("Amen." for the
    start of "mm-hmm", "Action." for "Actually"). A backchannel, or one word that does not take the floor by
    itself, is judged again on the longer audio while there is speech the check did not hear; once it heard
    all of it, it was not a bid for the floor. Two words or more, or a word like "sorry" or "wait",
    interrupt at once. Backchannel words in front do not count ("yeah, so I think" is three words after "yeah"):
    Whisper often hears a murmured "mm-hmm" as "Yeah man.", which is not a bid for the floor.
    """
    if is_backchannel(words):
        return "listen_more" if more_to_hear else "ignore"
    spoken = word_tokens(words)
    while spoken and _BACKCHANNEL.match(spoken[0]):
        spoken = spoken[1:]
    if len(spoken) >= 2 or (spoken and _FLOOR_TAKING.match(spoken[0])):
        return "interrupt"
    return "listen_more" if more_to_hear else "ignore"


def is_backchannel(words: str) -> bool:
    """True for what a listener says without taking the floor ("mm-hm", "okay"), and for no words at all.

    Whisper writes non-speech as "(coughs)" or "[Music]", or invents "Thank you." on noise.
    """
    text = re.sub(r"[\(\[][^)\]]*[\)\]]", " ", words.lower())
    parts = [p.strip(" .,!?-") for p in re.split(r"[.,!?]", text)]
    return all(not p or _BACKCHANNEL.match(p) for p in parts)


class UpstreamAudio:
    """The candidate's audio from some point on; between turns only what a turn confirmed now could begin
    with is kept: its look-back and the pre-roll before it (bounded memory)."""

    def __init__(self, lookback_ms: float) -> None:
        self._pcm = bytearray()
        self._origin_ms = 0.0
        self._idle_keep_ms = lookback_ms + PRE_ROLL_MS
        self.end_ms = 0.0  # position of the end of the audio received

    def append(self, frame: bytes, keep_from_ms: float | None) -> None:
        self._pcm += frame
        self.end_ms += len(frame) / BYTES_PER_MS
        keep_from = self.end_ms - self._idle_keep_ms if keep_from_ms is None else keep_from_ms - PRE_ROLL_MS
        excess = int((keep_from - self._origin_ms) * BYTES_PER_MS) & ~1
        if excess > 0:
            del self._pcm[:excess]
            self._origin_ms += excess / BYTES_PER_MS

    def between(self, start_ms: float, end_ms: float) -> bytes:
        first = max(0, int((start_ms - self._origin_ms) * BYTES_PER_MS) & ~1)
        last = max(first, int((end_ms - self._origin_ms) * BYTES_PER_MS) & ~1)
        return bytes(self._pcm[first:last])


@dataclass
class Segment:
    start_ms: float
    end_ms: float | None = None  # set when the segment is closed (a long pause, or the end of the turn)
    job: int | None = None  # the transcription covering start..job_end_ms
    job_end_ms: float = -1.0
    text: str | None = None
    confidence: float | None = None


@dataclass
class SpokenTurn:
    """One spoken turn, from confirmed speech to the end-of-turn decision and its last segment's words."""

    start_ms: float
    started_at: float  # core time when speech was confirmed
    segments: list[Segment] = field(default_factory=list)
    end_ms: float | None = None
    ended_at: float | None = None

    def words(self) -> str:
        return " ".join(s.text for s in self.segments if s.text).strip()

    def complete(self) -> bool:
        return self.end_ms is not None and all(s.text is not None for s in self.segments)

    def confidence(self) -> float | None:
        return combined_confidence((s.text or "", s.confidence) for s in self.segments)


@dataclass(frozen=True)
class Answered:
    """A spoken turn whose words are all known."""

    turn: SpokenTurn


@dataclass(frozen=True)
class Interrupt:
    """Speech over the interviewer was confirmed to be the candidate talking: stop speaking."""


@dataclass(frozen=True)
class Prompt:
    """A long silence: a gentle prompt is due."""


@dataclass(frozen=True)
class Resumed:
    """Speech started again after a pause."""


Signal = Answered | Interrupt | Prompt | Resumed


class Listener:
    """Feed it the candidate's audio and VAD results, and the transcripts it asked for; act on its signals."""

    def __init__(
        self, config: TurnConfig, window_ms: float, echo: EchoGuard, partial_interval_ms: float, jobs: Jobs
    ) -> None:
        self.detector = TurnDetector(config)
        self.jobs = jobs
        self.window_ms = window_ms
        self.echo = echo
        self.partial_interval_ms = partial_interval_ms
        self.audio = UpstreamAudio(self.detector.config.speech_lookback_ms)
        self.vad_ms = 0.0
        self.turn: SpokenTurn | None = None
        self.finishing: list[SpokenTurn] = []  # ended turns waiting for their last words, in order
        self.turn_index = 0  # index the next answer will take (for captions)
        self._purpose: dict[int, str] = {}
        self._partial: tuple[int, float] | None = None  # (job, audio position it covers)
        self._last_partial_ms = 0.0
        # Barge-in check: (job, speech start, end of the audio it hears).
        self._verify: tuple[int, float, float] | None = None
        self._run_ms = 0.0  # where the current run of speech (no pause inside) began
        self._burst_ms = 0.0  # where the current burst began: speech whose pauses are all shorter than a gap
        self._pause_from_ms = 0.0  # where the current (or last) pause inside the turn began
        self._judging: tuple[int, float] | None = None  # the turn model's job, and the speech end it judges
        self.interviewer_speaking = False
        #: Segment transcriptions that failed (the engine's fault, not silence): the core says so.
        self.failures = 0

    # ------------------------------------------------------------------ jobs

    def _job(self, purpose: str) -> int:
        job = self.jobs.next()
        self._purpose[job] = purpose
        return job

    def owns(self, job: int) -> bool:
        return job in self._purpose

    # ------------------------------------------------------------------ input

    def on_audio(self, frame: bytes) -> None:
        keep = self.turn.start_ms if self.turn is not None else None
        if self._verify is not None:
            keep = min(keep if keep is not None else self._verify[1], self._verify[1])
        self.audio.append(frame, keep)

    def on_vad(self, now: float, probabilities: tuple[float, ...]) -> tuple[list[Command], list[Signal]]:
        commands: list[Command] = []
        signals: list[Signal] = []
        for probability in probabilities:
            for event in self.detector.feed(probability, self.vad_ms, self.window_ms):
                self._on_event(now, event, commands, signals)
            self.vad_ms += self.window_ms
        # Speech that goes on while its check is out interrupts: a burst (a comma's pause stays inside it) long
        # enough, whose latest run is long enough to tell the interviewer's echo from the candidate.
        verify = self._verify
        long_burst = verify is not None and self.vad_ms - max(verify[1], self._burst_ms) >= LONG_BARGE_IN_MS
        judged_run = self.vad_ms - self._run_ms >= self.detector.config.barge_in_confirm_ms
        if long_burst and judged_run and self.detector.candidate_speaking:
            self._drop_verification(commands)
            if self.echo.is_echo(self.audio.between(self._run_ms, self.vad_ms)):
                commands.append(Count("barge_in", "echo"))
                self._reject(commands)
            else:
                commands.append(Count("barge_in", "long_speech"))
                signals.append(Interrupt())
        if self.detector.candidate_speaking:
            self._maybe_partial(commands)
        return commands, signals

    def end_turn_now(self, now: float) -> tuple[list[Command], list[Signal]]:
        commands: list[Command] = []
        signals: list[Signal] = []
        for event in self.detector.end_turn_now(self.vad_ms):
            self._on_event(now, event, commands, signals)
        return commands, signals

    def on_transcript(self, job: int, text: str, confidence: float | None) -> tuple[list[Command], list[Signal]]:
        purpose = self._purpose.pop(job, None)
        commands: list[Command] = []
        signals: list[Signal] = []
        if purpose == "partial":
            covers = self._partial[1] if self._partial is not None and self._partial[0] == job else -1.0
            self._partial = None
            if text and self.turn is not None and covers >= 0:
                so_far = " ".join(s.text for s in self.turn.segments[:-1] if s.text)
                caption = f"{so_far} {text}".strip()
                self.detector.set_hint(caption, covers)
                commands.append(Send(m.PartialTranscript(turn=self.turn_index, text=caption)))
        elif purpose == "barge_in":
            if self._verify is not None and self._verify[0] == job:
                _job, at_ms, heard_until = self._verify
                self._verify = None
                more = self.detector.candidate_speaking or self.detector.last_speech_end_ms > heard_until
                verdict = barge_in_verdict(text, more_to_hear=more)
                if verdict == "interrupt":
                    commands.append(Count("barge_in", "accepted"))
                    signals.append(Interrupt())
                elif verdict == "listen_more" and self._burst_ms <= heard_until:
                    self._verify_barge_in(at_ms, commands)
                else:
                    # Not a bid for the floor; or what the check heard is over and harmless, and a new burst
                    # began after a pause: it (noise, the interviewer's echo, the candidate) is confirmed and
                    # checked on its own.
                    commands.append(Count("barge_in", "backchannel"))
                    self._reject(commands)
        elif purpose == "segment":
            self._segment_words(job, text, confidence, signals)
        return commands, signals

    def on_judged(self, job: int, probability: float) -> None:
        """The turn model's verdict on the pause it was asked about (a stale one is ignored)."""
        self._purpose.pop(job, None)
        if self._judging is not None and self._judging[0] == job:
            self.detector.set_verdict(probability, self._judging[1])
            self._judging = None

    def on_judge_failed(self, job: int) -> None:
        """No verdict: the words decide alone, as without a model."""
        self._purpose.pop(job, None)
        if self._judging is not None and self._judging[0] == job:
            self._judging = None

    def on_transcript_failed(self, job: int) -> tuple[list[Command], list[Signal]]:
        """A failed job: a caption is skipped, a barge-in check lets confirmed speech win, a segment counts empty."""
        purpose = self._purpose.get(job)
        if purpose == "barge_in":
            self._purpose.pop(job, None)
            if self._verify is None or self._verify[0] != job:
                return [], []
            self._verify = None
            return [Count("barge_in", "unverified")], [Interrupt()]
        if purpose == "segment":
            self.failures += 1
        return self.on_transcript(job, "", None)

    # ------------------------------------------------------------------ turn events

    def _on_event(self, now: float, event: object, commands: list[Command], signals: list[Signal]) -> None:
        match event:
            case SpeechStarted(at_ms=at_ms, barge_in=barge_in, run_ms=run_ms):
                commands.append(Send(m.SpeechActivity(active=True, at_ms=int(at_ms))))
                self.turn = SpokenTurn(start_ms=at_ms, started_at=now, segments=[Segment(start_ms=at_ms)])
                self._run_ms = self._burst_ms = run_ms
                self._last_partial_ms = self.vad_ms
                if barge_in and self.interviewer_speaking:
                    self._verify_barge_in(at_ms, commands)
            case PauseStarted(speech_end_ms=speech_end_ms):
                self._pause_from_ms = speech_end_ms
                self._speculate(speech_end_ms, commands)
            case JudgeDue(speech_end_ms=speech_end_ms):
                self._judge(speech_end_ms, commands)
            case PauseEnded(at_ms=at_ms):
                self._run_ms = at_ms - self.window_ms
                if self._run_ms - self._pause_from_ms >= BURST_GAP_MS:
                    self._burst_ms = self._run_ms
                self._drop_judging(commands)
                self._resume(at_ms, commands)
                signals.append(Resumed())
            case LongSilence():
                signals.append(Prompt())
            case TurnEnded(speech_start_ms=start_ms, speech_end_ms=end_ms):
                self._finish(now, start_ms, end_ms, commands, signals)

    def _speculate(self, speech_end_ms: float, commands: list[Command]) -> None:
        """The candidate paused: transcribe the current segment now, so a finished answer waits for nothing."""
        if self.turn is not None:
            self._transcribe_segment(self.turn.segments[-1], speech_end_ms, commands)

    def _judge(self, speech_end_ms: float, commands: list[Command]) -> None:
        """Have the turn model hear the turn's last seconds, silence so far included (it hears the voice fall
        or hang), while the words are still being transcribed."""
        if self.turn is None:
            return
        self._drop_judging(commands)
        job = self._job("judge")
        self._judging = (job, speech_end_ms)
        start = max(self.turn.start_ms - PRE_ROLL_MS, self.vad_ms - JUDGED_MS)
        commands.append(JudgeTurn(job, self.audio.between(start, self.vad_ms)))

    def _drop_judging(self, commands: list[Command]) -> None:
        if self._judging is not None:
            self._cancel(self._judging[0], commands)
            self._judging = None

    def _resume(self, at_ms: float, commands: list[Command]) -> None:
        if self.turn is None:
            return
        segment = self.turn.segments[-1]
        resumed_from = at_ms - self.window_ms
        if segment.job is not None and resumed_from - segment.job_end_ms >= SEGMENT_GAP_MS:
            segment.end_ms = segment.job_end_ms  # a thinking pause: that segment is complete
            self.turn.segments.append(Segment(start_ms=resumed_from))
        elif segment.job is not None:
            self._cancel(segment.job, commands)
            segment.job = None
            segment.text = None

    def _finish(
        self, now: float, start_ms: float, end_ms: float, commands: list[Command], signals: list[Signal]
    ) -> None:
        turn = self.turn or SpokenTurn(start_ms=start_ms, started_at=now, segments=[Segment(start_ms=start_ms)])
        self.turn = None
        self._drop_partial(commands)
        self._drop_judging(commands)
        commands.append(Send(m.SpeechActivity(active=False, at_ms=int(end_ms))))
        turn.end_ms, turn.ended_at = end_ms, now
        last = turn.segments[-1]
        last.end_ms = end_ms
        if last.job is None or last.job_end_ms != end_ms:
            self._transcribe_segment(last, end_ms, commands)
        self.finishing.append(turn)
        self._release_finished(signals)

    def _transcribe_segment(self, segment: Segment, end_ms: float, commands: list[Command]) -> None:
        if segment.job is not None:
            self._cancel(segment.job, commands)
        segment.job = self._job("segment")
        segment.job_end_ms = end_ms
        segment.text = None
        pcm = self.audio.between(segment.start_ms - PRE_ROLL_MS, end_ms + POST_ROLL_MS)
        commands.append(Transcribe(segment.job, pcm, "segment"))

    def _segment_words(self, job: int, text: str, confidence: float | None, signals: list[Signal]) -> None:
        for turn in [*self.finishing, *([self.turn] if self.turn else [])]:
            for segment in turn.segments:
                if segment.job == job:
                    segment.text, segment.confidence = text.strip(), confidence
                    if turn is self.turn:
                        self.detector.set_hint(turn.words(), segment.job_end_ms + POST_ROLL_MS)
        self._release_finished(signals)

    def _release_finished(self, signals: list[Signal]) -> None:
        while self.finishing and self.finishing[0].complete():
            signals.append(Answered(self.finishing.pop(0)))

    # ------------------------------------------------------------------ captions

    def _maybe_partial(self, commands: list[Command]) -> None:
        if self.turn is None or self._partial is not None or self.detector.paused:
            return
        if self.vad_ms - self._last_partial_ms < self.partial_interval_ms:
            return
        self._last_partial_ms = self.vad_ms
        segment = self.turn.segments[-1]
        start = max(segment.start_ms - PRE_ROLL_MS, self.vad_ms - PARTIAL_WINDOW_MS)
        job = self._job("partial")
        self._partial = (job, self.vad_ms)
        commands.append(Transcribe(job, self.audio.between(start, self.vad_ms), "partial"))

    def _drop_partial(self, commands: list[Command]) -> None:
        if self._partial is not None:
            self._cancel(self._partial[0], commands)
            self._partial = None

    def _cancel(self, job: int, commands: list[Command]) -> None:
        commands.append(CancelJob(job))
        self._purpose.pop(job, None)

    # ------------------------------------------------------------------ barge-in

    def _verify_barge_in(self, at_ms: float, commands: list[Command]) -> None:
        # The echo is judged on the run of speech going on: a short sound chained before it would hide it.
        if self.echo.is_echo(self.audio.between(max(at_ms, self._run_ms), self.vad_ms)):
            commands.append(Count("barge_in", "echo"))
            self._reject(commands)
            return
        job = self._job("barge_in")
        self._verify = (job, at_ms, self.vad_ms)
        pcm = self.audio.between(at_ms - PRE_ROLL_MS, self.vad_ms)
        commands.append(Transcribe(job, pcm, "barge_in"))

    def _drop_verification(self, commands: list[Command]) -> None:
        if self._verify is not None:
            self._cancel(self._verify[0], commands)
            self._verify = None

    def _reject(self, commands: list[Command]) -> None:
        """What sounded like speech over the interviewer was not the candidate taking the floor."""
        self.detector.reject_speech()
        if self.turn is not None:
            for segment in self.turn.segments:
                if segment.job is not None:
                    self._cancel(segment.job, commands)
            self.turn = None
            commands.append(Send(m.SpeechActivity(active=False, at_ms=int(self.vad_ms))))
        self._drop_partial(commands)

    @property
    def verifying(self) -> bool:
        return self._verify is not None

    # ------------------------------------------------------------------ the floor

    def forget_turn(self, commands: list[Command]) -> None:
        """Drop the turn in progress (a typed answer replaces it)."""
        self._drop_verification(commands)
        self._reject(commands)
        self.detector.reset()

    def set_interviewer_speaking(self, speaking: bool) -> None:
        self.interviewer_speaking = speaking
        self.detector.set_interviewer_speaking(speaking)
        if not speaking:
            self._verify = None
