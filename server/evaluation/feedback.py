"""What the builtin evaluator says about an answer besides its scores: flags, each criterion's band and
rationale, one strength and one improvement, each true of the answer's own evidence."""

from __future__ import annotations

from server.conversation.questions import QuestionStyle
from server.evaluation.base import CriterionScore, Flag, FlagKind, Judgement
from server.evaluation.criteria import (
    OVERCONFIDENT,
    UNVERIFIED_CEILING,
    Scored,
    ceiling,
    dismissive_units,
    overconfidence_of,
)
from server.evaluation.marks import Unit
from server.evaluation.reading import SUBSTANTIVE, Reading
from server.evaluation.restatement import FLAG_SHARE, Source, restated_share
from server.evaluation.rubric import Rubric
from server.text.words import shorten


def restatement_flags(r: Reading) -> list[Flag]:
    kinds = {
        Source.JOB_DESCRIPTION: (FlagKind.RESTATED_JOB_DESCRIPTION, "the job description"),
        Source.RESUME: (FlagKind.RESTATED_RESUME, "the resume"),
        Source.QUESTION: (FlagKind.RESTATED_QUESTION, "the question"),
    }
    flags: list[Flag] = []
    for source, (kind, name) in kinds.items():
        given_back = [u for u in r.units if (x := r.restated.get(u.index)) and x.source is source]
        share = restated_share(r.units, r.restated, source)
        if share < FLAG_SHARE and (len(given_back) < 2 or sum(u.word_count for u in given_back) < 20):
            continue
        flags.append(
            Flag(
                kind=kind,
                detail=f"Restates {name}: {len(given_back)} sentence(s), {round(100 * share)}% of the answer, "
                "repeat it and earn nothing.",
                quotes=[shorten(u.text, 30) for u in given_back[:2]],
            )
        )
    return flags


def not_verified_flag(r: Reading) -> Flag:
    sweeping = dismissive_units(r) or [u for u in r.live if u.sweeping]
    detail = (
        "Technical accuracy is scored on how the answer is argued (steps, reasons, conditions, checks), not "
        "verified by the builtin engine: it needs a reviewer or the openai evaluator."
    )
    if overconfidence_of(r) >= OVERCONFIDENT:
        detail += f" It asserts {len(sweeping)} point(s) with unqualified certainty: check those first" + (
            f"; the score is held at {UNVERIFIED_CEILING:g} until then." if ceiling(r) == UNVERIFIED_CEILING else "."
        )
    return Flag(
        kind=FlagKind.NOT_VERIFIED,
        criterion="depth",
        detail=detail,
        quotes=[shorten(u.text, 30) for u in sweeping[:2]] if overconfidence_of(r) >= OVERCONFIDENT else [],
    )


def criterion_scores(rubric: Rubric, scored: dict[str, Scored]) -> list[CriterionScore]:
    return [
        CriterionScore(
            criterion=c.id,
            score=scored[c.id].score,
            rationale=f"{band(rubric, c.id, scored[c.id].score)} {scored[c.id].rationale}".strip(),
            quotes=scored[c.id].quotes,
        )
        for c in rubric.criteria
    ]


def feedback(rubric: Rubric, criteria: list[CriterionScore], r: Reading) -> tuple[Judgement, Judgement]:
    """One strength and one improvement, each true of the answer's own evidence, quoting words no criterion
    quotes already (:func:`~server.evaluation.base.distinct_quotes` then keeps every quote once)."""
    used = {q for c in criteria for q in c.quotes}
    judged = [c for c in criteria if c.score is not None]
    order = [c.id for c in rubric.criteria]
    best = max(judged, key=lambda c: (c.score or 0, -order.index(c.criterion)))
    worst = min(judged, key=lambda c: (c.score or 0, order.index(c.criterion)))
    strength_text, strength_units = _strength(best, r)
    top = max((r.value[u.index] for u in r.live), default=0.0)
    worthy = [u for u in strength_units if r.value[u.index] >= top / 2]  # a strength quotes nothing weak
    strength_quotes = [u.text for u in worthy if u.text not in used][:1]
    used.update(strength_quotes)
    improvement_text, improvement_units = _improvement(worst, r)
    improvement_quotes = [u.text for u in improvement_units if u.text not in used][:1]
    return (
        Judgement(text=strength_text, quotes=strength_quotes),
        Judgement(text=improvement_text, quotes=improvement_quotes),
    )


