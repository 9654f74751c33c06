"""Choose the interviewer engine named by the configuration."""

from __future__ import annotations

from server.config import Settings
from server.conversation.base import InterviewerFactory
from server.conversation.builtin import BuiltinInterviewerFactory
from server.conversation.machine import Policy
from server.conversation.openai_interviewer import OpenAIInterviewerFactory


def create_interviewer_factory(settings: Settings) -> InterviewerFactory:
    """The interviewer engine the configuration asks for."""
    policy = Policy(max_follow_ups_per_question=settings.interviewer_max_follow_ups)
    if settings.interviewer_engine == "openai":
        return OpenAIInterviewerFactory(settings, policy)
    return BuiltinInterviewerFactory(policy)
