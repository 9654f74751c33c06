"""Audio files in and out of the REST API: any common format decoded to 16 kHz mono PCM16, and WAV written.

Decoding goes through PyAV (FFmpeg), which recognises the format from the bytes themselves: WAV, MP3, OGG/Opus,
WebM, FLAC, M4A. It is synchronous and CPU-bound; callers run it in a worker thread. The decoded length is
bounded, so a small file that expands to hours of audio is refused early.
"""

from __future__ import annotations

import io
import wave

import av
import av.error

from protocol.audio import INPUT_SAMPLE_RATE


class AudioFileError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _reason(exc: Exception) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def decode_to_pcm16k(data: bytes, max_ms: int) -> bytes:
    """The first audio stream of ``data`` as 16 kHz mono PCM16, at most ``max_ms`` long."""
    if not data:
        raise AudioFileError(422, "empty_file", "The audio file is empty.")
    max_bytes = max_ms * INPUT_SAMPLE_RATE * 2 // 1000
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioFileError(
            415, "unsupported_audio", f"The file is not audio in a format the server can read ({_reason(exc)})."
        ) from exc
    with container:
        if not container.streams.audio:
            raise AudioFileError(422, "no_audio", "The file holds no audio stream.")
        resampler = av.AudioResampler(format="s16", layout="mono", rate=INPUT_SAMPLE_RATE)
        pcm = bytearray()
        try:
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    pcm += out.to_ndarray().tobytes()
                if len(pcm) > max_bytes:
                    raise AudioFileError(
                        413, "audio_too_long", f"The audio is longer than the limit of {max_ms / 1000:g} s."
                    )
            for out in resampler.resample(None):
                pcm += out.to_ndarray().tobytes()
        except av.error.FFmpegError as exc:
            raise AudioFileError(
                422, "audio_corrupt", f"The audio is damaged and cannot be decoded ({_reason(exc)})."
            ) from exc
    return bytes(pcm[:max_bytes])


def wav_bytes(pcm16: bytes, sample_rate: int) -> bytes:
    """A mono PCM16 WAV file holding ``pcm16``."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm16)
    return out.getvalue()
