"""The JSON control messages of the live interview WebSocket, in both directions.

Every message is a JSON object with a ``type`` discriminator and the protocol version ``v``.
The models are the single source of truth: the spec in ``protocol/README.md`` documents them,
and the TypeScript types in ``web/src/protocol.ts`` are generated from their JSON Schema.

Parsing is pure: text goes in, a validated model (or a :class:`ProtocolError`) comes out.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from itertools import accumulate
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

PROTOCOL_VERSION = 1

#: Largest text message a peer may send, in bytes. Larger ones close the socket with 1009.
MAX_TEXT_MESSAGE_BYTES = 64 * 1024
#: Longest typed answer, in characters.
MAX_ANSWER_CHARS = 8000
#: Deepest nesting of arrays and objects a peer may send (no message needs more than 3).
MAX_JSON_DEPTH = 32
#: Largest integer any field accepts: JavaScript's largest exact integer (2**53 - 1), well inside int64.
MAX_INT = 2**53 - 1

#: What text from people may not hold: control characters other than tab, line feed and carriage return (NUL
#: among them, which PostgreSQL cannot store), and unpaired surrogates (not Unicode; no database can store them).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _plain_text(value: str) -> str:
    bad = _NOT_TEXT.search(value)
    if bad is not None:
        char = bad.group()
        what = "an unpaired surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise ValueError(
            f"contains {what} (U+{ord(char):04X} at position {bad.start()}); text may hold tabs and line breaks "
            "but no other control characters"
        )
    return value


#: Text typed or sent by people (answers, names, notes, set-ups), refused at the boundary when it holds
#: something no database can keep. Shared by the socket messages here and the REST bodies
#: (``server/http/schemas.py``), so both refuse the same text the same way.
Text = Annotated[str, AfterValidator(_plain_text)]


class ErrorCode(StrEnum):
    """Stable, machine-readable error codes carried by :class:`ErrorMessage`."""

    MALFORMED_JSON = "malformed_json"
    UNKNOWN_TYPE = "unknown_type"
    INVALID_MESSAGE = "invalid_message"
    UNSUPPORTED_VERSION = "unsupported_version"
    BAD_AUDIO_FRAME = "bad_audio_frame"
    OUT_OF_ORDER = "out_of_order"
    MESSAGE_TOO_LARGE = "message_too_large"
    ENGINE_FAILURE = "engine_failure"
    INTERNAL_ERROR = "internal_error"
    NOT_LIVE = "not_live"
    LIVE_UNAVAILABLE = "live_unavailable"
    STORE_UNAVAILABLE = "store_unavailable"
    RATE_LIMITED = "rate_limited"


class CloseCode:
    """WebSocket close codes used by the server (RFC 6455 codes plus the 4000-4999 private range)."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    TRY_AGAIN_LATER = 1013
    UNAUTHORIZED = 4001
    FORBIDDEN = 4003
    NOT_FOUND = 4004
    SUPERSEDED = 4009
    HANDSHAKE_TIMEOUT = 4008
    TOKEN_EXPIRED = 4011
    TOKEN_REVOKED = 4012


class SessionState(StrEnum):
    """What the interviewer is doing, as shown to the candidate."""

    CONNECTING = "connecting"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"
    ENDED = "ended"


class UtteranceKind(StrEnum):
    GREETING = "greeting"
    QUESTION = "question"
    FOLLOW_UP = "follow_up"
    PROMPT = "prompt"
    CLOSING = "closing"


class EndReason(StrEnum):
    COMPLETED = "completed"
    CANDIDATE_ENDED = "candidate_ended"
    IDLE_TIMEOUT = "idle_timeout"
    MAX_DURATION = "max_duration"
    SERVER_SHUTDOWN = "server_shutdown"
    OBSERVER_ENDED = "observer_ended"


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = Field(default=PROTOCOL_VERSION, description="Protocol version of the sender.")


# --------------------------------------------------------------------------- client -> server


class Hello(_Message):
    """First message after the socket opens: who is talking and in what audio format."""

    type: Literal["hello"] = "hello"
    client: Text = Field(default="unknown", max_length=100, description="Free-form client name and version.")
    sample_rate: Literal[16000] = 16000
    frame_ms: Literal[20] = 20


class Start(_Message):
    """Begin the interview (or resume it after a reconnect)."""

    type: Literal["start"] = "start"


class TextAnswer(_Message):
    """A typed answer, an equal alternative to speaking. Ends the candidate's turn."""

    type: Literal["text_answer"] = "text_answer"
    text: Text = Field(min_length=1, max_length=MAX_ANSWER_CHARS)


class EndTurn(_Message):
    """The candidate says they are done speaking (button or key), so the turn ends at once."""

    type: Literal["end_turn"] = "end_turn"


