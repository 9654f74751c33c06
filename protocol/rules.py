"""Which message is legal when, for both sockets: the rules as data, one table per socket.

A peer's message is *accepted*, *ignored* (harmless and meaningless now, e.g. a playback report after the
interview ended), or *refused* with ``out_of_order`` and the sentence given here. The live session and the
observer room ask :func:`candidate_verdict` / :func:`observer_verdict`; the tables are what protocol/README.md
documents and what the table-driven tests walk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Where a candidate's socket is: before ``hello``, after it but before ``start`` ("connecting"), then the
#: session's state as the client sees it in ``state`` messages.
CandidatePhase = Literal["awaiting_hello", "connecting", "listening", "thinking", "speaking", "ended"]
#: The candidate's message types, and ``audio`` for a binary frame.
CandidateInput = Literal["hello", "start", "text_answer", "end_turn", "playback", "end", "audio"]
ObserverPhase = Literal["awaiting_observe", "watching"]
ObserverInput = Literal["observe", "ask_question", "skip_topic", "add_note", "end_interview"]


@dataclass(frozen=True)
class Verdict:
    """``accept``, ``ignore``, or ``refuse`` with the reason sent back in an ``out_of_order`` error."""

    action: Literal["accept", "ignore", "refuse"]
    reason: str = ""


ACCEPT = Verdict("accept")
IGNORE = Verdict("ignore")


def _refuse(reason: str) -> Verdict:
    return Verdict("refuse", reason)


_BEFORE_HELLO = _refuse("send 'hello' first")
_HELLO_AGAIN = _refuse("'hello' was already received")
_RUNNING = _refuse("the interview is already running")
_NOT_STARTED = _refuse("send 'start' first")
_THINKING = _refuse("cannot take an answer while the interviewer is thinking; wait for 'state: listening'")
_OVER = _refuse("the interview has ended")

CANDIDATE_RULES: dict[CandidatePhase, dict[CandidateInput, Verdict]] = {
    "awaiting_hello": {
        "hello": ACCEPT,
        "start": _BEFORE_HELLO,
        "text_answer": _BEFORE_HELLO,
        "end_turn": _BEFORE_HELLO,
        "playback": _BEFORE_HELLO,
        "end": _BEFORE_HELLO,
        "audio": _refuse("audio before 'hello' and 'start' is ignored"),
    },
    "connecting": {
        "hello": _HELLO_AGAIN,
        "start": ACCEPT,
        "text_answer": _NOT_STARTED,
        "end_turn": IGNORE,
        "playback": IGNORE,
        "end": ACCEPT,
        "audio": _refuse("audio before 'start' is ignored"),
    },
    "listening": {
        "hello": _HELLO_AGAIN,
        "start": _RUNNING,
        "text_answer": ACCEPT,
        "end_turn": ACCEPT,
        "playback": ACCEPT,
        "end": ACCEPT,
        "audio": ACCEPT,
    },
    "thinking": {
        "hello": _HELLO_AGAIN,
        "start": _RUNNING,
        "text_answer": _THINKING,
        "end_turn": IGNORE,
        "playback": ACCEPT,
        "end": ACCEPT,
        "audio": ACCEPT,
    },
    "speaking": {
        "hello": _HELLO_AGAIN,
        "start": _RUNNING,
        "text_answer": ACCEPT,  # interrupts the interviewer, then answers
        "end_turn": ACCEPT,
        "playback": ACCEPT,
        "end": ACCEPT,
        "audio": ACCEPT,
    },
    "ended": {
        "hello": _OVER,
        "start": _OVER,
        "text_answer": _OVER,
        "end_turn": IGNORE,
        "playback": IGNORE,
        "end": IGNORE,
        "audio": IGNORE,
    },
}

OBSERVER_RULES: dict[ObserverPhase, dict[ObserverInput, Verdict]] = {
    "awaiting_observe": {
        "observe": ACCEPT,
        "ask_question": _refuse("send 'observe' first"),
        "skip_topic": _refuse("send 'observe' first"),
        "add_note": _refuse("send 'observe' first"),
        "end_interview": _refuse("send 'observe' first"),
    },
    "watching": {
        "observe": _refuse("'observe' was already received"),
        "ask_question": ACCEPT,
        "skip_topic": ACCEPT,
        "add_note": ACCEPT,
        "end_interview": ACCEPT,
    },
}


def candidate_verdict(phase: CandidatePhase, kind: CandidateInput) -> Verdict:
    return CANDIDATE_RULES[phase][kind]


def observer_verdict(phase: ObserverPhase, kind: ObserverInput) -> Verdict:
    return OBSERVER_RULES[phase][kind]
