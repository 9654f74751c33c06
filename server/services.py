"""The long-lived parts one server process shares between all sessions: engines and the store.

Built once at start-up (models load once per process) and reached from routes as ``request.app.state.services``.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.config import Settings
from server.engines.base import SpeechToText, TextToSpeech, VoiceActivity
from server.interviewer.base import InterviewerFactory
from server.store.base import Store


@dataclass
class Services:
    settings: Settings
    store: Store
    stt: SpeechToText
    tts: TextToSpeech
    vad: VoiceActivity
    interviewers: InterviewerFactory
