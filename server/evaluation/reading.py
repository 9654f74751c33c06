"""Reading an answer once for every criterion: its evidence units, which of them restate or repeat, and what
each is worth.

A unit's *value* (:func:`read_answer`) is how much checkable substance it carries: specific details and words
that name things, the speaker's own action or a step of an approach, a result, reduced by buzzwords,
platitudes and hedges. Restated and repeated units are worth nothing. The criteria
(:mod:`~server.evaluation.criteria`) then judge from the best units, never from sums over all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from server.conversation.questions import PlannedQuestion, QuestionStyle, has_custom_expectations
from server.conversation.setup import InterviewSetup
from server.evaluation.generic import concrete_terms
from server.evaluation.marks import Unit
from server.evaluation.restatement import Restatement, Source, find_restatements
from server.text.cleaning import quotable_units
from server.text.embeddings import SentenceEncoder, similarities
from server.text.words import content_words, stem, words

#: Value a unit needs to count as substantive (to carry a story part, a reason or a check).
SUBSTANTIVE = 0.15
#: Value at which a unit fully shows a story part, a design part or a kind of reasoning.
FULL_PART = 0.35
#: Similarity at which a unit says again what an earlier one said.
REPEATED = 0.95
#: Evidence is judged from this many best units.
BEST_UNITS = 3


@dataclass(frozen=True)
class Reading:
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


def read_answer(
    question: PlannedQuestion, units: list[Unit], setup: InterviewSetup, encoder: SentenceEncoder | None
) -> Reading:
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
    return Reading(question, style, units, restated, value, topical, novel, repeated)


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


def shown_by(r: Reading, unit: Unit | None) -> float:
    """How fully a unit shows what it is cited for: a part told in substance counts whole, a passing mention
    counts in proportion."""
    return 0.0 if unit is None else min(1.0, r.value[unit.index] / FULL_PART)
