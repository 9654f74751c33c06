"""Choose and load the speech engines named by the configuration."""

from __future__ import annotations

from server.config import Settings
from server.engines.base import SpeechToText, TextToSpeech, TurnModel, VoiceActivity
from server.engines.cache import CachedSpeech


def create_engines(settings: Settings) -> tuple[SpeechToText, CachedSpeech, VoiceActivity]:
    """Load the configured engines once; every session of the process shares them.

    A remote (OpenAI-compatible) engine gets the embedded one as its fallback: after two failures in a row
    the embedded engine answers, so an outage of the remote service does not stop an interview. Speech goes
    through the process's speech cache (``VIVA_TTS_CACHE_MB``).
    """
    from server.engines.embedded import PiperTextToSpeech, WhisperSpeechToText
    from server.engines.silero_batch import BatchedSilero

    whisper = WhisperSpeechToText(
        settings.whisper_model_path or None,
        threads=settings.whisper_threads,
        beam_size=settings.whisper_beam_size,
        workers=settings.whisper_workers,
    )
    piper = PiperTextToSpeech(
        settings.piper_model_path or None, settings.piper_config_path or None, workers=settings.piper_workers
    )
    stt: SpeechToText = whisper
    tts: TextToSpeech = piper
    if settings.stt_engine == "openai" or settings.tts_engine == "openai":
        from server.engines.openai_speech import OpenAISpeechToText, OpenAITextToSpeech

        if settings.stt_engine == "openai":
            stt = OpenAISpeechToText(settings, fallback=whisper)
        if settings.tts_engine == "openai":
            tts = OpenAITextToSpeech(settings, fallback=piper)
    vad: VoiceActivity = BatchedSilero(settings.silero_model_path or None)
    return stt, CachedSpeech(tts, settings.tts_cache_mb * 1024 * 1024), vad


def create_turn_model(settings: Settings) -> TurnModel | None:
    """The audio end-of-turn model named by ``VIVA_TURN_MODEL`` (``none``: the words decide alone)."""
    if settings.turn_model == "none":
        return None
    from server.engines.smart_turn import SmartTurn

    return SmartTurn(settings.turn_model_path or None, workers=settings.turn_model_workers)
