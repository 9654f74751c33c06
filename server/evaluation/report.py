"""The final report of an interview: scores, feedback, a recommendation, conversation metrics and cost.

:func:`build_report` is pure: it takes what the store already holds (the setup, the turns with their
timings, the evaluations) and returns a :class:`Report`, serialisable as JSON (``model_dump_json``) and
as Markdown (:meth:`Report.to_markdown`). :meth:`Report.chart` gives the numbers the results page plots.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, Judgement
from server.evaluation.rubric import rubric_for
from server.llm.usage import Prices, Usage
from server.text.words import count_words

#: Speaking rate used to estimate the interviewer's talk time when the session did not measure it.
ESTIMATED_INTERVIEWER_WPM = 160

#: Lower bounds of the recommendation bands on the overall score, best first.
BANDS = (
    (8.0, "strong_yes", "Strong yes"),
    (6.5, "yes", "Yes"),
    (5.0, "mixed", "Mixed"),
    (0.0, "no", "No"),
)


class TurnLike(Protocol):
    """A finished exchange as stored (``server.store.base.StoredTurn`` fits)."""

    @property
    def index(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def question_number(self) -> int: ...
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def answered_by(self) -> str: ...
    @property
    def answer_duration_ms(self) -> int: ...
    @property
    def response_gap_ms(self) -> int | None: ...
    @property
    def interrupted(self) -> bool: ...
    @property
    def asked_by(self) -> str: ...


@dataclass(frozen=True)
class Timings:
    """What the session measured about the conversation as a whole."""

    #: Total time the interviewer's speech played; estimated from its words when ``None``.
    interviewer_speech_ms: int | None = None
    #: Wall-clock length of the interview, if known.
    duration_ms: int | None = None


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


class CriterionSummary(BaseModel):
    criterion: str
    name: str
    score: float = Field(ge=0, le=10)


class QuestionResult(BaseModel):
    question_number: int
    question: str
    overall: float
    scores: dict[str, int]
    strength: Judgement
    improvement: Judgement
    engine: str
    fallback_reason: str | None = None


class Recommendation(BaseModel):
    band: str
    label: str
    reasons: list[str]


class ConversationMetrics(BaseModel):
    candidate_speaking_s: float
    interviewer_speaking_s: float
    talk_time_ratio: float = Field(description="Candidate's share of the talk time, 0-1.")
    words_per_minute: float | None = Field(description="Candidate's speaking rate over spoken answers.")
    response_delay_ms_mean: float | None
    response_delay_ms_median: float | None
    response_delay_ms_max: int | None
    interviewer_speech_estimated: bool
    typed_answers: int
    interruptions: int
    duration_s: float | None = None


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
    strengths: list[Judgement]
    improvements: list[Judgement]
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
            "criteria_labels": [c.name for c in self.criteria],
            "criteria_scores": [c.score for c in self.criteria],
            "question_labels": [f"Q{q.question_number}" for q in self.questions],
            "question_scores": [q.overall for q in self.questions],
        }

    def to_markdown(self) -> str:
        return "\n".join(_markdown(self)) + "\n"


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

    criteria = [
        CriterionSummary(
            criterion=c.id,
            name=c.name,
            score=round(statistics.fmean(e.score_of(c.id) for e in scored), 1) if scored else 0.0,
        )
        for c in rubric.criteria
    ]
    overall = round(statistics.fmean(e.overall for e in scored), 1) if scored else None
    planned = questions_planned if questions_planned is not None else setup.num_questions
    fallbacks = [e for e in scored if e.fallback_reason]
    notes = [
        f"Question {e.question_number} was scored by the builtin engine because the model failed: {e.fallback_reason}."
        for e in fallbacks
    ]
    if any("instructions_ignored" in e.flags for e in scored):
        notes.append("Some answers contained instructions addressed to the evaluator; they were ignored.")
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
                strength=e.strength,
                improvement=e.improvement,
                engine=e.engine,
                fallback_reason=e.fallback_reason,
            )
            for e in scored
        ],
        strengths=_distinct(e.strength for e in sorted(scored, key=lambda e: -e.overall) if e.strength.quotes),
        improvements=_distinct(e.improvement for e in sorted(scored, key=lambda e: e.overall)),
        recommendation=_recommend(overall, criteria, len(scored), planned, len(fallbacks)),
        metrics=_metrics(turns, timings),
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


def _distinct(judgements: Iterable[Judgement], limit: int = 3) -> list[Judgement]:
    seen: set[str] = set()
    kept: list[Judgement] = []
    for judgement in judgements:
        if judgement.text not in seen and len(kept) < limit:
            seen.add(judgement.text)
            kept.append(judgement)
    return kept


def _recommend(
    overall: float | None, criteria: list[CriterionSummary], scored: int, planned: int, fallbacks: int
) -> Recommendation:
    if overall is None:
        return Recommendation(band="insufficient", label="Not enough to judge", reasons=["No answer was scored."])
    band, label = next((b, label) for floor, b, label in BANDS if overall >= floor)
    ranked = sorted(criteria, key=lambda c: -c.score)
    reasons = [
        f"Overall {overall:.1f}/10 over {scored} scored question(s).",
        f"Strongest: {ranked[0].name} ({ranked[0].score:.1f}).",
        f"Weakest: {ranked[-1].name} ({ranked[-1].score:.1f}).",
    ]
    if scored < planned:
        reasons.append(f"{planned - scored} of {planned} planned question(s) were not answered or scored.")
    if fallbacks:
        reasons.append(f"{fallbacks} answer(s) were scored by the builtin engine after the model failed.")
    return Recommendation(band=band, label=label, reasons=reasons)


def _metrics(turns: Sequence[TurnLike], timings: Timings) -> ConversationMetrics:
    voice = [t for t in turns if t.answered_by == "voice" and t.answer_duration_ms > 0]
    candidate_ms = sum(t.answer_duration_ms for t in voice)
    estimated = timings.interviewer_speech_ms is None
    interviewer_ms = (
        sum(count_words(t.question) for t in turns) * 60_000 // ESTIMATED_INTERVIEWER_WPM
        if timings.interviewer_speech_ms is None
        else timings.interviewer_speech_ms
    )
    total = candidate_ms + interviewer_ms
    spoken_words = sum(count_words(t.answer) for t in voice)
    gaps = [t.response_gap_ms for t in turns if t.response_gap_ms is not None]
    return ConversationMetrics(
        candidate_speaking_s=round(candidate_ms / 1000, 1),
        interviewer_speaking_s=round(interviewer_ms / 1000, 1),
        talk_time_ratio=round(candidate_ms / total, 3) if total else 0.0,
        words_per_minute=round(spoken_words / (candidate_ms / 60_000), 1) if candidate_ms else None,
        response_delay_ms_mean=round(statistics.fmean(gaps), 1) if gaps else None,
        response_delay_ms_median=float(statistics.median(gaps)) if gaps else None,
        response_delay_ms_max=max(gaps) if gaps else None,
        interviewer_speech_estimated=estimated,
        typed_answers=sum(1 for t in turns if t.answered_by == "text"),
        interruptions=sum(1 for t in turns if t.interrupted),
        duration_s=round(timings.duration_ms / 1000, 1) if timings.duration_ms is not None else None,
    )


def _quote(quotes: list[str]) -> str:
    return "".join(f"\n  > “{q}”" for q in quotes)


def _markdown(r: Report) -> list[str]:
    overall = f"{r.overall:.1f}/10" if r.overall is not None else "n/a"
    lines = [
        f"# Interview report: {r.candidate_name}, {r.job_title}",
        "",
        f"- Interview type: {r.interview_type}; rubric {r.rubric}",
        f"- Overall score: **{overall}** ({r.questions_scored} of {r.questions_planned} questions scored)",
        f"- Recommendation: **{r.recommendation.label}**",
        *(f"  - {reason}" for reason in r.recommendation.reasons),
        "",
        "## Scores by criterion",
        "",
        "| Criterion | Score |",
        "| --- | ---: |",
        *(f"| {c.name} | {c.score:.1f} |" for c in r.criteria),
        "",
        "## Scores by question",
        "",
        "| # | Question | " + " | ".join(c.name for c in r.criteria) + " | Overall |",
        "| ---: | --- | " + " | ".join("---:" for _ in r.criteria) + " | ---: |",
        *(
            f"| {q.question_number} | {_cell(q.question)} | "
            + " | ".join(str(q.scores.get(c.criterion, "")) for c in r.criteria)
            + f" | {q.overall:.1f} |"
            for q in r.questions
        ),
        "",
        "## Strengths",
        "",
        *(f"- {s.text}{_quote(s.quotes)}" for s in r.strengths),
        "",
        "## Areas to improve",
        "",
        *(f"- {s.text}{_quote(s.quotes)}" for s in r.improvements),
        "",
        "## Conversation",
        "",
        f"- Talk time: candidate {r.metrics.candidate_speaking_s:.0f} s, interviewer "
        f"{r.metrics.interviewer_speaking_s:.0f} s{' (estimated)' if r.metrics.interviewer_speech_estimated else ''}"
        f" (candidate share {r.metrics.talk_time_ratio:.0%})",
        f"- Speaking rate: {_or_na(r.metrics.words_per_minute, '{:.0f} words per minute')}",
        f"- Response delay: mean {_or_na(r.metrics.response_delay_ms_mean, '{:.0f} ms')}, median "
        f"{_or_na(r.metrics.response_delay_ms_median, '{:.0f} ms')}, longest "
        f"{_or_na(r.metrics.response_delay_ms_max, '{} ms')}",
        f"- Typed answers: {r.metrics.typed_answers}; interruptions: {r.metrics.interruptions}",
        "",
        "## Usage and cost",
        "",
        f"- Model requests: {r.usage.model_requests} ({r.usage.prompt_tokens} tokens in, "
        f"{r.usage.completion_tokens} out)",
        f"- Audio transcribed: {r.usage.transcribed_seconds:.0f} s; synthesized: {r.usage.synthesized_seconds:.0f} s "
        f"({r.usage.synthesized_characters} characters)",
        f"- Estimated cost: ${r.estimated_cost_usd:.4f}",
    ]
    if r.notes:
        lines += ["", "## Notes", "", *(f"- {note}" for note in r.notes)]
    if r.observer_actions:
        lines += ["", "## Observers", "", *(_observer_line(a) for a in r.observer_actions)]
    lines += ["", "## Transcript", ""]
    for t in r.transcript:
        asked = "an observer's question" if t.asked_by == "observer" else f"{t.kind}, question {t.question_number}"
        lines.append(f"**Interviewer** ({asked}): {t.question}")
        lines.append("")
        lines.append(f"**Candidate** ({t.answered_by}): {t.answer}")
        lines.append("")
    return lines


_OBSERVER_ACTIONS = {
    "note": "Note",
    "ask_question": "Asked the interviewer to ask",
    "skip_topic": "Skipped the topic",
    "end_interview": "Ended the interview",
}


def _observer_line(action: ObserverAction) -> str:
    who = f" ({action.by})" if action.by else ""
    what = _OBSERVER_ACTIONS.get(action.action, action.action)
    text = f": {action.text}" if action.text else ""
    return f"- {action.at:%H:%M:%S} {what}{who}{text}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _or_na(value: float | int | None, template: str) -> str:
    return template.format(value) if value is not None else "n/a"
