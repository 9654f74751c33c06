"""The builtin evaluator's five criteria, each judged from a :class:`~server.evaluation.reading.Reading`.

Evidence from the best three units; depth from the reasons, conditions, checks and lessons that substantive
units give; structure from which parts of a story (or an approach, or a design) substantive units cover;
relevance from how close in meaning the substantive units are to the question (word overlap without the
embedding model); communication from how directly and cleanly the transcript makes its point. Also the
ceiling an answer cannot score above: little without substance, and, for a technical answer that asserts a
lot without qualification, a thin answer's score until a reviewer checks it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from server.conversation.questions import QuestionStyle
from server.evaluation.marks import Unit
from server.evaluation.reading import SUBSTANTIVE, Reading, shown_by
from server.text.sentences import split_sentences
from server.text.words import FILLER_WORDS, content_words, matched_terms, words

#: Unqualified certainty (see :func:`overconfidence_of`) at which a technical answer loses depth, and half a point
#: above which it is held at :data:`UNVERIFIED_CEILING` until a reviewer checks it.
OVERCONFIDENT = 1.5
UNVERIFIED_CEILING = 4.5
#: Closeness in meaning (to the question or the job) below which an answer is off topic, and above which
#: it is fully on topic: a specific story sits further from the question's words than a vague echo of them.
ON_TOPIC = (0.12, 0.32)


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
class Scored:
    score: int | None
    rationale: str
    quotes: list[str] = field(default_factory=list)


def score_evidence(r: Reading) -> Scored:
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
    return Scored(clamp(points), "Best-supported units show " + "; ".join(found) + ".", [u.text for u in best])


def score_depth(r: Reading) -> Scored:
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
    points = 1.0 + extra + sum(w * shown_by(r, kinds[k]) for k, w in weights.items())
    dismissive = dismissive_units(r)
    overconfidence = overconfidence_of(r)
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
    return Scored(clamp(points), rationale, [u.text for u in dict.fromkeys([*showing, *more])])


def score_structure(r: Reading) -> Scored:
    substantive = r.substantive
    if r.style is QuestionStyle.BEHAVIORAL:
        situation = next((u for u in substantive if u.situation or (u.index == 0 and u.specifics)), None)
        action = r.strongest("own_action") or r.strongest("team_action")
        result = next((u for u in substantive if u.result), None)
        lesson = next((u for u in substantive if u.lesson), None)
        own = action is not None and action.own_action
        points = 1.0 + 2.0 * shown_by(r, situation) + (3.0 if own else 1.5) * shown_by(r, action)
        points += 2.5 * shown_by(r, result) + 1.0 * shown_by(r, lesson)
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
            p: max((shown_by(r, u) for u in substantive if pattern.search(u.clean)), default=0.0)
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
        points = 1.5 + 1.5 * sum(shown_by(r, u) for u in steps) + 1.5 * shown_by(r, check) + 1.5 * shown_by(r, outcome)
        points += 1.0 if any(u.step for u in substantive) else 0
        rationale = f"{len(steps)} substantive step(s) of an approach; " + (
            "checks the result." if check else "no check of the result."
        )
        if _acts_before_finding_out(r):
            points -= 2.5
            rationale += " Asked how to find out, it acts before finding out what is wrong."
        quotes = [u.text for u in dict.fromkeys([*steps, *([check] if check else [])])]
    return Scored(clamp(points), rationale, quotes)


def _acts_before_finding_out(r: Reading) -> bool:
    """Asked how to debug, investigate or know, the answer's first substantive step is a fix, not a check."""
    if "how they would find out" not in _asks(r.question.text):
        return False
    first = next((u for u in r.substantive if u.acts or u.own_action or u.check), None)
    return first is not None and not first.check


def score_relevance(r: Reading, semantic: bool) -> Scored:
    """Whether the answer is about what was asked, for this role. Closeness in meaning to the question does
    not grade an answer (a specific story is further from the question's words than a vague echo of them),
    so it only decides on topic or not; above that, relevance rests on substance: talk around the question
    only "touches" it, and restated units answer nothing."""
    live = r.live
    if not live:
        return Scored(1, "Only restates the question, the job description or the resume.")
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
    return Scored(clamp(points), rationale, [u.text for u in top])


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


def _lexical_relevance(r: Reading) -> tuple[list[Unit], float, str]:
    """Without the embedding model: the share of the question's content words the best units use."""
    terms = {w for w in content_words(r.question.text) if len(w) > 3}
    scored = sorted(
        r.live, key=lambda u: (-len(matched_terms(terms, set(content_words(u.clean)))), -r.value[u.index], u.index)
    )
    top = scored[:2]
    shared = matched_terms(terms, {w for u in top for w in content_words(u.clean)})
    coverage = min(1.0, len(shared) / max(min(len(terms), 5), 1))
    return top, 2.0 + 7.0 * coverage, f"{len(shared)} of the question's words ({', '.join(sorted(shared)[:5])})"


def score_communication(r: Reading, kept: str, unreliable: float | None) -> Scored:
    """Delivery, judged from what the transcript supports: getting to the point, carrying content in every
    sentence, no heavy filler, restarts, hedges or run-ons. Not judged when the transcript is unreliable."""
    if unreliable is not None:
        return Scored(None, f"Not judged: the speech recogniser's confidence was {unreliable:.2f}.")
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
    return Scored(clamp(points), rationale, carried[:3])


def overconfidence_of(r: Reading) -> float:
    """How much the answer asserts without qualification: each dismissive claim counts 1, each sweeping
    word ("always", "never", "basically") half."""
    return sum(u.dismissive + 0.5 * u.sweeping for u in r.live)


def dismissive_units(r: Reading) -> list[Unit]:
    """Units that wave a safeguard away or declare one way the only one ("you can skip", "aren't needed",
    "the standard way"): the builtin engine cannot tell a confident expert from a confident mistake, so such
    claims earn no depth and the report asks a reviewer to check them."""
    return [u for u in r.live if u.dismissive]


def ceiling(r: Reading) -> float:
    """The most an answer can score whatever its other criteria: little without a substantive unit, and,
    for a technical answer that asserts a lot without qualification, no more than a thin answer until a
    reviewer has checked it (the builtin engine cannot tell a confident expert from a confident mistake)."""
    if not r.substantive:
        return 2.5
    if r.style is not QuestionStyle.BEHAVIORAL and overconfidence_of(r) >= OVERCONFIDENT + 0.5:
        return UNVERIFIED_CEILING
    return 10.0


def clamp(points: float) -> int:
    """Points to a 0-10 score, halves rounded up (Python's ``round`` would round 6.5 to 6 but 7.5 to 8)."""
    return max(0, min(10, math.floor(points + 0.5)))
