"""Speech made at test time with espeak-ng and sox: 16 kHz mono PCM16, with silences where asked."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import wave
from pathlib import Path

from protocol.audio import INPUT_FRAME_BYTES, INPUT_SAMPLE_RATE

CACHE = Path(tempfile.gettempdir()) / "viva-test-speech"


def say(text: str, voice: str = "en-us", speed: int = 165) -> bytes:
    """One sentence spoken by espeak-ng, as 16 kHz mono PCM16 (cached per text for the test run)."""
    CACHE.mkdir(exist_ok=True)
    key = hashlib.sha1(f"{voice}|{speed}|{text}".encode()).hexdigest()[:16]
    target = CACHE / f"{key}.wav"
    if not target.exists():
        raw = CACHE / f"{key}.raw.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        subprocess.run(
            [
                "sox",
                str(raw),
                "-r",
                str(INPUT_SAMPLE_RATE),
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                str(target),
            ],
            check=True,
        )
        raw.unlink()
    with wave.open(str(target)) as wav:
        return wav.readframes(wav.getnframes())


def silence(seconds: float) -> bytes:
    return bytes(int(seconds * INPUT_SAMPLE_RATE) * 2)


def compose(*parts: str | float) -> bytes:
    """Speech and pauses in order: strings are spoken, numbers are seconds of silence."""
    return b"".join(silence(part) if isinstance(part, int | float) else say(part) for part in parts)


def frames(pcm: bytes) -> list[bytes]:
    """Cut PCM into upstream 20 ms frames, padding the last one with silence."""
    if len(pcm) % INPUT_FRAME_BYTES:
        pcm += bytes(INPUT_FRAME_BYTES - len(pcm) % INPUT_FRAME_BYTES)
    return [pcm[i : i + INPUT_FRAME_BYTES] for i in range(0, len(pcm), INPUT_FRAME_BYTES)]


def write_wav(path: Path, pcm: bytes, sample_rate: int = INPUT_SAMPLE_RATE) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm)
    return path
