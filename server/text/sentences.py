"""Where sentences end: the one rule every part of the server uses, whole texts or text arriving in pieces.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or bracket), followed by whitespace and the
capital letter or digit that starts the next one, unless the dot ends a common abbreviation. Needing the next
sentence's first character keeps "e.g. this" and "3.5 seconds" whole; in a stream it costs one more piece.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[\"'“‘(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(("e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "jr.", "sr.", "st.", "no."))
_SPACE = re.compile(r"\s+")


def _cut(text: str) -> tuple[list[str], str]:
    """The complete sentences at the start of ``text``, and what follows the last boundary."""
    sentences: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        sentence = text[start : boundary.start(1)].strip()
        if _last_word(sentence) in _ABBREVIATIONS:
            continue
        if sentence:
            sentences.append(sentence)
        start = boundary.end()
    return sentences, text[start:]


def _last_word(sentence: str) -> str:
    """The sentence's last word, lower-cased: "systems." must not read as the abbreviation "ms."."""
    parts = sentence.rsplit(None, 1)
    return parts[-1].lower().lstrip("(\"'“‘") if parts else ""


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (spaces normalised); the last piece counts even without an ending."""
    complete, rest = _cut(_SPACE.sub(" ", text).strip())
    return [*complete, rest.strip()] if rest.strip() else complete


class SentenceSplitter:
    """Incremental: :meth:`push` returns the sentences completed so far, :meth:`flush` the rest."""

    def __init__(self) -> None:
        self._buffer = ""

    def push(self, text: str) -> list[str]:
        complete, self._buffer = _cut(self._buffer + text)
        return complete

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []
