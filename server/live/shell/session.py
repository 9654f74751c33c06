"""The asyncio shell of one live interview: moves inputs into the core and carries its commands out.

Every decision is the core's (:class:`~server.live.core.session.LiveCore`). This shell only owns what needs
asyncio: one queue of inputs (the socket's frames and messages, the engines' results, observers' steering,
ticks at the core's deadlines) drained by one driver task, and the work the core's commands start —
transcriptions, the interviewer, speech synthesis, the store — each in tasks that report back as inputs. So
the socket is always read, a slow engine never holds anything up, and the core sees one ordered stream of
inputs, which :mod:`server.live.core.replay` can replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from pydantic import BaseModel

from protocol import messages as m
from server.conversation.base import Answer, Interviewer
from server.engines.base import EngineError
from server.evaluation.background import BackgroundEvaluations
from server.evaluation.base import AnswerEvaluation, question_from_snapshot
from server.evaluation.factory import create_evaluator
from server.live.core import io
from server.live.core.replay import encode_header, encode_input
from server.live.core.session import CoreConfig, LiveCore, Resume
from server.live.core.turns import TurnConfig
from server.live.shell.outbox import Outbox
from server.live.shell.saving import retrying
from server.live.shell.workers import InterviewerDesk, Voice
from server.llm.usage import UsageMeter
from server.metrics import METRICS
from server.observers.journal import EventJournal
from server.observers.scores import score_event
from server.observers.wire import CommandRefused, events_channel
from server.services.results import evaluation_row, interview_results
from server.services.runtime import Services
from server.store.base import (
    InterviewClosed,
    InterviewRecord,
    StoredTurn,
    StoreError,
    StoreUnavailable,
    TurnConflict,
)

log = logging.getLogger("viva.session")

#: Inputs waiting for the driver; a client sending faster than the session works waits (TCP backpressure).
INPUT_QUEUE = 512
#: How long a session whose socket is gone keeps working to save the answers it was given.
SAVE_GRACE_S = 30.0
#: How long a closing session waits for answers being scored, so their scores are stored.
EVALUATION_GRACE_S = 30.0


def core_config(services: Services) -> CoreConfig:
    s = services.settings
    return CoreConfig(
        turns=TurnConfig(
            speech_threshold=s.vad_threshold,
            silence_threshold=max(0.05, s.vad_threshold - 0.15),
            speech_confirm_ms=s.speech_confirm_ms,
            barge_in_confirm_ms=s.barge_in_confirm_ms,
            end_silence_ms=s.end_of_turn_silence_ms,
            one_statement_silence_ms=s.one_statement_silence_ms,
            unfinished_silence_ms=s.thinking_pause_ms,
            prompt_after_ms=s.prompt_after_ms,
            max_turn_ms=s.max_turn_ms,
            turn_model_probe_ms=s.turn_model_probe_ms if services.turn_model is not None else None,
            turn_model_threshold=s.turn_model_threshold,
        ),
        vad_window_ms=services.vad.window_ms,
        output_sample_rate=services.tts.sample_rate,
        partial_interval_ms=s.partial_interval_ms,
        idle_timeout_s=s.idle_timeout_s,
        max_interview_s=s.max_interview_s,
        store_retry_s=s.store_retry_s,
    )


class LiveSession:
    """One socket's interview. The route feeds :meth:`feed`, runs :meth:`run`, and reads :attr:`close`."""

    def __init__(self, services: Services, record: InterviewRecord, interviewer: Interviewer, outbox: Outbox) -> None:
        self.services = services
        self.record = record
        self.outbox = outbox
        self.journal = EventJournal(services.store, services.bus, record.id, services.settings.store_retry_s)
        self.meter = UsageMeter()  # what this session used; added to the interview's total when it closes
        self.evaluations = BackgroundEvaluations(create_evaluator(services.settings), record.setup, self._scored)
        self.close: tuple[int, str] | None = None
        self.closed = asyncio.Event()  # set once everything is freed
        self.finished = False  # the interview ended (not merely this connection)
        self._stopped = False
        self._uncertain: set[int] = set()  # turns whose save failed midway: a conflict may mean they were saved
        self._inputs: asyncio.Queue[tuple[float, io.Input]] = asyncio.Queue(INPUT_QUEUE)
        self._vad = services.vad.open_stream(self._heard)
        #: Probabilities that came while the input queue was full, waiting for room in order (see :meth:`_heard`).
        self._vad_backlog: list[io.VoiceActivity] = []
        self._backlog_task: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None  # puts a Tick in at the core's next deadline
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._background: set[asyncio.Task[None]] = set()
        # Their tasks start in run(), inside the session's usage metering (tasks inherit the context they start in).
        self.interviewer = InterviewerDesk(interviewer, self.put)
        self.voice = Voice(services.tts, self.put)
        self._on_air: int | None = None  # the utterance whose frames were sent last
        now = time.monotonic()
        self._clock = (now, datetime.now(UTC))
        setup = record.setup
        resume = Resume(
            interview_id=record.id,
            candidate_name=setup.candidate_name,
            job_title=setup.job_title,
            num_questions=setup.num_questions,
            started=record.started_at is not None,
            history=[_turn_record(turn) for turn in record.turns],
        )
        config = core_config(services)
        self.core = LiveCore(config, resume, now)
        self._recording = self._open_recording(config, resume, now)

    # ------------------------------------------------------------------ inputs

    async def put(self, item: io.Input) -> None:
        await self._inputs.put((time.monotonic(), item))

    async def feed_text(self, text: str) -> None:
        await self.put(io.ClientText(text))

    async def feed_audio(self, data: bytes) -> None:
        """An upstream frame; the VAD hears it too (its windows of 32 ms complete every other frame, and their
        probabilities come back as inputs: :meth:`_heard`)."""
        METRICS.audio_frames_received.inc()
        await self.put(io.ClientAudio(data))
        if len(data) == 640 and self.core.phase not in ("awaiting_hello", "connecting", "ended"):
            self._vad.push(data)

    def _heard(self, probabilities: tuple[float, ...]) -> None:
        """The VAD's verdict on windows of audio already queued, so the core always sees audio before its VAD.
        Called on the loop by the VAD, which cannot wait: while the queue is full (the driver is behind the
        socket), verdicts wait in a backlog that one task puts in order as room comes."""
        item = io.VoiceActivity(probabilities)
        if self._vad_backlog or self._inputs.full():
            self._vad_backlog.append(item)
            if len(self._vad_backlog) == 1:
                self._backlog_task = asyncio.create_task(self._put_backlog())
        else:
            self._inputs.put_nowait((time.monotonic(), item))

    async def _put_backlog(self) -> None:
        while self._vad_backlog:
            await self.put(self._vad_backlog[0])
            self._vad_backlog.pop(0)

    async def steer(self, command_id: str, by: str, action: str) -> None:
        await self.put(io.Steer(command_id, by, action))

    # ------------------------------------------------------------------ the driver

    async def run(self) -> None:
        """Drain inputs into the core until it closes (or :meth:`stop`); carry out its commands in order."""
        self.interviewer.start()
        self.voice.start()
        self._prepare_upcoming()  # the greeting and the first question, before the candidate starts
        try:
            while self.close is None and not self._stopped:
                deadline = self.core.next_deadline()
                # The timer is set again only when the deadline comes sooner (see _tick): setting one for
                # every input cost more than handling the input (profiled).
                if deadline is not None and (self._timer is None or deadline < self._timer.when()):
                    self._set_timer(deadline)
                now, item = await self._inputs.get()
                await self._handle(now, item)
        finally:
            if self._timer is not None:
                self._timer.cancel()

    def _set_timer(self, deadline: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        # asyncio's loop clock is time.monotonic(), the clock the core's deadlines are in.
        loop = asyncio.get_running_loop()
        self._timer = loop.call_at(loop.time() + (deadline - time.monotonic()), self._tick)

    def _tick(self) -> None:
        """The timer: a Tick for the driver if the core's deadline has come, else (inputs moved it later) the
        timer again, for the new deadline. With the queue full the driver has inputs to handle anyway; it sets
        the timer again after the next one."""
        self._timer = None
        deadline = self.core.next_deadline()
        if deadline is not None and deadline > time.monotonic():
            self._set_timer(deadline)
        elif deadline is not None and not self._inputs.full():
            self._inputs.put_nowait((time.monotonic(), io.Tick()))

    def stop(self) -> None:
        """The driver stops at its next input (a cancellation alone can be lost to an input arriving with it)."""
        self._stopped = True

    async def _handle(self, now: float, item: io.Input) -> None:
        if self._recording is not None:
            self._recording.write(encode_input(now, item) + "\n")
        for command in self.core.handle(now, item):
            await self._carry_out(command)

    async def _carry_out(self, command: io.Command) -> None:
        match command:
            case io.Send(message=message):
                await self.send(message)
            case io.SendAudio(utterance_id=uid, frame=frame):
                await self.outbox.put_audio(uid, frame)
                if uid != self._on_air:
                    self._on_air = uid
                    self._prepare_upcoming()
            case io.DropAudio(utterance_id=uid):
                await self.outbox.cancel_utterance(uid)
            case io.Record(event=event):
                self.journal.record(event)
            case io.Transcribe(job=job, pcm=pcm, purpose=purpose):
                self._spawn(job, self._transcribe(job, pcm, purpose))
            case io.JudgeTurn(job=job, pcm=pcm):
                self._spawn(job, self._judge(job, pcm))
            case io.CancelJob(job=job):
                if (task := self._tasks.pop(job, None)) is not None:
                    task.cancel()
            case io.AskInterviewer(job=job, call=call, answer=answer):
                spoken = None if answer is None else Answer(answer.text, answer.answered_by, answer.duration_ms)
                self.interviewer.ask(job, call, spoken)
            case io.TellInterviewer(call=call, text=text):
                self.interviewer.tell(call, text)
            case io.Synthesize(utterance_id=uid, sentence=index, text=text):
                self.voice.say(uid, index, text)
            case io.CancelSynthesis(utterance_id=uid):
                self.voice.cancel(uid)
            case io.SaveStart(job=job):
                self._spawn(job, self._save(job, None))
            case io.SaveTurn(job=job, turn=turn):
                self._spawn(job, self._save(job, turn))
            case io.Score(question_number=number, answer=answer, confidence=confidence):
                question = question_from_snapshot(self.interviewer.snapshot(), number) or self._question_text(number)
                self.evaluations.submit(question, number, answer, asr_confidence=confidence)
            case io.RefuseSteering(command_id=cid, request_id=rid, code=code, message=text):
                refusal = CommandRefused(command_id=cid, request_id=rid, code=code, message=text)
                with contextlib.suppress(Exception):
                    await self.services.bus.publish(events_channel(self.record.id), refusal.model_dump_json())
            case io.Finish(status=status, reason=reason):
                await self._finish(status, reason)
            case io.Close(code=code, reason=reason):
                self.close = (code, reason)
            case io.Count(name="barge_in", label=label):
                METRICS.barge_ins.labels(outcome=label).inc()
            case io.Count(name="turn", label=label):
                METRICS.turns.labels(answered_by=label).inc()
            case io.Count(name="engine_error", label=label):
                METRICS.engine_errors.labels(engine=label).inc()
            case io.TurnTimed(stages_ms=stages):
                METRICS.observe_turn(stages)
                log.info("turn answered", extra={"interview_id": self.record.id, "stages_ms": stages})

    async def send(self, message: BaseModel) -> None:
        self.journal.observe(message)
        await self.outbox.put_control(m.encode(message))

    def _spawn(self, job: int, work: asyncio.Future[None] | object) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)  # type: ignore[arg-type]
        self._tasks[job] = task
        task.add_done_callback(lambda _: self._tasks.pop(job, None))

    # ------------------------------------------------------------------ work at the edge

    def _prepare_upcoming(self) -> None:
        """While words play, have the interviewer's next ones synthesized (the next planned question)."""
        self.voice.prepare(self.interviewer.upcoming())

    async def _transcribe(self, job: int, pcm: bytes, purpose: str) -> None:
        try:
            heard = await self.services.stt.transcribe(pcm, partial=purpose != "segment", urgent=purpose == "barge_in")
        except EngineError as exc:
            log.warning("transcription (%s) failed: %s", purpose, exc)
            await self.put(io.TranscriptFailed(job, str(exc)))
            return
        await self.put(io.TranscriptReady(job, heard.text, heard.confidence))

    async def _judge(self, job: int, pcm: bytes) -> None:
        """The turn model's verdict, as an input; a failure too, so that the words decide alone."""
        model = self.services.turn_model
        try:
            if model is None:
                raise EngineError("no turn model is configured")
            probability = await model.judge(pcm)
        except EngineError as exc:
            log.warning("the turn model failed: %s", exc)
            await self.put(io.TurnJudgeFailed(job, str(exc)))
            return
        await self.put(io.TurnJudged(job, probability))

    async def _save(self, job: int, turn: io.TurnData | None) -> None:
        store = self.services.store
        snapshot = self.interviewer.snapshot()
        try:
            if turn is None:
                await store.mark_started(self.record.id, snapshot)
            else:
                await store.append_turn(self.record.id, self._stored(turn), snapshot)
        except StoreUnavailable as exc:
            log.warning("the store is unavailable: %s", exc)
            if turn is not None:
                self._uncertain.add(turn.index)  # the commit may have happened before the connection broke
            await self.put(io.SaveFailed(job, "unavailable"))
        except TurnConflict:
            saved = turn is not None and turn.index in self._uncertain and await self._is_saved(turn)
            await self.put(io.Saved(job) if saved else io.SaveFailed(job, "superseded"))
        except InterviewClosed:
            await self.put(io.SaveFailed(job, "closed"))
        except StoreError as exc:
            log.warning("session dropped: %s", exc)
            await self.put(io.SaveFailed(job, "superseded"))
        else:
            await self.put(io.Saved(job))

    async def _is_saved(self, turn: io.TurnData) -> bool:
        """After a retry found the turn taken: whether what is stored there is this very answer."""
        record = await self.services.store.get_interview(self.record.id)
        if record is None or turn.index >= len(record.turns):
            return False
        saved = record.turns[turn.index]
        return saved.answer == turn.answer and saved.answered_at == self._wall(turn.answered_at)

    def _stored(self, turn: io.TurnData) -> StoredTurn:
        return StoredTurn(
            index=turn.index,
            kind=turn.kind,
            question_number=turn.question_number,
            question=turn.question,
            answer=turn.answer,
            answered_by=turn.answered_by,
            asked_at=self._wall(turn.asked_at),
            answer_started_at=self._wall(turn.answer_started_at) if turn.answer_started_at is not None else None,
            answered_at=self._wall(turn.answered_at),
            answer_duration_ms=turn.answer_duration_ms,
            interrupted=turn.interrupted,
            asked_by=turn.asked_by,
            asr_confidence=turn.confidence,
        )

    def _wall(self, monotonic: float) -> datetime:
        start, wall = self._clock
        return wall + timedelta(seconds=monotonic - start)

    def _question_text(self, number: int) -> str:
        return next((t.question for t in reversed(self.core.history) if t.question_number == number), "")

    async def _scored(self, evaluation: AnswerEvaluation) -> None:
        row = evaluation_row(evaluation, evaluation.answer, datetime.now(UTC))
        await retrying(self.services, lambda: self.services.store.save_question_evaluation(self.record.id, row))
        self.journal.record(score_event(evaluation))

    async def _finish(self, status: str, reason: m.EndReason) -> None:
        """The interview is over: say so in the store (ended elsewhere already is fine), then build the report."""
        self.finished = True
        store = self.services.store
        try:
            await store.finish(self.record.id, status, reason.value)
        except StoreError as exc:
            log.warning("could not store the end of the interview: %s", exc)
            return
        task = asyncio.create_task(self._store_report())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _flush_usage(self) -> None:
        """Add what this session used to the interview's total (once: the meter starts again from zero)."""
        used = {name: value for name, value in self.meter.usage.model_dump().items() if value}
        self.meter.usage = type(self.meter.usage)()
        if used:
            with contextlib.suppress(StoreError):
                await self.services.store.add_usage(self.record.id, used)

    async def _store_report(self) -> None:
        """Build the report once the scores are in (and their cost counted), so it is ready when the recruiter
        opens it."""
        await self.evaluations.drain(EVALUATION_GRACE_S)
        await self._flush_usage()
        record = await self.services.store.get_interview(self.record.id)
        if record is None or not record.turns:
            return
        try:
            await interview_results(self.services, record)
        except Exception:
            log.exception("building the report failed; it will be built when the results are read")

    # ------------------------------------------------------------------ lifetime

    async def shutdown(self) -> None:
        """Free everything. If the socket went away first, answers already given are still saved: the core
        keeps working (without a client) until they are, or :data:`SAVE_GRACE_S` has passed."""
        if self.close is None and self.core.has_unsaved_answers:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._drain_unsaved(), SAVE_GRACE_S)
        self._vad.close()
        if self._backlog_task is not None:
            self._backlog_task.cancel()
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self.interviewer.close()
        await self.voice.close()
        await self.evaluations.drain(EVALUATION_GRACE_S)
        await asyncio.gather(*self._background, return_exceptions=True)
        await self.evaluations.close()
        await self._flush_usage()
        if self._recording is not None:
            self._recording.close()

    async def _drain_unsaved(self) -> None:
        while self.core.has_unsaved_answers and self.close is None:
            now, item = await self._inputs.get()
            if not isinstance(item, io.ClientAudio | io.ClientText | io.VoiceActivity):
                await self._handle(now, item)

    def _open_recording(self, config: CoreConfig, resume: Resume, now: float) -> IO[str] | None:
        folder = self.services.settings.record_sessions_dir
        if not folder:
            return None
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        recording = (path / f"{self.record.id}-{stamp}.jsonl").open("w", encoding="utf-8", buffering=1)
        recording.write(encode_header(config, resume, now) + "\n")
        log.warning("recording this session's inputs (answers included) to %s", recording.name)
        return recording


def _turn_record(turn: StoredTurn) -> m.TurnRecord:
    return m.TurnRecord(
        index=turn.index,
        question=turn.question,
        answer=turn.answer,
        kind=m.UtteranceKind(turn.kind),
        question_number=turn.question_number,
        answered_by="text" if turn.answered_by == "text" else "voice",
    )
