"""The bounded outgoing lane of one WebSocket: control messages first, audio frames after.

Control messages (state changes, transcripts, ``interrupted``) jump ahead of queued audio so a barge-in
reaches the client at once. Both lanes are bounded: a client that stops reading makes producers wait
(backpressure) instead of growing memory. Frames of a cancelled utterance still queued are dropped.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Outbox:
    def __init__(self, audio_capacity: int, control_capacity: int = 256) -> None:
        self._control: deque[str] = deque()
        self._audio: deque[tuple[int, bytes]] = deque()
        self._control_capacity = control_capacity
        self._audio_capacity = audio_capacity
        self._cancelled: set[int] = set()
        self._changed = asyncio.Condition()
        self.closed = False

    async def put_control(self, message: str) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.closed or len(self._control) < self._control_capacity)
            self._control.append(message)
            self._changed.notify_all()

    async def put_audio(self, utterance_id: int, frame: bytes) -> None:
        """Queue one frame; waits while the audio lane is full. Frames of cancelled utterances are discarded."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.closed or len(self._audio) < self._audio_capacity)
            if utterance_id not in self._cancelled:
                self._audio.append((utterance_id, frame))
                self._changed.notify_all()

    async def cancel_utterance(self, utterance_id: int) -> None:
        async with self._changed:
            self._cancelled.add(utterance_id)
            self._audio = deque(item for item in self._audio if item[0] != utterance_id)
            self._changed.notify_all()

    async def get(self) -> str | bytes | None:
        """The next message to send, control first; None once closed and drained."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.closed or bool(self._control) or bool(self._audio))
            message: str | bytes | None = None
            if self._control:
                message = self._control.popleft()
            elif self._audio:
                message = self._audio.popleft()[1]
            self._changed.notify_all()
            return message

    async def close(self) -> None:
        async with self._changed:
            self.closed = True
            self._changed.notify_all()

    def __len__(self) -> int:
        return len(self._control) + len(self._audio)
