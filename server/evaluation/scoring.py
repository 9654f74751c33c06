"""The builtin evaluator: rubric scores from the answer's best-supported evidence, deterministic and offline.

How an answer is read, in order:

1. Words addressed to the evaluator are taken out (:mod:`~server.evaluation.guard`) and flagged.
2. The rest is cut into evidence units (:mod:`~server.evaluation.units`): sentences, long ones at their
   clauses, read without fillers and false starts.
3. Units that restate the job description, the resume or the question earn nothing
   (:mod:`~server.evaluation.restatement`); when they are most of the answer, the evaluation says so.
4. Each remaining unit gets a *value*: how much checkable substance it carries (specific details and
   words that name things, the speaker's own action or a step of an approach, a result), reduced by
   buzzwords, platitudes and hedges. A unit of general talk is worth nothing however well phrased.
5. Criteria are judged from the best units, never from sums over all of them: evidence from the best
   three values; depth from the reasons, conditions, checks and lessons that substantive units give;
   structure from which parts of a story (or an approach) substantive units cover; relevance from how close
   in meaning the substantive units are to the question (sentence embeddings; word overlap without the
   model); communication from how directly and cleanly the transcript makes its point. Padding a weak answer
   with generic sentences adds units worth nothing, so it cannot raise a score; it lowers communication.

What the builtin engine cannot judge it says: technical accuracy is scored on how the answer is argued, with
a ``not_verified`` flag; delivery is not judged when the speech recogniser was unsure of the words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from server.conversation.questions import PlannedQuestion, QuestionStyle, has_custom_expectations
from server.conversation.setup import InterviewSetup
from server.evaluation.base import AnswerEvaluation, CriterionScore, Flag, FlagKind, Judgement, distinct_quotes
from server.evaluation.guard import split_injection
from server.evaluation.restatement import FLAG_SHARE, Restatement, Source, find_restatements, restated_share
from server.evaluation.rubric import Rubric, rubric_for
from server.evaluation.units import Unit, concrete_terms, read_units
from server.text.cleaning import quotable_units
from server.text.embeddings import SentenceEncoder, shared_encoder, similarities
from server.text.sentences import split_sentences
from server.text.words import FILLER_WORDS, content_words, matched_terms, shorten, stem, words

ENGINE = "builtin"

#: Below this mean per-segment probability the transcript may not hold what was said: delivery is not judged.
UNRELIABLE_ASR = 0.5
#: Value a unit needs to count as substantive (to carry a story part, a reason or a check).
SUBSTANTIVE = 0.15
#: Value at which a unit fully shows a story part, a design part or a kind of reasoning.
FULL_PART = 0.35
#: Unqualified certainty (see :func:`_overconfidence`) at which a technical answer loses depth, and half a point
#: above which it is held at :data:`UNVERIFIED_CEILING` until a reviewer checks it.
OVERCONFIDENT = 1.5
UNVERIFIED_CEILING = 4.5
#: Closeness in meaning (to the question or the job) below which an answer is off topic, and above which
#: it is fully on topic: a specific story sits further from the question's words than a vague echo of them.
ON_TOPIC = (0.12, 0.32)
#: Similarity at which a unit says again what an earlier one said.
REPEATED = 0.95
#: Evidence is judged from this many best units.
BEST_UNITS = 3

_ALTERNATIVES = re.compile(
    r"\b(?:instead of|rather than|versus|vs\.?|compared (?:to|with)|alternatives?|trade-?offs?)\b", re.I
)
_FAILURE = re.compile(
    r"\b(?:fail\w*|edge cases?|outage|fallback|degrad\w*|corrupt\w*|duplicat\w*|retr(?:y|ies)|timeouts?|"
    r"recover\w*|worst case|bottleneck|single point|rollback|roll back|risk)\b",
    re.IGNORECASE,
)
_DESIGN_PHASES: dict[str, re.Pattern[str]] = {
    "requirements": re.compile(
        r"\b(?:requirements?|use cases?|traffic|qps|rps|per second|read-heavy|write-heavy|estimate\w*|capacity|"
        r"functional|non-functional|availability|never (?:miss|lose|count)|exactly once|at-least-once|guarantee\w*)\b",
        re.IGNORECASE,
    ),
    "components": re.compile(
        r"\b(?:services?|api|endpoints?|load balancers?|gateway|workers?|queues?|relay|poller|consumers?|producers?|"
        r"publish\w*|brokers?|topics?|process(?:es)?|jobs?|pipelines?|schedulers?|front ?end|back ?end|clients?|"
        r"servers?)\b",
        re.IGNORECASE,
    ),
    "data": re.compile(
        r"\b(?:database|schema|tables?|rows?|key-value|store|storage|postgres\w*|cassandra|dynamo\w*|redis|"
        r"blob|s3|partition\w*|data model|transaction\w*|constraint|index\w*|outbox|ledger|log)\b",
        re.IGNORECASE,
    ),
    "scaling": re.compile(
        r"\b(?:scal\w*|shard\w*|replica\w*|horizontal\w*|cdn|cach\w*|autoscal\w*|partition\w*|order\w*|keyed)\b",
        re.IGNORECASE,
    ),
    "failures": re.compile(
        r"\b(?:fail\w*|retr(?:y|ies)|duplicat\w*|dead-letter|idempoten\w*|reconcil\w*|alert\w*|timeouts?|"
        r"recover\w*|trade-?offs?|instead of|rather than|consisten\w*|downside)\b",
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class _Scored:
    score: int | None
    rationale: str
    quotes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Reading:
    """Everything the criteria judge, read once."""

    question: PlannedQuestion
    style: QuestionStyle
    units: list[Unit]
    restated: dict[int, Restatement]
    value: dict[int, float]
    topical: tuple[float, list[Unit]] | None
    novel_terms: dict[int, set[str]]
    repeated: set[int]

    @property
    def live(self) -> list[Unit]:
        """Units that are not restatements or repetitions."""
        return [u for u in self.units if u.index not in self.restated and u.index not in self.repeated]

    @property
    def substantive(self) -> list[Unit]:
        """Units with substance and no empty talk: only they can carry a story part, a reason or a check."""
        return [u for u in self.live if self.value[u.index] >= SUBSTANTIVE and not u.empty_talk]

    def best(self, units: Iterable[Unit] | None = None, count: int = BEST_UNITS) -> list[Unit]:
        pool = list(self.live if units is None else units)
        return sorted(pool, key=lambda u: (-self.value[u.index], u.index))[:count]

    def strongest(self, test: str) -> Unit | None:
        """The most valuable substantive unit with attribute ``test`` set."""
        found = [u for u in self.substantive if getattr(u, test)]
        return self.best(found, 1)[0] if found else None


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
    reading = _read(question, units, setup, model)
    flags += _restatement_flags(reading)
    unreliable = asr_confidence is not None and asr_confidence < UNRELIABLE_ASR
    scored = {
        "relevance": _relevance(reading, model is not None),
        "depth": _depth(reading),
        "structure": _structure(reading),
        "evidence": _evidence(reading),
        "communication": _communication(reading, screened.kept, asr_confidence if unreliable else None),
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
        flags.append(_not_verified(reading))
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
    criteria, _, _ = distinct_quotes(_criteria(rubric, scored), Judgement(text=""), Judgement(text=""))
    overall = rubric.weighted({c.criterion: None if c.score is None else float(c.score) for c in criteria})
    overall = min(overall, _ceiling(reading))
    strength, improvement = _feedback(rubric, criteria, reading)
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


# ---------------------------------------------------------------------------------------------- reading


def _read(
    question: PlannedQuestion, units: list[Unit], setup: InterviewSetup, encoder: SentenceEncoder | None
) -> _Reading:
    expected = " ".join(question.expected) if has_custom_expectations(question) else ""
    sources = {
        Source.JOB_DESCRIPTION: setup.job_description,
        Source.RESUME: setup.resume_text,
        Source.QUESTION: question.text,
    }
    restated = find_restatements(units, {s: t for s, t in sources.items() if t.strip()}, encoder)
    known = {stem(w) for w in content_words(question.text)}
    novel = {u.index: concrete_terms(u.clean, known) for u in units}
    live = [u for u in units if u.index not in restated]
    topical = _topical(question, expected, setup, live, encoder) if encoder is not None and live else None
    style = question.style
    repeated = _repeats(units, encoder)
    value = {
        u.index: 0.0 if u.index in restated or u.index in repeated else _value(u, novel[u.index], style) for u in units
    }
    return _Reading(question, style, units, restated, value, topical, novel, repeated)


def _repeats(units: list[Unit], encoder: SentenceEncoder | None) -> set[int]:
    """Units that say again what an earlier unit of the answer said (the same words, or the same meaning
    almost word for word): saying it twice is not twice the evidence."""
    seen: list[Unit] = []
    repeated: set[int] = set()
    close = similarities(encoder, [u.clean for u in units], [u.clean for u in units]) if encoder else None
    for position, unit in enumerate(units):
        same = any(
            unit.clean.lower() == earlier.clean.lower()
            or (close is not None and float(close[position, units.index(earlier)]) >= REPEATED)
            for earlier in seen
        )
        if same:
            repeated.add(unit.index)
        else:
            seen.append(unit)
    return repeated


def _topical(
    question: PlannedQuestion, expected: str, setup: InterviewSetup, live: list[Unit], encoder: SentenceEncoder
) -> tuple[float, list[Unit]]:
    """How close in meaning the answer is to its question (or the bank's notes on a strong answer), or to the
    job: the answer as a whole, and its closest units; with the units closest to the question."""
    targets = [question.text, *([expected] if expected else [])]
    whole = float(similarities(encoder, [" ".join(u.clean for u in live)], targets).max())
    per_unit = similarities(encoder, [u.clean for u in live], targets).max(axis=1)
    order = sorted(range(len(live)), key=lambda i: (-float(per_unit[i]), i))
    closeness = max(whole, float(per_unit[order[0]]))
    pieces = [p for p in quotable_units(setup.job_description) if len(words(p)) >= 4]
    if pieces:
        role = np.sort(similarities(encoder, [u.clean for u in live], pieces).max(axis=1))[-2:].mean()
        closeness = max(closeness, 0.85 * float(role))
    return round(closeness, 3), [live[i] for i in order[:3]]


def _value(unit: Unit, novel: set[str], style: QuestionStyle) -> float:
    """How much checkable substance one unit carries, 0 to about 1.3. Specific details (numbers, names,
    dates) weigh most; words that name things count less; general talk, hedges and dismissive claims
    count little or nothing."""
    if unit.empty_talk >= 2 or not unit.is_clause or not (novel or unit.specifics):
        return 0.0
    detail = min(1.0, 0.12 * len(novel) + 0.25 * len(unit.specifics))
    if unit.own_action and not (unit.hypothetical and style is QuestionStyle.BEHAVIORAL):
        acting = 1.0
    elif unit.own_action or unit.step or unit.team_action:
        acting = 0.7
    else:
        acting = 0.3 if style is QuestionStyle.BEHAVIORAL else 0.5
    # A deed counts in itself ("I set up a meeting with them"); details count more, and more with a deed.
    worth = 0.25 * acting + 0.75 * detail * (0.5 + 0.5 * acting)
    worth += 0.3 if unit.measured_result else 0.1 if unit.result and detail > 0.3 else 0.0
    if unit.empty_talk:
        worth *= 0.4
    if unit.dismissive:
        worth *= 0.3 if style is not QuestionStyle.BEHAVIORAL else 0.5
    worth *= 1 - 0.2 * min(unit.hedges, 2)
    return round(worth, 3)


# ---------------------------------------------------------------------------------------------- criteria


def _evidence(r: _Reading) -> _Scored:
    best = [u for u in r.best() if r.value[u.index] > 0]
    total = sum(r.value[u.index] for u in best)
    points = 0.5 + 9.5 * min(1.0, total / 2.7)
    details = [s for u in best for s in u.specifics][:5]
    own = sum(1 for u in r.substantive if u.own_action)
    measured = any(u.measured_result for u in r.substantive)
    found = [f"{own} substantive own action(s)" if own else "no own action with a concrete object"]
    found.append("a measured result" if measured else "no measured result")
    if details:
        found.append("details: " + ", ".join(details))
    return _Scored(_clamp(points), "Best-supported units show " + "; ".join(found) + ".", [u.text for u in best])


def _depth(r: _Reading) -> _Scored:
    """Why and how: reasons, conditions, checks and lessons, counted only where the unit has substance."""
    kinds = {
        "a reason": r.strongest("reason"),
        "a condition": r.strongest("condition"),
        "a check or measurement": r.strongest("check"),
        "a lesson": r.strongest("lesson"),
    }
    alternatives = next((u for u in r.substantive if _ALTERNATIVES.search(u.clean)), None)
    failures = next((u for u in r.substantive if _FAILURE.search(u.clean)), None)
    if r.style is QuestionStyle.BEHAVIORAL:
        weights = {"a reason": 2.5, "a condition": 1.0, "a check or measurement": 1.25, "a lesson": 2.5}
        extra = 1.25 * bool(alternatives) + 0.5 * bool(failures)
    else:
        weights = {"a reason": 2.0, "a condition": 2.0, "a check or measurement": 2.0, "a lesson": 0.75}
        extra = 1.0 * bool(alternatives) + 1.0 * bool(failures)
        extra += 0.12 * min(len(set().union(*(r.novel_terms[u.index] for u in r.substantive))), 20)
    points = 1.0 + extra + sum(w * _shown(r, kinds[k]) for k, w in weights.items())
    dismissive = _dismissive(r)
    overconfidence = _overconfidence(r)
    if r.style is not QuestionStyle.BEHAVIORAL and overconfidence >= OVERCONFIDENT:
        points -= 1.5 * min(overconfidence, 4.0)
    elif dismissive and r.style is not QuestionStyle.BEHAVIORAL:
        points -= 1.0
    guesses = sum(u.hedges for u in r.live)
    if guesses > 1 and r.style is not QuestionStyle.BEHAVIORAL:
        points -= 0.75 * min(guesses - 1, 3)
    shown = [k for k, u in kinds.items() if u] + (["alternatives weighed"] if alternatives else [])
    rationale = "Shows " + (", ".join(shown) if shown else "no reasons, conditions, checks or lessons") + "."
    if dismissive and r.style is not QuestionStyle.BEHAVIORAL:
        rationale += f" Waves {len(dismissive)} point(s) away with unqualified certainty."
    if guesses > 1 and r.style is not QuestionStyle.BEHAVIORAL:
        rationale += f" Guesses ({guesses} hedges) where it should reason."
    showing = [u for u in (*kinds.values(), alternatives) if u is not None]
    more = r.best([u for u in r.substantive if u.reason or u.condition or u.check or u.lesson], 4)
    return _Scored(_clamp(points), rationale, [u.text for u in dict.fromkeys([*showing, *more])])


def _structure(r: _Reading) -> _Scored:
    substantive = r.substantive
    if r.style is QuestionStyle.BEHAVIORAL:
        situation = next((u for u in substantive if u.situation or (u.index == 0 and u.specifics)), None)
        action = r.strongest("own_action") or r.strongest("team_action")
        result = next((u for u in substantive if u.result), None)
        lesson = next((u for u in substantive if u.lesson), None)
        own = action is not None and action.own_action
        points = 1.0 + 2.0 * _shown(r, situation) + (3.0 if own else 1.5) * _shown(r, action)
        points += 2.5 * _shown(r, result) + 1.0 * _shown(r, lesson)
        points += 0.5 if result is not None and result.measured_result else 0
        parts = {"situation": situation, "own action" if own else "action": action, "result": result}
        present = [name for name, u in parts.items() if u]
        missing = [name for name, u in parts.items() if not u]
        rationale = f"Story parts present: {', '.join(present) or 'none'}" + (
            f"; missing: {', '.join(missing)}." if missing else "."
        )
        quotes = [u.text for u in (situation, action, result, lesson) if u]
    elif r.style is QuestionStyle.SYSTEM_DESIGN:
        shown = {
            p: max((_shown(r, u) for u in substantive if pattern.search(u.clean)), default=0.0)
            for p, pattern in _DESIGN_PHASES.items()
        }
        covered = [p for p, weight in shown.items() if weight > 0]
        points = 1.0 + 1.8 * sum(shown.values())
        rationale = f"Design parts covered with substance: {', '.join(covered) or 'none'}."
        quotes = [u.text for u in r.best(substantive, 4)]
    else:
        steps = r.best([u for u in substantive if u.acts or u.own_action])
        check = r.strongest("check")
        outcome = next((u for u in substantive if u.result or u.condition), None)
        points = 1.5 + 1.5 * sum(_shown(r, u) for u in steps) + 1.5 * _shown(r, check) + 1.5 * _shown(r, outcome)
        points += 1.0 if any(u.step for u in substantive) else 0
        rationale = f"{len(steps)} substantive step(s) of an approach; " + (
            "checks the result." if check else "no check of the result."
        )
        if _acts_before_finding_out(r):
            points -= 2.5
            rationale += " Asked how to find out, it acts before finding out what is wrong."
        quotes = [u.text for u in dict.fromkeys([*steps, *([check] if check else [])])]
    return _Scored(_clamp(points), rationale, quotes)


def _acts_before_finding_out(r: _Reading) -> bool:
    """Asked how to debug, investigate or know, the answer's first substantive step is a fix, not a check."""
    if "how they would find out" not in _asks(r.question.text):
        return False
    first = next((u for u in r.substantive if u.acts or u.own_action or u.check), None)
    return first is not None and not first.check


def _shown(r: _Reading, unit: Unit | None) -> float:
    """How fully a unit shows what it is cited for: a part told in substance counts whole, a passing mention
    counts in proportion."""
    return 0.0 if unit is None else min(1.0, r.value[unit.index] / FULL_PART)


def _relevance(r: _Reading, semantic: bool) -> _Scored:
    """Whether the answer is about what was asked, for this role. Closeness in meaning to the question does
    not grade an answer (a specific story is further from the question's words than a vague echo of them),
    so it only decides on topic or not; above that, relevance rests on substance: talk around the question
    only "touches" it, and restated units answer nothing."""
    live = r.live
    if not live:
        return _Scored(1, "Only restates the question, the job description or the resume.")
    if semantic and r.topical is not None:
        closeness, top = r.topical
        points = 1.0 + 8.5 * min(1.0, max(0.0, closeness - ON_TOPIC[0]) / (ON_TOPIC[1] - ON_TOPIC[0]))
        how = f"closeness in meaning to the question or the role {closeness:.2f}"
    else:
        top, points, how = _lexical_relevance(r)
    substance = sum(r.value[u.index] for u in r.best())
    points = min(points, 4.0 + 6.0 * min(1.0, substance / 1.3))
    asked = _asks(r.question.text)
    unanswered = [name for name, test in asked.items() if not any(test(u) for u in r.substantive)]
    points -= 1.5 * len(unanswered)
    rationale = f"On topic ({how})" if points >= 5 else f"Barely on topic ({how})"
    rationale += "; it stays general, so it talks around the question" if substance < 0.6 else ""
    rationale += f"; leaves unanswered what was asked: {', '.join(unanswered)}." if unanswered else "."
    return _Scored(_clamp(points), rationale, [u.text for u in top])


#: What a question asks for beyond its topic, and which units answer each part.
_ASKS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"\b(?:what did you (?:do|change)|what you did|how did you|what did you personally|your role)\b", re.I
        ),
        "what they did",
        "own_action",
    ),
    (
        re.compile(
            r"\b(?:how did it (?:end|turn out|go)|what (?:came of it|happened next)|what was the (?:result|outcome))\b",
            re.I,
        ),
        "how it ended",
        "result",
    ),
    (
        re.compile(
            r"\b(?:figure out|find out|debug|investigate|diagnose|root cause|how (?:would|do) you know|evaluate)\b",
            re.I,
        ),
        "how they would find out",
        "check",
    ),
    (
        re.compile(
            r"\b(?:what did you learn|what would you do differently|change(?:d)? afterwards|what changed)\b", re.I
        ),
        "what changed afterwards",
        "lesson",
    ),
)


