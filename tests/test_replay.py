"""``python -m server.live.core.replay FILE``: a recorded session replayed, its decisions printed, bad files refused.

The recording is made the way the shell makes one (a header, then every input with its time) from a session
driven by :class:`tests.core_world.World`, so the replay must give exactly the commands the session gave.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from protocol import messages as m
from server.live.core import io
from server.live.core.replay import describe, encode_header, encode_input, main
from tests.core_world import World, config

ANSWER = (
    "At Acme I designed the payments API in Python and it cut failed charges by forty percent last year. "
    "I owned it from the first design to production."
)


def recorded_session(folder: Path) -> tuple[Path, World]:
    """A session with a spoken answer, a typed one and the candidate ending it, recorded to ``folder``."""
    world = World.create()
    header = encode_header(config(), world.core.resume, 0.0)
    world.start()
    world.until_listening()
    world.say(ANSWER)
    world.silence(2)
    world.send(m.TextAnswer(text="I would rather type this one."))
    world.silence(1)
    world.send(m.End())
    world.silence(1)
    path = folder / "iv-1-20250101T000000.jsonl"
    path.write_text("\n".join([header, *(encode_input(t, item) for t, item in world.inputs)]) + "\n", "utf-8")
    return path, world


def test_a_recording_replays_to_the_sessions_decisions_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, world = recorded_session(tmp_path)
    assert main([str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Every command but the audio frames has its own line, in order, at the time the session gave it.
    others = [(t, c) for t, c in world.commands if not isinstance(c, io.SendAudio)]
    printed = [line for line in lines if " send_audio " not in line]
    assert len(printed) == len(others)
    for line, (t, command) in zip(printed, others, strict=True):
        assert line == f"{t:+10.3f}s  {describe(command)}"
    assert printed[0].strip().startswith('+0.000s  send ready interview_id="iv-1"')
    assert any(f'send final_transcript turn=0 text="{ANSWER}" answered_by="voice"' in line for line in printed)
    assert printed[-1].endswith('close code=1000 reason="candidate_ended"')
    # The frames of one utterance are summed up: as many as the session sent.
    greeting = [c for _, c in world.commands if isinstance(c, io.SendAudio) and c.utterance_id == 0]
    audio = [line for line in lines if " send_audio utterance_id=0 " in line]
    assert sum(int(line.split("frames=")[1].split()[0]) for line in audio) == len(greeting)


def test_it_runs_as_a_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = recorded_session(tmp_path)
    main([str(path)])
    expected = capsys.readouterr().out
    run = subprocess.run(
        [sys.executable, "-m", "server.live.core.replay", str(path)], capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stderr, run.stdout) == (0, "", expected)


def test_a_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([str(tmp_path / "nothing.jsonl")])
    assert exited.value.code == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("", "the file is empty"),
        ('{"hello": 1}\n', "line 1: not a session recording's header (no field 'config')"),
        ("not json\n", "line 1: not a session recording's header (not valid JSON"),
    ],
)
def test_a_file_that_is_no_recording_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, error: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, "utf-8")
    assert main([str(path)]) == 1
    printed = capsys.readouterr()
    assert printed.out == "" and f"{path}: {error}" in printed.err


def test_a_damaged_line_stops_the_replay_there_after_printing_what_came_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = recorded_session(tmp_path)
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines[:5], '{"t": 9.0, "type": "Nope", "fields": {}}', *lines[5:]]), "utf-8")
    assert main([str(path)]) == 1
    printed = capsys.readouterr()
    assert "send ready" in printed.out and "close code=" not in printed.out
    assert "line 6: not a recorded input (unknown input type 'Nope')" in printed.err
