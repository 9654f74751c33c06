"""Whole interviews with the builtin interview machine and fixed answers, as JSON values.

The determinism tests run them here and in other processes (``tests.other_process``) and compare; this module
imports only the machine, so another process starts quickly.
"""

from __future__ import annotations

from typing import Any

from server.conversation.base import Answer
from server.conversation.machine import InterviewMachine
from server.conversation.setup import InterviewType
from tests.interviewer_fixtures import STRONG_BEHAVIORAL, TEAM_ONLY, THIN, setup

#: Answers that take the machine through follow-ups, a repeat, an empty answer and a move on.
SNAPSHOT_ANSWERS = [THIN, TEAM_ONLY, "Could you repeat that?", STRONG_BEHAVIORAL, "", THIN, STRONG_BEHAVIORAL]


def drive(machine: InterviewMachine, answers: list[str]) -> list[str]:
    """What the interviewer says to each answer, until the interview is over."""
    return [machine.respond(Answer(a)).text for a in answers if not machine.finished]


def interview_straight_through() -> dict[str, Any]:
    """Every reply and the final snapshot of an interview held in one go."""
    machine = InterviewMachine.start(setup())
    machine.begin()
    machine.proceed()
    return {"replies": drive(machine, SNAPSHOT_ANSWERS), "snapshot": machine.snapshot()}


def continue_from_snapshot(snapshot: dict[str, Any], answers: list[str]) -> dict[str, Any]:
    """Restore ``snapshot`` and answer on: the replies and the final snapshot."""
    restored = InterviewMachine.restore(setup(), snapshot)
    return {"replies": drive(restored, answers), "snapshot": restored.snapshot()}


def mixed_interview() -> list[str]:
    """What the interviewer says in a mixed interview, from the greeting on."""
    machine = InterviewMachine.start(setup(interview_type=InterviewType.MIXED))
    opening = machine.begin()
    first = machine.proceed()
    return [
        opening.text,
        first.text,
        *drive(machine, [THIN, STRONG_BEHAVIORAL, TEAM_ONLY, STRONG_BEHAVIORAL, STRONG_BEHAVIORAL]),
    ]
