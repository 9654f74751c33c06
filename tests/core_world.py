"""A synchronous stand-in for the live shell, to test the pure live core in milliseconds with a fake clock.

It plays every part at the edge: a microphone whose speech carries its words inside the samples (so the fake
speech-to-text can read them back exactly), the real builtin interviewer (its state machine is pure), a fake
voice whose speech is seeded noise, an in-memory store that can go down, and a client that reports playback
like the web client does. Results come back after configurable delays, as they would from real engines.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from protocol import messages as m
from protocol.audio import INPUT_FRAME_BYTES, OutputFrame
from server.audio.pcm import resample_pcm16
from server.conversation.decisions import Utterance
from server.conversation.machine import InterviewMachine
from server.conversation.setup import InterviewSetup, InterviewType
from server.live.core import io
from server.live.core.session import CoreConfig, LiveCore, Resume
from server.live.core.turns import TurnConfig

FRAME_S = 0.02
OUTPUT_RATE = 22_050
MARK = 32_000
#: Fake speech-to-text reads words back from speech frames; this many ms of audio per spoken word.
WORD_MS = 300


def config(**overrides: Any) -> CoreConfig:
    values: dict[str, Any] = {
        "turns": TurnConfig(),
        "vad_window_ms": 20,
        "output_sample_rate": OUTPUT_RATE,
        "partial_interval_ms": 1000,
        "idle_timeout_s": 300,
        "max_interview_s": 3600,
    }
    values.update(overrides)
    return CoreConfig(**values)


def setup(**overrides: Any) -> InterviewSetup:
    values: dict[str, Any] = {
        "candidate_name": "Ada",
        "job_title": "Backend Engineer",
        "job_description": "Requirements:\n- Design REST APIs in Python\n- Run PostgreSQL in production",
        "resume_text": "Built the payments API in Python; led the migration to PostgreSQL.",
        "interview_type": InterviewType.BEHAVIORAL,
        "num_questions": 3,
    }
    values.update(overrides)
    return InterviewSetup(**values)


@dataclass
class Delays:
    """How long each kind of work takes, in seconds (results arrive this long after the command)."""

    transcribe: float = 0.25
    barge_in: float = 0.2
    judge: float = 0.08
    reply: float = 0.0
    synthesize: float = 0.05
    save: float = 0.0


@dataclass
class World:
    core: LiveCore
    machine: InterviewMachine
    delays: Delays = field(default_factory=Delays)
    now: float = 0.0
    messages: list[tuple[float, BaseModel]] = field(default_factory=list)
    frames: list[tuple[float, OutputFrame]] = field(default_factory=list)
    records: list[BaseModel] = field(default_factory=list)
    commands: list[tuple[float, io.Command]] = field(default_factory=list)
    saved: list[io.TurnData] = field(default_factory=list)
    scores: list[io.Score] = field(default_factory=list)
    refused: list[io.RefuseSteering] = field(default_factory=list)
    inputs: list[tuple[float, io.Input]] = field(default_factory=list)
    store_down: bool = False
    report_playback: bool = True
    closed: io.Close | None = None
    #: What a transcription of a span returns, when a test wants another answer than the words spoken.
    hear: Callable[[str, str], str] | None = None
    #: The turn model's probability that the turn is finished, from the words in the audio it judges; None: it
    #: fails (the core asks only when its config has a ``turn_model_probe_ms``).
    verdict: Callable[[str], float] | None = None
    _queue: list[tuple[float, int, io.Input]] = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)
    _cancelled: set[int] = field(default_factory=set)
    _cancelled_speech: set[int] = field(default_factory=set)
    _words: list[str] = field(default_factory=list)
    _played: dict[int, float] = field(default_factory=dict)

    @classmethod
    def create(cls, resume: Resume | None = None, machine: InterviewMachine | None = None, **overrides: Any) -> World:
        resume = resume or Resume("iv-1", "Ada", "Backend Engineer", 3, started=False)
        return cls(core=LiveCore(config(**overrides), resume, 0.0), machine=machine or InterviewMachine.start(setup()))

    # ------------------------------------------------------------------ driving

    def feed(self, item: io.Input) -> None:
        self.inputs.append((self.now, item))
        for command in self.core.handle(self.now, item):
            self.commands.append((self.now, command))
            self._carry_out(command)

    def send(self, message: BaseModel) -> None:
        self.feed(io.ClientText(m.encode(message)))

    def run_until(self, t: float) -> None:
        """Let time pass to ``t``: due results arrive, the core's deadlines tick, the client reports playback."""
        while True:
            due = self._queue[0][0] if self._queue else None
            deadline = self.core.next_deadline()
            step = min(x for x in (due, deadline, t) if x is not None)
            if step > t:
                break
            self.now = max(self.now, step)
            if due is not None and due <= self.now:
                _, _, item = heapq.heappop(self._queue)
                self.feed(item)
            elif deadline is not None and deadline <= self.now:
                self.feed(io.Tick())
                self._report_playback()
            else:
                break
            if self.closed is not None:
                return
        self.now = t

    def pass_time(self, seconds: float) -> None:
        self.run_until(self.now + seconds)

    def stream(self, pcm: bytes, probabilities: list[float]) -> None:
        """Stream frames in real time with the VAD's verdict for each 20 ms frame."""
        for i in range(0, len(pcm), INPUT_FRAME_BYTES):
            self.run_until(self.now + FRAME_S)
            self.feed(io.ClientAudio(pcm[i : i + INPUT_FRAME_BYTES]))
            self.feed(io.VoiceActivity((probabilities[i // INPUT_FRAME_BYTES],)))
            self._report_playback()
            if self.closed is not None:
                return

    def say(self, text: str) -> None:
        """Speak ``text`` (each word ~300 ms of speech) into the microphone."""
        pcm = self.speech(text)
        frames = len(pcm) // INPUT_FRAME_BYTES
        self.stream(pcm, [0.95] * frames)

    def silence(self, seconds: float) -> None:
        frames = round(seconds / FRAME_S)
        self.stream(bytes(INPUT_FRAME_BYTES * frames), [0.02] * frames)

    def speech(self, text: str) -> bytes:
        out = bytearray()
        for word in text.split():
            self._words.append(word)
            number = len(self._words) - 1
            rng = np.random.default_rng(number)
            for _ in range(WORD_MS // 20):
                samples = (rng.standard_normal(INPUT_FRAME_BYTES // 2) * 3000).astype("<i2")
                samples[0], samples[1] = MARK, number
                out += samples.tobytes()
        return bytes(out)

    def label(self, pcm: bytes, word: str) -> bytes:
        """``pcm`` with every frame marked as ``word``: the fake recogniser hears it there (two samples per frame
        change, so the echo guard still recognises an echo)."""
        self._words.append(word)
        samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % INPUT_FRAME_BYTES], dtype="<i2").reshape(-1, 320).copy()
        samples[:, 0], samples[:, 1] = MARK, len(self._words) - 1
        return samples.tobytes()

    def start(self) -> None:
        self.send(m.Hello(client="core-test"))
        self.send(m.Start())

    def until_listening(self, limit_s: float = 60) -> None:
        """Stream silence until the interviewer waits for an answer."""
        end = self.now + limit_s
        while self.core.phase != "listening" and self.now < end and self.closed is None:
            self.silence(0.2)
        assert self.core.phase == "listening", self.core.phase

    # ------------------------------------------------------------------ the edge

    def _later(self, delay: float, item: io.Input) -> None:
        heapq.heappush(self._queue, (self.now + delay, next(self._order), item))

    def _carry_out(self, command: io.Command) -> None:
        match command:
            case io.Send(message=message):
                self.messages.append((self.now, message))
            case io.SendAudio(frame=frame):
                self.frames.append((self.now, OutputFrame.decode(frame)))
            case io.Record(event=event):
                self.records.append(event)
            case io.Transcribe(job=job, pcm=pcm, purpose=purpose):
                words = self.words_in(pcm)
                if self.hear is not None:
                    words = self.hear(words, purpose)
                delay = self.delays.barge_in if purpose == "barge_in" else self.delays.transcribe
                self._later(delay, io.TranscriptReady(job, words, 0.9))
            case io.JudgeTurn(job=job, pcm=pcm):
                verdict = self.verdict
                result: io.Input
                result = (
                    io.TurnJudgeFailed(job, "down")
                    if verdict is None
                    else io.TurnJudged(job, verdict(self.words_in(pcm)))
                )
                self._later(self.delays.judge, result)
            case io.CancelJob(job=job):
                self._cancelled.add(job)
            case io.AskInterviewer(job=job, call=call, answer=answer):
                self._ask(job, call, answer)
            case io.TellInterviewer(call="record_heard", text=text):
                self.machine.record_heard(text)
            case io.TellInterviewer(call="queue_question", text=text):
                self.machine.queue_observer_question(text)
            case io.TellInterviewer(call="skip_topic"):
                self.machine.request_skip()
            case io.Synthesize(utterance_id=uid, sentence=index, text=text):
                pcm = self.voice(text)
                self._later(self.delays.synthesize, io.SpeechChunk(uid, index, pcm))
                self._later(self.delays.synthesize, io.SpeechFinished(uid, index))
            case io.CancelSynthesis(utterance_id=uid):
                self._cancelled_speech.add(uid)
            case io.SaveStart(job=job):
                self._later(self.delays.save, io.SaveFailed(job, "unavailable") if self.store_down else io.Saved(job))
            case io.SaveTurn(job=job, turn=turn):
                if self.store_down:
                    self._later(self.delays.save, io.SaveFailed(job, "unavailable"))
                else:
                    self.saved.append(turn)
                    self._later(self.delays.save, io.Saved(job))
            case io.Score():
                self.scores.append(command)
            case io.RefuseSteering():
                self.refused.append(command)
            case io.Close():
                self.closed = command

    def _ask(self, job: int, call: str, answer: io.AnswerData | None) -> None:
        utterance: Utterance
        if call == "begin":
            utterance = self.machine.begin()
        elif call == "proceed":
            utterance = self.machine.proceed()
        else:
            assert answer is not None
            from server.conversation.base import Answer

            utterance = self.machine.respond(
                Answer(text=answer.text, answered_by=answer.answered_by, duration_ms=answer.duration_ms)
            )
        started = io.ReplyStarted(
            job,
            utterance.kind,
            utterance.question_number,
            utterance.done,
            utterance.asked_by,
            utterance.observer_action,
            utterance.expects_answer,
        )
        self._later(self.delays.reply, started)
        self._later(self.delays.reply, io.ReplyChunk(job, utterance.text))
        self._later(self.delays.reply, io.ReplyFinished(job))

    def voice(self, text: str) -> bytes:
        """Seeded noise, ~60 ms per character, at the output rate (echo tests correlate with it)."""
        rng = np.random.default_rng(len(text))
        samples = int(OUTPUT_RATE * 0.06 * max(len(text), 1))
        return (rng.standard_normal(samples) * 4000).astype("<i2").tobytes()

    def words_in(self, pcm: bytes) -> str:
        samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % INPUT_FRAME_BYTES], dtype="<i2").reshape(-1, 320)
        seen: list[int] = []
        for frame in samples:
            if frame[0] == MARK and (not seen or seen[-1] != int(frame[1])):
                seen.append(int(frame[1]))
        return " ".join(self._words[i] for i in seen)

    def _report_playback(self) -> None:
        """Like the web client: about every 250 ms while playing, and once when an utterance has played out."""
        utterance = self.core.speaking
        if utterance is None or not self.report_playback or utterance.first_frame_at is None:
            return
        last = self._played.get(utterance.id, -1.0)
        played = min(utterance.sent_ms, (self.now - utterance.first_frame_at) * 1000 - 100)
        done = utterance.all_sent and played >= utterance.sent_ms
        if done or self.now - last >= 0.25:
            self._played[utterance.id] = self.now
            self.send(m.Playback(utterance_id=utterance.id, played_ms=max(0, int(played)), done=done))

    # ------------------------------------------------------------------ reading what happened

    def of(self, kind: type[Any]) -> list[Any]:
        return [message for _, message in self.messages if isinstance(message, kind)]

    def echo_of_last_utterance(self, seconds: float, gain: float = 0.5) -> bytes:
        """The interviewer's last ``seconds`` of speech coming back through the candidate's microphone."""
        uid = self.frames[-1][1].utterance_id
        pcm = b"".join(f.pcm for _, f in self.frames if f.utterance_id == uid)
        tail = pcm[-int(OUTPUT_RATE * seconds) * 2 :]
        back = np.frombuffer(resample_pcm16(tail, OUTPUT_RATE, 16_000), dtype="<i2").astype(np.float32) * gain
        pcm16 = back.astype("<i2").tobytes()
        return pcm16[: len(pcm16) - len(pcm16) % INPUT_FRAME_BYTES]
