"""The final report of an interview: scores, feedback, a recommendation, conversation metrics and cost.

:func:`build_report` is pure: it takes what the store already holds (the setup, the turns with their
timings, the evaluations) and returns a :class:`Report`, serialisable as JSON (``model_dump_json``) and
as Markdown (:meth:`Report.to_markdown`). :meth:`Report.chart` gives the numbers the results page plots.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field

from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, Flag, FlagKind, Judgement
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
    @property
    def asked_at(self) -> datetime: ...
    @property
    def answer_started_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class Timings:
    """What the session measured about the conversation as a whole."""

    #: Total time the interviewer's speech played; estimated from its words when ``None``.
    interviewer_speech_ms: int | None = None
    #: Wall-clock length of the interview, if known.
    duration_ms: int | None = None
    #: How long the question of each turn (by turn index) played, as the session sent it; a turn missing
    #: here has its question's length estimated from its words.
    question_speech_ms: dict[int, int] = field(default_factory=dict)


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
    score: float | None = Field(ge=0, le=10, description="Mean over the questions that scored it; null if none.")
    scored_questions: int = Field(default=0, description="Questions whose evaluation scored this criterion.")


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


class ReportFlag(BaseModel):
    """A flag of one answer, for the report's list of what a reader must check."""

    question_number: int
    flag: Flag


class Recommendation(BaseModel):
    band: str
    label: str
    reasons: list[str]


class ConversationMetrics(BaseModel):
    candidate_speaking_s: float
    interviewer_speaking_s: float
    talk_time_ratio: float = Field(description="Candidate's share of the talk time, 0-1.")
    words_per_minute: float | None = Field(description="Candidate's speaking rate over spoken answers.")
    response_delay_ms_mean: float | None = Field(
        description="From the end of the question's speech to the start of the spoken answer; null if none measured."
    )
    response_delay_ms_median: float | None
    response_delay_ms_max: int | None
    response_delays_measured: int = Field(default=0, description="Spoken answers whose delay was measured.")
    response_delay_estimated: bool = Field(
        default=False, description="Some questions' speech lengths were estimated from their words."
    )
    interviewer_speech_estimated: bool
    spoken_answers: int = 0
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
    notes += _flag_notes(flags)
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
        recommendation=_recommend(overall, criteria, len(scored), planned, len(fallbacks), flags),
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


_FLAG_NOTES = {
    FlagKind.INJECTION_ATTEMPT: "held words addressed to the evaluator (ignored, scored nothing)",
    FlagKind.RESTATED_JOB_DESCRIPTION: "restates the job description",
    FlagKind.RESTATED_RESUME: "restates the resume",
    FlagKind.RESTATED_QUESTION: "restates the question",
    FlagKind.NO_SUBSTANCE: "says nothing concrete",
    FlagKind.UNRELIABLE_TRANSCRIPT: "has an unreliable transcript; communication was not judged",
    FlagKind.NOT_VERIFIED: "was not checked for technical accuracy by the builtin engine (needs a reviewer or "
    "the openai evaluator)",
}


def _flag_notes(flags: list[ReportFlag]) -> list[str]:
    """One note per kind of flag, naming the answers: "Question 2 restates the job description"."""
    notes = []
    for kind, says in _FLAG_NOTES.items():
        numbers = sorted({f.question_number for f in flags if f.flag.kind is kind})
        if numbers:
            which = _questions(numbers)
            notes.append(f"{which} {says}.")
    return notes


