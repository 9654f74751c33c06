"""Viva's wire contract: the JSON control messages and binary audio frames of the live WebSocket.

Pure Python (pydantic only): no I/O, no asyncio, no web framework. See ``protocol/README.md``.
"""

from protocol.audio import (
    INPUT_FRAME_BYTES,
    INPUT_FRAME_MS,
    INPUT_FRAME_SAMPLES,
    INPUT_SAMPLE_RATE,
    AudioFrameError,
    OutputFrame,
    check_input_frame,
)
from protocol.messages import PROTOCOL_VERSION, CloseCode, ErrorCode, ProtocolError, parse_client_message

__all__ = [
    "INPUT_FRAME_BYTES",
    "INPUT_FRAME_MS",
    "INPUT_FRAME_SAMPLES",
    "INPUT_SAMPLE_RATE",
    "PROTOCOL_VERSION",
    "AudioFrameError",
    "CloseCode",
    "ErrorCode",
    "OutputFrame",
    "ProtocolError",
    "check_input_frame",
    "parse_client_message",
]
