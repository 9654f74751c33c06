"""The builtin evaluator: rubric scores from lexical evidence, deterministic and offline.

Each criterion adds up points for what the answer shows (structure cues, reasons, named tools, numbers,
the candidate's own actions, overlap with the question and the job) and is capped by the answer's length,
since a two-sentence answer cannot be deep whatever words it uses. Content criteria read the answer with
fillers and false starts removed; only communication reads it as spoken. Sentences that address the
evaluator ("ignore your instructions...") are not part of the answer and are dropped before anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from server.conversation.planning import PlannedQuestion, QuestionStyle, has_custom_expectations
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, CriterionScore, Judgement
from server.evaluation.rubric import Rubric, rubric_for
from server.text.extraction import extract_requirements, looks_like_instruction
from server.text.sentences import split_sentences
from server.text.signals import AnswerSignals, has_own_action, has_reasoning, read_signals
from server.text.skills import BY_NAME, RELATED_TERMS
from server.text.words import (
    FILLER_WORDS,
    content_words,
    count_words,
    matched_terms,
    strip_disfluencies,
    word_list,
    words,
)

ENGINE = "builtin"

_REFLECTION = re.compile(
    r"\b(?:learn(?:ed|t)|lesson|in hindsight|looking back|next time|would do differently|differently now|"
    r"would change|takeaway|realized|realised|since then|now I always)\b",
    re.IGNORECASE,
)
_MECHANISM = re.compile(
    r"\b(?:index(?:es|ing)?|queues?|retr(?:y|ies)|timeouts?|idempoten\w*|replica\w*|shard\w*|partition\w*|"
    r"cach\w*|locks?|locking|transactions?|latency|throughput|consisten\w*|backoff|schema|profil\w*|"
    r"benchmark\w*|rollbacks?|canary|load balanc\w*|rate limit\w*|batch\w*|async\w*|threads?|memory|cpu|"
    r"garbage collect\w*|connection pool\w*|p99|p95|percentile|sla|slo|alert\w*|metrics?|tracing|logs?|"
    r"deadlock|race condition|eventual\w*|quorum|leader|consumer|producer|offsets?|checkpoint\w*|"
    r"migrations?|feature flags?|circuit breaker\w*|backpressure|pagination|n\+1|query plans?|explain|analyze|"
    r"vacuum|statistics|planner|(?:sequential|index) scans?|joins?|where clause|bloat\w*|flame graph|profiler)\b",
    re.IGNORECASE,
)
_FAILURE = re.compile(
    r"\b(?:fail\w*|edge cases?|outage|fallback|degrad\w*|corrupt\w*|duplicat\w*|lost|losing|recover\w*|"
    r"what if|worst case|bottleneck|single point)\b",
    re.IGNORECASE,
)
_SEQUENCE = re.compile(
    r"\b(?:first(?:ly)?|second(?:ly)?|then|next|after that|afterwards|finally|once|step|to start|start by|"
    r"begin by|at the end|eventually|meanwhile)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(r"\b(?:I would|I'd|you would|you could|one could|you can|you should)\b", re.IGNORECASE)
_DESIGN_PHASES: dict[str, re.Pattern[str]] = {
    "requirements": re.compile(
        r"\b(?:requirements?|use cases?|users?|traffic|qps|rps|requests per second|read-heavy|write-heavy|"
        r"estimate\w*|capacity|functional|non-functional|availability target)\b",
        re.IGNORECASE,
    ),
    "components": re.compile(
        r"\b(?:services?|api|load balancers?|gateway|workers?|queues?|front ?end|back ?end|clients?|servers?)\b",
        re.IGNORECASE,
    ),
    "data": re.compile(
        r"\b(?:database|schema|tables?|key-value|store|storage|postgres\w*|cassandra|dynamo\w*|redis|"
        r"blob|s3|partition\w*|data model)\b",
        re.IGNORECASE,
    ),
    "scaling": re.compile(
        r"\b(?:scal\w*|shard\w*|replica\w*|horizontal\w*|cdn|cach\w*|autoscal\w*|partition\w*)\b", re.IGNORECASE
    ),
    "tradeoffs": re.compile(
        r"\b(?:trade-?offs?|instead of|rather than|consisten\w*|availability|latency|cost|downside|at the expense)\b",
        re.IGNORECASE,
    ),
}
#: Words of the question templates themselves; they say nothing about the topic.
_TEMPLATE_WORDS = set(
    word_list(
        "tell about situation personally walk through step result outcome approach describe time happened turned "
        "hardest problem solving part question role job description says resume line hear more specific example "
        "work experience relied showed calls puts concrete came matched build built tools choose change now deeper "
        "technical side design exercise related start requirements main components data scales cover trade-offs "
        "would know works grounded another what how did you"
    )
)


@dataclass(frozen=True)
class _Scored:
    score: int
    rationale: str
    quotes: list[str]


def evaluate_answer(question: PlannedQuestion, answer: str, setup: InterviewSetup) -> AnswerEvaluation:
    """Score one answer against the interview type's rubric. Pure: the same inputs give the same result."""
    rubric = rubric_for(setup.interview_type)
    kept, dropped = _drop_instructions(answer)
    flags = ["instructions_ignored"] if dropped else []
    if not kept.strip():
        return _empty(question, answer, rubric, [*flags, "empty_answer"])
    signals = read_signals(kept)
    clean = strip_disfluencies(kept)
    n = signals.word_count
    scored = {
        "relevance": _relevance(question, clean, kept, signals, setup),
        "depth": _depth(question.style, clean, kept, signals),
        "structure": _structure(question.style, kept, signals),
        "evidence": _evidence(question.style, kept, signals),
        "communication": _communication(kept, n),
    }
    criteria = [
        CriterionScore(
            criterion=c.id,
            score=scored[c.id].score,
            rationale=f"{_band(rubric, c.id, scored[c.id].score)} {scored[c.id].rationale}".strip(),
            quotes=scored[c.id].quotes,
        )
        for c in rubric.criteria
    ]
    overall = rubric.weighted({c.criterion: float(c.score) for c in criteria})
    strength, improvement = _feedback(rubric, criteria, question.style, signals, kept)
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
    """The answer without sentences that address the evaluator; what any engine is allowed to score."""
    return _drop_instructions(answer)[0]


