"""One live interview over one WebSocket: audio in, turns detected, answers transcribed, speech out.

The session is the asyncio shell around pure parts: the wire contract (``protocol``), the turn detector
(``server.live.core.turns``) and the interviewer's state machine (``server.conversation``). It owns the tasks of one
socket (the sender, the interviewer's speech, transcriptions and the watchdog) and frees them all when it
ends, whatever the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from protocol import messages as m
from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE, AudioFrameError, OutputFrame, check_input_frame
from server.conversation.base import Answer, Interviewer, Reply, single
from server.engines.base import EngineError
from server.evaluation.background import BackgroundEvaluations
from server.evaluation.base import AnswerEvaluation, question_from_snapshot
from server.evaluation.factory import create_evaluator
from server.live.core.echo import EchoGuard
from server.live.core.turns import (
    LongSilence,
    PauseEnded,
    PauseStarted,
    SpeechStarted,
    TurnConfig,
    TurnDetector,
    TurnEnded,
    TurnEvent,
)
from server.live.shell.outbox import Outbox
from server.live.shell.saving import STORE_UNAVAILABLE_CLOSE, durably, retrying, save_turn
from server.llm.usage import UsageMeter
from server.metrics import METRICS
from server.observers.journal import EventJournal
from server.observers.scores import score_event
from server.services.results import answers_by_question, evaluation_row, interview_results
from server.services.runtime import Services
from server.store.base import InterviewClosed, InterviewRecord, StoredTurn, StoreError, StoreUnavailable
from server.text.sentences import SentenceSplitter

log = logging.getLogger("viva.session")

BYTES_PER_MS = INPUT_SAMPLE_RATE * 2 // 1000
#: Audio kept before the start of speech: the first syllable is not clipped, and Whisper tiny mishears
#: the first words of a clip with less leading silence than this (measured on espeak speech).
PRE_ROLL_MS = 600
#: Audio kept after the end of speech (the tail of the last word).
POST_ROLL_MS = 200
#: Partial captions re-decode at most this much of the end of the turn.
PARTIAL_WINDOW_MS = 20_000
#: Downstream frames carry this much audio each.
OUTPUT_FRAME_MS = 40
#: The server sends speech at most this far ahead of real time (the client's buffer), so a barge-in
#: wastes little and "what was played" stays close to "what was sent".
SEND_AHEAD_MS = 800
#: Estimated delay between sending a frame and hearing it (network plus the client's jitter buffer).
PLAYOUT_DELAY_MS = 150
#: How long a closing session waits for an answer in flight to be transcribed and saved.
TURN_SAVE_GRACE_S = 30.0
#: How long a closing session waits for answers being scored, so their scores are stored.
EVALUATION_GRACE_S = 30.0
#: States in which silence from the candidate counts towards the idle timeout.
IDLE_STATES = (m.SessionState.CONNECTING, m.SessionState.LISTENING)


def turn_config(services: Services) -> TurnConfig:
    settings = services.settings
    return TurnConfig(
        speech_threshold=settings.vad_threshold,
        silence_threshold=max(0.05, settings.vad_threshold - 0.15),
        speech_confirm_ms=settings.speech_confirm_ms,
        barge_in_confirm_ms=settings.barge_in_confirm_ms,
        end_silence_ms=settings.end_of_turn_silence_ms,
        unfinished_silence_ms=settings.thinking_pause_ms,
        prompt_after_ms=settings.prompt_after_ms,
        max_turn_ms=settings.max_turn_ms,
    )


@dataclass
class TurnTiming:
    """Monotonic times of one turn's stages, from the candidate's last word to the interviewer's first sound."""

    speech_end_at: float
    decided_at: float
    transcribed_at: float | None = None
    first_audio_at: float | None = None

    def stages_ms(self) -> dict[str, float]:
        def since_speech(at: float | None) -> float:
            return round(((at or self.speech_end_at) - self.speech_end_at) * 1000, 1)

        return {
            "end_of_turn": since_speech(self.decided_at),
            "final_transcript": since_speech(self.transcribed_at),
            "first_audio": since_speech(self.first_audio_at),
        }


@dataclass
class Speculation:
    """A transcription started when the candidate paused; used if the pause turns out to end the turn."""

    speech_end_ms: float
    task: asyncio.Task[str]


