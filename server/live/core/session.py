"""The live session's core, sans I/O: every conversational decision of one candidate's socket.

Inputs go in with the time they happened (:meth:`LiveCore.handle`); commands come out, and the asyncio shell
carries them out in order (send this, transcribe that, ask the interviewer, synthesize, save, close). There is
no asyncio, no clock and no engine in here, so a session is tested in milliseconds with a fake clock and can be
replayed from a recording of its inputs (:mod:`server.live.core.replay`). Which message is legal in which state
is the protocol's table (:mod:`protocol.rules`); turn-taking is :mod:`~server.live.core.listening`'s, speaking
:mod:`~server.live.core.speaking`'s, steering :mod:`~server.live.core.steering`'s; this module ties them to the
interviewer and the store.

A spoken turn: the last segment's words arrive → the interviewer is asked to respond (its reply is synthesized
at once, but held) → the turn is saved with the interviewer's state → ``final_transcript`` → the reply goes on
air. So ``final_transcript`` always means "saved", and nothing said is lost if the server dies after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from protocol import messages as m
from protocol.audio import AudioFrameError, check_input_frame
from protocol.rules import CandidatePhase, candidate_verdict
from server.live.core import io
from server.live.core.echo import EchoGuard
from server.live.core.listening import Answered, Interrupt, Listener, Prompt, Resumed, Signal, SpokenTurn
from server.live.core.speaking import ReplyInfo, Utterance
from server.live.core.steering import SteeringDesk
from server.live.core.turns import TurnConfig
from server.text.sentences import SentenceSplitter
from server.text.transcripts import combined_confidence

#: The server sends speech at most this far ahead of playback (the client's buffer), so a barge-in wastes
#: little and "what was played" stays close to "what was sent".
SEND_AHEAD_MS = 800
#: While speaking, the shell wakes the core this often to pace frames out.
SPEAKING_TICK_S = 0.04
#: Store outages: a turn is saved again after these delays (then every 5 s) until ``store_retry_s`` have passed
#: since its first failure; then the session gives up (close 1013).
SAVE_RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0)
SAVE_RETRY_EVERY_S = 5.0
COMPLETED = "The interview is complete. Thank you!"
GAVE_UP = (
    "We could not save your answer: the database is unreachable. Everything you were shown as saved is kept; "
    "reconnect in a minute and you will be asked this question again."
)
#: How a session (or a socket refused at the door) closes while the database stays unreachable.
STORE_UNAVAILABLE_CLOSE = (m.CloseCode.TRY_AGAIN_LATER, "the database is unreachable; reconnect in a minute")
PROMPT = "Take your time. I can repeat the question if that helps."
PROMPT_HOLDING = "Take your time."


@dataclass(frozen=True)
class CoreConfig:
    turns: TurnConfig
    vad_window_ms: float
    output_sample_rate: int
    partial_interval_ms: float = 1000
    idle_timeout_s: float = 300
    max_interview_s: float = 3600
    store_retry_s: float = 30


@dataclass(frozen=True)
class Resume:
    """What the store knows when the socket opens (a reconnect continues from it)."""

    interview_id: str
    candidate_name: str
    job_title: str
    num_questions: int
    started: bool
    history: list[m.TurnRecord] = field(default_factory=list)


@dataclass
class Asked:
    """What the candidate is answering now: the words they heard, and when."""

    kind: str
    question_number: int
    text: str
    asked_at: float
    asked_by: str = "interviewer"
    interrupted: bool = False


@dataclass
class PendingTurn:
    """An answer on its way to the store: waiting for the interviewer's reply, then for the save."""

    answer: io.AnswerData
    started_at: float | None
    answered_at: float
    speech_end_at: float
    reply_job: int
    asked: Asked
    save_job: int | None = None
    saves: int = 0
    retry_at: float | None = None
    failing_since: float | None = None