def _drop_instructions(answer: str) -> tuple[str, list[str]]:
    kept: list[str] = []
    dropped: list[str] = []
    for sentence in split_sentences(answer):
        (dropped if looks_like_instruction(sentence) else kept).append(sentence)
    return " ".join(kept), dropped


# ---------------------------------------------------------------------------------------------- criteria


def _relevance(
    question: PlannedQuestion, clean: str, raw: str, signals: AnswerSignals, setup: InterviewSetup
) -> _Scored:
    expected = list(question.expected) if has_custom_expectations(question) else []
    topic_text = " ".join([question.text, question.grounding.quote, question.topic, *expected])
    question_terms = {w for w in content_words(topic_text) if not matched_terms({w}, _TEMPLATE_WORDS)}
    question_terms |= {w for w in content_words(" ".join(_skill_terms(question.skills))) if len(w) > 2}
    related = {term for skill in question.skills for term in RELATED_TERMS.get(skill, ())}
    answer_words = set(content_words(clean))
    shared = matched_terms(question_terms | related, answer_words)
    coverage = min(len(shared) / max(min(len(question_terms), 6), 1), 1.0)
    skill_hit = bool(set(question.skills) & set(signals.named_skills)) or len(matched_terms(related, answer_words)) >= 2
    job_skills = {s for r in extract_requirements(setup.job_description) for s in r.skills}
    job_hit = bool(job_skills & set(signals.named_skills))
    points = 2.0 + 5.0 * coverage + (1.5 if skill_hit else 0) + (1.5 if job_hit else 0)
    points = min(points, _length_cap(signals.word_count, 25, 50))
    quotes = _sentences_with(raw, lambda s: bool(matched_terms(shared, set(content_words(s)))))[:2]
    terms = ", ".join(sorted(shared)[:6])
    rationale = f"Uses the question's terms ({terms})." if shared else "Shares almost no terms with the question."
    return _Scored(_clamp(points), rationale, quotes)


def _depth(style: QuestionStyle, clean: str, raw: str, signals: AnswerSignals) -> _Scored:
    reasons = _count_sentences(clean, has_reasoning)
    reflection = bool(_REFLECTION.search(clean))
    mechanisms = len({m.lower() for m in _MECHANISM.findall(clean)})
    failures = bool(_FAILURE.search(clean))
    skills = len(signals.named_skills)
    if style is QuestionStyle.BEHAVIORAL:
        points = 1.0 + 1.75 * min(reasons, 2) + 2.5 * reflection + 0.75 * min(skills, 2) + 1.0 * failures
        points += 0.5 * min(mechanisms, 2)
    else:
        points = 1.0 + 1.25 * min(reasons, 3) + 0.75 * min(mechanisms, 5) + 0.5 * min(skills, 3)
        points += 1.0 * failures + 0.5 * reflection
    points = min(points, _length_cap(signals.word_count, 30, 60))
    quotes = _sentences_with(raw, lambda s: has_reasoning(s) or bool(_REFLECTION.search(s)))[:2]
    found = [f"{reasons} reasoned step(s)"] + (["a lesson drawn"] if reflection else [])
    found += [f"{mechanisms} technical mechanism(s)"] if style is not QuestionStyle.BEHAVIORAL else []
    return _Scored(_clamp(points), "Shows " + ", ".join(found) + ".", quotes)