class Playback(_Message):
    """Progress of the client's playback of one interviewer utterance."""

    type: Literal["playback"] = "playback"
    utterance_id: int = Field(ge=0, le=MAX_INT)
    played_ms: int = Field(ge=0, le=MAX_INT, description="Milliseconds of this utterance played so far.")
    done: bool = Field(default=False, description="True once the whole utterance has been played.")


class End(_Message):
    """The candidate ends the interview."""

    type: Literal["end"] = "end"


ClientMessage = Annotated[
    Hello | Start | TextAnswer | EndTurn | Playback | End,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- server -> client


class TurnRecord(BaseModel):
    """One finished exchange: what the interviewer asked and what the candidate answered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=0)
    question: str
    answer: str
    kind: UtteranceKind
    question_number: int = Field(
        ge=0, description="Question this turn belongs to: planned, or an observer's after the plan's (0: the greeting)."
    )
    answered_by: Literal["voice", "text"] = "voice"


class Ready(_Message):
    """Answer to ``hello``: the session's parameters, and the history when resuming."""

    type: Literal["ready"] = "ready"
    interview_id: str
    candidate_name: str
    job_title: str
    num_questions: int
    output_sample_rate: int = Field(description="Sample rate of the downstream audio frames, in Hz.")
    started: bool = Field(description="True when the interview was already under way (a reconnect).")
    history: list[TurnRecord] = Field(default_factory=list)


class StateChanged(_Message):
    type: Literal["state"] = "state"
    state: SessionState


class SpeechActivity(_Message):
    """Voice activity as the server hears it: confirmed speech started or stopped."""

    type: Literal["speech"] = "speech"
    active: bool
    at_ms: int = Field(ge=0, description="Position in the upstream audio, in milliseconds.")


class PartialTranscript(_Message):
    """A caption of the turn so far; replaced by the next partial or the final transcript."""

    type: Literal["partial_transcript"] = "partial_transcript"
    turn: int = Field(ge=0)
    text: str


class FinalTranscript(_Message):
    """The transcript of a finished turn, exactly as it was saved."""

    type: Literal["final_transcript"] = "final_transcript"
    turn: int = Field(ge=0)
    text: str
    answered_by: Literal["voice", "text"]


class UtteranceStart(_Message):
    """The interviewer begins to speak; audio frames with this ``utterance_id`` follow."""

    type: Literal["utterance_start"] = "utterance_start"
    utterance_id: int = Field(ge=0)
    kind: UtteranceKind
    question_number: int = Field(ge=0)


class UtteranceText(_Message):
    """One sentence of the interviewer's words, sent just before its audio (a caption)."""

    type: Literal["utterance_text"] = "utterance_text"
    utterance_id: int = Field(ge=0)
    sentence: int = Field(ge=0)
    text: str


class UtteranceEnd(_Message):
    """All audio of the utterance has been sent (it may still be playing)."""

    type: Literal["utterance_end"] = "utterance_end"
    utterance_id: int = Field(ge=0)
    text: str
    duration_ms: int = Field(ge=0)


class Interrupted(_Message):
    """The candidate barged in: drop every frame of ``utterance_id`` not yet played."""

    type: Literal["interrupted"] = "interrupted"
    utterance_id: int = Field(ge=0)
    played_ms: int = Field(ge=0)
    played_text: str = Field(description="The words the candidate heard; the transcript keeps only these.")


class ErrorMessage(_Message):
    """Something the client sent was refused, or something failed. ``fatal`` errors are followed by a close."""

    type: Literal["error"] = "error"
    code: ErrorCode
    message: str
    fatal: bool = False


class Ended(_Message):
    """The interview is over; the server closes the socket with 1000 right after."""

    type: Literal["ended"] = "ended"
    reason: EndReason
    message: str
    summary: list[TurnRecord]


ServerMessage = Annotated[
    Ready
    | StateChanged
    | SpeechActivity
    | PartialTranscript
    | FinalTranscript
    | UtteranceStart
    | UtteranceText
    | UtteranceEnd
    | Interrupted
    | ErrorMessage
    | Ended,
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- the observer socket
#
# An observer (the interviewer's human colleague) watches one interview live on its own socket and may steer
# it. Everything the candidate's session does reaches observers as numbered events: the candidate-facing
# messages above plus observer-only ones (scores, steering, notes). The numbers are gapless per interview, so
# a late or reconnecting observer gets the history up to some number, then live events after it, with
# neither gap nor duplicate.

#: Longest question an observer may have the interviewer ask, in characters.
MAX_OBSERVER_QUESTION_CHARS = 1000
#: Longest private note, in characters.
MAX_NOTE_CHARS = 4000


class SteeringAction(StrEnum):
    ASK_QUESTION = "ask_question"
    SKIP_TOPIC = "skip_topic"
    END_INTERVIEW = "end_interview"


class LiveStatus(StrEnum):
    LIVE = "live"
    DEGRADED = "degraded"


class CandidateConnection(_Message):
    """The candidate's page connected to, or left, the live session (observer-only event)."""

    type: Literal["candidate_connection"] = "candidate_connection"
    connected: bool


class ScoreLanded(_Message):
    """An answer was scored, beside the conversation (observer-only event). A later score of the same
    question (after its follow-ups) replaces this one."""

    type: Literal["score"] = "score"
    question_number: int = Field(ge=0)
    question: str
    answer: str
    overall: float = Field(ge=0, le=10)
    rubric: str
    scores: dict[str, int] = Field(description="Criterion id to 0-10 score.")
    evidence: dict[str, list[str]] = Field(description="Criterion id to the candidate's words quoted for it.")
    strength: str
    improvement: str
    engine: str


class SteeringApplied(_Message):
    """An observer's steering action, as the session took it (observer-only event).

    ``queued`` means it waits for the next turn boundary (a question, a skip); ``done`` that it happened (the
    question is being spoken, the interviewer moved on, the interview is ending).
    """

    type: Literal["steering"] = "steering"
    action: SteeringAction
    status: Literal["queued", "done"]
    text: str = ""
    request_id: str = ""
    by: str = Field(default="", description="The observer's display name, as they gave it (untrusted text).")


class NoteAdded(_Message):
    """A private note of an observer, kept for the report; never sent to the candidate (observer-only event)."""

    type: Literal["note"] = "note"
    text: str
    request_id: str = ""
    by: str = ""


LiveEvent = Annotated[
    StateChanged
    | SpeechActivity
    | PartialTranscript
    | FinalTranscript
    | UtteranceStart
    | UtteranceText
    | UtteranceEnd
    | Interrupted
    | Ended
    | CandidateConnection
    | ScoreLanded
    | SteeringApplied
    | NoteAdded,
    Field(discriminator="type"),
]


class ObserverEvent(_Message):
    """One event of the interview, numbered: ``seq`` is 1, 2, 3... per interview, without gaps."""

    type: Literal["event"] = "event"
    seq: int = Field(ge=1)
    at: str = Field(description="When the session recorded it, ISO 8601 with offset.")
    event: LiveEvent


# observer -> server


class Observe(_Message):
    """First message of an observer: start watching after event ``after_seq`` (0: from the beginning)."""

    type: Literal["observe"] = "observe"
    after_seq: int = Field(default=0, ge=0, le=MAX_INT)
    name: Text = Field(default="", max_length=60, description="Shown with this observer's steering and notes.")


class _Steering(_Message):
    request_id: Text = Field(default="", max_length=64, description="Echoed in the resulting event or refusal.")


class AskQuestion(_Steering):
    """Have the interviewer ask this question next, in its own voice, at the next turn boundary."""

    type: Literal["ask_question"] = "ask_question"
    text: Text = Field(min_length=1, max_length=MAX_OBSERVER_QUESTION_CHARS)


class SkipTopic(_Steering):
    """Move on to the next planned question after the current answer."""

    type: Literal["skip_topic"] = "skip_topic"


class AddNote(_Steering):
    """A private note for the report."""

    type: Literal["add_note"] = "add_note"
    text: Text = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class EndInterview(_Steering):
    """End the interview now (the answer in progress is still saved)."""

    type: Literal["end_interview"] = "end_interview"


ObserverClientMessage = Annotated[
    Observe | AskQuestion | SkipTopic | AddNote | EndInterview,
    Field(discriminator="type"),
]


# server -> observer


class ObserverReady(_Message):
    """Answer to ``observe``: the interview being watched. The ``history`` message follows."""

    type: Literal["observer_ready"] = "observer_ready"
    interview_id: str
    candidate_name: str
    job_title: str
    interview_type: str
    num_questions: int
    status: str = Field(description="created, in_progress, completed or ended.")
    live: LiveStatus


class History(_Message):
    """The events after the requested ``after_seq``, up to ``last_seq``, in parts of at most 500; live events
    continue after the part marked ``complete``."""

    type: Literal["history"] = "history"
    events: list[ObserverEvent]
    last_seq: int = Field(ge=0)
    complete: bool = Field(default=True, description="False when another part of the history follows.")


class LiveStatusChanged(_Message):
    """The live link between the servers was lost (events then arrive late, read from the database) or is back."""

    type: Literal["live_status"] = "live_status"
    status: LiveStatus
    message: str


class SteeringRefused(_Message):
    """A steering action or note could not be delivered; nothing was changed."""

    type: Literal["steering_refused"] = "steering_refused"
    request_id: str
    code: ErrorCode
    message: str


ObserverServerMessage = Annotated[
    ObserverReady | History | ObserverEvent | LiveStatusChanged | SteeringRefused | ErrorMessage,
    Field(discriminator="type"),
]

_client_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
_server_adapter: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
_observer_client_adapter: TypeAdapter[ObserverClientMessage] = TypeAdapter(ObserverClientMessage)
_observer_server_adapter: TypeAdapter[ObserverServerMessage] = TypeAdapter(ObserverServerMessage)
_live_event_adapter: TypeAdapter[LiveEvent] = TypeAdapter(LiveEvent)
CLIENT_TYPES = frozenset(t.model_fields["type"].default for t in (Hello, Start, TextAnswer, EndTurn, Playback, End))
OBSERVER_CLIENT_TYPES = frozenset(
    t.model_fields["type"].default for t in (Observe, AskQuestion, SkipTopic, AddNote, EndInterview)
)
#: The candidate-facing messages observers see too, as events.
OBSERVED_SERVER_TYPES: tuple[type[_Message], ...] = (
    StateChanged,
    SpeechActivity,
    PartialTranscript,
    FinalTranscript,
    UtteranceStart,
    UtteranceText,
    UtteranceEnd,
    Interrupted,
    Ended,
)


class ProtocolError(Exception):
    """A message that cannot be accepted; carries the code and a human explanation."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_message(self, fatal: bool = False) -> ErrorMessage:
        return ErrorMessage(code=self.code, message=self.message, fatal=fatal)


#: A JSON string once its escaped backslashes and quotes are gone; an unterminated one runs to the end.
_JSON_STRING = re.compile(r'"[^"]*"?')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_too_deep(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """True when ``text`` nests arrays or objects deeper than ``max_depth``: checked before parsing.

    The standard parser recurses once per level, so a kilobyte of ``[`` raises RecursionError deep inside
    it (closed or not). This check does not recurse: text with fewer brackets than the bound (nearly every
    message) is answered by two counts; otherwise the strings are cut out, the brackets kept, and the
    deepest running total of opens minus closes is taken, every step in C.
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    if text.count("[") + text.count("{") <= max_depth:
        return False
    unescaped = text.replace("\\\\", "").replace('\\"', "")  # left to right, as a JSON reader pairs them
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", unescaped))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > max_depth


def _decode_object(text: str | bytes) -> dict[str, Any]:
    if len(text) > MAX_TEXT_MESSAGE_BYTES:
        raise ProtocolError(ErrorCode.MESSAGE_TOO_LARGE, f"message exceeds {MAX_TEXT_MESSAGE_BYTES} bytes")
    if json_too_deep(text):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, f"message nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(ErrorCode.MALFORMED_JSON, f"message is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, "message must be a JSON object")
    return data


def _parse(text: str | bytes, adapter: TypeAdapter[Any], types: frozenset[str]) -> Any:
    data = _decode_object(text)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, "message has no string 'type' field")
    if kind not in types:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown message type {kind!r}")
    version = data.get("v", PROTOCOL_VERSION)
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {version!r} is not supported; this server speaks {PROTOCOL_VERSION}",
        )
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        # The first element of each location is the discriminator tag; the rest names the field.
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'message'}: {e['msg']}" for e in exc.errors())
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, f"invalid {kind!r} message: {problems}") from None


