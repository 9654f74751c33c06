"""The store's parts for links and live observers, on both databases: expiring and revocable links, numbered
events, and questions asked on an observer's behalf."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from server.store.base import EventConflict, InterviewNotFound, Store, StoredEvent
from server.store.tokens import hash_token
from tests.test_store import SETUP, make_store, store, turn

__all__ = ["make_store", "store"]  # fixtures, used by name


def event(seq: int, kind: str = "state", **payload: object) -> StoredEvent:
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC) + timedelta(seconds=seq)
    return StoredEvent(seq=seq, kind=kind, at=at, payload={"type": kind, "seq_hint": seq, **payload})


async def test_a_token_is_matched_to_its_link_and_checked_for_expiry(store: Store) -> None:
    now = datetime.now(UTC)
    interview_id = await store.create_interview(
        SETUP,
        hash_token("cand"),
        hash_token("obs"),
        candidate_expires_at=now + timedelta(hours=1),
        observer_expires_at=now - timedelta(seconds=1),
    )
    candidate = await store.match_token(interview_id, hash_token("cand"))
    assert candidate is not None and candidate.role == "candidate" and candidate.status(now) == "valid"
    assert candidate.expires_at is not None and abs(candidate.expires_at - (now + timedelta(hours=1))) < timedelta(
        seconds=1
    )
    observer = await store.match_token(interview_id, hash_token("obs"))
    assert observer is not None and observer.role == "observer" and observer.status(now) == "expired"
    assert await store.match_token(interview_id, hash_token("wrong")) is None
    assert await store.match_token("no-such-id", hash_token("cand")) is None

    assert await store.check_candidate_token(interview_id, hash_token("cand"))
    assert not await store.check_observer_token(interview_id, hash_token("obs")), "an expired link must not open"
    assert not await store.check_observer_token(interview_id, hash_token("cand")), "a link opens only its own role"


async def test_a_revoked_link_stays_revoked(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"), hash_token("obs"))
    assert await store.check_candidate_token(interview_id, hash_token("cand"))
    first = await store.revoke_token(interview_id, "candidate")
    again = await store.revoke_token(interview_id, "candidate")
    assert first == again, "revoking twice keeps the first time"
    match = await store.match_token(interview_id, hash_token("cand"))
    assert match is not None and match.revoked_at == first and match.status(datetime.now(UTC)) == "revoked"
    assert not await store.check_candidate_token(interview_id, hash_token("cand"))
    assert await store.check_observer_token(interview_id, hash_token("obs")), "the other link is untouched"
    with pytest.raises(InterviewNotFound):
        await store.revoke_token("no-such-id", "observer")


async def test_events_are_numbered_once_and_read_back_in_order(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"))
    other_id = await store.create_interview(SETUP, hash_token("cand2"))
    assert await store.last_event_seq(interview_id) == 0
    await store.append_events(interview_id, [event(1), event(2, "note", text="<b>private</b>")])
    await store.append_events(interview_id, [event(3, "score", overall=7.5)])
    await store.append_events(other_id, [event(1)])

    with pytest.raises(EventConflict):
        await store.append_events(interview_id, [event(4), event(3)])
    assert await store.last_event_seq(interview_id) == 3, "a batch with a taken number is written not at all"

    events = await store.get_events(interview_id)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1] == event(2, "note", text="<b>private</b>")
    assert [e.seq for e in await store.get_events(interview_id, after_seq=1)] == [2, 3]
    assert [e.seq for e in await store.get_events(interview_id, after_seq=1, limit=1)] == [2]
    assert [e.kind for e in await store.get_events(interview_id, kinds=("note", "score"))] == ["note", "score"]
    assert await store.get_events(interview_id, after_seq=3) == []
    assert await store.last_event_seq(other_id) == 1


async def test_who_asked_a_question_is_kept_with_its_turn(store: Store) -> None:
    interview_id = await store.create_interview(SETUP, hash_token("cand"))
    await store.append_turn(interview_id, turn(0), {"state": 0})
    await store.append_turn(interview_id, dataclasses.replace(turn(1, question_number=0), asked_by="observer"), {})
    record = await store.get_interview(interview_id)
    assert record is not None
    assert [t.asked_by for t in record.turns] == ["interviewer", "observer"]
