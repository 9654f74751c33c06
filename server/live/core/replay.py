"""Recording a session's inputs and replaying them through a fresh core, which gives the same decisions.

A recording is JSON lines: a header (how the core was built), then each input with its time, its type and
its fields (bytes as base64). It holds what the candidate said (audio, typed answers, transcripts), so the
shell writes one only when ``VIVA_RECORD_SESSIONS_DIR`` names a directory (a debugging setting).

``python -m server.live.core.replay FILE`` replays one and prints the core's decisions, one command a line
with the time of the input that caused it; reading the file and printing are the only I/O here, and only
when run as a script.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from protocol import messages as m
from server.live.core.io import (
    ClientAudio,
    ClientText,
    Command,
    Input,
    Record,
    ReplyChunk,
    ReplyFailed,
    ReplyFinished,
    ReplyStarted,
    Saved,
    SaveFailed,
    Send,
    SendAudio,
    SpeechChunk,
    SpeechFailed,
    SpeechFinished,
    Steer,
    Tick,
    TranscriptFailed,
    TranscriptReady,
    TurnJudged,
    TurnJudgeFailed,
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
        TurnJudged,
        TurnJudgeFailed,
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


class RecordingError(ValueError):
    """A file that cannot be replayed: not a session recording, or damaged at some line."""


def decode_input(line: str) -> tuple[float, Input]:
    """Inverse of :func:`encode_input`; raises ``ValueError`` (or ``KeyError``, ``TypeError``) on a bad line."""
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind = _INPUT_TYPES.get(data["type"])
    if kind is None:
        raise ValueError(f"unknown input type {data['type']!r}")
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
    return [command for _, command in replay_timed(lines)]


def replay_timed(lines: Iterable[str]) -> Iterator[tuple[float, Command]]:
    """Feed a recording through a new core, one input at a time; yields each command with the time of the input
    that caused it, in seconds since the core was built. Raises :class:`RecordingError` at the first line that
    is not part of a recording (what came before it has been yielded)."""
    numbered = ((number, line) for number, line in enumerate(lines, 1) if line.strip())
    first = next(numbered, None)
    if first is None:
        raise RecordingError("the file is empty: a recording starts with a header line")
    try:
        core, started = _core_from_header(first[1])
    except (ValueError, KeyError, TypeError) as exc:
        raise RecordingError(f"line {first[0]}: not a session recording's header ({_why(exc)})") from exc
    for number, line in numbered:
        try:
            now, item = decode_input(line)
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordingError(f"line {number}: not a recorded input ({_why(exc)})") from exc
        for command in core.handle(now, item):
            yield now - started, command


def _core_from_header(line: str) -> tuple[LiveCore, float]:
    header = json.loads(line)
    if not isinstance(header, dict):
        raise ValueError("not a JSON object")
    config_data = dict(header["config"])
    config = CoreConfig(**{**config_data, "turns": TurnConfig(**config_data["turns"])})
    resume_data = dict(header["resume"])
    history = [m.TurnRecord.model_validate(t) for t in resume_data.pop("history")]
    started = float(header["t"])
    return LiveCore(config, Resume(**resume_data, history=history), started), started


def _why(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON: {exc.msg} at character {exc.pos + 1}"
    return f"no field {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]


# ---------------------------------------------------------------------------------------------- printing

#: Texts longer than this are cut in the printout, unless ``--full``.
SHORT_TEXT = 160


def decision_lines(timed: Iterable[tuple[float, Command]], full: bool = False) -> Iterator[str]:
    """Each command as a line: its time, its kind and its fields. The audio frames of one utterance sent one
    after another (fifty a second) are summed up in one line."""
    run: list[tuple[float, SendAudio]] = []
    for at, command in timed:
        if run and not (isinstance(command, SendAudio) and command.utterance_id == run[0][1].utterance_id):
            yield _audio_line(run)
            run = []
        if isinstance(command, SendAudio):
            run.append((at, command))
        else:
            yield f"{_time(at)}  {describe(command, full)}"
    if run:
        yield _audio_line(run)


def describe(command: Command, full: bool = False) -> str:
    """One command in words: ``send`` and ``record`` by their message's type and fields, others by their own
    fields; bytes by their length."""
    if isinstance(command, Send | Record):
        message = command.message if isinstance(command, Send) else command.event
        return f"{_snake(type(command).__name__)} {_message(message, full)}"
    return " ".join([_snake(type(command).__name__), *_fields(command, full)])


def _audio_line(run: list[tuple[float, SendAudio]]) -> str:
    first, last = run[0][0], run[-1][0]
    size = sum(len(c.frame) for _, c in run)
    until = f" (until {_time(last).strip()})" if last > first else ""
    return f"{_time(first)}  send_audio utterance_id={run[0][1].utterance_id} frames={len(run)} bytes={size}{until}"


def _message(message: BaseModel, full: bool) -> str:
    data = message.model_dump(mode="json", exclude={"v"})
    kind = data.pop("type", type(message).__name__)
    return " ".join([str(kind), *(f"{name}={_value(value, full)}" for name, value in data.items())])


def _fields(item: Any, full: bool) -> list[str]:
    return [f"{f.name}={_value(getattr(item, f.name), full)}" for f in dataclasses.fields(item)]


def _value(value: Any, full: bool) -> str:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return json.dumps(value if full or len(value) <= SHORT_TEXT else value[:SHORT_TEXT] + "…", ensure_ascii=False)
    if isinstance(value, BaseModel):
        return "{" + _message(value, full) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return "{" + " ".join(_fields(value, full)) + "}"
    if isinstance(value, float):
        return repr(round(value, 3))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _time(seconds: float) -> str:
    return f"{seconds:+10.3f}s"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.live.core.replay",
        description="Replay a recorded live session (VIVA_RECORD_SESSIONS_DIR writes them) through a fresh core and "
        "print its decisions: every command it gives, with the time of the input that caused it (seconds since "
        "the session began).",
    )
    parser.add_argument("file", type=Path, help="a session recording (.jsonl)")
    parser.add_argument("--full", action="store_true", help=f"print texts longer than {SHORT_TEXT} characters whole")
    args = parser.parse_args(argv)
    try:
        handle = args.file.open(encoding="utf-8")
    except OSError as exc:
        parser.error(f"cannot read {args.file}: {exc.strerror or exc}")
    with handle:
        try:
            for line in decision_lines(replay_timed(handle), args.full):
                print(line)
        except (RecordingError, UnicodeDecodeError) as exc:
            why = exc if isinstance(exc, RecordingError) else "not a session recording (not UTF-8 text)"
            print(f"{parser.prog}: {args.file}: {why}", file=sys.stderr)
            return 1
        except BrokenPipeError:  # the reader stopped early (``| head``): not an error of the replay
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