def _asks(question: str) -> dict[str, Callable[[Unit], bool]]:
    """The parts of a question that need their own answer ("what did you do", "how would you know")."""
    asked: dict[str, Callable[[Unit], bool]] = {}
    for pattern, name, attribute in _ASKS:
        if pattern.search(question):
            asked[name] = _has(attribute)
    return asked


def _has(attribute: str) -> Callable[[Unit], bool]:
    def test(unit: Unit) -> bool:
        return bool(getattr(unit, attribute)) or (attribute == "lesson" and unit.result and unit.own_action)

    return test


def _lexical_relevance(r: _Reading) -> tuple[list[Unit], float, str]:
    """Without the embedding model: the share of the question's content words the best units use."""
    terms = {w for w in content_words(r.question.text) if len(w) > 3}
    scored = sorted(
        r.live, key=lambda u: (-len(matched_terms(terms, set(content_words(u.clean)))), -r.value[u.index], u.index)
    )
    top = scored[:2]
    shared = matched_terms(terms, {w for u in top for w in content_words(u.clean)})
    coverage = min(1.0, len(shared) / max(min(len(terms), 5), 1))
    return top, 2.0 + 7.0 * coverage, f"{len(shared)} of the question's words ({', '.join(sorted(shared)[:5])})"


def _communication(r: _Reading, kept: str, unreliable: float | None) -> _Scored:
    """Delivery, judged from what the transcript supports: getting to the point, carrying content in every
    sentence, no heavy filler, restarts, hedges or run-ons. Not judged when the transcript is unreliable."""
    if unreliable is not None:
        return _Scored(None, f"Not judged: the speech recogniser's confidence was {unreliable:.2f}.")
    spoken = words(kept)
    fillers = sum(1 for w in spoken if w in FILLER_WORDS) + len(re.findall(r"\b(?:you know|like),", kept, re.I))
    restarts = len(re.findall(r"\b(\w+)(?:[\s,]+\1\b)+", kept, re.IGNORECASE))
    disfluency = (fillers + restarts) / max(len(spoken), 1)
    sentences = split_sentences(kept)
    longest = max((len(words(s)) for s in sentences), default=0)
    live = r.live
    carrying = sum(1 for u in live if r.value[u.index] >= SUBSTANTIVE) / max(len(live), 1)
    hedges = sum(u.hedges for u in r.units) / max(len(spoken) / 100, 1)
    fragments = sum(1 for u in r.units if not u.is_clause) / len(r.units)
    first_point = next((i for i, u in enumerate(live) if r.value[u.index] >= SUBSTANTIVE), None)
    points = 9.0
    notes: list[str] = []
    if first_point is None:
        points = 3.0
        notes.append("never gets to a concrete point")
    elif first_point >= 2:
        points -= 1.0
        notes.append("the point comes late")
    if carrying < 0.5 and first_point is not None:
        points -= 2.0 if carrying < 0.3 else 1.0
        notes.append(f"{round(100 * (1 - carrying))}% of sentences carry no content")
    if disfluency > 0.03:
        points -= 2.0 if disfluency > 0.12 else 1.25 if disfluency > 0.06 else 0.5
        notes.append(f"{fillers} filler(s), {restarts} false start(s)")
    if longest > 45:
        points -= 1.5 if longest > 60 else 0.75
        notes.append(f"a {longest}-word sentence")
    if hedges > 2:
        points -= 1.0
        notes.append("hedges a lot")
    if r.repeated:
        points -= 1.0 if len(r.repeated) == 1 else 3.0
        notes.append(f"says {len(r.repeated)} sentence(s) again")
    if fragments > 0.3:
        points -= 3.0
        notes.append("mostly fragments")
    supported = len(r.substantive)
    if supported < 3:
        points = min(points, 5.0 + 1.5 * supported)
        notes.append("too little said to judge clarity fully")
    rationale = "Delivery: " + (", ".join(notes) if notes else "direct, every sentence carries the answer") + "."
    carried = [u.text for u in live if r.value[u.index] >= SUBSTANTIVE]
    return _Scored(_clamp(points), rationale, carried[:3])