def parse_client_message(text: str | bytes) -> ClientMessage:
    """Decode and validate one client text message, raising :class:`ProtocolError` with a specific code."""
    message: ClientMessage = _parse(text, _client_adapter, CLIENT_TYPES)
    return message


def parse_observer_message(text: str | bytes) -> ObserverClientMessage:
    """Decode and validate one message from an observer, raising :class:`ProtocolError` with a specific code."""
    message: ObserverClientMessage = _parse(text, _observer_client_adapter, OBSERVER_CLIENT_TYPES)
    return message


def parse_server_message(text: str | bytes) -> ServerMessage:
    """Decode one server message (used by Python clients and tests)."""
    return _server_adapter.validate_python(_decode_object(text))


def parse_observer_server_message(text: str | bytes) -> ObserverServerMessage:
    """Decode one message of the observer socket from the server (used by Python clients and tests)."""
    return _observer_server_adapter.validate_python(_decode_object(text))


def parse_live_event(data: dict[str, Any]) -> LiveEvent:
    """Validate one stored or relayed event payload."""
    return _live_event_adapter.validate_python(data)


def encode(message: BaseModel) -> str:
    """Serialize a message to its wire form (compact JSON)."""
    return message.model_dump_json()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every message, both directions of both sockets, for code generation and documentation.

    The top level is ``anyOf`` [ClientMessage, ServerMessage, ObserverClientMessage, ObserverServerMessage],
    in that order (``web/gen-types.mjs`` names the branches by it).
    """
    union = ClientMessage | ServerMessage | ObserverClientMessage | ObserverServerMessage
    schema = TypeAdapter(union).json_schema(ref_template="#/$defs/{model}")
    schema["title"] = "VivaProtocol"
    return schema
