"""An answer's evaluation as observers see it land: the scores and the candidate's words quoted for each.
A criterion the engine could not judge (communication on an unreliable transcript) is left out."""

from __future__ import annotations

from protocol import messages as m
from server.evaluation.base import AnswerEvaluation


def score_event(evaluation: AnswerEvaluation) -> m.ScoreLanded:
    return m.ScoreLanded(
        question_number=evaluation.question_number,
        question=evaluation.question,
        answer=evaluation.answer,
        overall=evaluation.overall,
        rubric=evaluation.rubric,
        scores={c.criterion: c.score for c in evaluation.criteria if c.score is not None},
        evidence={c.criterion: list(c.quotes) for c in evaluation.criteria if c.score is not None},
        strength=evaluation.strength.text,
        improvement=evaluation.improvement.text,
        engine=evaluation.engine,
    )
