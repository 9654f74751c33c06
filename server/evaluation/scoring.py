"""The builtin evaluator: rubric scores from the answer's best-supported evidence, deterministic and offline.

How an answer is read, in order:

1. Words addressed to the evaluator are taken out (:mod:`~server.evaluation.guard`) and flagged.
2. The rest is cut into evidence units (:mod:`~server.evaluation.units`): sentences, long ones at their
   clauses, read without fillers and false starts.
3. Units that restate the job description, the resume or the question earn nothing
   (:mod:`~server.evaluation.restatement`); when they are most of the answer, the evaluation says so.
4. Each remaining unit gets a *value* (:mod:`~server.evaluation.reading`): how much checkable substance it
   carries (specific details and words that name things, the speaker's own action or a step of an approach,
   a result), reduced by buzzwords, platitudes and hedges. A unit of general talk is worth nothing however
   well phrased.
5. Criteria are judged (:mod:`~server.evaluation.criteria`) from the best units, never from sums over all of
   them: evidence from the best three values; depth from the reasons, conditions, checks and lessons that
   substantive units give; structure from which parts of a story (or an approach) substantive units cover;
   relevance from how close in meaning the substantive units are to the question (sentence embeddings; word
   overlap without the model); communication from how directly and cleanly the transcript makes its point.
   Padding a weak answer with generic sentences adds units worth nothing, so it cannot raise a score; it
   lowers communication.

Flags, bands, a strength and an improvement are worded by :mod:`~server.evaluation.feedback`. What the
builtin engine cannot judge it says: technical accuracy is scored on how the answer is argued, with
a ``not_verified`` flag; delivery is not judged when the speech recogniser was unsure of the words.
"""

from __future__ import annotations

import re
from typing import Literal

from server.conversation.questions import PlannedQuestion, QuestionStyle
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, CriterionScore, Flag, FlagKind, Judgement, distinct_quotes
from server.evaluation.criteria import (
    Scored,
    ceiling,
    score_communication,
    score_depth,
    score_evidence,
    score_relevance,
    score_structure,
)
from server.evaluation.feedback import band, criterion_scores, feedback, not_verified_flag, restatement_flags
from server.evaluation.guard import split_injection
from server.evaluation.reading import Reading, read_answer
from server.evaluation.rubric import Rubric, rubric_for
from server.evaluation.units import read_units
from server.text.embeddings import SentenceEncoder, shared_encoder
from server.text.words import shorten

ENGINE = "builtin"

#: Below this mean per-segment probability the transcript may not hold what was said: delivery is not judged.
UNRELIABLE_ASR = 0.5