def _strength(best: CriterionScore, r: Reading) -> tuple[str, list[Unit]]:
    """The best criterion's strength, worded only as far as its own rationale goes (a story with a part
    missing is not "complete"; an answer that talks around the question does not answer it "with substance")."""
    if (best.score or 0) < 5 or not r.substantive:
        return "No clear strength yet: the answer needs a concrete example of what was done.", []
    if best.criterion == "evidence":
        top = r.best(count=1)[0]
        if top.specifics:
            return f"Backs the answer with checkable specifics ({', '.join(top.specifics[:3])}).", r.best()
        return "Backs the answer with concrete actions and the things they concerned.", r.best()
    if best.criterion == "depth":
        found = [u for u in r.substantive if u.reason or u.lesson or u.check]
        return "Explains why and how, not only what happened.", found
    if best.criterion == "structure":
        if r.style is not QuestionStyle.BEHAVIORAL:
            return "Lays out an ordered approach, step by step.", r.substantive
        if "missing:" in best.rationale:
            return "Tells what happened in an order that is easy to follow.", r.substantive
        return "Tells a complete story: the situation, what they did, and how it ended.", r.substantive
    if best.criterion == "relevance":
        if "talks around" in best.rationale:
            return "Stays on the topic of the question.", r.substantive
        return "Answers the question that was asked, with substance.", r.substantive
    if "Delivery: direct" in best.rationale:
        return "Gets to the point and keeps every sentence on it.", r.substantive
    return "Easy to follow.", r.substantive


def _improvement(worst: CriterionScore, r: Reading) -> tuple[str, list[Unit]]:
    """What would raise the weakest criterion, asked only of what the answer lacks."""
    vague = [u for u in r.live if r.value[u.index] < SUBSTANTIVE]
    if not r.substantive:
        return "Give one real example: what you personally did, with what, and what came of it.", vague
    if (worst.score or 0) >= 8:
        if not any(u.measured_result for u in r.substantive):
            return "Little to improve; say what changed as a result, in numbers if you can.", vague
        if not any(u.lesson for u in r.substantive):
            return "Little to improve; add what you would do differently, or what you learned.", vague
        return "Little to improve: keep answers this concrete.", []
    if worst.criterion == "evidence" or (worst.criterion == "relevance" and r.restated):
        if not any(u.own_action for u in r.substantive):
            return "Say what you personally did, not only what the team did or what one would do.", vague
        if not any(u.measured_result for u in r.substantive):
            return "Say what changed as a result, in numbers if you can (time, cost, errors, people).", vague
        return "Replace the general sentences with specifics: names, numbers, the object of each action.", vague
    if worst.criterion == "depth":
        if r.style is QuestionStyle.BEHAVIORAL:
            return "Explain why: the reasons for what you did, the alternatives, and what you learned.", vague
        return "Explain the reasoning: the conditions, the trade-offs, and how you would check it works.", vague
    if worst.criterion == "structure":
        if r.style is QuestionStyle.BEHAVIORAL:
            for missing, test in (("situation", "situation"), ("action", "own_action"), ("result", "result")):
                if not any(getattr(u, test) for u in r.substantive):
                    return _MISSING_STAR[missing], vague
            return "Make the story tighter: situation, action, result, in that order.", vague
        return "Lay out the approach in order: the problem, the steps, and how you verify the result.", vague
    if worst.criterion == "relevance":
        return "Answer the question that was asked more directly.", vague
    return "Get to the point sooner and drop the sentences that carry no content.", vague


_MISSING_STAR = {
    "situation": "Start by setting the scene: the team, the project and what was at stake.",
    "action": "Say what you personally did, step by step.",
    "result": "Finish with the result, ideally measured, and what you learned.",
}


def band(rubric: Rubric, criterion_id: str, score: int | None) -> str:
    if score is None:
        return "[not scored]"
    anchors = rubric.criterion(criterion_id).anchors
    anchor = next((a for a in anchors if a.low <= score <= a.high), anchors[-1])
    return f"[{anchor.low}-{anchor.high}] {anchor.description}"