class LiveCore:
    """One candidate socket's conversation. Construct it when the socket opens; feed it; obey it."""

    def __init__(self, config: CoreConfig, resume: Resume, now: float) -> None:
        self.config = config
        self.resume = resume
        self.jobs = io.Jobs()
        self.echo = EchoGuard(config.output_sample_rate)
        self.listener = Listener(config.turns, config.vad_window_ms, self.echo, config.partial_interval_ms, self.jobs)
        self.listener.turn_index = len(resume.history)
        self.history = list(resume.history)
        #: How sure the recogniser was of each answer in ``history`` (unknown for those of earlier connections).
        self._heard: list[float | None] = [None] * len(resume.history)
        self.phase: CandidatePhase = "awaiting_hello"
        self.started = resume.started
        last = resume.history[-1] if resume.history else None
        self.asked = Asked(last.kind.value, last.question_number, last.question, now) if last else None
        self.steering = SteeringDesk()
        self.opened_at = now
        self.now = now
        self.last_activity = now
        self.ending: tuple[m.EndReason, str] | None = None
        self.closed = False
        self.interviewer_finished = False
        self._out: list[io.Command] = []
        self._on_air: Utterance | None = None
        self._next: Utterance | None = None  # the next reply, synthesized while it waits for its turn to be saved
        self._splitters: dict[int, SentenceSplitter] = {}
        self._reply_jobs: dict[int, Utterance] = {}
        self._utterance_ids = 0
        self._turns: list[PendingTurn] = []
        self._start_job: int | None = None
        self._warned_audio = False

    # ------------------------------------------------------------------ the one entry point

    def handle(self, now: float, item: io.Input) -> list[io.Command]:
        """Take one input; return what to do, in order."""
        self.now = max(self.now, now)
        if self.closed:
            return []
        match item:
            case io.ClientText(text=text):
                self._on_text(text)
            case io.ClientAudio(data=data):
                self._on_audio(data)
            case io.VoiceActivity(probabilities=probabilities):
                self._apply(*self.listener.on_vad(self.now, probabilities))
            case io.TranscriptReady(job=job, text=text, confidence=confidence):
                self._apply(*self.listener.on_transcript(job, text, confidence))
            case io.TranscriptFailed(job=job):
                self._emit(io.Count("engine_error", "stt"))
                self._apply(*self.listener.on_transcript_failed(job))
            case io.TurnJudged(job=job, probability=probability):
                self.listener.on_judged(job, probability)
            case io.TurnJudgeFailed(job=job):
                self._emit(io.Count("engine_error", "turn_model"))
                self.listener.on_judge_failed(job)
            case io.ReplyStarted():
                self._on_reply_started(item)
            case io.ReplyChunk(job=job, text=text):
                self._on_reply_text(job, text, finished=False)
            case io.ReplyFinished(job=job):
                self._on_reply_text(job, "", finished=True)
            case io.ReplyFailed(job=job):
                self._on_reply_failed(job)
            case io.SpeechChunk(utterance_id=uid, sentence=index, pcm=pcm):
                if (utterance := self._utterance(uid)) is not None:
                    utterance.add_pcm(index, pcm)
            case io.SpeechFinished(utterance_id=uid, sentence=index):
                if (utterance := self._utterance(uid)) is not None:
                    utterance.sentence_done(index)
            case io.SpeechFailed(utterance_id=uid, sentence=index):
                self._on_speech_failed(uid, index)
            case io.Saved(job=job):
                self._on_saved(job)
            case io.SaveFailed(job=job, why=why):
                self._on_save_failed(job, why)
            case io.Steer():
                self._emit_all(self.steering.apply(item, self))
            case io.Tick():
                pass
        self._advance()
        out, self._out = self._out, []
        return out

    def next_deadline(self) -> float | None:
        """When to call :meth:`handle` with :class:`~server.live.core.io.Tick` if nothing else happens."""
        if self.closed:
            return None
        deadlines = []
        if self.ending is None:
            deadlines.append(self.opened_at + self.config.max_interview_s)
            if self.phase in ("connecting", "listening"):
                deadlines.append(self.idle_deadline)
        if self._on_air is not None:
            deadlines.append(self.now + SPEAKING_TICK_S)
        deadlines += [t.retry_at for t in self._turns if t.retry_at is not None]
        return min(deadlines, default=None)

    @property
    def idle_deadline(self) -> float:
        return self.last_activity + self.config.idle_timeout_s

    @property
    def speaking(self) -> Utterance | None:
        return self._on_air

    # ------------------------------------------------------------------ plumbing

    def _emit(self, command: io.Command) -> None:
        self._out.append(command)

    def _emit_all(self, commands: list[io.Command]) -> None:
        self._out.extend(commands)

    def send(self, message: BaseModel) -> None:
        self._emit(io.Send(message))

    def error(self, code: m.ErrorCode, message: str, fatal: bool = False) -> None:
        self.send(m.ErrorMessage(code=code, message=message, fatal=fatal))

    def _set_phase(self, phase: CandidatePhase) -> None:
        if phase != self.phase and self.phase != "ended":
            self.phase = phase
            if phase not in ("awaiting_hello", "connecting"):
                self.send(m.StateChanged(state=m.SessionState(phase)))

    def _utterance(self, uid: int) -> Utterance | None:
        return next((u for u in (self._on_air, self._next) if u is not None and u.id == uid), None)

    def _apply(self, commands: list[io.Command], signals: list[Signal]) -> None:
        self._emit_all(commands)
        for signal in signals:
            match signal:
                case Interrupt():
                    self._interrupt()
                case Answered(turn=turn):
                    self._on_spoken_answer(turn)
                case Prompt():
                    self._prompt()
                case Resumed():
                    if self._on_air is not None and self._on_air.reply.is_prompt:
                        self._interrupt()

    # ------------------------------------------------------------------ client messages

    def _on_text(self, text: str) -> None:
        try:
            message = m.parse_client_message(text)
        except m.ProtocolError as exc:
            self.send(exc.to_message())
            return
        verdict = candidate_verdict(self.phase, message.type)
        if verdict.action == "refuse":
            self.error(m.ErrorCode.OUT_OF_ORDER, f"'{message.type}': {verdict.reason}")
            return
        if verdict.action == "ignore":
            return
        if not isinstance(message, m.Playback):
            self.last_activity = self.now
        match message:
            case m.Hello():
                self._on_hello()
            case m.Start():
                self._set_phase("thinking")
                if self.started:
                    self._ask("begin")
                else:
                    self._start_job = self.jobs.next()
                    self._emit(io.SaveStart(self._start_job))
            case m.TextAnswer(text=answer):
                if self._on_air is not None:
                    self._interrupt()
                self.listener.forget_turn(self._out)
                answer_data = io.AnswerData(text=answer.strip(), answered_by="text", duration_ms=0)
                self._take_answer(answer_data, started_at=None, speech_end_at=self.now)
            case m.EndTurn():
                self._apply(*self.listener.end_turn_now(self.now))
            case m.Playback(utterance_id=uid, played_ms=played, done=done):
                if self._on_air is not None and self._on_air.id == uid:
                    self._on_air.on_playback(self.now, played, done)
            case m.End():
                self.end(m.EndReason.CANDIDATE_ENDED, "You ended the interview.")

    def _on_audio(self, data: bytes) -> None:
        try:
            frame = check_input_frame(data)
        except AudioFrameError as exc:
            self.error(m.ErrorCode.BAD_AUDIO_FRAME, str(exc))
            return
        verdict = candidate_verdict(self.phase, "audio")
        if verdict.action == "refuse" and not self._warned_audio:
            self._warned_audio = True
            self.error(m.ErrorCode.OUT_OF_ORDER, verdict.reason)
        elif verdict.action == "accept":
            self.listener.on_audio(frame)
            if self.listener.detector.candidate_speaking:
                self.last_activity = self.now

    def _on_hello(self) -> None:
        r = self.resume
        self.phase = "connecting"
        self.send(
            m.Ready(
                interview_id=r.interview_id,
                candidate_name=r.candidate_name,
                job_title=r.job_title,
                num_questions=r.num_questions,
                output_sample_rate=self.config.output_sample_rate,
                started=self.started,
                history=self.history,
            )
        )

    # ------------------------------------------------------------------ answers

    def _on_spoken_answer(self, turn: SpokenTurn) -> None:
        words = turn.words()
        failed, self.listener.failures = self.listener.failures, 0
        if not words:
            if failed:
                self.error(m.ErrorCode.ENGINE_FAILURE, "Sorry, I could not hear that. Please say it again.")
            if not self._turns and self._next is None and self._on_air is None:
                self._set_phase("listening")
            return
        end_ms = turn.end_ms if turn.end_ms is not None else turn.start_ms
        answer = io.AnswerData(
            text=words, answered_by="voice", duration_ms=int(end_ms - turn.start_ms), confidence=turn.confidence()
        )
        # The audio arrives in real time: its last word was heard this long before the decision's input.
        speech_end_at = (turn.ended_at or self.now) - max(0.0, self.listener.vad_ms - end_ms) / 1000
        self._take_answer(answer, started_at=turn.started_at, speech_end_at=speech_end_at)

    def _take_answer(self, answer: io.AnswerData, started_at: float | None, speech_end_at: float) -> None:
        if not answer.text:
            return
        asked = self.asked or Asked(m.UtteranceKind.GREETING.value, 0, "", self.opened_at)
        pending = PendingTurn(answer, started_at, self.now, speech_end_at, self.jobs.next(), asked)
        self._turns.append(pending)
        self.listener.turn_index += 1
        self._set_phase("thinking")
        if len(self._turns) == 1:
            self._respond_to(pending)

    def _respond_to(self, pending: PendingTurn) -> None:
        self._emit(io.AskInterviewer(pending.reply_job, "respond", pending.answer))
        utterance = self._prepare(pending.reply_job)
        utterance.answer_end_at, utterance.decided_at = pending.speech_end_at, pending.answered_at

    def _ask(self, call: Literal["begin", "proceed"]) -> None:
        job = self.jobs.next()
        self._emit(io.AskInterviewer(job, call, None))
        self._prepare(job).released = True

    def _prepare(self, job: int | None) -> Utterance:
        """A new utterance for the reply of ``job`` (or the core's own words), held until it may go on air."""
        if self._next is not None:
            self._emit(io.CancelSynthesis(self._next.id))
        self._utterance_ids += 1
        utterance = Utterance(self._utterance_ids - 1, ReplyInfo(m.UtteranceKind.QUESTION, 0), self._rate)
        self._next = utterance
        self._splitters[utterance.id] = SentenceSplitter()
        if job is not None:
            self._reply_jobs[job] = utterance
        return utterance

    @property
    def _rate(self) -> int:
        return self.config.output_sample_rate

    def _on_reply_started(self, item: io.ReplyStarted) -> None:
        utterance = self._reply_jobs.get(item.job)
        if utterance is None or utterance is not self._next:
            return  # a reply nobody waits for any more
        utterance.reply = ReplyInfo(
            item.kind, item.question_number, item.done, item.asked_by, item.observer_action, item.expects_answer
        )
        utterance.decided = True
        self.interviewer_finished |= item.done
        if self._turns and self._turns[0].reply_job == item.job:
            self._save(self._turns[0])

    def _on_reply_text(self, job: int, text: str, finished: bool) -> None:
        utterance = self._reply_jobs.get(job)
        if utterance is None or utterance not in (self._next, self._on_air):
            return
        splitter = self._splitters[utterance.id]
        for sentence in splitter.flush() if finished else splitter.push(text):
            index = utterance.add_sentence(sentence)
            self._emit(io.Synthesize(utterance.id, index, sentence))
        if finished:
            utterance.text_complete = True
            del self._reply_jobs[job]

    def _on_reply_failed(self, job: int) -> None:
        self._emit(io.Count("engine_error", "interviewer"))
        utterance = self._reply_jobs.pop(job, None)
        if utterance is not None and utterance is self._next:
            self._next = None
        if self._turns and self._turns[0].reply_job == job:
            self._turns.pop(0)
            self.listener.turn_index -= 1
        self.error(m.ErrorCode.INTERNAL_ERROR, "Sorry, something went wrong with that answer. Please answer again.")
        if self._on_air is None:
            self._set_phase("listening")

    def _on_speech_failed(self, uid: int, index: int) -> None:
        utterance = self._utterance(uid)
        if utterance is None:
            return
        utterance.sentence_done(index)  # go on with what was made; the words are on screen anyway
        if not utterance.voice_failed:
            utterance.voice_failed = True
            self._emit(io.Count("engine_error", "tts"))
            self.error(m.ErrorCode.ENGINE_FAILURE, "The interviewer's voice failed; the question is on screen.")

    # ------------------------------------------------------------------ saving

    def _save(self, pending: PendingTurn) -> None:
        asked = pending.asked
        pending.save_job = self.jobs.next()
        pending.saves += 1
        pending.retry_at = None
        turn = io.TurnData(
            index=len(self.history),
            kind=asked.kind,
            question_number=asked.question_number,
            question=asked.text,
            answer=pending.answer.text,
            answered_by=pending.answer.answered_by,
            asked_at=asked.asked_at,
            answer_started_at=pending.started_at,
            answered_at=pending.answered_at,
            answer_duration_ms=pending.answer.duration_ms,
            interrupted=asked.interrupted,
            asked_by=asked.asked_by,
            confidence=pending.answer.confidence,
        )
        self._emit(io.SaveTurn(pending.save_job, turn))

    def _on_saved(self, job: int) -> None:
        if job == self._start_job:
            self._start_job = None
            self.started = True
            self._ask("begin")
            return
        if not self._turns or self._turns[0].save_job != job:
            return
        pending = self._turns.pop(0)
        asked = pending.asked
        record = m.TurnRecord(
            index=len(self.history),
            question=asked.text,
            answer=pending.answer.text,
            kind=m.UtteranceKind(asked.kind),
            question_number=asked.question_number,
            answered_by=pending.answer.answered_by,
        )
        self.history.append(record)
        self.send(m.FinalTranscript(turn=record.index, text=record.answer, answered_by=record.answered_by))
        self._emit(io.Count("turn", record.answered_by))
        self._heard.append(pending.answer.confidence)
        if record.question_number > 0:
            parts = [
                (t.answer, c)
                for t, c in zip(self.history, self._heard, strict=True)
                if t.question_number == record.question_number
            ]
            said = " ".join(text for text, _ in parts)
            self._emit(io.Score(record.question_number, said, combined_confidence(parts)))
        utterance = self._next
        if self._turns:
            # The candidate answered again meanwhile: the reply to the first answer is never spoken.
            if utterance is not None:
                self._emit(io.CancelSynthesis(utterance.id))
                self._next = None
            self._emit(io.TellInterviewer("record_heard", ""))
            self._respond_to(self._turns[0])
        elif utterance is not None:
            utterance.released = True

    def _on_save_failed(self, job: int, why: str) -> None:
        if why == "closed":
            self._close(m.CloseCode.FORBIDDEN, "this interview has ended")
        elif why == "superseded":
            self._close(m.CloseCode.SUPERSEDED, "the interview continued on another connection")
        elif job == self._start_job:
            self.error(m.ErrorCode.STORE_UNAVAILABLE, "We cannot start the interview right now; try again soon.", True)
            self._close(*STORE_UNAVAILABLE_CLOSE)
        elif self._turns and self._turns[0].save_job == job:
            pending = self._turns[0]
            if pending.failing_since is None:
                pending.failing_since = self.now
                self.error(m.ErrorCode.STORE_UNAVAILABLE, "We could not save your answer yet; trying again…")
            delay = SAVE_RETRY_DELAYS_S[pending.saves - 1] if pending.saves <= len(SAVE_RETRY_DELAYS_S) else 0
            retry_at = self.now + (delay or SAVE_RETRY_EVERY_S)
            if retry_at > pending.failing_since + self.config.store_retry_s:
                self.error(m.ErrorCode.STORE_UNAVAILABLE, GAVE_UP, fatal=True)
                self._close(*STORE_UNAVAILABLE_CLOSE)
                return
            pending.retry_at = retry_at

    # ------------------------------------------------------------------ speaking

    def _advance(self) -> None:
        """What time and the last input made due: retries, frames, the end of an utterance, the next one."""
        for pending in self._turns:
            if pending.retry_at is not None and self.now >= pending.retry_at:
                self._save(pending)
        if self.closed:
            return
        if self.ending is None:
            if self.now >= self.opened_at + self.config.max_interview_s:  # the same sums as next_deadline's
                self.end(m.EndReason.MAX_DURATION, "The interview reached its maximum length.")
            elif self.phase in ("connecting", "listening") and self.now >= self.idle_deadline:
                self.end(m.EndReason.IDLE_TIMEOUT, "The interview ended after a long silence.")
        if self.ending is not None:
            self._maybe_finish()
            return
        ready = self._next is not None and self._next.released and self._next.decided and self._on_air is None
        if ready and not self.listener.detector.candidate_speaking:  # never start talking over the candidate
            assert self._next is not None
            self._go_on_air(self._next)
        if self._on_air is not None:
            self._pace(self._on_air)

    def _go_on_air(self, utterance: Utterance) -> None:
        self._next = None
        self._on_air = utterance
        self.echo.clear()
        reply = utterance.reply
        if not reply.is_prompt:
            self.asked = Asked(reply.kind.value, reply.question_number, "", self.now, reply.asked_by)
        self._emit_all(self.steering.reply_started(reply))
        self.send(m.UtteranceStart(utterance_id=utterance.id, kind=reply.kind, question_number=reply.question_number))

    def _pace(self, utterance: Utterance) -> None:
        for item in utterance.release(self.now, SEND_AHEAD_MS):
            if isinstance(item, io.Send):
                self._emit(item)
                continue
            if item.pcm and not utterance.audio_started:
                utterance.audio_started = True
                self._first_audio(utterance)
            self.echo.sent(item.pcm)
            self._emit(io.SendAudio(utterance.id, item.encoded))
        if utterance.all_sent and not utterance.end_sent:
            utterance.end_sent = True
            if not utterance.audio_started:  # no audio at all (a failed voice, or no words)
                utterance.audio_started = True
                self._first_audio(utterance)
            if self.asked is not None and not utterance.reply.is_prompt:
                self.asked.text = utterance.text
            self.send(
                m.UtteranceEnd(utterance_id=utterance.id, text=utterance.text, duration_ms=round(utterance.sent_ms))
            )
        if utterance.is_played_out(self.now):
            self._played_out(utterance)

    def _first_audio(self, utterance: Utterance) -> None:
        self.listener.set_interviewer_speaking(True)
        self._set_phase("speaking")
        if utterance.answer_end_at is not None and utterance.decided_at is not None:
            since = utterance.answer_end_at
            stages = {
                "end_of_turn": round((utterance.decided_at - since) * 1000, 1),
                "first_audio": round((self.now - since) * 1000, 1),
            }
            self._emit(io.TurnTimed(stages))

    def _played_out(self, utterance: Utterance) -> None:
        self._on_air = None
        self.listener.set_interviewer_speaking(False)
        reply = utterance.reply
        if reply.done:
            self.end(m.EndReason.COMPLETED, COMPLETED)
        elif not reply.expects_answer:
            self._ask("proceed")
        elif not reply.is_prompt:
            self.listener.detector.expect_answer(utterance.text, self.listener.vad_ms)
            self.last_activity = self.now
            self._set_phase("listening")
        else:
            self._set_phase("listening")

    def _interrupt(self) -> None:
        """Stop speaking at once; the client drops the rest; the history keeps only what was heard."""
        utterance = self._on_air
        if utterance is None:
            return
        self._on_air = None
        played = utterance.played_ms(self.now)
        heard = utterance.heard_text(played)
        self._emit(io.DropAudio(utterance.id))
        self._emit(io.CancelSynthesis(utterance.id))
        self.send(m.Interrupted(utterance_id=utterance.id, played_ms=played, played_text=heard))
        self.listener.set_interviewer_speaking(False)
        reply = utterance.reply
        if not reply.is_prompt:
            self._emit(io.TellInterviewer("record_heard", heard))
            if self.asked is not None:
                self.asked.text, self.asked.interrupted = heard, True
            self.listener.detector.expect_answer(heard, self.listener.vad_ms)
        if reply.done:
            self.end(m.EndReason.COMPLETED, COMPLETED)
        else:
            self._set_phase("listening")

    def _prompt(self) -> None:
        """A long silence earns one gentle prompt: never a new question, and the turn stays the candidate's."""
        if self._on_air is not None or self._next is not None or self._turns or self.phase != "listening":
            return
        holding = self.listener.turn is not None
        number = self.asked.question_number if self.asked else 0
        utterance = self._prepare(None)
        utterance.reply = ReplyInfo(m.UtteranceKind.PROMPT, number)
        utterance.decided = True
        text = PROMPT_HOLDING if holding else PROMPT
        self._emit(io.Synthesize(utterance.id, utterance.add_sentence(text), text))
        utterance.text_complete = True
        utterance.released = True

    # ------------------------------------------------------------------ the end

    def end(self, reason: m.EndReason, message: str) -> None:
        """End the interview: answers already given are saved first, then ``ended`` and close 1000."""
        if self.ending is not None or self.closed:
            return
        self.ending = (reason, message)
        if self.listener.turn is not None:  # an answer in progress is still saved
            self._apply(*self.listener.end_turn_now(self.now))

    def _maybe_finish(self) -> None:
        if self._turns or self.listener.finishing or self.listener.turn is not None or self._start_job is not None:
            return
        assert self.ending is not None
        reason, message = self.ending
        for utterance in (self._on_air, self._next):
            if utterance is not None and not (reason is m.EndReason.COMPLETED and utterance.all_sent):
                self._emit(io.DropAudio(utterance.id))
                self._emit(io.CancelSynthesis(utterance.id))
        self._on_air = self._next = None
        self._emit(io.Finish("completed" if reason is m.EndReason.COMPLETED else "ended", reason))
        self.phase = "ended"
        self.send(m.StateChanged(state=m.SessionState.ENDED))
        self.send(m.Ended(reason=reason, message=message, summary=list(self.history)))
        self._close(m.CloseCode.NORMAL, reason.value)

    def _close(self, code: int, reason: str) -> None:
        self._emit(io.Close(code, reason))
        self.closed = True

    @property
    def has_unsaved_answers(self) -> bool:
        """Answers given but not yet saved (a disconnect waits for them)."""
        return bool(self._turns or self.listener.finishing)
