"""The final report of an interview: scores, feedback, a recommendation, conversation metrics and cost.

:func:`build_report` is pure: it takes what the store already holds (the setup, the turns with their
timings, the evaluations) and returns a :class:`Report`, serialisable as JSON (``model_dump_json``) and
as Markdown (:meth:`Report.to_markdown`, written by :mod:`~server.evaluation.markdown`). :meth:`Report.chart`
gives the numbers the results page plots. The recommendation is decided in
:mod:`~server.evaluation.recommendation`, the conversation's metrics measured in :mod:`~server.evaluation.metrics`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, Flag, Judgement
from server.evaluation.markdown import report_markdown
from server.evaluation.metrics import ConversationMetrics, Timings, TurnLike, conversation_metrics
from server.evaluation.recommendation import (
    GAMING_FLAGS,
    CriterionSummary,
    Recommendation,
    ReportFlag,
    flag_notes,
    recommend,
)
from server.evaluation.rubric import rubric_for
from server.llm.usage import Prices, Usage


class TranscriptEntry(BaseModel):
    index: int
    kind: str
    question_number: int
    question: str
    answer: str
    answered_by: str
    answer_duration_ms: int = 0
    response_gap_ms: int | None = None
    interrupted: bool = False
    asked_by: str = Field(
        default="interviewer", description="observer: an observer's question, asked by the interviewer."
    )


class ObserverAction(BaseModel):
    """What an observer did during the live interview: a private note, or steering."""

    at: datetime
    action: str = Field(description="note, ask_question, skip_topic or end_interview.")
    text: str = ""
    by: str = ""


class QuestionResult(BaseModel):
    question_number: int
    question: str
    overall: float
    scores: dict[str, int | None] = Field(description="Score per criterion; null when it could not be judged.")
    evidence: dict[str, list[str]] = Field(
        default_factory=dict, description="Per criterion, the candidate's words the score rests on (each once)."
    )
    strength: Judgement
    improvement: Judgement
    engine: str
    fallback_reason: str | None = None
    flags: list[Flag] = Field(default_factory=list)


class Highlight(BaseModel):
    """A strength or an improvement of the interview, pointing at the question whose card quotes it."""

    question_number: int
    text: str


class Report(BaseModel):
    candidate_name: str
    job_title: str
    interview_type: str
    rubric: str
    overall: float | None
    questions_planned: int
    questions_scored: int
    criteria: list[CriterionSummary]
    questions: list[QuestionResult]
    strengths: list[Highlight]
    improvements: list[Highlight]
    flags: list[ReportFlag] = Field(default_factory=list, description="What a reader must check, by question.")
    recommendation: Recommendation
    metrics: ConversationMetrics
    usage: Usage
    estimated_cost_usd: float
    notes: list[str]
    transcript: list[TranscriptEntry]
    observer_actions: list[ObserverAction] = Field(
        default_factory=list,
        description="Observers' private notes and steering, in order (never shown to the candidate).",
    )

    def chart(self) -> dict[str, list[str] | list[float]]:
        """Series for the results page: one bar per criterion, one point per question."""
        return {
            "criteria_labels": [c.name for c in self.criteria if c.score is not None],
            "criteria_scores": [c.score for c in self.criteria if c.score is not None],
            "question_labels": [f"Q{q.question_number}" for q in self.questions],
            "question_scores": [q.overall for q in self.questions],
        }

    def to_markdown(self) -> str:
        return report_markdown(self)


def build_report(
    setup: InterviewSetup,
    turns: Sequence[TurnLike],
    evaluations: Iterable[AnswerEvaluation],
    timings: Timings | None = None,
    *,
    usage: Usage | None = None,
    prices: Prices | None = None,
    questions_planned: int | None = None,
    observer_actions: Sequence[ObserverAction] = (),
) -> Report:
    """Assemble the report. The latest evaluation of each question counts (a question is re-scored when
    its follow-ups are answered)."""
    rubric = rubric_for(setup.interview_type)
    timings = timings or Timings()
    usage = usage or Usage()
    latest: dict[int, AnswerEvaluation] = {}
    for evaluation in evaluations:
        latest[evaluation.question_number] = evaluation
    scored = [latest[n] for n in sorted(latest)]

    criteria = []
    for c in rubric.criteria:
        values = [score for e in scored if (score := e.score_of(c.id)) is not None]
        mean = round(statistics.fmean(values), 1) if values else None
        criteria.append(CriterionSummary(criterion=c.id, name=c.name, score=mean, scored_questions=len(values)))
    overall = round(statistics.fmean(e.overall for e in scored), 1) if scored else None
    planned = questions_planned if questions_planned is not None else setup.num_questions
    fallbacks = [e for e in scored if e.fallback_reason]
    flags = [ReportFlag(question_number=e.question_number, flag=f) for e in scored for f in e.flags]
    notes = [
        f"Question {e.question_number} was scored by the builtin engine because the model failed: {e.fallback_reason}."
        for e in fallbacks
    ]
    notes += flag_notes(flags)
    return Report(
        candidate_name=setup.candidate_name,
        job_title=setup.job_title,
        interview_type=setup.interview_type.value,
        rubric=rubric.key,
        overall=overall,
        questions_planned=planned,
        questions_scored=len(scored),
        criteria=criteria,
        questions=[
            QuestionResult(
                question_number=e.question_number,
                question=e.question,
                overall=e.overall,
                scores={c.criterion: c.score for c in e.criteria},
                evidence={c.criterion: list(c.quotes) for c in e.criteria},
                strength=e.strength,
                improvement=e.improvement,
                engine=e.engine,
                fallback_reason=e.fallback_reason,
                flags=list(e.flags),
            )
            for e in scored
        ],
        strengths=_highlights(
            (e.question_number, e.strength) for e in sorted(scored, key=lambda e: -e.overall) if _praises(e)
        ),
        improvements=_highlights((e.question_number, e.improvement) for e in sorted(scored, key=lambda e: e.overall)),
        flags=flags,
        recommendation=recommend(overall, criteria, len(scored), planned, len(fallbacks), flags),
        metrics=conversation_metrics(turns, timings),
        usage=usage,
        estimated_cost_usd=usage.cost(prices or Prices()),
        notes=notes,
        transcript=[
            TranscriptEntry(
                index=t.index,
                kind=t.kind,
                question_number=t.question_number,
                question=t.question,
                answer=t.answer,
                answered_by=t.answered_by,
                answer_duration_ms=t.answer_duration_ms,
                response_gap_ms=t.response_gap_ms,
                interrupted=t.interrupted,
                asked_by=t.asked_by,
            )
            for t in turns
        ],
        observer_actions=list(observer_actions),
    )


def _praises(evaluation: AnswerEvaluation) -> bool:
    """Whether the evaluation found a strength worth listing (a weak answer's "no clear strength" is not one)."""
    return evaluation.overall >= 5.0 and not any(f.kind in GAMING_FLAGS for f in evaluation.flags)


def _highlights(judgements: Iterable[tuple[int, Judgement]], limit: int = 3) -> list[Highlight]:
    """Distinct judgements, each pointing at its question (whose card holds the quotes, so they appear once)."""
    seen: set[str] = set()
    kept: list[Highlight] = []
    for number, judgement in judgements:
        if judgement.text not in seen and len(kept) < limit:
            seen.add(judgement.text)
            kept.append(Highlight(question_number=number, text=judgement.text))
    return kept
