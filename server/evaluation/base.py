"""Evaluation results, and the interface every evaluator implements.

An :class:`AnswerEvaluation` holds, for one answer: a 0-10 score per rubric criterion with the quoted words
that support it, an overall score, one strength and one improvement (each quoted too), the rubric version
it was scored under, and which engine scored it (and why, if the preferred engine had to be replaced).

Evaluators are async so that sessions run them beside the conversation, as background tasks.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from server.conversation.machine import request_in
from server.conversation.planning import PlannedQuestion, default_question
from server.conversation.setup import InterviewSetup


class Judgement(BaseModel):
    """A statement about the answer and the answer's own words that support it."""

    model_config = ConfigDict(frozen=True)

    text: str
    quotes: list[str] = Field(default_factory=list)


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    criterion: str
    score: int = Field(ge=0, le=10)
    rationale: str
    quotes: list[str] = Field(default_factory=list)


class AnswerEvaluation(BaseModel):
    model_config = ConfigDict(frozen=True)

    question_number: int = Field(ge=0)
    question: str
    answer: str
    rubric: str = Field(description="Rubric id and version the scores were given under, e.g. behavioral@1.0.")
    criteria: list[CriterionScore]
    overall: float = Field(ge=0, le=10)
    strength: Judgement
    improvement: Judgement
    engine: str = Field(description="The engine that produced these scores: builtin or openai.")
    fallback_reason: str | None = Field(
        default=None, description="Set when the configured engine failed and the builtin one scored instead."
    )
    flags: list[str] = Field(default_factory=list, description="E.g. instructions_ignored, empty_answer.")

    def score_of(self, criterion: str) -> int:
        return next(c.score for c in self.criteria if c.criterion == criterion)


class Evaluator(Protocol):
    """Scores one answer to one question. Implementations: builtin (lexical, offline) and openai."""

    name: str

    async def evaluate(
        self, question: PlannedQuestion | str, answer: str, setup: InterviewSetup
    ) -> AnswerEvaluation: ...


def as_planned(question: PlannedQuestion | str, setup: InterviewSetup) -> PlannedQuestion:
    """A bare question text becomes a planned question with the interview type's style and expectations."""
    if isinstance(question, PlannedQuestion):
        return question
    return default_question(question, setup.interview_type)


def question_from_snapshot(state: dict[str, Any], question_number: int) -> PlannedQuestion | None:
    """The question ``question_number`` of an interviewer snapshot: a planned one, or an observer's (asked
    under a number after the plan's; both engines store them)."""
    for data in [*state.get("plan", ()), *state.get("observer_asked", ())]:
        if int(data["number"]) == question_number:
            return PlannedQuestion.from_dict(data)
    return None


def combined_answer(turns: list[tuple[int, str, str]], question_number: int) -> str:
    """All the candidate said about one planned question, from ``(question_number, kind, answer)`` turns.

    A question is judged on the main answer and the answers to its follow-ups together, so a follow-up that
    supplies the missing result improves the question's score instead of standing alone. Requests to repeat
    or rephrase the question are not part of the answer.
    """
    return " ".join(
        answer.strip()
        for number, _kind, answer in turns
        if number == question_number and answer.strip() and request_in(answer) is None
    )