_BACKCHANNEL = re.compile(
    r"^(m+-?h?m+|mhm|uh-?huh|uh|um|hm+|yeah|yes|yep|ok(ay)?|right|sure|got it|i see|ah|oh|cough|"
    r"thank you|thanks|you)$"
)


def is_backchannel(words: str) -> bool:
    """True for what a listener says without taking the floor ("mm-hm", "okay"), and for no words at all.

    Whisper writes non-speech as "(coughs)" or "[Music]", or invents "Thank you." on noise.
    """
    text = re.sub(r"[\(\[][^)\]]*[\)\]]", " ", words.lower())
    parts = [p.strip(" .,!?-") for p in re.split(r"[.,!?]", text)]
    return all(not p or _BACKCHANNEL.match(p) for p in parts)


def prompt_reply(question_number: int, holding: bool) -> Reply:
    """A gentle prompt after a long silence: never a new question."""
    text = "Take your time." if holding else "Take your time. I can repeat the question if that helps."
    return Reply(kind=m.UtteranceKind.PROMPT, question_number=question_number, chunks=single(text))


@dataclass
class Speech:
    """The interviewer's utterance being spoken: what was sent, and how much the client has played."""

    utterance_id: int
    reply: Reply
    sentences: list[tuple[str, int]]  # (text, audio ms) per sentence sent so far
    sent_ms: int = 0
    first_frame_at: float | None = None
    reported_ms: int = 0
    reported_at: float = 0.0
    all_sent: bool = False
    played_out: bool = False
    timing: TurnTiming | None = None

    def played_ms(self, now: float) -> int:
        """Best estimate of how much the candidate has heard: the client's report, else the clock."""
        if self.reported_at:
            estimate = self.reported_ms + (now - self.reported_at) * 1000
        elif self.first_frame_at is not None:
            estimate = (now - self.first_frame_at) * 1000 - PLAYOUT_DELAY_MS
        else:
            estimate = 0
        return int(max(0, min(self.sent_ms, estimate)))

    def heard_text(self, played_ms: int) -> str:
        """The words heard in ``played_ms``: whole sentences, then the heard share of the one cut short."""
        words: list[str] = []
        position = 0
        for text, duration in self.sentences:
            if position + duration <= played_ms:
                words.append(text)
            elif played_ms > position:
                sentence_words = text.split()
                share = (played_ms - position) / max(duration, 1)
                heard = sentence_words[: int(len(sentence_words) * share)]
                if heard:
                    words.append(" ".join(heard) + " …")
                break
            position += duration
        return " ".join(words)


class _CandidateTalking(Exception):
    """Raised inside the speaking task when the candidate is already talking: never talk over them."""


