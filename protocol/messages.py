"""The JSON control messages of the live interview WebSocket, in both directions, and their codec.

Every message is a JSON object with a ``type`` discriminator and the protocol version ``v``.
The models are the single source of truth: the spec in ``protocol/README.md`` documents them,
and the TypeScript types in ``web/src/protocol.ts`` are generated from their JSON Schema (:func:`json_schema`).

This module is the contract's public face (``from protocol import messages as m``): the models live by socket,
in :mod:`protocol.common` (what both sockets share), :mod:`protocol.candidate` and :mod:`protocol.observer`,
and are gathered here beside the codec that parses and encodes them. Parsing is pure: text goes in, a
validated model (or a :class:`ProtocolError`) comes out.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from protocol.candidate import (
    CLIENT_TYPES,
    ClientMessage,
    End,
    Ended,
    EndTurn,
    FinalTranscript,
    Hello,
    Interrupted,
    PartialTranscript,
    Playback,
    Ready,
    ServerMessage,
    SpeechActivity,
    Start,
    StateChanged,
    TextAnswer,
    UtteranceEnd,
    UtteranceStart,
    UtteranceText,
)
from protocol.common import (
    MAX_ANSWER_CHARS,
    MAX_INT,
    MAX_JSON_DEPTH,
    MAX_TEXT_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    CloseCode,
    EndReason,
    ErrorCode,
    ErrorMessage,
    Message,
    SessionState,
    Text,
    TurnRecord,
    UtteranceKind,
)
from protocol.observer import (
    MAX_NOTE_CHARS,
    MAX_OBSERVER_QUESTION_CHARS,
    OBSERVED_SERVER_TYPES,
    OBSERVER_CLIENT_TYPES,
    AddNote,
    AskQuestion,
    CandidateConnection,
    EndInterview,
    History,
    LiveEvent,
    LiveStatus,
    LiveStatusChanged,
    NoteAdded,
    Observe,
    ObserverClientMessage,
    ObserverEvent,
    ObserverReady,
    ObserverServerMessage,
    ScoreLanded,
    SkipTopic,
    SteeringAction,
    SteeringApplied,
    SteeringRefused,
)

__all__ = [
    "CLIENT_TYPES",
    "MAX_ANSWER_CHARS",
    "MAX_INT",
    "MAX_JSON_DEPTH",
    "MAX_NOTE_CHARS",
    "MAX_OBSERVER_QUESTION_CHARS",
    "MAX_TEXT_MESSAGE_BYTES",
    "OBSERVED_SERVER_TYPES",
    "OBSERVER_CLIENT_TYPES",
    "PROTOCOL_VERSION",
    "AddNote",
    "AskQuestion",
    "CandidateConnection",
    "ClientMessage",
    "CloseCode",
    "End",
    "EndInterview",
    "EndReason",
    "EndTurn",
    "Ended",
    "ErrorCode",
    "ErrorMessage",
    "FinalTranscript",
    "Hello",
    "History",
    "Interrupted",
    "LiveEvent",
    "LiveStatus",
    "LiveStatusChanged",
    "Message",
    "NoteAdded",
    "Observe",
    "ObserverClientMessage",
    "ObserverEvent",
    "ObserverReady",
    "ObserverServerMessage",
    "PartialTranscript",
    "Playback",
    "ProtocolError",
    "Ready",
    "ScoreLanded",
    "ServerMessage",
    "SessionState",
    "SkipTopic",
    "SpeechActivity",
    "Start",
    "StateChanged",
    "SteeringAction",
    "SteeringApplied",
    "SteeringRefused",
    "Text",
    "TextAnswer",
    "TurnRecord",
    "UtteranceEnd",
    "UtteranceKind",
    "UtteranceStart",
    "UtteranceText",
    "encode",
    "json_schema",
    "json_too_deep",
    "parse_client_message",
    "parse_live_event",
    "parse_observer_message",
    "parse_observer_server_message",
    "parse_server_message",
]

_client_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
_server_adapter: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
_observer_client_adapter: TypeAdapter[ObserverClientMessage] = TypeAdapter(ObserverClientMessage)
_observer_server_adapter: TypeAdapter[ObserverServerMessage] = TypeAdapter(ObserverServerMessage)
_live_event_adapter: TypeAdapter[LiveEvent] = TypeAdapter(LiveEvent)


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
