"""How sure the recogniser was of an answer made of several transcripts (a question's answer and follow-ups)."""

from __future__ import annotations

from collections.abc import Iterable


def combined_confidence(parts: Iterable[tuple[str, float | None]]) -> float | None:
    """The mean confidence of ``(text, confidence)`` parts, weighted by their length; None when no part has one
    (typed answers carry none: they need no recogniser)."""
    known = [(len(text), confidence) for text, confidence in parts if confidence is not None and text]
    total = sum(length for length, _ in known)
    return round(sum(length * c for length, c in known) / total, 3) if total else None
