"""The final report: aggregation, recommendation, conversation metrics, cost, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from server.conversation.planning import default_question
from server.conversation.setup import InterviewType
from server.evaluation.report import Report, Timings, build_report
from server.evaluation.scoring import evaluate_answer
from server.llm.usage import Prices, Usage, UsageMeter, current_meter, metering, record
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, THIN, setup


@dataclass(frozen=True)
class Turn:
    index: int
    kind: str
    question_number: int
    question: str
    answer: str
    answered_by: str = "voice"
    answer_duration_ms: int = 0
    response_gap_ms: int | None = None
    interrupted: bool = False
    asked_by: str = "interviewer"


QUESTION_1 = "Tell me about a time you led a migration. What was the situation, and what did you personally do?"
QUESTION_2 = "Tell me about a time you mentored someone."
TURNS = [
    Turn(0, "greeting", 1, f"Hello Jane. {QUESTION_1}", THIN, "voice", 2_000, 800),
    Turn(1, "follow_up", 1, "Could you tell me more?", STRONG_BEHAVIORAL, "voice", 30_000, 1_200, True),
    Turn(2, "question", 2, QUESTION_2, "I helped a junior colleague with code reviews every week.", "text", 0, None),
]


def _evaluations() -> list:
    interview_setup = setup()
    q1 = default_question(QUESTION_1, InterviewType.BEHAVIORAL, number=1)
    q2 = default_question(QUESTION_2, InterviewType.BEHAVIORAL, number=2)
    return [
        evaluate_answer(q1, THIN, interview_setup),
        evaluate_answer(q1, f"{THIN} {STRONG_BEHAVIORAL}", interview_setup),  # re-scored after the follow-up
        evaluate_answer(q2, TURNS[2].answer, interview_setup),
    ]


def _report(**kwargs: object) -> Report:
    return build_report(setup(), TURNS, _evaluations(), Timings(interviewer_speech_ms=20_000), **kwargs)  # type: ignore[arg-type]


def test_the_latest_evaluation_of_each_question_counts() -> None:
    evaluations = _evaluations()
    report = _report()
    assert [q.question_number for q in report.questions] == [1, 2]
    assert report.questions[0].overall == evaluations[1].overall > evaluations[0].overall
    assert report.overall == round((evaluations[1].overall + evaluations[2].overall) / 2, 1)
    relevance = next(c for c in report.criteria if c.criterion == "relevance")
    assert relevance.score == round(
        (evaluations[1].score_of("relevance") + evaluations[2].score_of("relevance")) / 2, 1
    )
    assert report.rubric == "behavioral@1.0" and report.questions_scored == 2 and report.questions_planned == 3


def _scored(*overalls: float) -> list:
    """The fixture's evaluations with the overall scores set: the band depends on nothing else."""
    evaluations = _evaluations()
    latest = [evaluations[1], evaluations[2]]  # question 1 re-scored after its follow-up, question 2
    return [e.model_copy(update={"overall": overall}) for e, overall in zip(latest, overalls, strict=True)]


@pytest.mark.parametrize(
    ("overalls", "band"),
    [
        ((9.0, 7.0), "strong_yes"),  # 8.0, the lowest strong yes
        ((8.0, 7.8), "yes"),  # 7.9
        ((6.5, 6.5), "yes"),
        ((6.6, 6.2), "mixed"),  # 6.4
        ((5.0, 5.0), "mixed"),
        ((5.8, 4.0), "no"),  # 4.9
        ((0.0, 0.0), "no"),
    ],
)
def test_the_recommendation_band_follows_the_overall_score(overalls: tuple[float, float], band: str) -> None:
    report = build_report(setup(), TURNS, _scored(*overalls))
    assert report.overall == round(sum(overalls) / 2, 1)
    assert report.recommendation.band == band, report.overall


