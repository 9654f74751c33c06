"""The wire contract: every message round-trips, bad input maps to specific codes, frames encode exactly."""

from __future__ import annotations

import json

import pytest

from protocol import audio
from protocol import messages as m


@pytest.mark.parametrize(
    "message",
    [
        m.Hello(client="test/1"),
        m.Start(),
        m.TextAnswer(text="I led the migration."),
        m.EndTurn(),
        m.Playback(utterance_id=3, played_ms=1200, done=True),
        m.End(),
    ],
)
def test_client_messages_round_trip(message: m.Message) -> None:
    assert m.parse_client_message(m.encode(message)) == message


def test_server_messages_round_trip() -> None:
    turn = m.TurnRecord(index=0, question="Hi?", answer="Hello", kind=m.UtteranceKind.GREETING, question_number=0)
    for message in [
        m.Ready(
            interview_id="i1",
            candidate_name="Ada",
            job_title="Engineer",
            num_questions=3,
            output_sample_rate=22050,
            started=True,
            history=[turn],
        ),
        m.StateChanged(state=m.SessionState.SPEAKING),
        m.PartialTranscript(turn=1, text="I built"),
        m.Interrupted(utterance_id=2, played_ms=800, played_text="Tell me …"),
        m.Ended(reason=m.EndReason.IDLE_TIMEOUT, message="bye", summary=[turn]),
    ]:
        assert m.parse_server_message(m.encode(message)) == message


def test_every_message_carries_its_type_and_version() -> None:
    wire = json.loads(m.encode(m.Start()))
    assert wire == {"v": m.PROTOCOL_VERSION, "type": "start"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", m.ErrorCode.MALFORMED_JSON),
        ("[1, 2]", m.ErrorCode.INVALID_MESSAGE),
        ('{"no_type": 1}', m.ErrorCode.INVALID_MESSAGE),
        ('{"type": "launch_missiles"}', m.ErrorCode.UNKNOWN_TYPE),
        ('{"type": "start", "v": 99}', m.ErrorCode.UNSUPPORTED_VERSION),
        ('{"type": "text_answer"}', m.ErrorCode.INVALID_MESSAGE),
        ('{"type": "text_answer", "text": ""}', m.ErrorCode.INVALID_MESSAGE),
        ('{"type": "playback", "utterance_id": -1, "played_ms": 0}', m.ErrorCode.INVALID_MESSAGE),
        ('{"type": "start", "extra": true}', m.ErrorCode.INVALID_MESSAGE),
        ('{"type": "hello", "sample_rate": 48000}', m.ErrorCode.INVALID_MESSAGE),
        (
            json.dumps({"type": "text_answer", "text": "x" * (m.MAX_TEXT_MESSAGE_BYTES + 1)}),
            m.ErrorCode.MESSAGE_TOO_LARGE,
        ),
    ],
)
def test_bad_messages_get_specific_codes(text: str, code: m.ErrorCode) -> None:
    with pytest.raises(m.ProtocolError) as caught:
        m.parse_client_message(text)
    assert caught.value.code is code
    assert caught.value.message


def test_validation_errors_name_the_field() -> None:
    with pytest.raises(m.ProtocolError, match=r"'text_answer' message: text: Field required"):
        m.parse_client_message('{"type": "text_answer"}')


def test_input_frames_must_be_exactly_20ms() -> None:
    assert audio.INPUT_FRAME_BYTES == 640
    frame = bytes(640)
    assert audio.check_input_frame(frame) is frame
    for size in (0, 639, 641, 1280):
        with pytest.raises(audio.AudioFrameError, match="expected 640"):
            audio.check_input_frame(bytes(size))


def test_output_frames_carry_the_utterance() -> None:
    pcm = bytes(range(200)) * 4
    frame = audio.OutputFrame(utterance_id=7, seq=42, pcm=pcm, last=True)
    wire = frame.encode()
    assert len(wire) == audio.HEADER_BYTES + len(pcm)
    assert wire[:4] == bytes([1, 1, 0, 0])
    assert int.from_bytes(wire[4:8], "little") == 7
    assert int.from_bytes(wire[8:12], "little") == 42
    assert audio.OutputFrame.decode(wire) == frame


@pytest.mark.parametrize("wire", [b"\x01\x00", b"\x02" + bytes(11), b"\x01" + bytes(11) + b"\x00"])
def test_bad_output_frames_are_refused(wire: bytes) -> None:
    with pytest.raises(audio.AudioFrameError):
        audio.OutputFrame.decode(wire)


def test_schema_covers_every_message() -> None:
    schema = m.json_schema()
    names = set(schema["$defs"])
    for model in (m.Hello, m.TextAnswer, m.Ready, m.Interrupted, m.Ended, m.ErrorMessage, m.UtteranceStart):
        assert model.__name__ in names
