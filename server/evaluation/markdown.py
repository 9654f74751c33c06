"""The report as Markdown (what the results page offers to download and share)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.evaluation.metrics import response_delay_text
from server.evaluation.recommendation import ReportFlag

if TYPE_CHECKING:  # the report renders itself with this module (Report.to_markdown)
    from server.evaluation.report import ObserverAction, Report


def _quote(quotes: list[str]) -> str:
    return "".join(f"\n  > “{q}”" for q in quotes)


def _score_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}" if isinstance(value, float) else str(value)


def report_markdown(r: Report) -> str:
    """The whole report: summary and recommendation, what to check, scores, each question with the words its
    scores rest on, the conversation's metrics, cost, notes, observers, and the transcript."""
    return "\n".join(_lines(r)) + "\n"


def _lines(r: Report) -> list[str]:
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
