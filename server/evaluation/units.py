"""An answer cut into evidence units: the sentences (long ones cut at their clauses) a judgement can rest on.

Units are cut on the words that carry the answer, without fillers and false starts, and quoted as said;
each is then read for what it shows (:mod:`~server.evaluation.marks`). The scorer judges an answer by its
best-supported units, never by how many there are, so padding cannot raise a score.
"""

from __future__ import annotations

from server.evaluation.marks import Unit, read_unit
from server.text.sentences import split_sentences
from server.text.words import (
    FILLER_PHRASES,
    FILLER_WORDS,
    count_words,
    normalize_space,
)

#: A sentence longer than this is cut into clauses, so one run-on cannot carry every detail of an answer.
LONG_UNIT_WORDS = 32


def read_units(answer: str) -> list[Unit]:
    """Every unit of ``answer`` (already screened for injection), in order. Units are cut on the cleaned
    words (so a filler-laden and a fluent telling of one answer give the same units) and quoted as said."""
    units: list[Unit] = []
    for sentence in split_sentences(answer):
        raw = sentence.split()
        kept = clean_tokens(raw)
        for group in _clauses(kept):
            clean = normalize_space(" ".join(token for _, token in group)).rstrip(",")
            if not count_words(clean):
                continue
            quote = " ".join(raw[group[0][0] : group[-1][0] + 1]).rstrip(",;:")
            units.append(read_unit(len(units), quote, clean))
    return units


def clean_spoken(text: str) -> str:
    """``text`` without fillers and false starts, as :func:`read_units` reads it."""
    return normalize_space(" ".join(token for _, token in clean_tokens(text.split())))


def clean_tokens(tokens: list[str]) -> list[tuple[int, str]]:
    """The tokens that carry the words, each with its position among ``tokens``: no fillers ("um", "you
    know", a "like" set off by commas), no false starts ("I, I", "the the"), and none of the commas the
    fillers brought, so "So I, uh, set up" reads "So I set up", as the fluent telling does."""
    kept: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        bare = _bare(token)
        pair = f"{bare} {_bare(tokens[i + 1])}" if i + 1 < len(tokens) else ""
        width = 2 if pair in FILLER_PHRASES else 1 if _is_filler(bare, token, kept) else 0
        if not width and kept and bare.isalpha() and bare == _bare(kept[-1][1]):
            width = 1  # a word said twice: keep one
        if not width:
            kept.append((i, token))
            i += 1
            continue
        last = tokens[i + width - 1]
        ending = last[len(last.rstrip(",.;:!?")) :].strip(",")
        following = _bare(tokens[i + width]) if i + width < len(tokens) else ""
        if kept:
            position, previous = kept[-1]
            if previous.endswith(",") and following not in _CONJUNCTIONS:
                previous = previous[:-1]
            if ending and not previous.endswith(tuple(".;:!?")):
                previous += ending
            kept[-1] = (position, previous)
        i += width
    if kept and kept[0][1][:1].islower() and tokens and tokens[0][:1].isupper():
        kept[0] = (kept[0][0], kept[0][1][:1].upper() + kept[0][1][1:])
    return kept


#: Words that open a clause: a comma before them is the sentence's own, not the filler's.
_CONJUNCTIONS = frozenset(
    ["and", "but", "so", "because", "which", "then", "or", "while", "since", "although", "though"]
)


def _bare(token: str) -> str:
    return token.lower().strip(",.;:!?\"'“”‘’()")


def _is_filler(bare: str, token: str, before: list[tuple[int, str]]) -> bool:
    if bare in FILLER_WORDS:
        return True
    # "like" as a filler is set off by commas ("the, like, category"); "a model like LightGBM" is not one.
    return bare == "like" and (token.endswith((",", ".")) or (bool(before) and before[-1][1].endswith(",")))


def _clauses(kept: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A long sentence cut after ``;``, ``:`` or a dash, and before a comma's "and", "so", "but"...;
    pieces under six words stay with their neighbour."""
    if sum(1 for _, t in kept if _bare(t)) <= LONG_UNIT_WORDS:
        return [kept] if kept else []
    pieces: list[list[tuple[int, str]]] = [[]]
    for n, (position, token) in enumerate(kept):
        if token in ("—", "–", "-") and pieces[-1]:
            pieces.append([])
            continue
        pieces[-1].append((position, token))
        following = _bare(kept[n + 1][1]) if n + 1 < len(kept) else ""
        if token.endswith((";", ":")) or (token.endswith(",") and following in _CLAUSE_STARTS):
            pieces.append([])
    merged: list[list[tuple[int, str]]] = []
    for piece in (p for p in pieces if p):
        if merged and (len(piece) < 6 or len(merged[-1]) < 6):
            merged[-1] = merged[-1] + piece
        else:
            merged.append(piece)
    return merged


_CLAUSE_STARTS = frozenset(["and", "so", "but", "then", "which", "while", "because"])
