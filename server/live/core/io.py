"""What goes into the live core and what comes out: plain, frozen data, so a session can be recorded and replayed.

Every input is handed to :meth:`LiveCore.handle` with the time it happened (``now``, seconds on a monotonic
clock); the core answers with commands, which the shell carries out in order. Results of the work a command
starts (a transcript, a reply, speech, a saved turn) come back as inputs naming the job or utterance they
belong to, so the core never waits and never reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from protocol import messages as m

# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ClientText:
    """A text frame from the candidate's client, as received (parsing and legality are the core's)."""

    text: str


@dataclass(frozen=True)
class ClientAudio:
    """One binary frame from the candidate's client, as received."""

    data: bytes


@dataclass(frozen=True)
class VoiceActivity:
    """Speech probabilities of the VAD windows completed by the audio received so far, in order."""

    probabilities: tuple[float, ...]


@dataclass(frozen=True)
class TranscriptReady:
    job: int
    text: str
    #: Mean probability of the recognised tokens (0..1), when the engine gives one.
    confidence: float | None = None


@dataclass(frozen=True)
class TranscriptFailed:
    job: int
    error: str


@dataclass(frozen=True)
class TurnJudged:
    """The turn model's verdict: the probability (0..1) that the turn it heard is finished."""

    job: int
    probability: float


@dataclass(frozen=True)
class TurnJudgeFailed:
    job: int
    error: str


@dataclass(frozen=True)
class ReplyStarted:
    """The interviewer has decided what to say (its words follow as chunks)."""

    job: int
    kind: m.UtteranceKind
    question_number: int
    done: bool = False
    asked_by: str = "interviewer"
    observer_action: str | None = None
    expects_answer: bool = True


@dataclass(frozen=True)
class ReplyChunk:
    job: int
    text: str


@dataclass(frozen=True)
class ReplyFinished:
    job: int


@dataclass(frozen=True)
class ReplyFailed:
    job: int
    error: str


@dataclass(frozen=True)
class SpeechChunk:
    """Synthesized PCM16 of one sentence of an utterance, at the output sample rate."""

    utterance_id: int
    sentence: int
    pcm: bytes


@dataclass(frozen=True)
class SpeechFinished:
    utterance_id: int
    sentence: int


@dataclass(frozen=True)
class SpeechFailed:
    utterance_id: int
    sentence: int
    error: str


@dataclass(frozen=True)
class Saved:
    job: int


@dataclass(frozen=True)
class SaveFailed:
    """``unavailable``: the store cannot be reached (retry); ``closed``: the interview ended elsewhere;
    ``superseded``: it went on on a newer connection."""

    job: int
    why: Literal["unavailable", "closed", "superseded"]


@dataclass(frozen=True)
class Steer:
    """An observer's action, delivered to this session (``action`` is its JSON, as sent over the bus)."""

    command_id: str
    by: str
    action: str


@dataclass(frozen=True)
class Tick:
    """Nothing happened but time passed (the shell ticks at :meth:`LiveCore.next_deadline`)."""


Input = (
    ClientText
    | ClientAudio
    | VoiceActivity
    | TranscriptReady
    | TranscriptFailed
    | TurnJudged
    | TurnJudgeFailed
    | ReplyStarted
    | ReplyChunk
    | ReplyFinished
    | ReplyFailed
    | SpeechChunk
    | SpeechFinished
    | SpeechFailed
    | Saved
    | SaveFailed
    | Steer
    | Tick
)

# ---------------------------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Send:
    """A control message to the candidate (observers see it too when it is of an observed kind)."""

    message: BaseModel


@dataclass(frozen=True)
class SendAudio:
    """One encoded downstream frame."""

    utterance_id: int
    frame: bytes


@dataclass(frozen=True)
class DropAudio:
    """Discard the frames of this utterance still queued to the client (a barge-in)."""

    utterance_id: int


