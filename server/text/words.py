"""Small, dependency-free text helpers shared by planning, probing and scoring.

Everything here is deterministic and language-light (English word lists): the builtin engine must give the
same result for the same text on every machine, with no model and no network.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.'’-]*[A-Za-z0-9+#]|[A-Za-z]|\d+(?:[.,]\d+)*%?")


def word_list(text: str) -> list[str]:
    """The whitespace-separated words of a literal block (keeps long vocabularies readable)."""
    return text.split()


STOPWORDS = frozenset(
    word_list(
        """a about above after again against all also am an and any are as at be because been before being
        below between both but by can could did do does doing down during each few for from further had has have
        having he her here hers herself him himself his how i if in into is it its itself just me more most my
        myself no nor not now of off on once only or other our ours ourselves out over own same she should so
        some such than that the their theirs them themselves then there these they this those through to too
        under until up very was we were what when where which while who whom why will with would you your yours
        yourself yourselves i'm i've i'd we're we've it's that's there's let's don't didn't can't won't isn't
        wasn't aren't weren't doesn't haven't hasn't hadn't shouldn't wouldn't couldn't able really well get got
        make made much many like one two thing things way lot lots kind sort tell time us ve ll re"""
    )
)

#: Spoken disfluencies. They carry no content, so they are removed before content is judged.
FILLER_PHRASES = (
    "you know",
    "i mean",
    "sort of",
    "kind of",
    "like i said",
)
FILLER_WORDS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "eh", "hmm", "mm", "mhm", "uh-huh"})

_FILLER_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(FILLER_WORDS, key=len, reverse=True)) + r")\b[,.]?\s*",
    re.IGNORECASE,
)
# A word said twice in a row ("I I built", "the the") is a false start, not emphasis.
_REPEATED_WORD = re.compile(r"\b(\w+)(?:[\s,]+\1\b)+", re.IGNORECASE)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens, keeping technical spellings such as ``c++``, ``node.js`` and ``40%``."""
    return [w.lower().strip(".'’-") or w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no fillers, no one-letter tokens."""
    return [w for w in words(text) if w not in STOPWORDS and w not in FILLER_WORDS and len(w) > 1]


def stem(word: str) -> str:
    """A crude suffix stripper, enough to match "scaling", "scaled" and "scale" lexically."""
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def words_match(a: str, b: str) -> bool:
    """Whether two words are forms of one another ("migrated"/"migration", "query"/"queries").

    A shared prefix of at least four letters covering three quarters of the shorter word: cruder than a real
    stemmer, but it needs no word lists and errs towards precision ("consider" does not match "consistent").
    """
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return (
        common >= max(4, 0.75 * shorter)
        or (common == shorter and shorter >= 4)
        or (shorter >= 6 and within_one_edit(a, b))
    )


def within_one_edit(a: str, b: str) -> bool:
    """Whether one substitution, insertion or deletion turns ``a`` into ``b``: the size of a typical
    speech-recognition slip on a long word ("cubernetes", "postgress")."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def matched_terms(terms: set[str], text_words: set[str]) -> set[str]:
    """The ``terms`` that some word of ``text_words`` is a form of."""
    return {t for t in terms if any(words_match(t, w) for w in text_words)}


def strip_disfluencies(text: str) -> str:
    """Remove filler words, filler phrases and immediate word repetitions (false starts).

    Content scores are computed on the cleaned text, so a candidate is never marked down on content for
    how they speak; only the communication criterion looks at the raw transcript.
    """
    cleaned = _FILLER_RE.sub("", text)
    for phrase in FILLER_PHRASES:
        cleaned = re.sub(rf"(?:,\s*)?\b{re.escape(phrase)}\b,?", "", cleaned, flags=re.IGNORECASE)
    cleaned = _REPEATED_WORD.sub(r"\1", cleaned)
    return normalize_space(cleaned)


def shorten(text: str, max_words: int) -> str:
    """The first ``max_words`` words of ``text``, with an ellipsis when cut."""
    parts = normalize_space(text).split(" ")
    if len(parts) <= max_words:
        return " ".join(parts).rstrip(" ,;:")
    return " ".join(parts[:max_words]).rstrip(" ,;:.") + "…"


def count_words(text: str) -> int:
    return len(words(text))
