"""What both live sockets share: the protocol version, size limits, people's text, codes, and the base model.

The candidate's socket (:mod:`protocol.candidate`) and the observers' (:mod:`protocol.observer`) build their
messages on :class:`Message`; :mod:`protocol.messages` gathers them all and parses them.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


class Message(BaseModel):
    """Every control message: frozen, no unknown fields, and the sender's protocol version ``v``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: int = Field(default=PROTOCOL_VERSION, description="Protocol version of the sender.")


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


class ErrorMessage(Message):
    """Something the client sent was refused, or something failed. ``fatal`` errors are followed by a close."""

    type: Literal["error"] = "error"
    code: ErrorCode
    message: str
    fatal: bool = False
