"""Recording a session's inputs and replaying them through a fresh core, which gives the same decisions.

A recording is JSON lines: the time, the input's type and its fields (bytes as base64). It holds what the
candidate said (audio, typed answers, transcripts), so the shell writes one only when ``VIVA_RECORD_SESSIONS``
names a directory (a debugging setting), never at the default log level.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterable
from typing import Any

from protocol import messages as m
from server.live.core.io import (
    ClientAudio,
    ClientText,
    Command,
    Input,
    ReplyChunk,
    ReplyFailed,
    ReplyFinished,
    ReplyStarted,
    Saved,
    SaveFailed,
    SpeechChunk,
    SpeechFailed,
    SpeechFinished,
    Steer,
    Tick,
    TranscriptFailed,
    TranscriptReady,
    VoiceActivity,
)
from server.live.core.session import CoreConfig, LiveCore, Resume
from server.live.core.turns import TurnConfig

_INPUT_TYPES: dict[str, type[Any]] = {
    t.__name__: t
    for t in (
        ClientText,
        ClientAudio,
        VoiceActivity,
        TranscriptReady,
        TranscriptFailed,
        ReplyStarted,
        ReplyChunk,
        ReplyFinished,
        ReplyFailed,
        SpeechChunk,
        SpeechFinished,
        SpeechFailed,
        Saved,
        SaveFailed,
        Steer,
        Tick,
    )
}


def encode_input(now: float, item: Input) -> str:
    """One line of a session recording: the time, the input's type and its fields (bytes as base64)."""
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(value, bytes):
            value = {"b64": base64.b64encode(value).decode()}
        elif isinstance(value, tuple):
            value = list(value)
        fields[f.name] = value
    return json.dumps({"t": now, "type": type(item).__name__, "fields": fields}, separators=(",", ":"))


def decode_input(line: str) -> tuple[float, Input]:
    """Inverse of :func:`encode_input`."""
    data = json.loads(line)
    kind = _INPUT_TYPES[data["type"]]
    fields = {}
    for name, value in data["fields"].items():
        if isinstance(value, dict) and "b64" in value:
            value = base64.b64decode(value["b64"])
        elif isinstance(value, list):
            value = tuple(value)
        fields[name] = value
    if kind is ReplyStarted:
        fields["kind"] = m.UtteranceKind(fields["kind"])
    item: Input = kind(**fields)
    return float(data["t"]), item


def encode_header(config: CoreConfig, resume: Resume, now: float) -> str:
    """The first line of a recording: how the core was built."""
    header = {
        "t": now,
        "config": dataclasses.asdict(config),
        "resume": {**dataclasses.asdict(resume), "history": [t.model_dump(mode="json") for t in resume.history]},
    }
    return json.dumps(header, separators=(",", ":"))


def replay(lines: Iterable[str]) -> list[Command]:
    """Feed a recording through a new core; returns every command it gave, in order."""
    items = iter(lines)
    header = json.loads(next(items))
    config_data = dict(header["config"])
    config = CoreConfig(**{**config_data, "turns": TurnConfig(**config_data["turns"])})
    resume_data = dict(header["resume"])
    history = [m.TurnRecord.model_validate(t) for t in resume_data.pop("history")]
    core = LiveCore(config, Resume(**resume_data, history=history), float(header["t"]))
    commands: list[Command] = []
    for line in items:
        now, item = decode_input(line)
        commands.extend(core.handle(now, item))
    return commands