@dataclass(frozen=True)
class Record:
    """An event only observers see (steering, notes, the candidate's connection)."""

    event: BaseModel


Purpose = Literal["partial", "segment", "barge_in"]


@dataclass(frozen=True)
class Transcribe:
    """Transcribe 16 kHz PCM16; ``partial`` and ``barge_in`` may use a cheaper pass."""

    job: int
    pcm: bytes
    purpose: Purpose


@dataclass(frozen=True)
class JudgeTurn:
    """Ask the turn model whether the turn ending with this 16 kHz PCM16 (its last seconds) sounds finished."""

    job: int
    pcm: bytes


@dataclass(frozen=True)
class CancelJob:
    """A transcription, a turn judgement or reply no longer needed; its result, if it still comes, is ignored anyway."""

    job: int


@dataclass(frozen=True)
class AnswerData:
    text: str
    answered_by: Literal["voice", "text"]
    duration_ms: int
    confidence: float | None = None


@dataclass(frozen=True)
class AskInterviewer:
    """``begin`` (greeting, or the current question on a resume), ``proceed`` (after words that asked nothing),
    or ``respond`` to ``answer``. The reply comes back as :class:`ReplyStarted`, chunks and
    :class:`ReplyFinished` with this ``job``."""

    job: int
    call: Literal["begin", "proceed", "respond"]
    answer: AnswerData | None = None


@dataclass(frozen=True)
class TellInterviewer:
    """A change of the interviewer's state that needs no reply: only ``text`` was heard of its last words; an
    observer's question to ask next; an observer's request to move on."""

    call: Literal["record_heard", "queue_question", "skip_topic"]
    text: str = ""


@dataclass(frozen=True)
class Synthesize:
    utterance_id: int
    sentence: int
    text: str


@dataclass(frozen=True)
class CancelSynthesis:
    utterance_id: int


@dataclass(frozen=True)
class TurnData:
    """A finished turn to store with the interviewer's state; times are the core's monotonic seconds."""

    index: int
    kind: str
    question_number: int
    question: str
    answer: str
    answered_by: Literal["voice", "text"]
    asked_at: float
    answer_started_at: float | None
    answered_at: float
    answer_duration_ms: int
    interrupted: bool
    asked_by: str
    confidence: float | None = None


@dataclass(frozen=True)
class SaveStart:
    """The interview starts: store that (with the interviewer's state) before it says anything."""

    job: int


@dataclass(frozen=True)
class SaveTurn:
    job: int
    turn: TurnData


@dataclass(frozen=True)
class Score:
    """Score everything said about this planned question so far, beside the conversation."""

    question_number: int
    answer: str
    confidence: float | None = None


@dataclass(frozen=True)
class RefuseSteering:
    command_id: str
    request_id: str
    code: m.ErrorCode
    message: str


@dataclass(frozen=True)
class Finish:
    """Store how the interview ended (and build its report) before ``ended`` is sent."""

    status: Literal["completed", "ended"]
    reason: m.EndReason


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


@dataclass(frozen=True)
class Count:
    """A counter for metrics: ``name`` with one ``label`` value (barge-in outcomes, turns, engine errors)."""

    name: Literal["barge_in", "turn", "engine_error"]
    label: str


@dataclass(frozen=True)
class TurnTimed:
    """How long the last answer waited for the interviewer's voice, by stage (milliseconds after its last word)."""

    stages_ms: dict[str, float] = field(default_factory=dict)


Command = (
    Send
    | SendAudio
    | DropAudio
    | Record
    | Transcribe
    | JudgeTurn
    | CancelJob
    | AskInterviewer
    | TellInterviewer
    | Synthesize
    | CancelSynthesis
    | SaveStart
    | SaveTurn
    | Score
    | RefuseSteering
    | Finish
    | Close
    | Count
    | TurnTimed
)


class Jobs:
    """Numbers the jobs a core starts (transcriptions, replies, saves): each result names its job."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        self._last += 1
        return self._last
