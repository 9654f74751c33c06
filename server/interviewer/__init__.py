"""The interviewer: conducts the conversation (plan, ask, follow up, close) behind one small interface.

Public API:

- :func:`create_interviewer_factory` ``(settings) -> InterviewerFactory``: the engine chosen by
  ``settings.interviewer_engine``. ``factory.create(setup)`` starts an interview, ``factory.restore(setup,
  state)`` continues one from ``interviewer.snapshot()``.
- :class:`~server.interviewer.base.InterviewSetup`, :class:`~server.interviewer.base.BankQuestion`,
  :class:`~server.interviewer.base.Answer`, :class:`~server.interviewer.base.Reply`: the data crossing it.
- :func:`~server.interviewer.planning.plan_questions` ``(setup) -> list[PlannedQuestion]``: the plan, each
  question with its grounding quote (also inside every snapshot, under ``"plan"``).
"""

from __future__ import annotations

from server.config import Settings
from server.interviewer.base import Answer, BankQuestion, InterviewerFactory, InterviewSetup, InterviewType, Reply
from server.interviewer.builtin import BuiltinInterviewerFactory
from server.interviewer.machine import InterviewFinishedError, Policy
from server.interviewer.planning import PlannedQuestion, plan_questions

__all__ = [
    "Answer",
    "BankQuestion",
    "InterviewFinishedError",
    "InterviewSetup",
    "InterviewType",
    "InterviewerFactory",
    "PlannedQuestion",
    "Reply",
    "create_interviewer_factory",
    "plan_questions",
]


def create_interviewer_factory(settings: Settings) -> InterviewerFactory:
    """The interviewer engine the configuration asks for."""
    policy = Policy(max_follow_ups_per_question=settings.interviewer_max_follow_ups)
    if settings.interviewer_engine == "builtin":
        return BuiltinInterviewerFactory(policy)
    raise NotImplementedError("the openai interviewer engine is not available yet; set VIVA_INTERVIEWER_ENGINE=builtin")