#: What a story question's criteria are held at when the answer tells no occasion at all.
_NO_OCCASION = {"relevance": 5, "structure": 3, "evidence": 3}


#: A question that asks for something that happened, whatever its style.
_ASKS_FOR_AN_OCCASION = re.compile(
    r"\b(?:tell me about (?:a|the|an) |describe (?:a|the) (?:time|situation|moment)|give (?:me |us )?an example|"
    r"an example of|walk me through (?:a|the) time|a time (?:you|when)|have you ever)",
    re.IGNORECASE,
)


def _tells_no_occasion(r: _Reading) -> bool:
    """A story question ("tell me about a time...", "give me an example") answered only in generalities:
    nothing that happened."""
    story = r.style is QuestionStyle.BEHAVIORAL or bool(_ASKS_FOR_AN_OCCASION.search(r.question.text))
    return story and not any(u.episode for u in r.live)


def _held_for_no_occasion(scored: dict[str, _Scored]) -> dict[str, _Scored]:
    held = dict(scored)
    for criterion, most in _NO_OCCASION.items():
        given = scored[criterion]
        if given.score is not None and given.score > most:
            note = " It tells no occasion: nothing that happened, only how things are in general."
            held[criterion] = _Scored(most, given.rationale + note, given.quotes)
    return held


