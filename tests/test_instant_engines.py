"""The benchmarks' instant engines keep to the engine interfaces the server relies on (a capacity run with an
engine that answers the wrong type measures nothing: every turn fails)."""

from __future__ import annotations

from benchmarks.instant_engines import ANSWER, FixedSpeechToText, LoudnessVad, ToneTextToSpeech
from server.engines.base import SpeechToText, TextToSpeech, Transcript
from server.text.sentences import split_sentences


async def test_the_instant_engines_answer_as_the_real_ones_do() -> None:
    stt, tts = FixedSpeechToText(), ToneTextToSpeech()
    assert isinstance(stt, SpeechToText) and isinstance(tts, TextToSpeech)
    heard = await stt.transcribe(b"\x00" * 640, partial=True, urgent=True)
    assert isinstance(heard, Transcript) and heard.text == ANSWER
    assert len(split_sentences(ANSWER)) == 2  # finished for an open question too
    chunks = [chunk async for chunk in tts.synthesize("Hello there.", background=True)]
    assert chunks and all(isinstance(chunk, bytes) and chunk for chunk in chunks)
    heard: list[tuple[float, ...]] = []
    stream = LoudnessVad().open_stream(heard.append)
    stream.push(b"\x00" * 640)
    stream.push(b"\x10\x27" * 320)  # 10000 of 32767: loud
    assert heard == [(0.0,), (1.0,)]