def evaluate_answer(
    question: PlannedQuestion,
    answer: str,
    setup: InterviewSetup,
    *,
    asr_confidence: float | None = None,
    encoder: SentenceEncoder | Literal["shared"] | None = "shared",
) -> AnswerEvaluation:
    """Score one answer against the interview type's rubric. Pure: the same inputs give the same result
    (``encoder="shared"`` uses the process's sentence-embedding model if it is installed, ``None`` the
    lexical fallback)."""
    rubric = rubric_for(setup.interview_type)
    model = shared_encoder() if encoder == "shared" else encoder
    screened = split_injection(answer)
    flags: list[Flag] = []
    if screened.dropped:
        flags.append(
            Flag(
                kind=FlagKind.INJECTION_ATTEMPT,
                detail="The answer held words addressed to the evaluator (instructions or a claimed approval); "
                "they were ignored and scored nothing.",
                quotes=[shorten(d, 40) for d in screened.dropped],
            )
        )
    units = read_units(screened.kept)
    if not units:
        return _empty(question, answer, rubric, flags)
    reading = read_answer(question, units, setup, model)
    flags += restatement_flags(reading)
    unreliable = asr_confidence is not None and asr_confidence < UNRELIABLE_ASR
    scored = {
        "relevance": score_relevance(reading, model is not None),
        "depth": score_depth(reading),
        "structure": score_structure(reading),
        "evidence": score_evidence(reading),
        "communication": score_communication(reading, screened.kept, asr_confidence if unreliable else None),
    }
    if _tells_no_occasion(reading):
        scored = _held_for_no_occasion(scored)
    if not reading.substantive:
        flags.append(
            Flag(
                kind=FlagKind.NO_SUBSTANCE,
                detail="No own action, concrete object or result: the answer stays at generalities, so it earns "
                "little however long it is.",
            )
        )
    if reading.style is not QuestionStyle.BEHAVIORAL:
        flags.append(not_verified_flag(reading))
    if unreliable:
        flags.append(
            Flag(
                kind=FlagKind.UNRELIABLE_TRANSCRIPT,
                detail=f"The speech recogniser was unsure of the words (confidence {asr_confidence:.2f}); the "
                "transcript may not be what was said.",
            )
        )
        flags.append(
            Flag(
                kind=FlagKind.UNSCORED_CRITERION,
                criterion="communication",
                detail="Communication was not judged: the transcript is unreliable.",
            )
        )
    criteria, _, _ = distinct_quotes(criterion_scores(rubric, scored), Judgement(text=""), Judgement(text=""))
    overall = rubric.weighted({c.criterion: None if c.score is None else float(c.score) for c in criteria})
    overall = min(overall, ceiling(reading))
    strength, improvement = feedback(rubric, criteria, reading)
    return AnswerEvaluation(
        question_number=question.number,
        question=question.text,
        answer=answer,
        rubric=rubric.key,
        criteria=criteria,
        overall=overall,
        strength=strength,
        improvement=improvement,
        engine=ENGINE,
        flags=flags,
    )


def strip_instructions(answer: str) -> str:
    """The answer without the words that address the evaluator; what any engine is allowed to score."""
    return split_injection(answer).kept


#: What a story question's criteria are held at when the answer tells no occasion at all.
_NO_OCCASION = {"relevance": 5, "structure": 3, "evidence": 3}


#: A question that asks for something that happened, whatever its style.
_ASKS_FOR_AN_OCCASION = re.compile(
    r"\b(?:tell me about (?:a|the|an) |describe (?:a|the) (?:time|situation|moment)|give (?:me |us )?an example|"
    r"an example of|walk me through (?:a|the) time|a time (?:you|when)|have you ever)",
    re.IGNORECASE,
)


def _tells_no_occasion(r: Reading) -> bool:
    """A story question ("tell me about a time...", "give me an example") answered only in generalities:
    nothing that happened."""
    story = r.style is QuestionStyle.BEHAVIORAL or bool(_ASKS_FOR_AN_OCCASION.search(r.question.text))
    return story and not any(u.episode for u in r.live)


def _held_for_no_occasion(scored: dict[str, Scored]) -> dict[str, Scored]:
    held = dict(scored)
    for criterion, most in _NO_OCCASION.items():
        given = scored[criterion]
        if given.score is not None and given.score > most:
            note = " It tells no occasion: nothing that happened, only how things are in general."
            held[criterion] = Scored(most, given.rationale + note, given.quotes)
    return held


def _empty(question: PlannedQuestion, answer: str, rubric: Rubric, flags: list[Flag]) -> AnswerEvaluation:
    criteria = [
        CriterionScore(criterion=c.id, score=0, rationale=f"{band(rubric, c.id, 0)} No answer was given.")
        for c in rubric.criteria
    ]
    return AnswerEvaluation(
        question_number=question.number,
        question=question.text,
        answer=answer,
        rubric=rubric.key,
        criteria=criteria,
        overall=0.0,
        strength=Judgement(text="No answer was given."),
        improvement=Judgement(text="Answer the question, even briefly; a partial answer scores above none."),
        engine=ENGINE,
        flags=[*flags, Flag(kind=FlagKind.EMPTY_ANSWER, detail="Nothing was left to score.")],
    )
