"""Choose and load the speech engines named by the configuration."""

from __future__ import annotations

from server.config import Settings
from server.engines.base import SpeechToText, TextToSpeech, VoiceActivity


def create_engines(settings: Settings) -> tuple[SpeechToText, TextToSpeech, VoiceActivity]:
    """Load the configured engines once; every session of the process shares them."""
    from server.engines.embedded import PiperTextToSpeech, WhisperSpeechToText
    from server.engines.silero import SileroVad

    stt: SpeechToText = WhisperSpeechToText(
        settings.whisper_model_path or None,
        threads=settings.whisper_threads,
        beam_size=settings.whisper_beam_size,
    )
    tts: TextToSpeech = PiperTextToSpeech(settings.piper_model_path or None, settings.piper_config_path or None)
    vad: VoiceActivity = SileroVad(settings.silero_model_path or None)
    return stt, tts, vad