def _questions(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Question {numbers[0]}"
    return "Questions " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


def _recommend(
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
                _FLAG_NOTES[f.flag.kind] for f in flags if f.question_number == number and f.flag.kind in GAMING_FLAGS
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
            f"Technical accuracy of {_questions(unverified).lower()} was not verified by the builtin engine: "
            "a reviewer or the openai evaluator should check it."
        )
        if band == "strong_yes":
            band, label = "yes", "Yes"
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
    delays = [measured for t in voice if (measured := response_delay(t, timings)) is not None]
    gaps = [delay for delay, _ in delays]
    return ConversationMetrics(
        candidate_speaking_s=round(candidate_ms / 1000, 1),
        interviewer_speaking_s=round(interviewer_ms / 1000, 1),
        talk_time_ratio=round(candidate_ms / total, 3) if total else 0.0,
        words_per_minute=round(spoken_words / (candidate_ms / 60_000), 1) if candidate_ms else None,
        response_delay_ms_mean=round(statistics.fmean(gaps), 1) if gaps else None,
        response_delay_ms_median=float(statistics.median(gaps)) if gaps else None,
        response_delay_ms_max=max(gaps) if gaps else None,
        response_delays_measured=len(gaps),
        response_delay_estimated=any(guessed for _, guessed in delays),
        interviewer_speech_estimated=estimated,
        spoken_answers=len(voice),
        typed_answers=sum(1 for t in turns if t.answered_by == "text"),
        interruptions=sum(1 for t in turns if t.interrupted),
        duration_s=round(timings.duration_ms / 1000, 1) if timings.duration_ms is not None else None,
    )


def response_delay(turn: TurnLike, timings: Timings) -> tuple[int, bool] | None:
    """How long the candidate took to start answering a spoken question, in milliseconds, and whether the
    question's length had to be estimated. Measured from the end of the question's speech (asked at, plus
    how long it played) to the start of the answer; an answer that started while the question was still
    playing (the candidate cut in) counts as no delay. ``None`` when the answer's start was not recorded."""
    if turn.response_gap_ms is not None:
        return turn.response_gap_ms, False
    if turn.answer_started_at is None:
        return None
    played = timings.question_speech_ms.get(turn.index)
    guessed = played is None
    if played is None:
        played = count_words(turn.question) * 60_000 // ESTIMATED_INTERVIEWER_WPM
    waited = (turn.answer_started_at - turn.asked_at).total_seconds() * 1000 - played
    return max(0, round(waited)), guessed


def _quote(quotes: list[str]) -> str:
    return "".join(f"\n  > “{q}”" for q in quotes)


def _score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def _markdown(r: Report) -> list[str]:
    overall = f"{r.overall:.1f}/10" if r.overall is not None else "n/a"
    lines = [
        f"# Interview report: {r.candidate_name}, {r.job_title}",
        "",
        f"- Interview type: {r.interview_type}; rubric {r.rubric}",
        f"- Overall score: **{overall}** ({r.questions_scored} of {r.questions_planned} questions scored)",
        f"- Recommendation: **{r.recommendation.label}**",
        *(f"  - {reason}" for reason in r.recommendation.reasons),
    ]
    if r.flags:
        lines += ["", "## To check", "", *(_flag_line(f) for f in r.flags)]
    lines += [
        "",
        "## Scores by criterion",
        "",
        "| Criterion | Score |",
        "| --- | ---: |",
        *(f"| {c.name} | {_score_text(c.score)} |" for c in r.criteria),
        "",
        "## Scores by question",
        "",
        "| # | Question | " + " | ".join(c.name for c in r.criteria) + " | Overall |",
        "| ---: | --- | " + " | ".join("---:" for _ in r.criteria) + " | ---: |",
        *(
            f"| {q.question_number} | {_cell(q.question)} | "
            + " | ".join(_score_text(q.scores.get(c.criterion)) for c in r.criteria)
            + f" | {q.overall:.1f} |"
            for q in r.questions
        ),
        "",
        "## Strengths",
        "",
        *(f"- {s.text} (question {s.question_number})" for s in r.strengths),
        "",
        "## Areas to improve",
        "",
        *(f"- {s.text} (question {s.question_number})" for s in r.improvements),
    ]
    names = {c.criterion: c.name for c in r.criteria}
    for q in r.questions:
        lines += ["", f"## Question {q.question_number}: {q.overall:.1f}/10", "", f"_{_cell(q.question)}_", ""]
        lines += [f"- Flag: {f.detail}{_quote(f.quotes)}" for f in q.flags]
        for criterion, quotes in q.evidence.items():
            if quotes:
                lines.append(
                    f"- {names.get(criterion, criterion)} ({_score_text(q.scores.get(criterion))}):{_quote(quotes)}"
                )
        lines.append(f"- Strength: {q.strength.text}{_quote(q.strength.quotes)}")
        lines.append(f"- To improve: {q.improvement.text}{_quote(q.improvement.quotes)}")
        lines.append(
            f"- Scored by the {q.engine} engine" + (f" (fallback: {q.fallback_reason})" if q.fallback_reason else "")
        )
    m = r.metrics
    lines += [
        "",
        "## Conversation",
        "",
        f"- Talk time: candidate {m.candidate_speaking_s:.0f} s, interviewer "
        f"{m.interviewer_speaking_s:.0f} s{' (estimated)' if m.interviewer_speech_estimated else ''}"
        f" (candidate share {m.talk_time_ratio:.0%})",
        f"- Speaking rate: {_or_na(m.words_per_minute, '{:.0f} words per minute')}",
        f"- Response delay: {response_delay_text(m)}",
        f"- Spoken answers: {m.spoken_answers}; typed answers: {m.typed_answers}; interruptions: {m.interruptions}",
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


def response_delay_text(m: ConversationMetrics) -> str:
    """The response delay in words, consistent with what was measured (the page says the same)."""
    if m.spoken_answers == 0:
        return "not measured (no spoken answers)"
    if m.response_delay_ms_mean is None:
        return f"not recorded for the {m.spoken_answers} spoken answer(s)"
    text = (
        f"mean {m.response_delay_ms_mean:.0f} ms, median {m.response_delay_ms_median or 0:.0f} ms, longest "
        f"{m.response_delay_ms_max} ms over {m.response_delays_measured} spoken answer(s), from the end of the "
        "question to the start of the answer"
    )
    return text + (" (some question lengths estimated from their words)" if m.response_delay_estimated else "")


def _flag_line(item: ReportFlag) -> str:
    """A flag in the summary; its quotes are under its question (each quote appears once)."""
    return f"- Question {item.question_number}: {item.flag.detail}"


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
