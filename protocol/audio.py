"""The binary audio frames of the live interview WebSocket.

Upstream (client to server): every binary message is exactly one 20 ms frame of 16 kHz mono PCM16
little-endian audio, 640 bytes, with no header. Anything else is refused with ``bad_audio_frame``.

Downstream (server to client): every binary message is a 12-byte header followed by PCM16 little-endian
mono samples at the rate announced in ``ready.output_sample_rate``::

    offset  size  field
    0       1     kind          1 = interviewer speech
    1       1     flags         bit 0 = last frame of the utterance
    2       2     reserved      0
    4       4     utterance_id  uint32, matches utterance_start / interrupted
    8       4     seq           uint32, 0-based frame number within the utterance

The utterance id lets a client drop every in-flight frame of an utterance cancelled by a barge-in.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

INPUT_SAMPLE_RATE = 16_000
INPUT_FRAME_MS = 20
INPUT_FRAME_SAMPLES = INPUT_SAMPLE_RATE * INPUT_FRAME_MS // 1000
INPUT_FRAME_BYTES = INPUT_FRAME_SAMPLES * 2

KIND_SPEECH = 1
FLAG_LAST = 0x01
_HEADER = struct.Struct("<BBHII")
HEADER_BYTES = _HEADER.size


class AudioFrameError(ValueError):
    """A binary message that is not a valid audio frame."""


def check_input_frame(data: bytes) -> bytes:
    """Return ``data`` if it is one upstream frame, else raise :class:`AudioFrameError`."""
    if len(data) != INPUT_FRAME_BYTES:
        raise AudioFrameError(
            f"audio frame is {len(data)} bytes; expected {INPUT_FRAME_BYTES} "
            f"({INPUT_FRAME_MS} ms of {INPUT_SAMPLE_RATE} Hz mono PCM16)"
        )
    return data


@dataclass(frozen=True, slots=True)
class OutputFrame:
    """One downstream frame of interviewer speech."""

    utterance_id: int
    seq: int
    pcm: bytes
    last: bool = False

    def encode(self) -> bytes:
        flags = FLAG_LAST if self.last else 0
        return _HEADER.pack(KIND_SPEECH, flags, 0, self.utterance_id, self.seq) + self.pcm

    @classmethod
    def decode(cls, data: bytes) -> OutputFrame:
        if len(data) < HEADER_BYTES:
            raise AudioFrameError(f"frame of {len(data)} bytes is shorter than the {HEADER_BYTES}-byte header")
        kind, flags, _reserved, utterance_id, seq = _HEADER.unpack_from(data)
        if kind != KIND_SPEECH:
            raise AudioFrameError(f"unknown frame kind {kind}")
        pcm = data[HEADER_BYTES:]
        if len(pcm) % 2:
            raise AudioFrameError("PCM16 payload has an odd number of bytes")
        return cls(utterance_id=utterance_id, seq=seq, pcm=pcm, last=bool(flags & FLAG_LAST))