def _overconfidence(r: _Reading) -> float:
    """How much the answer asserts without qualification: each dismissive claim counts 1, each sweeping
    word ("always", "never", "basically") half."""
    return sum(u.dismissive + 0.5 * u.sweeping for u in r.live)


def _dismissive(r: _Reading) -> list[Unit]:
    """Units that wave a safeguard away or declare one way the only one ("you can skip", "aren't needed",
    "the standard way"): the builtin engine cannot tell a confident expert from a confident mistake, so such
    claims earn no depth and the report asks a reviewer to check them."""
    return [u for u in r.live if u.dismissive]


def _ceiling(r: _Reading) -> float:
    """The most an answer can score whatever its other criteria: little without a substantive unit, and,
    for a technical answer that asserts a lot without qualification, no more than a thin answer until a
    reviewer has checked it (the builtin engine cannot tell a confident expert from a confident mistake)."""
    if not r.substantive:
        return 2.5
    if r.style is not QuestionStyle.BEHAVIORAL and _overconfidence(r) >= OVERCONFIDENT + 0.5:
        return UNVERIFIED_CEILING
    return 10.0


# ---------------------------------------------------------------------------------------------- flags


def _restatement_flags(r: _Reading) -> list[Flag]:
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


def _not_verified(r: _Reading) -> Flag:
    sweeping = _dismissive(r) or [u for u in r.live if u.sweeping]
    detail = (
        "Technical accuracy is scored on how the answer is argued (steps, reasons, conditions, checks), not "
        "verified by the builtin engine: it needs a reviewer or the openai evaluator."
    )
    if _overconfidence(r) >= OVERCONFIDENT:
        detail += f" It asserts {len(sweeping)} point(s) with unqualified certainty: check those first" + (
            f"; the score is held at {UNVERIFIED_CEILING:g} until then." if _ceiling(r) == UNVERIFIED_CEILING else "."
        )
    return Flag(
        kind=FlagKind.NOT_VERIFIED,
        criterion="depth",
        detail=detail,
        quotes=[shorten(u.text, 30) for u in sweeping[:2]] if _overconfidence(r) >= OVERCONFIDENT else [],
    )


