"""The JSON control messages of the live interview WebSocket, in both directions.

Every message is a JSON object with a ``type`` discriminator and the protocol version ``v``.
The models are the single source of truth: the spec in ``protocol/README.md`` documents them,
and the TypeScript types in ``web/src/protocol.ts`` are generated from their JSON Schema.

Parsing is pure: text goes in, a validated model (or a :class:`ProtocolError`) comes out.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

PROTOCOL_VERSION = 1

#: Largest text message a peer may send, in bytes. Larger ones close the socket with 1009.
MAX_TEXT_MESSAGE_BYTES = 64 * 1024
#: Longest typed answer, in characters.
MAX_ANSWER_CHARS = 8000


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


class CloseCode:
    """WebSocket close codes used by the server (RFC 6455 codes plus the 4000-4999 private range)."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    UNAUTHORIZED = 4001
    FORBIDDEN = 4003
    NOT_FOUND = 4004
    SUPERSEDED = 4009
    HANDSHAKE_TIMEOUT = 4008


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


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = Field(default=PROTOCOL_VERSION, description="Protocol version of the sender.")


# --------------------------------------------------------------------------- client -> server


class Hello(_Message):
    """First message after the socket opens: who is talking and in what audio format."""

    type: Literal["hello"] = "hello"
    client: str = Field(default="unknown", max_length=100, description="Free-form client name and version.")
    sample_rate: Literal[16000] = 16000
    frame_ms: Literal[20] = 20


class Start(_Message):
    """Begin the interview (or resume it after a reconnect)."""

    type: Literal["start"] = "start"


class TextAnswer(_Message):
    """A typed answer, an equal alternative to speaking. Ends the candidate's turn."""

    type: Literal["text_answer"] = "text_answer"
    text: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)


class EndTurn(_Message):
    """The candidate says they are done speaking (button or key), so the turn ends at once."""

    type: Literal["end_turn"] = "end_turn"


class Playback(_Message):
    """Progress of the client's playback of one interviewer utterance."""

    type: Literal["playback"] = "playback"
    utterance_id: int = Field(ge=0)
    played_ms: int = Field(ge=0, description="Milliseconds of this utterance played so far.")
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
    question_number: int = Field(ge=0, description="Planned question this turn belongs to (0 for the greeting).")
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

_client_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
_server_adapter: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
CLIENT_TYPES = frozenset(t.model_fields["type"].default for t in (Hello, Start, TextAnswer, EndTurn, Playback, End))


class ProtocolError(Exception):
    """A message that cannot be accepted; carries the code and a human explanation."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_message(self, fatal: bool = False) -> ErrorMessage:
        return ErrorMessage(code=self.code, message=self.message, fatal=fatal)


def _decode_object(text: str | bytes) -> dict[str, Any]:
    if len(text) > MAX_TEXT_MESSAGE_BYTES:
        raise ProtocolError(ErrorCode.MESSAGE_TOO_LARGE, f"message exceeds {MAX_TEXT_MESSAGE_BYTES} bytes")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(ErrorCode.MALFORMED_JSON, f"message is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, "message must be a JSON object")
    return data


def parse_client_message(text: str | bytes) -> ClientMessage:
    """Decode and validate one client text message, raising :class:`ProtocolError` with a specific code."""
    data = _decode_object(text)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, "message has no string 'type' field")
    if kind not in CLIENT_TYPES:
        raise ProtocolError(ErrorCode.UNKNOWN_TYPE, f"unknown message type {kind!r}")
    version = data.get("v", PROTOCOL_VERSION)
    if version != PROTOCOL_VERSION:
        raise ProtocolError(
            ErrorCode.UNSUPPORTED_VERSION,
            f"protocol version {version!r} is not supported; this server speaks {PROTOCOL_VERSION}",
        )
    try:
        return _client_adapter.validate_python(data)
    except ValidationError as exc:
        # The first element of each location is the discriminator tag; the rest names the field.
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or 'message'}: {e['msg']}" for e in exc.errors())
        raise ProtocolError(ErrorCode.INVALID_MESSAGE, f"invalid {kind!r} message: {problems}") from None


def parse_server_message(text: str | bytes) -> ServerMessage:
    """Decode one server message (used by Python clients and tests)."""
    return _server_adapter.validate_python(_decode_object(text))


def encode(message: BaseModel) -> str:
    """Serialize a message to its wire form (compact JSON)."""
    return message.model_dump_json()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of every message, both directions, for code generation and documentation."""
    schema = TypeAdapter(ClientMessage | ServerMessage).json_schema(ref_template="#/$defs/{model}")
    schema["title"] = "VivaProtocol"
    return schema
