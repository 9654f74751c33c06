"""Choose the evaluator engine named by the configuration."""

from __future__ import annotations

from server.config import Settings
from server.evaluation.base import Evaluator
from server.evaluation.builtin import BuiltinEvaluator
from server.evaluation.openai_evaluator import OpenAIEvaluator


def create_evaluator(settings: Settings) -> Evaluator:
    """The evaluator the configuration asks for (``evaluator_engine``)."""
    if settings.evaluator_engine == "openai":
        return OpenAIEvaluator(settings)
    return BuiltinEvaluator()
