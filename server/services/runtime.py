"""The long-lived parts one server process shares between all sessions: engines, the store, the event bus and
the recruiter's credential.

Built once at start-up (models load once per process) and reached from routes as ``request.app.state.services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from server.bus import EventBus, InProcessBus
from server.config import Settings
from server.conversation.base import InterviewerFactory
from server.engines.base import SpeechToText, TextToSpeech, TurnModel, VoiceActivity
from server.services.auth import RecruiterAuth
from server.store.base import Store


@dataclass
class Services:
    settings: Settings
    store: Store
    stt: SpeechToText
    tts: TextToSpeech
    vad: VoiceActivity
    interviewers: InterviewerFactory
    #: The admin token and the sessions signed for it (:func:`server.services.auth.recruiter_auth`).
    auth: RecruiterAuth
    #: Live events and steering between sessions and observers (across nodes with Redis).
    bus: EventBus = field(default_factory=InProcessBus)
    #: The audio end-of-turn model beside the words (``VIVA_TURN_MODEL``); None: the words decide alone.
    turn_model: TurnModel | None = None
