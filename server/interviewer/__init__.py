"""The interviewer: conducts the conversation (plan, ask, follow up, close) behind one small interface.

Public API:

- :func:`create_interviewer_factory` ``(settings) -> InterviewerFactory``: the engine chosen by
  ``settings.interviewer_engine``. ``factory.create(setup)`` starts an interview, ``factory.restore(setup,
  state)`` continues one from ``interviewer.snapshot()``.
- :class:`~server.interviewer.base.InterviewSetup`, :class:`~server.interviewer.base.BankQuestion`,
  :class:`~server.interviewer.base.Answer`, :class:`~server.interviewer.base.Reply`: the data crossing it.
- :func:`~server.interviewer.planning.plan_questions` ``(setup) -> list[PlannedQuestion]``: the plan, each
  question with its grounding quote (also inside every snapshot, under ``"plan"``).
- :func:`create_evaluator` ``(settings) -> Evaluator``: ``await evaluator.evaluate(question, answer, setup)``
  returns an :class:`~server.interviewer.evaluation.AnswerEvaluation`. ``question`` is a ``PlannedQuestion``
  (:func:`~server.interviewer.evaluation.question_from_snapshot`) or plain text; ``answer`` is everything
  said about that question (:func:`~server.interviewer.evaluation.combined_answer`). Run it as a background
  task beside the conversation; it never raises for model failures (the builtin engine scores instead).
- :class:`~server.interviewer.background.BackgroundEvaluations` ``(evaluator, setup, on_result)``: ``submit(
  question, question_number, answer)`` scores in a background task and awaits ``on_result(evaluation)``
  (store it, stream it); stale re-scores are dropped; ``await drain()`` before the report.
- :func:`~server.interviewer.report.build_report` ``(setup, turns, evaluations, timings) -> Report``, with
  ``Report.to_markdown()``, ``Report.chart()`` and ``model_dump_json()``.
- :mod:`server.interviewer.usage`: per-interview :class:`UsageMeter` (enter :func:`metering` around a session's
  work), :func:`prices_from` settings, process totals for metrics.
"""

from __future__ import annotations

from server.config import Settings
from server.interviewer.background import BackgroundEvaluations
from server.interviewer.base import Answer, BankQuestion, InterviewerFactory, InterviewSetup, InterviewType, Reply
from server.interviewer.builtin import BuiltinInterviewerFactory
from server.interviewer.evaluation import (
    AnswerEvaluation,
    Evaluator,
    combined_answer,
    question_from_snapshot,
)
from server.interviewer.evaluators import BuiltinEvaluator
from server.interviewer.machine import InterviewFinishedError, Policy
from server.interviewer.openai_evaluator import OpenAIEvaluator
from server.interviewer.openai_interviewer import OpenAIInterviewerFactory
from server.interviewer.planning import PlannedQuestion, plan_questions
from server.interviewer.report import Report, Timings, build_report
from server.interviewer.usage import Usage, UsageMeter, metering, prices_from

__all__ = [
    "Answer",
    "AnswerEvaluation",
    "BackgroundEvaluations",
    "BankQuestion",
    "Evaluator",
    "InterviewFinishedError",
    "InterviewSetup",
    "InterviewType",
    "InterviewerFactory",
    "PlannedQuestion",
    "Reply",
    "Report",
    "Timings",
    "Usage",
    "UsageMeter",
    "build_report",
    "combined_answer",
    "create_evaluator",
    "create_interviewer_factory",
    "metering",
    "plan_questions",
    "prices_from",
    "question_from_snapshot",
]


def create_interviewer_factory(settings: Settings) -> InterviewerFactory:
    """The interviewer engine the configuration asks for."""
    policy = Policy(max_follow_ups_per_question=settings.interviewer_max_follow_ups)
    if settings.interviewer_engine == "openai":
        return OpenAIInterviewerFactory(settings, policy)
    return BuiltinInterviewerFactory(policy)


def create_evaluator(settings: Settings) -> Evaluator:
    """The evaluator the configuration asks for (``evaluator_engine``)."""
    if settings.evaluator_engine == "openai":
        return OpenAIEvaluator(settings)
    return BuiltinEvaluator()
