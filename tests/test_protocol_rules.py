"""The protocol's legality tables, and the live core obeying them message by message."""

from __future__ import annotations

from typing import get_args

import pytest

from protocol import messages as m
from protocol.rules import CANDIDATE_RULES, OBSERVER_RULES, CandidateInput, CandidatePhase, ObserverInput
from tests.core_world import World

CLIENT_MESSAGES: dict[str, m.BaseModel] = {
    "hello": m.Hello(),
    "start": m.Start(),
    "text_answer": m.TextAnswer(text="An answer."),
    "end_turn": m.EndTurn(),
    "playback": m.Playback(utterance_id=0, played_ms=0),
    "end": m.End(),
}


def test_every_phase_rules_on_every_message() -> None:
    assert set(CANDIDATE_RULES) == set(get_args(CandidatePhase))
    for rules in CANDIDATE_RULES.values():
        assert set(rules) == set(get_args(CandidateInput))
    assert set(get_args(CandidateInput)) - {"audio"} == m.CLIENT_TYPES
    for observer_rules in OBSERVER_RULES.values():
        assert set(observer_rules) == set(get_args(ObserverInput)) == m.OBSERVER_CLIENT_TYPES


def world_in(phase: CandidatePhase) -> World:
    world = World.create()
    if phase == "awaiting_hello":
        return world
    world.send(m.Hello())
    if phase == "connecting":
        return world
    world.send(m.Start())
    if phase == "thinking":
        assert world.core.phase == "thinking"
        return world
    if phase == "speaking":
        while world.core.phase != "speaking":
            world.silence(0.02)
        return world
    world.until_listening()
    if phase == "ended":
        world.send(m.End())
        world.core.closed = False  # keep feeding it, as a client that does not notice the close would
    return world


@pytest.mark.parametrize("phase", [p for p in get_args(CandidatePhase) if p != "ended"])
@pytest.mark.parametrize("kind", sorted(CLIENT_MESSAGES))
def test_the_core_refuses_exactly_what_the_table_refuses(phase: CandidatePhase, kind: CandidateInput) -> None:
    world = world_in(phase)
    assert world.core.phase == phase
    before = len(world.of(m.ErrorMessage))
    world.send(CLIENT_MESSAGES[kind])
    errors = world.of(m.ErrorMessage)[before:]
    verdict = CANDIDATE_RULES[phase][kind]
    if verdict.action == "refuse":
        assert [e.code for e in errors] == [m.ErrorCode.OUT_OF_ORDER] and verdict.reason in errors[0].message
    else:
        assert errors == []


def test_audio_before_start_is_reported_once() -> None:
    world = world_in("connecting")
    world.silence(1)
    errors = world.of(m.ErrorMessage)
    assert [e.code for e in errors] == [m.ErrorCode.OUT_OF_ORDER] and "before 'start'" in errors[0].message