def _structure(style: QuestionStyle, raw: str, signals: AnswerSignals) -> _Scored:
    reflection = bool(_REFLECTION.search(raw))
    if style is QuestionStyle.BEHAVIORAL:
        parts = {
            "situation": signals.situation,
            "action": signals.own_action if signals.own_action.present else signals.action,
            "result": signals.result,
        }
        present = [name for name, ev in parts.items() if ev.present]
        points = (1.0, 3.5, 5.5, 8.0)[len(present)]
        points += (1.0 if signals.own_action.present and len(present) == 3 else 0) + (1.0 if reflection else 0)
        quotes = [ev.quote for ev in parts.values() if ev.present]
        missing = [name for name in parts if name not in present]
        rationale = f"Story parts present: {', '.join(present) or 'none'}" + (
            f"; missing: {', '.join(missing)}." if missing else "."
        )
    elif style is QuestionStyle.SYSTEM_DESIGN:
        covered = [phase for phase, pattern in _DESIGN_PHASES.items() if pattern.search(raw)]
        points = 1.0 + 1.8 * len(covered)
        quotes = _sentences_with(raw, lambda s: any(p.search(s) for p in _DESIGN_PHASES.values()))[:3]
        rationale = f"Design phases covered: {', '.join(covered) or 'none'}."
    else:
        steps = len({m.lower() for m in _SEQUENCE.findall(raw)})
        points = 2.0 + 1.5 * min(steps, 3) + (2.0 if signals.reasoning.present else 0)
        points += 1.5 if signals.result.present or signals.own_action.present else 0
        quotes = _sentences_with(raw, lambda s: bool(_SEQUENCE.search(s)))[:2]
        rationale = f"{steps} sequencing cue(s); reasoning {'present' if signals.reasoning.present else 'absent'}."
    points = min(points, _length_cap(signals.word_count, 20, 45))
    return _Scored(_clamp(points), rationale, quotes)


def _evidence(style: QuestionStyle, raw: str, signals: AnswerSignals) -> _Scored:
    """Concrete, checkable detail. Stories need the candidate's own actions; technical answers may be
    hypothetical ("I would...") but must name real mechanisms and tools."""
    own = _count_sentences(raw, has_own_action)
    mechanisms = len({m.lower() for m in _MECHANISM.findall(strip_disfluencies(raw))})
    skills = min(len(signals.named_skills), 3)
    measured = 2.5 if signals.measurable.present else 0
    if style is QuestionStyle.BEHAVIORAL:
        points = 1.0 + measured + 1.25 * min(own, 3) + 0.75 * skills + (1.0 if signals.situation.present else 0)
        if bool(_HYPOTHETICAL.search(raw)) and own == 0:
            points = min(points, 4.0)
    else:
        points = 1.0 + measured + 0.7 * min(mechanisms, 5) + 0.75 * skills + 0.75 * min(own, 2)
    points -= min(signals.hedge_count, 3) * 0.5
    points = min(points, _length_cap(signals.word_count, 20, 40))
    quotes = [ev.quote for ev in (signals.measurable, signals.own_action) if ev.present]
    found = (
        [f"{own} first-person action(s)"]
        + (["a measurable outcome"] if signals.measurable.present else ["no numbers"])
        + ([f"named: {', '.join(signals.named_skills[:4])}"] if signals.named_skills else [])
    )
    if style is not QuestionStyle.BEHAVIORAL:
        found.append(f"{mechanisms} technical mechanism(s)")
    return _Scored(_clamp(points), "Shows " + "; ".join(found) + ".", list(dict.fromkeys(quotes)))


def _communication(raw: str, clean_word_count: int) -> _Scored:
    """Delivery, read from the answer as spoken: fillers, false starts, run-ons, length."""
    spoken = words(raw)
    fillers = sum(1 for w in spoken if w in FILLER_WORDS)
    restarts = len(re.findall(r"\b(\w+)(?:[\s,]+\1\b)+", raw, re.IGNORECASE))
    disfluency = (fillers + restarts) / max(len(spoken), 1)
    units = split_sentences(raw)
    longest = max((count_words(u) for u in units), default=0)
    points = 9.5
    points -= 4.0 if disfluency > 0.12 else 2.5 if disfluency > 0.06 else 1.0 if disfluency > 0.03 else 0
    points -= 2.0 if longest > 60 else 1.0 if longest > 40 else 0
    points -= 4.0 if clean_word_count < 12 else 2.0 if clean_word_count < 30 else 0
    points -= 1.0 if clean_word_count > 400 else 0
    notes = [f"{fillers} filler(s)", f"{restarts} false start(s)", f"longest sentence {longest} words"]
    quotes = sorted(units, key=count_words)[-1:] if longest > 40 else units[:1]
    return _Scored(_clamp(points), "Delivery: " + ", ".join(notes) + ".", quotes)


