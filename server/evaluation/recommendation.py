"""The report's recommendation: the band the overall score reaches, held back where the evidence does not carry
it, and the notes that name which answers a reader must check."""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from server.evaluation.base import Flag, FlagKind

#: Lower bounds of the recommendation bands on the overall score, best first.
BANDS = (
    (8.0, "strong_yes", "Strong yes"),
    (6.5, "yes", "Yes"),
    (5.0, "mixed", "Mixed"),
    (0.0, "no", "No"),
)
#: A criterion whose mean is below this is "very weak": no "Yes" with one.
VERY_WEAK = 4.0
#: Flags that say an answer tried to game the score or had nothing to score: no "Strong yes" beside one.
GAMING_FLAGS = (
    FlagKind.RESTATED_JOB_DESCRIPTION,
    FlagKind.RESTATED_RESUME,
    FlagKind.RESTATED_QUESTION,
    FlagKind.INJECTION_ATTEMPT,
    FlagKind.NO_SUBSTANCE,
)


class CriterionSummary(BaseModel):
    criterion: str
    name: str
    score: float | None = Field(ge=0, le=10, description="Mean over the questions that scored it; null if none.")
    scored_questions: int = Field(default=0, description="Questions whose evaluation scored this criterion.")


class ReportFlag(BaseModel):
    """A flag of one answer, for the report's list of what a reader must check."""

    question_number: int
    flag: Flag


class Recommendation(BaseModel):
    band: str
    label: str
    reasons: list[str]


FLAG_NOTES = {
    FlagKind.INJECTION_ATTEMPT: "held words addressed to the evaluator (ignored, scored nothing)",
    FlagKind.RESTATED_JOB_DESCRIPTION: "restates the job description",
    FlagKind.RESTATED_RESUME: "restates the resume",
    FlagKind.RESTATED_QUESTION: "restates the question",
    FlagKind.NO_SUBSTANCE: "says nothing concrete",
    FlagKind.UNRELIABLE_TRANSCRIPT: "has an unreliable transcript; communication was not judged",
    FlagKind.NOT_VERIFIED: "was not checked for technical accuracy by the builtin engine (needs a reviewer or "
    "the openai evaluator)",
}


def flag_notes(flags: list[ReportFlag]) -> list[str]:
    """One note per kind of flag, naming the answers: "Question 2 restates the job description"."""
    notes = []
    for kind, says in FLAG_NOTES.items():
        numbers = sorted({f.question_number for f in flags if f.flag.kind is kind})
        if numbers:
            which = questions_phrase(numbers)
            notes.append(f"{which} {says}.")
    return notes


def questions_phrase(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Question {numbers[0]}"
    return "Questions " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def recommend(
    overall: float | None,
    criteria: list[CriterionSummary],
    scored: int,
    planned: int,
    fallbacks: int,
    flags: list[ReportFlag],
) -> Recommendation:
    """The band the overall score reaches, held back where the evidence does not carry it: too few answers
    scored, a criterion never scored or very weak, an answer that gamed the score, technical accuracy that
    nobody verified."""
    if overall is None:
        return Recommendation(band="insufficient", label="Not enough to judge", reasons=["No answer was scored."])
    needed = min(planned, max(2, math.ceil(planned / 2)))
    if scored < needed:
        return Recommendation(
            band="insufficient",
            label="Not enough to judge",
            reasons=[
                f"Only {scored} of {planned} planned question(s) were scored (overall {overall:.1f}/10); "
                f"at least {needed} are needed for a recommendation."
            ],
        )
    band, label = next((b, name) for floor, b, name in BANDS if overall >= floor)
    judged = [c for c in criteria if c.score is not None]
    ranked = sorted(judged, key=lambda c: -(c.score or 0))
    reasons = [f"Overall {overall:.1f}/10 over {scored} scored question(s)."]
    if ranked:
        reasons += [
            f"Strongest: {ranked[0].name} ({ranked[0].score:.1f}).",
            f"Weakest: {ranked[-1].name} ({ranked[-1].score:.1f}).",
        ]
    holds: list[str] = []
    unscored = [c for c in criteria if c.score is None]
    weak = [c for c in judged if (c.score or 0) < VERY_WEAK]
    if unscored:
        holds.append(f"{', '.join(c.name for c in unscored)} could not be scored.")
    if weak:
        holds.append(", ".join(f"{c.name} is very weak ({c.score:.1f})" for c in weak) + ".")
    gaming = sorted({f.question_number for f in flags if f.flag.kind in GAMING_FLAGS})
    for number in gaming:
        says = "; ".join(
            dict.fromkeys(
                FLAG_NOTES[f.flag.kind] for f in flags if f.question_number == number and f.flag.kind in GAMING_FLAGS
            )
        )
        holds.append(f"Question {number} {says}.")
    if band in ("strong_yes", "yes") and holds:
        band, label = "mixed", "Mixed"
        reasons += [*holds, "A Yes needs every criterion scored and none very weak."]
    else:
        reasons += holds
    unverified = sorted({f.question_number for f in flags if f.flag.kind is FlagKind.NOT_VERIFIED})
    if unverified:
        reasons.append(
            f"Technical accuracy of {questions_phrase(unverified).lower()} was not verified by the builtin engine: "
            "a reviewer or the openai evaluator should check it."
        )
        if band == "strong_yes":
            band, label = "yes", "Yes"
    if scored < planned:
        reasons.append(f"{planned - scored} of {planned} planned question(s) were not answered or scored.")
    if fallbacks:
        reasons.append(f"{fallbacks} answer(s) were scored by the builtin engine after the model failed.")
    return Recommendation(band=band, label=label, reasons=reasons)
