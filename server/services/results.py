"""The results of an interview: each answered question scored under its type's rubric, and the report.

Scores are kept in the store (``questions``: score, feedback, rubric version, the whole evaluation as
evidence) with the report and the final score. Results reuse a stored score while the answers it judged and
the rubric are unchanged, and score afresh what is missing or stale. So the results of a live interview
(whose session may store scores as it goes, or not) and of a REST interview come out the same way.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError

from server.conversation.questions import PlannedQuestion
from server.evaluation.base import AnswerEvaluation, combined_answer, question_from_snapshot
from server.evaluation.factory import create_evaluator
from server.evaluation.metrics import Timings
from server.evaluation.report import Report, build_report
from server.evaluation.rubric import rubric_for
from server.llm.usage import Usage, prices_from
from server.observers.actions import observer_actions
from server.observers.speech import speech_timings
from server.services.runtime import Services
from server.store.base import InterviewRecord, QuestionEvaluation, StoredTurn
from server.text.transcripts import combined_confidence


@dataclass(frozen=True)
class ScoredQuestion:
    row: QuestionEvaluation
    evaluation: AnswerEvaluation


@dataclass(frozen=True)
class Results:
    record: InterviewRecord
    questions: list[ScoredQuestion]
    report: Report
    evaluated_at: datetime


def answers_by_question(turns: list[StoredTurn]) -> dict[int, str]:
    """Everything said about each planned question (main answer and follow-ups), by question number."""
    triples = [(t.question_number, t.kind, t.answer) for t in turns]
    numbers = sorted({t.question_number for t in turns if t.question_number > 0})
    return {n: answer for n in numbers if (answer := combined_answer(triples, n))}


def feedback_text(evaluation: AnswerEvaluation) -> str:
    return f"Strength: {evaluation.strength.text} To improve: {evaluation.improvement.text}"


def evaluation_row(evaluation: AnswerEvaluation, answer: str, evaluated_at: datetime) -> QuestionEvaluation:
    """The stored form of one question's evaluation; the whole evaluation is kept as its evidence."""
    return QuestionEvaluation(
        question_number=evaluation.question_number,
        question_text=evaluation.question,
        answer=answer,
        score=evaluation.overall,
        feedback=feedback_text(evaluation),
        rubric_version=evaluation.rubric,
        evidence=evaluation.model_dump(mode="json"),
        evaluated_at=evaluated_at,
    )


def _question(record: InterviewRecord, number: int) -> PlannedQuestion | str:
    planned = question_from_snapshot(record.interviewer_state or {}, number)
    if planned is not None:
        return planned
    return next(t.question for t in record.turns if t.question_number == number)


def _reusable(row: QuestionEvaluation | None, answer: str, rubric: str) -> AnswerEvaluation | None:
    if row is None or row.answer != answer or row.rubric_version != rubric:
        return None
    try:
        return AnswerEvaluation.model_validate(row.evidence)
    except ValidationError:  # stored by an older version of the evaluation format
        return None


def _stored_report(record: InterviewRecord) -> Report | None:
    try:
        return Report.model_validate(record.report) if record.report else None
    except ValidationError:
        return None


def _planned_count(record: InterviewRecord) -> int:
    """The questions the interview set out to ask: the plan's, and the observers' questions asked on top."""
    state = record.interviewer_state or {}
    plan, asked = state.get("plan"), state.get("observer_asked")
    extra = len(asked) if isinstance(asked, list) else 0
    return (len(plan) if isinstance(plan, list) and plan else record.setup.num_questions) + extra


def _timings(record: InterviewRecord) -> Timings:
    if record.started_at is None or record.ended_at is None:
        return Timings()
    return Timings(duration_ms=int((record.ended_at - record.started_at).total_seconds() * 1000))


def _report_is_current(record: InterviewRecord, evaluated_at: datetime, report: Report, actions: int) -> bool:
    """Built after the last turn and after the interview ended (its length is in the report), with every observer's
    note and steering stored so far (they are stored a moment after they happen, so they are counted)."""
    last = max([t.answered_at for t in record.turns] + [record.ended_at or record.created_at])
    return evaluated_at >= last and len(report.observer_actions) == actions


async def interview_results(services: Services, record: InterviewRecord, *, rescore: bool = False) -> Results:
    """Score what is not scored yet (everything, with ``rescore``), store it with the report, and return all."""
    rubric = rubric_for(record.setup.interview_type).key
    answers = answers_by_question(record.turns)
    stored = {row.question_number: row for row in await services.store.get_evaluations(record.id)}
    kept = {
        n: evaluation
        for n, answer in answers.items()
        if not rescore and (evaluation := _reusable(stored.get(n), answer, rubric)) is not None
    }
    missing = [n for n in answers if n not in kept]
    evaluator = create_evaluator(services.settings)
    heard = {
        n: combined_confidence((t.answer, t.asr_confidence) for t in record.turns if t.question_number == n)
        for n in missing
    }
    fresh = await asyncio.gather(
        *(evaluator.evaluate(_question(record, n), answers[n], record.setup, asr_confidence=heard[n]) for n in missing)
    )
    scored = {**kept, **{n: e.model_copy(update={"question_number": n}) for n, e in zip(missing, fresh, strict=True)}}

    report = _stored_report(record)
    evaluated_at = record.evaluated_at
    unchanged = not missing and set(stored) == set(answers)
    actions = await observer_actions(services.store, record.id)
    if (
        report is not None
        and evaluated_at is not None
        and unchanged
        and _report_is_current(record, evaluated_at, report, len(actions))
    ):
        rows = [stored[n] for n in sorted(scored)]
        return Results(record, [ScoredQuestion(r, scored[r.question_number]) for r in rows], report, evaluated_at)

    now = datetime.now(UTC)
    rows = [stored[n] if n in kept else evaluation_row(scored[n], answers[n], now) for n in sorted(scored)]
    timings = await speech_timings(services.store, record.id, list(record.turns), _timings(record))
    report = build_report(
        record.setup,
        record.turns,
        [scored[n] for n in sorted(scored)],
        timings,
        usage=Usage.model_validate(record.usage) if record.usage else Usage(),
        prices=prices_from(services.settings),
        questions_planned=_planned_count(record),
        observer_actions=actions,
    )
    await services.store.save_evaluation(record.id, rows, report.overall, report.model_dump(mode="json"), now)
    return Results(record, [ScoredQuestion(r, scored[r.question_number]) for r in rows], report, now)
