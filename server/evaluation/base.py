"""Evaluation results, and the interface every evaluator implements.

An :class:`AnswerEvaluation` holds, for one answer: a 0-10 score per rubric criterion with the quoted words
that support it (or no score, when the engine could not judge the criterion, and a flag that says why), an
overall score over the criteria that were scored, one strength and one improvement (each quoted too), the
rubric version it was scored under, which engine scored it (and why, if the preferred engine had to be
replaced), and structured :class:`Flag` s a reader must see: an injection attempt, an answer that restates
the job description, an unreliable transcript, a judgement the engine could not verify.

Evaluators are async so that sessions run them beside the conversation, as background tasks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.conversation.hearing import request_in
from server.conversation.questions import PlannedQuestion, default_question
from server.conversation.setup import InterviewSetup


class Judgement(BaseModel):
    """A statement about the answer and the answer's own words that support it."""

    model_config = ConfigDict(frozen=True)

    text: str
    quotes: list[str] = Field(default_factory=list)


class CriterionScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    criterion: str
    score: int | None = Field(
        ge=0, le=10, description="0-10; null when the criterion could not be judged (a flag says why)."
    )
    rationale: str
    quotes: list[str] = Field(default_factory=list)


class FlagKind(StrEnum):
    """What a reader of the report must know about an answer, beyond its scores."""

    RESTATED_JOB_DESCRIPTION = "restated_job_description"
    RESTATED_RESUME = "restated_resume"
    RESTATED_QUESTION = "restated_question"
    INJECTION_ATTEMPT = "injection_attempt"
    UNRELIABLE_TRANSCRIPT = "unreliable_transcript"
    UNSCORED_CRITERION = "unscored_criterion"
    NOT_VERIFIED = "not_verified"
    NO_SUBSTANCE = "no_substance"
    EMPTY_ANSWER = "empty_answer"


#: Flags stored as plain strings by the first version of the evaluation format.
_LEGACY_FLAGS = {
    "instructions_ignored": (FlagKind.INJECTION_ATTEMPT, "Instructions addressed to the evaluator were ignored."),
    "empty_answer": (FlagKind.EMPTY_ANSWER, "No answer was given."),
}


class Flag(BaseModel):
    """One thing about an answer a reader must see, said in words, with the answer's words it is about."""

    model_config = ConfigDict(frozen=True)

    kind: FlagKind
    detail: str
    criterion: str | None = Field(default=None, description="The criterion it concerns, if one.")
    quotes: list[str] = Field(default_factory=list, description="The words of the answer it is about.")


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
    flags: list[Flag] = Field(default_factory=list)

    @field_validator("flags", mode="before")
    @classmethod
    def _read_legacy_flags(cls, value: Any) -> Any:
        """Stored evaluations of the first format hold flags as strings ("instructions_ignored")."""
        if not isinstance(value, list):
            return value
        return [
            {"kind": _LEGACY_FLAGS[v][0], "detail": _LEGACY_FLAGS[v][1]}
            if isinstance(v, str) and v in _LEGACY_FLAGS
            else v
            for v in value
        ]

    def score_of(self, criterion: str) -> int | None:
        return next(c.score for c in self.criteria if c.criterion == criterion)

    def has_flag(self, kind: FlagKind) -> bool:
        return any(f.kind is kind for f in self.flags)


class Evaluator(Protocol):
    """Scores one answer to one question. Implementations: builtin (offline) and openai.

    ``asr_confidence`` is the speech recogniser's mean per-segment probability for a spoken answer (0-1),
    ``None`` for a typed one; a low value means the words may not be what the candidate said, so delivery
    is not judged from them and the report says so.
    """

    name: str

    async def evaluate(
        self,
        question: PlannedQuestion | str,
        answer: str,
        setup: InterviewSetup,
        *,
        asr_confidence: float | None = None,
    ) -> AnswerEvaluation: ...


#: Criteria in the order they claim a quote: the first to cite a sentence keeps it.
QUOTE_ORDER = ("evidence", "depth", "structure", "relevance", "communication")


def distinct_quotes(
    criteria: list[CriterionScore], strength: Judgement, improvement: Judgement, per_item: int = 2
) -> tuple[list[CriterionScore], Judgement, Judgement]:
    """The same judgements with each quote used once: a report that cites one sentence three times as
    evidence overstates it. Criteria take turns (in :data:`QUOTE_ORDER`), each claiming its next preferred
    quote not yet used, so that every criterion gets one before any gets a second; then the strength, then
    the improvement. Each keeps at most ``per_item``."""
    used: set[str] = set()
    ordered = sorted(criteria, key=lambda c: _order(c.criterion))
    claimed: dict[str, list[str]] = {c.criterion: [] for c in ordered}
    for _ in range(per_item):
        for criterion in ordered:
            pick = next((q for q in criterion.quotes if _quote_key(q) not in used), None)
            if pick is not None:
                claimed[criterion.criterion].append(pick)
                used.add(_quote_key(pick))

    def claim(quotes: list[str]) -> list[str]:
        kept = [q for q in dict.fromkeys(quotes) if _quote_key(q) not in used][:per_item]
        used.update(_quote_key(q) for q in kept)
        return kept

    return (
        [c.model_copy(update={"quotes": claimed[c.criterion]}) for c in criteria],
        strength.model_copy(update={"quotes": claim(list(strength.quotes))}),
        improvement.model_copy(update={"quotes": claim(list(improvement.quotes))}),
    )


def _order(criterion: str) -> int:
    return QUOTE_ORDER.index(criterion) if criterion in QUOTE_ORDER else len(QUOTE_ORDER)


def _quote_key(quote: str) -> str:
    return " ".join(quote.lower().split()).strip(" .,;:\"'“”‘’")


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