def test_recommendation_gives_its_reasons() -> None:
    report = build_report(setup(), TURNS, _scored(7.0, 6.0))
    assert (report.recommendation.band, report.recommendation.label) == ("yes", "Yes")
    reasons = report.recommendation.reasons
    assert reasons[0] == "Overall 6.5/10 over 2 scored question(s)."
    scores = {c.name: c.score for c in report.criteria}
    best, worst = max(scores.values()), min(scores.values())
    assert best > worst, scores
    assert reasons[1] in {f"Strongest: {name} ({best:.1f})." for name, score in scores.items() if score == best}
    assert reasons[2] in {f"Weakest: {name} ({worst:.1f})." for name, score in scores.items() if score == worst}
    assert "1 of 3 planned question(s) were not answered or scored." in reasons
    assert report.strengths and report.improvements


def test_conversation_metrics() -> None:
    metrics = _report().metrics
    assert metrics.candidate_speaking_s == 32.0 and metrics.interviewer_speaking_s == 20.0
    assert metrics.talk_time_ratio == round(32 / 52, 3)
    spoken_words = len(THIN.split()) + len(STRONG_BEHAVIORAL.split())
    assert abs(metrics.words_per_minute - spoken_words / (32 / 60)) < 2
    assert metrics.response_delay_ms_mean == 1000.0 and metrics.response_delay_ms_max == 1200
    assert metrics.typed_answers == 1 and metrics.interruptions == 1
    assert not metrics.interviewer_speech_estimated


def test_interviewer_talk_time_is_estimated_when_not_measured() -> None:
    report = build_report(setup(), TURNS, _evaluations())
    assert report.metrics.interviewer_speech_estimated and report.metrics.interviewer_speaking_s > 0


def test_usage_and_cost_are_in_the_report() -> None:
    usage = Usage(model_requests=3, prompt_tokens=1_000_000, completion_tokens=100_000, transcribed_seconds=120)
    prices = Prices(
        input_per_million_tokens=2,
        output_per_million_tokens=10,
        transcription_per_minute=0.5,
        speech_per_million_characters=0,
    )
    report = _report(usage=usage, prices=prices)
    assert report.estimated_cost_usd == 2 + 1 + 1
    assert "Estimated cost: $4.0000" in report.to_markdown()


def test_meters_collect_usage_per_interview_and_for_the_process() -> None:
    first, second = UsageMeter(), UsageMeter()
    with metering(first):
        record(prompt_tokens=10, model_requests=1)
        assert current_meter() is first
    with metering(second):
        record(prompt_tokens=5)
    record(prompt_tokens=1)  # outside any interview: process totals only
    assert current_meter() is None
    assert first.usage.prompt_tokens == 10 and second.usage.prompt_tokens == 5
    assert first.usage.metrics()["viva_prompt_tokens_total"] == 10.0


def test_a_fallback_is_reported() -> None:
    evaluations = _evaluations()
    evaluations[2] = evaluations[2].model_copy(update={"fallback_reason": "invalid JSON twice"})
    report = build_report(setup(), TURNS, evaluations)
    assert any("invalid JSON twice" in note for note in report.notes)
    assert any("builtin engine" in reason for reason in report.recommendation.reasons)


def test_report_round_trips_as_json_and_renders_markdown_and_chart() -> None:
    report = _report()
    assert Report.model_validate(json.loads(report.model_dump_json())) == report
    markdown = report.to_markdown()
    assert markdown.startswith("# Interview report: Jane, Senior Backend Engineer")
    for heading in ("## Scores by criterion", "## Scores by question", "## Strengths", "## Transcript"):
        assert heading in markdown
    assert STRONG_BEHAVIORAL in markdown and "| Relevance |" in markdown
    chart = report.chart()
    assert chart["question_labels"] == ["Q1", "Q2"] and len(chart["criteria_scores"]) == 5


def test_an_interview_without_answers_still_reports() -> None:
    report = build_report(setup(), [], [])
    assert report.overall is None and report.recommendation.band == "insufficient"
    assert "n/a" in report.to_markdown()
