"""The observers' part of the report: their private notes and steering, read back from the interview's events."""

from __future__ import annotations

from protocol import messages as m
from server.evaluation.report import ObserverAction
from server.store.base import Store

#: The kinds of event that record what observers did.
KINDS = ("note", "steering")


async def observer_actions(store: Store, interview_id: str) -> list[ObserverAction]:
    """Each note, and each steering action as the observer gave it (not again when it was carried out)."""
    actions: list[ObserverAction] = []
    for stored in await store.get_events(interview_id, kinds=KINDS):
        event = m.parse_live_event(stored.payload)
        if isinstance(event, m.NoteAdded):
            actions.append(ObserverAction(at=stored.at, action="note", text=event.text, by=event.by))
        elif isinstance(event, m.SteeringApplied) and event.status == "queued":
            actions.append(ObserverAction(at=stored.at, action=event.action.value, text=event.text, by=event.by))
    return actions