# ---------------------------------------------------------------------------------------------- assembly


def _criteria(rubric: Rubric, scored: dict[str, _Scored]) -> list[CriterionScore]:
    return [
        CriterionScore(
            criterion=c.id,
            score=scored[c.id].score,
            rationale=f"{_band(rubric, c.id, scored[c.id].score)} {scored[c.id].rationale}".strip(),
            quotes=scored[c.id].quotes,
        )
        for c in rubric.criteria
    ]


def _feedback(rubric: Rubric, criteria: list[CriterionScore], r: _Reading) -> tuple[Judgement, Judgement]:
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


def _strength(best: CriterionScore, r: _Reading) -> tuple[str, list[Unit]]:
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


def _improvement(worst: CriterionScore, r: _Reading) -> tuple[str, list[Unit]]:
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


# ---------------------------------------------------------------------------------------------- helpers


def _clamp(points: float) -> int:
    """Points to a 0-10 score, halves rounded up (Python's ``round`` would round 6.5 to 6 but 7.5 to 8)."""
    return max(0, min(10, math.floor(points + 0.5)))


def _band(rubric: Rubric, criterion_id: str, score: int | None) -> str:
    if score is None:
        return "[not scored]"
    anchors = rubric.criterion(criterion_id).anchors
    anchor = next((a for a in anchors if a.low <= score <= a.high), anchors[-1])
    return f"[{anchor.low}-{anchor.high}] {anchor.description}"


def _empty(question: PlannedQuestion, answer: str, rubric: Rubric, flags: list[Flag]) -> AnswerEvaluation:
    criteria = [
        CriterionScore(criterion=c.id, score=0, rationale=f"{_band(rubric, c.id, 0)} No answer was given.")
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
