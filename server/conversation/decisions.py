"""What the interview machine decides at each turn: a :class:`Move`, and the :class:`Utterance` that carries it.

Both engines speak these decisions; an engine that phrases its own words reads the move, the question and the
gap from the utterance, and the builtin engine says its ``text`` as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from protocol.messages import UtteranceKind
from server.conversation.probing import Gap
from server.conversation.questions import PlannedQuestion


class Move(StrEnum):
    """What the interviewer does next; an engine that phrases its own words needs to know which."""

    GREET = "greet"
    RESUME = "resume"
    ASK = "ask"
    FOLLOW_UP = "follow_up"
    REPEAT = "repeat"
    REPHRASE = "rephrase"
    NUDGE = "nudge"
    CLOSE = "close"
    OBSERVER_QUESTION = "observer_question"


@dataclass(frozen=True)
class Utterance:
    """The machine's decision and its builtin wording."""

    move: Move
    kind: UtteranceKind
    question_number: int
    text: str
    done: bool = False
    question: PlannedQuestion | None = None
    gap: Gap | None = None
    #: Words said before the question itself (greeting, acknowledgement, transition).
    lead_in: str = ""
    #: "observer" when the candidate is asked an observer's question (spoken by the interviewer).
    asked_by: str = "interviewer"
    #: False for words that ask nothing (the greeting): once heard, :meth:`InterviewMachine.proceed` goes on.
    expects_answer: bool = True
    #: The observer's steering this utterance carries out: "ask_question" or "skip_topic".
    observer_action: str | None = None
    #: What a follow-up names: the method to go beyond ("adding printf statements"), or the skill denied.
    detail: str = ""
    #: How the last answer was acknowledged before the next question (a key of ``ACKNOWLEDGEMENTS``).
    acknowledged: str = ""