class SessionEnded(Exception):
    def __init__(self, reason: m.EndReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class LiveSession:
    """Drive one interview from one socket: the route feeds it with :meth:`on_text` and :meth:`on_audio`."""

    def __init__(
        self,
        services: Services,
        record: InterviewRecord,
        interviewer: Interviewer,
        outbox: Outbox,
    ) -> None:
        self.services = services
        self.record = record
        self.interviewer = interviewer
        self.outbox = outbox
        self.settings = services.settings
        self.state = m.SessionState.CONNECTING
        self.detector = TurnDetector(turn_config(services))
        self.vad = services.vad.open_stream()
        self.turns: list[StoredTurn] = list(record.turns)
        self.hello = False
        self.started = record.started_at is not None
        self.audio_ms = 0.0  # position in the upstream audio
        self._vad_ms = 0.0  # position of the next VAD window
        self._audio = bytearray()  # upstream audio from _audio_origin_ms on
        self._audio_origin_ms = 0.0
        self._speech_start_ms: float | None = None
        self._turn_started_wall: datetime | None = None
        self._last_partial_ms = 0.0
        self._partial_task: asyncio.Task[None] | None = None
        self._reply_task: asyncio.Task[None] | None = None
        self._turn_task: asyncio.Task[None] | None = None
        self._speech: Speech | None = None
        self._question_text = record.turns[-1].question if record.turns else ""
        self._question_asked_at = datetime.now(UTC)
        self._last_utterance_id = -1
        self._last_activity = time.monotonic()
        self._warned_early_audio = False
        self._ended = asyncio.Event()
        self._end_reason: SessionEnded | None = None
        self._closing = False
        self._echo = EchoGuard(services.tts.sample_rate)
        self._speculation: Speculation | None = None
        self.meter = UsageMeter()  # what this session used; added to the interview's total when it closes
        self.evaluations = BackgroundEvaluations(create_evaluator(self.settings), record.setup, self._on_evaluation)
        self.closed = asyncio.Event()  # set once the session has freed everything
        self._lost = asyncio.Event()
        self.lost: tuple[int, str] = (m.CloseCode.GOING_AWAY, "")
        last = record.turns[-1] if record.turns else None
        self._asked_kind = last.kind if last else m.UtteranceKind.GREETING.value
        self._asked_number = last.question_number if last else 0
        self._asked_interrupted = False
        self._asked_by = "interviewer"
        #: Every event observers see, numbered, stored and published (server/observers).
        self.journal = EventJournal(services.store, services.bus, record.id, services.settings.store_retry_s)

    # ------------------------------------------------------------------ sending

    async def send(self, message: BaseModel) -> None:
        self.journal.observe(message)
        await self.outbox.put_control(m.encode(message))

    async def set_state(self, state: m.SessionState) -> None:
        if state != self.state:
            self.state = state
            await self.send(m.StateChanged(state=state))

    async def error(self, code: m.ErrorCode, message: str) -> None:
        await self.send(m.ErrorMessage(code=code, message=message))

    # ------------------------------------------------------------------ receiving

    async def on_text(self, text: str) -> None:
        """Handle one text frame; bad input gets a specific error and the session goes on."""
        try:
            message = m.parse_client_message(text)
        except m.ProtocolError as exc:
            await self.send(exc.to_message())
            return
        if not self.hello and not isinstance(message, m.Hello):
            await self.error(m.ErrorCode.OUT_OF_ORDER, f"'{message.type}' before 'hello'; send 'hello' first")
            return
        self._last_activity = time.monotonic()
        match message:
            case m.Hello():
                await self._on_hello()
            case m.Start():
                await self._on_start()
            case m.TextAnswer(text=answer):
                await self._on_text_answer(answer)
            case m.EndTurn():
                await self._on_end_turn()
            case m.Playback():
                self._on_playback(message)
            case m.End():
                self.end(m.EndReason.CANDIDATE_ENDED, "You ended the interview.")

    async def on_audio(self, data: bytes) -> None:
        METRICS.audio_frames_received.inc()
        try:
            frame = check_input_frame(data)
        except AudioFrameError as exc:
            await self.error(m.ErrorCode.BAD_AUDIO_FRAME, str(exc))
            return
        if not self.started or self.state is m.SessionState.ENDED:
            if not self._warned_early_audio:
                self._warned_early_audio = True
                await self.error(m.ErrorCode.OUT_OF_ORDER, "audio before 'start' is ignored")
            return
        self._append_audio(frame)
        for probability in self.vad.process(frame):
            window_ms = self.vad.window_ms
            events = self.detector.feed(probability, self._vad_ms, window_ms)
            self._vad_ms += window_ms
            for event in events:
                await self._on_turn_event(event)
        if self.detector.candidate_speaking:
            self._last_activity = time.monotonic()
            self._maybe_partial()

    def _append_audio(self, frame: bytes) -> None:
        self._audio += frame
        self.audio_ms += INPUT_FRAME_MS
        if self._speech_start_ms is None:
            # Between turns keep only the pre-roll, so memory stays bounded while nobody speaks.
            excess = len(self._audio) - PRE_ROLL_MS * 2 * BYTES_PER_MS
            if excess > 0:
                del self._audio[:excess]
                self._audio_origin_ms += excess / BYTES_PER_MS

    def _audio_between(self, start_ms: float, end_ms: float) -> bytes:
        first = max(0, int((start_ms - self._audio_origin_ms) * BYTES_PER_MS) & ~1)
        last = max(first, int((end_ms - self._audio_origin_ms) * BYTES_PER_MS) & ~1)
        return bytes(self._audio[first:last])

    # ------------------------------------------------------------------ protocol steps

    async def _on_hello(self) -> None:
        if self.hello:
            await self.error(m.ErrorCode.OUT_OF_ORDER, "'hello' was already received")
            return
        self.hello = True
        setup = self.record.setup
        await self.send(
            m.Ready(
                interview_id=self.record.id,
                candidate_name=setup.candidate_name,
                job_title=setup.job_title,
                num_questions=setup.num_questions,
                output_sample_rate=self.services.tts.sample_rate,
                started=self.started,
                history=[self._turn_record(turn) for turn in self.turns],
            )
        )

    async def _on_start(self) -> None:
        if self.state is not m.SessionState.CONNECTING:
            await self.error(m.ErrorCode.OUT_OF_ORDER, "the interview is already running")
            return
        if not self.started:
            try:
                snapshot = self.interviewer.snapshot()
                await durably(
                    self.services,
                    lambda: self.services.store.mark_started(self.record.id, snapshot),
                    self.send,
                    what="the start of the interview",
                )
            except StoreError as exc:
                self._lose(exc)
                return
            self.started = True
        await self.set_state(m.SessionState.THINKING)
        reply = await self.interviewer.begin()
        self._speak(reply)

    async def _on_text_answer(self, text: str) -> None:
        if self.state in (m.SessionState.CONNECTING, m.SessionState.THINKING):
            await self.error(m.ErrorCode.OUT_OF_ORDER, f"cannot take an answer while {self.state.value}")
            return
        if self.state is m.SessionState.SPEAKING:
            await self._barge_in()
        self.detector.reset()
        self._drop_turn_audio()
        self._begin_turn(answered_by="text", text=text.strip(), duration_ms=0)

    async def _on_end_turn(self) -> None:
        for event in self.detector.end_turn_now(self._vad_ms):
            await self._on_turn_event(event)

    def _on_playback(self, message: m.Playback) -> None:
        speech = self._speech
        if speech is None or message.utterance_id != speech.utterance_id:
            return  # a late report about an utterance already over: nothing to do
        speech.reported_ms = min(message.played_ms, speech.sent_ms)
        speech.reported_at = time.monotonic()
        if message.done and speech.all_sent:
            speech.played_out = True

    # ------------------------------------------------------------------ turns

    async def _on_turn_event(self, event: TurnEvent) -> None:
        match event:
            case SpeechStarted():
                self._speech_start_ms = event.at_ms
                self._turn_started_wall = datetime.now(UTC)
                self._last_partial_ms = self._vad_ms
                await self.send(m.SpeechActivity(active=True, at_ms=int(event.at_ms)))
                if event.barge_in and self._speech is not None:
                    await self._verify_barge_in(event.at_ms)
            case PauseStarted():
                self._speculate(event.speech_end_ms)
            case PauseEnded():
                self._drop_speculation()
                if self._speech is not None and self._speech.reply.kind is m.UtteranceKind.PROMPT:
                    await self._barge_in()
            case LongSilence():
                if self._speech is None and self.state is m.SessionState.LISTENING:
                    self._speak(prompt_reply(self._asked_number, holding=self._speech_start_ms is not None))
            case TurnEnded():
                if self._speech is not None and self._speech.reply.kind is not m.UtteranceKind.PROMPT:
                    # The interviewer is still talking and was never interrupted: that was not a turn.
                    self._drop_turn_audio()
                    return
                await self.send(m.SpeechActivity(active=False, at_ms=int(event.speech_end_ms)))
                speculation = self._speculation if self._speculation_covers(event.speech_end_ms) else None
                self._speculation = None
                audio = self._turn_audio(event.speech_start_ms, event.speech_end_ms)
                self._drop_turn_audio()
                self._begin_turn(
                    answered_by="voice",
                    audio=audio,
                    speculation=speculation,
                    duration_ms=int(event.speech_end_ms - event.speech_start_ms),
                    speech_end_at=self._wall_time_of(event.speech_end_ms),
                )

    def _turn_audio(self, speech_start_ms: float, speech_end_ms: float) -> bytes:
        return self._audio_between(speech_start_ms - PRE_ROLL_MS, speech_end_ms + POST_ROLL_MS)

    def _wall_time_of(self, audio_ms: float) -> float:
        """The monotonic time at which the audio at ``audio_ms`` was received (audio arrives in real time)."""
        return time.monotonic() - (self.audio_ms - audio_ms) / 1000

    def _speculate(self, speech_end_ms: float) -> None:
        """The candidate paused: transcribe now, so a finished answer is answered without delay.

        The transcript also tells the turn detector whether the words sound finished.
        """
        if self._speech_start_ms is None:
            return
        self._drop_speculation()
        audio = self._turn_audio(self._speech_start_ms, speech_end_ms)
        covers = speech_end_ms + POST_ROLL_MS
        task = asyncio.create_task(self._transcribe_pause(audio, covers))
        self._speculation = Speculation(speech_end_ms, task)

    async def _transcribe_pause(self, audio: bytes, covers_until_ms: float) -> str:
        text = await self.services.stt.transcribe(audio)
        self.detector.set_hint(text, covers_until_ms)
        return text

    def _speculation_covers(self, speech_end_ms: float) -> bool:
        return self._speculation is not None and self._speculation.speech_end_ms == speech_end_ms

    def _drop_speculation(self) -> None:
        if self._speculation is not None:
            self._speculation.task.cancel()
            self._speculation = None

    async def _verify_barge_in(self, speech_start_ms: float) -> None:
        """Accept a barge-in only from the candidate: not the interviewer's echo, not a mere "mm-hm"."""
        audio = self._audio_between(speech_start_ms, self.audio_ms)
        if self._echo.is_echo(audio):
            METRICS.barge_ins.labels(outcome="echo").inc()
            log.info("speech over the interviewer matched its own voice: echo, ignored")
            self.detector.reject_speech()
            self._speech_start_ms = None
            return
        try:
            words = await self.services.stt.transcribe(
                self._audio_between(speech_start_ms - PRE_ROLL_MS, self.audio_ms), partial=True
            )
        except EngineError:
            words = "?"  # cannot tell: a confirmed, non-echo voice wins
        if is_backchannel(words):
            METRICS.barge_ins.labels(outcome="backchannel").inc()
            log.info("speech over the interviewer was a backchannel or noise: ignored")
            self.detector.reject_speech()
            self._speech_start_ms = None
            return
        METRICS.barge_ins.labels(outcome="accepted").inc()
        await self._barge_in()

    def _drop_turn_audio(self) -> None:
        self._speech_start_ms = None
        self._drop_speculation()
        if self._partial_task:
            self._partial_task.cancel()
            self._partial_task = None

    def _maybe_partial(self) -> None:
        if self._speech_start_ms is None or self._partial_task is not None or self.detector.paused:
            return
        if self._vad_ms - self._last_partial_ms < self.settings.partial_interval_ms:
            return
        self._last_partial_ms = self._vad_ms
        start = max(self._speech_start_ms - PRE_ROLL_MS, self._vad_ms - PARTIAL_WINDOW_MS)
        audio = self._audio_between(start, self._vad_ms)
        self._partial_task = asyncio.create_task(self._partial(audio, len(self.turns), self._vad_ms))

    async def _partial(self, audio: bytes, turn: int, covers_until_ms: float) -> None:
        try:
            text = await self.services.stt.transcribe(audio, partial=True)
        except EngineError as exc:
            METRICS.engine_errors.labels(engine="stt").inc()
            log.warning("partial transcription failed: %s", exc)
            return
        finally:
            self._partial_task = None
        if text and self._speech_start_ms is not None:
            self.detector.set_hint(text, covers_until_ms)
            await self.send(m.PartialTranscript(turn=turn, text=text))

    def _begin_turn(
        self,
        *,
        answered_by: str,
        duration_ms: int,
        audio: bytes = b"",
        text: str = "",
        speculation: Speculation | None = None,
        speech_end_at: float | None = None,
    ) -> None:
        previous = self._turn_task
        timing = TurnTiming(speech_end_at=speech_end_at or time.monotonic(), decided_at=time.monotonic())
        self._turn_task = asyncio.create_task(
            self._guarded(self._finish_turn(previous, answered_by, duration_ms, audio, text, speculation, timing))
        )

    async def _guarded(self, step: Coroutine[Any, Any, None]) -> None:
        """Run a background step; a bug in it is logged and reported, and the candidate can answer again."""
        try:
            await step
        except Exception:
            log.exception("a turn failed")
            await self.error(
                m.ErrorCode.INTERNAL_ERROR, "Sorry, something went wrong with that answer. Please answer again."
            )
            await self.set_state(m.SessionState.LISTENING)

    async def _finish_turn(
        self,
        previous: asyncio.Task[None] | None,
        answered_by: str,
        duration_ms: int,
        audio: bytes,
        text: str,
        speculation: Speculation | None,
        timing: TurnTiming,
    ) -> None:
        if previous is not None:
            await asyncio.shield(previous)  # turns are answered in order
        await self.set_state(m.SessionState.THINKING)
        if audio:
            try:
                text = await (speculation.task if speculation else self.services.stt.transcribe(audio))
            except EngineError as exc:
                METRICS.engine_errors.labels(engine="stt").inc()
                log.error("final transcription failed: %s", exc)
                await self.error(m.ErrorCode.ENGINE_FAILURE, "Sorry, I could not hear that. Please say it again.")
                text = ""
        if not text:
            await self.set_state(m.SessionState.LISTENING)
            return
        timing.transcribed_at = time.monotonic()
        index = len(self.turns)
        reply = await self.interviewer.respond(Answer(text=text, answered_by=answered_by, duration_ms=duration_ms))
        now = datetime.now(UTC)
        turn = StoredTurn(
            index=index,
            kind=self._asked_kind,
            question_number=self._asked_number,
            question=self._question_text,
            answer=text,
            answered_by=answered_by,
            asked_at=self._question_asked_at,
            answer_started_at=self._turn_started_wall if answered_by == "voice" else None,
            answered_at=now,
            answer_duration_ms=duration_ms,
            interrupted=self._asked_interrupted,
            asked_by=self._asked_by,
        )
        snapshot = self.interviewer.snapshot()
        try:
            await save_turn(self.services, self.record.id, turn, snapshot, self.send)
        except StoreError as exc:
            self._lose(exc)
            return
        # Only now, saved, is the answer acknowledged: a transcript the candidate saw is never lost.
        await self.send(m.FinalTranscript(turn=index, text=text, answered_by=answered_by))  # type: ignore[arg-type]
        self.turns.append(turn)
        METRICS.turns.labels(answered_by=answered_by).inc()
        self._score(turn.question_number, snapshot)
        self._speak(reply, timing)

    # ------------------------------------------------------------------ speaking

    def _speak(self, reply: Reply, timing: TurnTiming | None = None) -> None:
        if not self._closing:
            self._reply_task = asyncio.create_task(self._say(reply, timing))

    async def _say(self, reply: Reply, timing: TurnTiming | None = None) -> None:
        self._last_utterance_id += 1
        speech = Speech(utterance_id=self._last_utterance_id, reply=reply, sentences=[], timing=timing)
        self._speech = speech
        self._echo.clear()
        is_prompt = reply.kind is m.UtteranceKind.PROMPT
        if not is_prompt:
            self._asked_kind, self._asked_number = reply.kind.value, reply.question_number
            self._asked_interrupted = False
            self._asked_by = reply.asked_by
            self._question_asked_at = datetime.now(UTC)
        if reply.observer_action is not None:
            action = m.SteeringAction(reply.observer_action)
            self.journal.record(m.SteeringApplied(action=action, status="done"))
        await self.send(
            m.UtteranceStart(utterance_id=speech.utterance_id, kind=reply.kind, question_number=reply.question_number)
        )
        splitter = SentenceSplitter()
        seq = 0
        try:
            async for chunk in reply.chunks:
                for sentence in splitter.push(chunk):
                    seq = await self._say_sentence(speech, sentence, seq)
            for sentence in splitter.flush():
                seq = await self._say_sentence(speech, sentence, seq)
        except _CandidateTalking:
            await self._stop_speaking(speech)
            return
        except EngineError as exc:
            METRICS.engine_errors.labels(engine="tts").inc()
            log.error("speech synthesis failed: %s", exc)
            await self.error(m.ErrorCode.ENGINE_FAILURE, "The interviewer's voice failed; the question is on screen.")
        text = " ".join(sentence for sentence, _ in speech.sentences)
        if not is_prompt:
            self._question_text = text
        await self.outbox.put_audio(speech.utterance_id, OutputFrame(speech.utterance_id, seq, b"", last=True).encode())
        speech.all_sent = True
        await self.send(m.UtteranceEnd(utterance_id=speech.utterance_id, text=text, duration_ms=speech.sent_ms))
        await self._wait_played_out(speech)
        self._speech = None
        self.detector.set_interviewer_speaking(False)
        if reply.done:
            self.end(m.EndReason.COMPLETED, "The interview is complete. Thank you!")
            return
        if not is_prompt:
            self.detector.expect_answer(text, self._vad_ms)
        self._last_activity = time.monotonic()
        await self.set_state(m.SessionState.LISTENING)

    async def _say_sentence(self, speech: Speech, sentence: str, seq: int) -> int:
        """Synthesize one sentence and send it paced a little ahead of real time. Returns the next seq."""
        if self.detector.candidate_speaking:
            raise _CandidateTalking
        await self.send(
            m.UtteranceText(utterance_id=speech.utterance_id, sentence=len(speech.sentences), text=sentence)
        )
        rate = self.services.tts.sample_rate
        step = rate * OUTPUT_FRAME_MS // 1000 * 2
        pending = b""
        sentence_ms = 0
        async for pcm in self.services.tts.synthesize(sentence):
            pending += pcm
            while len(pending) >= step:
                frame, pending = pending[:step], pending[step:]
                sentence_ms += await self._send_frame(speech, seq, frame, rate)
                seq += 1
        if pending:
            sentence_ms += await self._send_frame(speech, seq, pending, rate)
            seq += 1
        speech.sentences.append((sentence, sentence_ms))
        return seq

    async def _send_frame(self, speech: Speech, seq: int, pcm: bytes, rate: int) -> int:
        if speech.first_frame_at is None:
            speech.first_frame_at = time.monotonic()
            if speech.timing is not None:
                speech.timing.first_audio_at = speech.first_frame_at
                self._observe_turn(speech.timing)
            self.detector.set_interviewer_speaking(True)
            await self.set_state(m.SessionState.SPEAKING)
        ahead = speech.sent_ms - (time.monotonic() - speech.first_frame_at) * 1000
        if ahead > SEND_AHEAD_MS:
            await asyncio.sleep((ahead - SEND_AHEAD_MS) / 1000)
        await self.outbox.put_audio(speech.utterance_id, OutputFrame(speech.utterance_id, seq, pcm).encode())
        self._echo.sent(pcm)
        duration = len(pcm) * 1000 // (2 * rate)
        speech.sent_ms += duration
        return duration

    async def _wait_played_out(self, speech: Speech) -> None:
        """Until the client reports the end of playback, or the clock says it must have ended."""
        while not speech.played_out:
            remaining = speech.sent_ms - speech.played_ms(time.monotonic())
            if remaining <= 0:
                await asyncio.sleep(PLAYOUT_DELAY_MS / 1000)
                return
            await asyncio.sleep(min(remaining, 100) / 1000)

    async def _barge_in(self) -> None:
        """Stop speaking at once; the client drops the rest; the history keeps only what was heard."""
        speech, task = self._speech, self._reply_task
        if speech is None or task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await self._stop_speaking(speech)

    async def _stop_speaking(self, speech: Speech) -> None:
        played = speech.played_ms(time.monotonic())
        heard = speech.heard_text(played)
        await self.outbox.cancel_utterance(speech.utterance_id)
        await self.send(m.Interrupted(utterance_id=speech.utterance_id, played_ms=played, played_text=heard))
        if speech.reply.kind is not m.UtteranceKind.PROMPT:
            self.interviewer.record_heard(heard)
            self._question_text = heard
            self._asked_interrupted = True
            self.detector.expect_answer(heard, self._vad_ms)
        self._speech = None
        self.detector.set_interviewer_speaking(False)
        if speech.reply.done:
            self.end(m.EndReason.COMPLETED, "The interview is complete. Thank you!")
            return
        await self.set_state(m.SessionState.LISTENING)

    def _score(self, question_number: int, snapshot: dict) -> None:
        """Score everything said so far about the question, beside the conversation (never delaying it)."""
        answer = answers_by_question(self.turns).get(question_number)
        if answer:
            question = question_from_snapshot(snapshot, question_number) or self._question_text
            self.evaluations.submit(question, question_number, answer)

    async def _on_evaluation(self, evaluation: AnswerEvaluation) -> None:
        row = evaluation_row(evaluation, evaluation.answer, datetime.now(UTC))
        await retrying(self.services, lambda: self.services.store.save_question_evaluation(self.record.id, row))
        self.journal.record(score_event(evaluation))

    def _observe_turn(self, timing: TurnTiming) -> None:
        stages = timing.stages_ms()
        METRICS.observe_turn(stages)
        log.info("turn answered", extra={"interview_id": self.record.id, "stages_ms": stages})

    # ------------------------------------------------------------------ lifetime

    def _lose(self, exc: StoreError) -> None:
        """The interview moved on without this connection (ended elsewhere, or answered on a newer one)."""
        log.warning("session dropped: %s", exc)
        if isinstance(exc, StoreUnavailable):
            self.lost = STORE_UNAVAILABLE_CLOSE
        elif isinstance(exc, InterviewClosed):
            self.lost = (m.CloseCode.FORBIDDEN, "this interview has ended")
        else:
            self.lost = (m.CloseCode.SUPERSEDED, "the interview continued on another connection")
        self._lost.set()

    async def wait_lost(self) -> tuple[int, str]:
        await self._lost.wait()
        return self.lost

    def end(self, reason: m.EndReason, message: str) -> None:
        if self._end_reason is None:
            self._end_reason = SessionEnded(reason, message)
            self._ended.set()

    @property
    def ending(self) -> bool:
        """The interview is ending (an end was asked for), even if the session has not closed yet."""
        return self._end_reason is not None

    async def watchdog(self) -> None:
        """End the session when the candidate is idle too long or the interview runs over its length."""
        started = time.monotonic()
        while not self._ended.is_set():
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if now - started > self.settings.max_interview_s:
                self.end(m.EndReason.MAX_DURATION, "The interview reached its maximum length.")
            elif self.state in IDLE_STATES and now - self._last_activity > self.settings.idle_timeout_s:
                self.end(m.EndReason.IDLE_TIMEOUT, "The interview ended after a long silence.")

    async def wait_ended(self) -> SessionEnded:
        await self._ended.wait()
        assert self._end_reason is not None
        return self._end_reason

    async def shutdown(self, ending: SessionEnded | None) -> None:
        """Free every task and, when the interview ended (not merely disconnected), say why and save.

        An answer already given is never lost: a turn being transcribed or saved is allowed to finish
        (it will not speak any more), before anything is cancelled.
        """
        self._closing = True
        if self._turn_task is not None and not self._turn_task.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._turn_task), TURN_SAVE_GRACE_S)
            except Exception:
                log.exception("the last turn could not be saved before the session closed")
        for task in (self._reply_task, self._partial_task, self._turn_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.evaluations.drain(EVALUATION_GRACE_S)
        await self.evaluations.close()
        used = {name: value for name, value in self.meter.usage.model_dump().items() if value}
        if used:
            await self.services.store.add_usage(self.record.id, used)
        if ending is not None:
            self.state = m.SessionState.ENDED
            status = "completed" if ending.reason is m.EndReason.COMPLETED else "ended"
            await self.services.store.finish(self.record.id, status, ending.reason.value)
            summary = [self._turn_record(turn) for turn in self.turns]
            await self.send(m.Ended(reason=ending.reason, message=ending.message, summary=summary))
            await self._store_report()

    async def _store_report(self) -> None:
        """Build the report once the interview is over, so it is ready when the recruiter opens it."""
        record = await self.services.store.get_interview(self.record.id)
        if record is None or not record.turns:
            return
        try:
            await interview_results(self.services, record)
        except Exception:
            log.exception("building the report failed; it will be built when the results are read")

    @staticmethod
    def _turn_record(turn: StoredTurn) -> m.TurnRecord:
        return m.TurnRecord(
            index=turn.index,
            question=turn.question,
            answer=turn.answer,
            kind=m.UtteranceKind(turn.kind),
            question_number=turn.question_number,
            answered_by="text" if turn.answered_by == "text" else "voice",
        )
