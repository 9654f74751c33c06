"""``POST /api/v1/audio/tts`` (text to a WAV file) and ``/audio/stt`` (an audio file to its transcript)."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from protocol.audio import INPUT_SAMPLE_RATE
from server.audio.files import AudioFileError, decode_to_pcm16k, wav_bytes
from server.engines.base import EngineError
from server.http.access import require_recruiter
from server.http.bodies import read_json, read_limited, read_upload
from server.http.errors import ApiError
from server.http.schemas import SpeakRequest, Transcript
from server.http.spec import Operation
from server.services.runtime import Services


async def text_to_speech(request: Request) -> Response:
    services: Services = request.app.state.services
    require_recruiter(request, services)
    body = await read_json(request, SpeakRequest)
    try:
        pcm = b"".join([chunk async for chunk in services.tts.synthesize(body.text)])
    except EngineError as exc:
        raise ApiError(502, "engine_failure", f"Speech synthesis failed: {exc}") from exc
    return Response(wav_bytes(pcm, services.tts.sample_rate), media_type="audio/wav")


async def speech_to_text(request: Request) -> JSONResponse:
    """Takes the file as multipart field ``file``, or as the raw body (``audio/*``)."""
    services: Services = request.app.state.services
    require_recruiter(request, services)
    limit = services.settings.max_upload_bytes
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        data = await read_upload(request, limit)
    else:
        data = await read_limited(request, limit, f"The audio file is larger than the limit of {limit} bytes.")
    try:
        pcm = await asyncio.to_thread(decode_to_pcm16k, data, services.settings.max_turn_ms)
    except AudioFileError as exc:
        raise ApiError(exc.status, exc.code, exc.message) from exc
    try:
        text = (await services.stt.transcribe(pcm)).text if pcm else ""
    except EngineError as exc:
        raise ApiError(502, "engine_failure", f"Transcription failed: {exc}") from exc
    duration_ms = len(pcm) * 1000 // (INPUT_SAMPLE_RATE * 2)
    return JSONResponse(Transcript(text=text.strip(), duration_ms=duration_ms).model_dump())


routes = [
    Route("/api/v1/audio/tts", text_to_speech, methods=["POST"]),
    Route("/api/v1/audio/stt", speech_to_text, methods=["POST"]),
]

operations = [
    Operation(
        "POST",
        "/api/v1/audio/tts",
        "Speak a text",
        "Returns a mono 16-bit WAV at the voice's sample rate.",
        body=SpeakRequest,
        response_media="audio/wav",
        errors=(400, 401, 403, 413, 422, 502),
        access="recruiter",
    ),
    Operation(
        "POST",
        "/api/v1/audio/stt",
        "Transcribe an audio file",
        "WAV, MP3, OGG/Opus, WebM, FLAC or M4A, as multipart field `file` or as the raw body; at most "
        "`VIVA_MAX_UPLOAD_BYTES` and `VIVA_MAX_TURN_MS` long.",
        upload=("multipart/form-data", "audio/*", "application/octet-stream"),
        response=Transcript,
        errors=(400, 401, 403, 413, 415, 422, 502),
        access="recruiter",
    ),
]