# ---------------------------------------------------------------------------------------------- feedback

_STRENGTHS = {
    "relevance": "Stays on the question and ties the answer to the role.",
    "depth": "Explains the reasoning behind decisions, not just what happened.",
    "structure": "Easy to follow: the answer is well organised.",
    "evidence": "Backs the answer with concrete specifics: own actions, tools and numbers.",
    "communication": "Clear, concise delivery.",
}
_IMPROVEMENTS = {
    "relevance": "Answer the question that was asked more directly, and link it to the role.",
    "depth": "Explain why: the alternatives considered, the trade-offs, and what was learned.",
    "communication": "Tighten the delivery: shorter sentences, fewer fillers and restarts.",
}
_MISSING_STAR = {
    "situation": "Start by setting the scene: the team, the project and what was at stake.",
    "action": "Say what you personally did, step by step.",
    "result": "Finish with the result, ideally measured, and what you learned.",
}


def _feedback(
    rubric: Rubric, criteria: list[CriterionScore], style: QuestionStyle, signals: AnswerSignals, raw: str
) -> tuple[Judgement, Judgement]:
    order = [c.id for c in rubric.criteria]
    ranked = sorted(criteria, key=lambda c: (-c.score, order.index(c.criterion)))
    best, worst = ranked[0], ranked[-1]
    fallback_quote = split_sentences(raw)[:1]
    strength = Judgement(text=_STRENGTHS[best.criterion], quotes=best.quotes[:2] or fallback_quote)
    text = {"structure": _structure_tip(style, signals), "evidence": _evidence_tip(signals)}.get(
        worst.criterion, _IMPROVEMENTS.get(worst.criterion, "")
    )
    improvement = Judgement(text=text, quotes=worst.quotes[:2] or fallback_quote)
    return strength, improvement


def _evidence_tip(signals: AnswerSignals) -> str:
    if not signals.own_action.present:
        return "Say what you personally did, not only what the team did or what one would do."
    if not signals.measurable.present:
        return "Quantify the result: what changed, in numbers if you can (time, cost, users, errors)."
    return "Name the tools and techniques you used, and give one more concrete detail."


def _structure_tip(style: QuestionStyle, signals: AnswerSignals) -> str:
    if style is QuestionStyle.BEHAVIORAL:
        for part, evidence in (
            ("situation", signals.situation),
            ("action", signals.own_action),
            ("result", signals.result),
        ):
            if not evidence.present:
                return _MISSING_STAR[part]
        return "Make the story tighter: situation, task, action, result, in that order."
    if style is QuestionStyle.SYSTEM_DESIGN:
        return "Walk through the design in order: requirements, components, data, scaling, then trade-offs."
    return "Lay out the approach in order: the problem, the steps you take, and how you verify the result."


# ---------------------------------------------------------------------------------------------- helpers


def _skill_terms(skills: tuple[str, ...]) -> list[str]:
    terms: list[str] = []
    for name in skills:
        skill = BY_NAME.get(name)
        terms.append(name)
        if skill:
            terms.extend(a.removeprefix("=") for a in skill.aliases)
    return terms


def _sentences_with(raw: str, test: Callable[[str], bool]) -> list[str]:
    return [s for s in split_sentences(raw) if test(s)]


def _count_sentences(text: str, test: Callable[[str], bool]) -> int:
    return sum(1 for s in split_sentences(text) if test(s))


def _length_cap(word_count: int, short: int, medium: int) -> float:
    """The most a criterion can score at this length: brevity caps depth, not just the word count."""
    if word_count < short // 2:
        return 2.0
    if word_count < short:
        return 4.0
    if word_count < medium:
        return 7.0
    return 10.0


def _clamp(points: float) -> int:
    return max(0, min(10, round(points)))


def _band(rubric: Rubric, criterion_id: str, score: int) -> str:
    anchors = rubric.criterion(criterion_id).anchors
    anchor = next((a for a in anchors if a.low <= score <= a.high), anchors[-1])
    return f"[{anchor.low}-{anchor.high}] {anchor.description}"


def _empty(question: PlannedQuestion, answer: str, rubric: Rubric, flags: list[str]) -> AnswerEvaluation:
    criteria = [
        CriterionScore(criterion=c.id, score=0, rationale=f"{_band(rubric, c.id, 0)} No answer was given.")
        for c in rubric.criteria
    ]
    no_answer = Judgement(text="No answer was given.")
    return AnswerEvaluation(
        question_number=question.number,
        question=question.text,
        answer=answer,
        rubric=rubric.key,
        criteria=criteria,
        overall=0.0,
        strength=no_answer,
        improvement=Judgement(text="Answer the question, even briefly; a partial answer scores above none."),
        engine=ENGINE,
        flags=flags,
    )
