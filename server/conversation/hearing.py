"""What a short turn says about the question itself: asked again or differently, or cut off before it was heard.

Read by the machine before it takes a turn as an answer, and by the evaluation, which scores no such request.
"""

from __future__ import annotations

import re

from server.conversation.decisions import Move
from server.text.words import count_words

_REPEAT = re.compile(
    r"\b(?:repeat|say (?:that|it) again|come again|once more|didn'?t (?:hear|catch)|did not (?:hear|catch)|"
    r"missed (?:that|the question)|pardon)\b",
    re.IGNORECASE,
)
_REPHRASE = re.compile(
    r"\b(?:rephrase|reword|another way|differently|don'?t understand|do not understand|didn'?t understand|"
    r"not sure what you mean|what do you mean|clarify the question|explain the question)\b",
    re.IGNORECASE,
)
#: Longer than this, a turn is an answer even if it contains "repeat" or "what do you mean".
_MAX_REQUEST_WORDS = 14


#: Share of the question's own words (after any lead-in) that must have been heard for it to count as asked.
HEARD_ENOUGH = 0.6


def heard_enough(heard: str, said: str, question: str) -> bool:
    """Whether the words heard of ``said`` (lead-in + ``question``) include most of ``question`` itself."""
    lead_in_words = max(0, count_words(said) - count_words(question))
    heard_question_words = count_words(heard.replace("…", " ")) - lead_in_words
    return heard_question_words >= HEARD_ENOUGH * max(count_words(question), 1)


def request_in(text: str) -> Move | None:
    """Whether a short turn asks to hear the question again (repeat) or differently (rephrase)."""
    if not text or count_words(text) > _MAX_REQUEST_WORDS:
        return None
    if _REPHRASE.search(text):
        return Move.REPHRASE
    if _REPEAT.search(text):
        return Move.REPEAT
    return None
