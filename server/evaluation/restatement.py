"""Words given back instead of an answer: the job description, the resume or the question, restated.

Reading the job description back ("I'd own the weekly demand forecast... using Python, SQL and Airflow")
sounds specific and on topic, and earned top evidence scores from a scorer that counted named tools. A unit
of an answer is a restatement of a source when it takes its wording (long runs of the same words), or
says the same thing in other words while adding almost nothing of its own (close in meaning, few content
words the source does not have). Restated units earn nothing; when they make up most of an answer the
evaluation is flagged, so the report can say "restates the job description".

Meaning is compared with sentence embeddings when the model is available; without it, only the wording
test runs (paraphrases then go unnoticed: the degraded mode the README describes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.evaluation.marks import Unit
from server.text.cleaning import quotable_units
from server.text.embeddings import SentenceEncoder, similarities
from server.text.words import FILLER_WORDS, content_words, stem, words

#: Word n-grams compared for wording taken over.
NGRAM = 3
#: Share of a unit's word trigrams found in a source for the unit to count as copied from it.
COPIED = 0.5
#: Meaning: (similarity, most new content allowed). Closer in meaning tolerates more new words.
PARAPHRASE = ((0.8, 0.5), (0.68, 0.34), (0.58, 0.2))
#: Restated words over this share of the answer's make the evaluation say so.
FLAG_SHARE = 0.4


class Source(StrEnum):
    JOB_DESCRIPTION = "job_description"
    RESUME = "resume"
    QUESTION = "question"


@dataclass(frozen=True)
class Restatement:
    """Unit ``index`` restates ``source``; ``similarity`` and ``copied`` say how closely."""

    index: int
    source: Source
    similarity: float
    copied: float
    novelty: float


def find_restatements(
    units: list[Unit],
    sources: dict[Source, str],
    encoder: SentenceEncoder | None,
) -> dict[int, Restatement]:
    """For each unit that restates a source, the closest source. Units and sources are compared pairwise:
    a unit restating one bullet of a long job description is caught although the rest is unrelated."""
    found: dict[int, Restatement] = {}
    for source, text in sources.items():
        pieces = [p for p in quotable_units(text) if len(words(p)) >= 3]
        if not pieces or not units:
            continue
        grams = set().union(*(_ngrams(p) for p in pieces))
        vocabulary = {stem(w) for w in content_words(text)}
        close = similarities(encoder, [u.clean for u in units], pieces).max(axis=1) if encoder else None
        for position, unit in enumerate(units):
            own = _ngrams(unit.clean)
            copied = len(own & grams) / len(own) if own else 0.0
            terms = {stem(w) for w in content_words(unit.clean)}
            novelty = len(terms - vocabulary) / len(terms) if terms else 0.0
            similarity = float(close[position]) if close is not None else 0.0
            if not _restates(copied, similarity, novelty, len(terms)):
                continue
            candidate = Restatement(unit.index, source, round(similarity, 3), round(copied, 3), round(novelty, 3))
            current = found.get(unit.index)
            if current is None or (candidate.copied, candidate.similarity) > (current.copied, current.similarity):
                found[unit.index] = candidate
    return found


def restated_share(units: list[Unit], restated: dict[int, Restatement], source: Source) -> float:
    """The share of the answer's words that restate ``source``."""
    total = sum(u.word_count for u in units)
    given_back = sum(u.word_count for u in units if (r := restated.get(u.index)) and r.source is source)
    return given_back / total if total else 0.0


def _restates(copied: float, similarity: float, novelty: float, terms: int) -> bool:
    if terms == 0:
        return False
    if copied >= COPIED:
        return True
    return any(similarity >= floor and novelty <= most_new for floor, most_new in PARAPHRASE)


def _ngrams(text: str) -> set[tuple[str, ...]]:
    tokens = [w for w in words(text) if w not in FILLER_WORDS]
    return {tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}
