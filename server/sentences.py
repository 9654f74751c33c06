"""Cut a stream of text pieces into sentences, so speech can start before the whole reply is written."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? followed by whitespace, unless the dot ends a common abbreviation or a number.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "jr.", "sr.", "st.")


class SentenceSplitter:
    """Pure and incremental: :meth:`push` returns the sentences completed so far, :meth:`flush` the rest."""

    def __init__(self) -> None:
        self._buffer = ""

    def push(self, text: str) -> list[str]:
        self._buffer += text
        sentences = []
        start = 0
        for match in _BOUNDARY.finditer(self._buffer):
            candidate = self._buffer[start : match.start()].strip()
            if candidate.lower().endswith(_ABBREVIATIONS):
                continue
            if candidate:
                sentences.append(self._buffer[start : match.end()].strip())
            start = match.end()
        self._buffer = self._buffer[start:]
        return sentences

    def flush(self) -> list[str]:
        rest, self._buffer = self._buffer.strip(), ""
        return [rest] if rest else []
