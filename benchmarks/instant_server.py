"""A real Viva server whose speech engines are instant (see ``benchmarks.instant_engines``).

Everything else is what ``viva serve`` runs: the app, the live sessions, the turn detector, the builtin
interviewer and the SQLite store, on uvicorn with the same WebSocket implementation. Settings come from the
``VIVA_`` environment as usual. ``--vad silero`` puts the real (batched) Silero VAD in place of the loudness
one, as on a node whose transcription and speech are remote; ``--workers N`` runs N uvicorn worker processes
on one port, each with its own engines and store connection (the kernel spreads the connections).

When it stops, each process writes the upstream frames it received to ``frames-<pid>`` in ``VIVA_DATA_DIR``,
so a benchmark can count frames across workers (``/metrics`` answers for one process only).

Run: ``python -m benchmarks.instant_server --port 8123 [--vad silero] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from benchmarks.instant_engines import FixedSpeechToText, LoudnessVad, ToneTextToSpeech
from server.app import create_app
from server.cli import allow_event_loop_often, uvicorn_options
from server.config import Settings
from server.conversation.factory import create_interviewer_factory
from server.engines.base import VoiceActivity
from server.metrics import METRICS
from server.services.auth import recruiter_auth
from server.services.runtime import Services
from server.store import create_store

#: Which VAD the app factory loads (an environment variable, since uvicorn's workers call the factory).
VAD_ENV = "VIVA_BENCH_VAD"


def app() -> Starlette:
    """The app factory, called once in each worker process: instant engines, the VAD ``VIVA_BENCH_VAD`` names."""
    allow_event_loop_often()  # as `viva serve` does, in every process
    settings = Settings()
    store = create_store(settings)
    vad: VoiceActivity = LoudnessVad()
    if os.environ.get(VAD_ENV) == "silero":
        from server.engines.silero_batch import BatchedSilero

        vad = BatchedSilero(settings.silero_model_path or None)
    services = Services(
        settings=settings,
        store=store,
        stt=FixedSpeechToText(),
        tts=ToneTextToSpeech(),
        vad=vad,
        interviewers=create_interviewer_factory(settings),
        auth=recruiter_auth(settings),
    )
    served = create_app(services=services)
    app_lifespan = served.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Starlette) -> AsyncIterator[None]:
        await store.open()
        try:
            async with app_lifespan(application):
                yield
        finally:
            await store.close()
            frames = Path(settings.data_dir) / f"frames-{os.getpid()}"
            received = METRICS.registry.get_sample_value("viva_audio_frames_received_total") or 0
            frames.write_text(str(int(received)))

    served.router.lifespan_context = lifespan
    return served


def main() -> None:
    parser = argparse.ArgumentParser(description="Viva with instant speech engines, for capacity benchmarks")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--vad", choices=("loudness", "silero"), default="loudness")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = parser.parse_args()
    os.environ[VAD_ENV] = args.vad
    options = uvicorn_options("benchmarks.instant_server:app", args.host, args.port, Settings().log_level)
    uvicorn.run(**options, workers=args.workers)


if __name__ == "__main__":
    main()
