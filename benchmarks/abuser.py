"""One abusive client against well-behaved ones: how much does it move their control round trip?

A fresh ``benchmarks.instant_server`` (the real app, sessions, turn detector, builtin interviewer and scorer,
SQLite; instant speech engines) with its default limits. ``--sessions`` (20) well-behaved candidates connect,
start, stream silence in real time as a browser's microphone does, and every 250 ms send a second ``hello``:
the server answers it at once with an ``error`` (``out_of_order``, "'hello' was already received") through the
whole control path (socket, guard, session, outbox, sender), so the time from sending it to that answer is
the **control round trip**. First ``--seconds`` without an abuser (the baseline), then ``--seconds`` with one
abuser, in a process of its own at the lowest CPU priority (it stands for a client on another machine, so what
is measured is what it costs the server, not the measuring client's share of the cores):

1. for the first half, it floods audio as fast as the socket takes it (hundreds of times real time),
   reconnecting whenever the server closes it (1008) and flooding again;
2. for the second half, it sends an 8,000-character typed answer every time the interviewer starts
   speaking (so each answer interrupts a question) and tries again every 100 ms in between.

Printed: the round trip's p50/p99 in each window and in each half of the abuse, ``abuser_p99_delta_ms``
(p99 with the abuser minus without), what the abuser achieved (frames sent, closes, answers taken and
refused; the flood's speed as a multiple of real time), the machine and its load average. The server, the
measuring client and the abuser share the machine's cores.

Run: ``python -m benchmarks.abuser [--sessions 20] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

from benchmarks.capacity import BENCH_ADMIN_TOKEN, InstantServer
from benchmarks.load_generator import SETUP
from benchmarks.support import FRAME_S, ROOT, machine, percentile
from protocol import messages as m
from protocol.audio import INPUT_FRAME_BYTES

PING_EVERY_S = 0.25
_SILENCE = bytes(INPUT_FRAME_BYTES)
_HELLO = json.dumps({"v": 1, "type": "hello", "client": "viva-bench"})
_START = json.dumps({"v": 1, "type": "start"})
#: An 8,000-character answer of varied words and numbers, so the interviewer and the scorer have real work.
_LONG_ANSWER = " ".join(
    f"In project {n} I designed the {word} service in Python, measured its p99 latency at {n * 7} ms, "
    f"led {n % 5 + 2} engineers, and cut costs by {n % 40 + 5} percent because we cached {word} results."
    for n, word in enumerate(["payments", "ledger", "search", "billing", "identity", "routing"] * 20)
)[: m.MAX_ANSWER_CHARS]


#: The recruiter's credential: the instant server runs with the benchmarks' admin token, which the abuser's
#: own process receives in its environment.
RECRUITER = {"Authorization": f"Bearer {os.environ.get('VIVA_ADMIN_TOKEN', BENCH_ADMIN_TOKEN)}"}


async def create_interview(client: httpx.AsyncClient, url: str) -> tuple[str, str]:
    response = await client.post(f"{url}/api/v1/interview/start", json=SETUP)
    response.raise_for_status()
    body = response.json()
    return body["interview_id"], body["candidate_token"]


def socket_url(url: str, interview_id: str, token: str) -> str:
    return url.replace("http", "ws", 1) + f"/ws/interview/{interview_id}?token={token}"


# --------------------------------------------------------------------------- the well-behaved candidates


@dataclass
class Polite:
    """A candidate that streams silence in real time and pings with ``hello``; (sent at, round trip) pairs."""

    ws: Any
    pending: list[float] = field(default_factory=list)
    round_trips: list[tuple[float, float]] = field(default_factory=list)
    closed: bool = False

    async def read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in self.ws:
                if isinstance(raw, str) and "already received" in raw and self.pending:
                    sent = self.pending.pop(0)
                    self.round_trips.append((sent, (time.monotonic() - sent) * 1000))
        self.closed = True

    async def stream(self) -> None:
        start, tick = time.monotonic(), 0
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                tick += 1
                await asyncio.sleep(max(0.0, start + tick * FRAME_S - time.monotonic()))
                await self.ws.send(_SILENCE)

    async def ping(self, offset_s: float) -> None:
        await asyncio.sleep(offset_s)
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                self.pending.append(time.monotonic())
                await self.ws.send(_HELLO)
                await asyncio.sleep(PING_EVERY_S)


async def polite_sessions(url: str, count: int) -> tuple[list[Polite], list[asyncio.Task[None]]]:
    sessions: list[Polite] = []
    tasks: list[asyncio.Task[None]] = []
    async with httpx.AsyncClient(timeout=60, headers=RECRUITER) as client:
        links = [await create_interview(client, url) for _ in range(count)]
    for n, (interview_id, token) in enumerate(links):
        ws = await websockets.connect(socket_url(url, interview_id, token), max_size=None, ping_interval=None)
        await ws.send(_HELLO)
        await ws.recv()  # ready
        await ws.send(_START)
        polite = Polite(ws)
        sessions.append(polite)
        offset = n * PING_EVERY_S / count  # spread the pings evenly
        tasks += [asyncio.create_task(polite.read()), asyncio.create_task(polite.stream())]
        tasks.append(asyncio.create_task(polite.ping(offset)))
    return sessions, tasks


def window(sessions: list[Polite], start: float, end: float) -> list[float]:
    return [rtt for s in sessions for sent, rtt in s.round_trips if start <= sent < end]


# --------------------------------------------------------------------------- the abuser (its own process)


async def flood(url: str, until: float, stats: dict[str, int]) -> None:
    """Audio as fast as the socket takes it; reconnect and flood again each time the server closes."""
    async with httpx.AsyncClient(timeout=60, headers=RECRUITER) as client:
        interview_id, token = await create_interview(client, url)
    while time.monotonic() < until:
        try:
            async with websockets.connect(socket_url(url, interview_id, token), max_size=None, close_timeout=1) as ws:
                await ws.send(_HELLO)
                await ws.send(_START)
                while time.monotonic() < until:
                    await ws.send(_SILENCE)
                    stats["frames_sent"] += 1
                    if stats["frames_sent"] % 50 == 0:
                        await asyncio.sleep(0)  # let the connection see the server's close
        except websockets.ConnectionClosed as closed:
            stats[f"closed_{closed.rcvd.code if closed.rcvd else 'none'}"] += 1
        except OSError:
            stats["connect_errors"] += 1
            await asyncio.sleep(0.1)


async def typed_answers(url: str, until: float, stats: dict[str, int]) -> None:
    """An 8,000-character answer whenever the interviewer starts speaking, and every 100 ms besides."""
    answer = json.dumps({"v": 1, "type": "text_answer", "text": _LONG_ANSWER})
    async with httpx.AsyncClient(timeout=60, headers=RECRUITER) as client:
        interview_id, token = await create_interview(client, url)
    while time.monotonic() < until:
        try:
            async with websockets.connect(socket_url(url, interview_id, token), max_size=None, close_timeout=1) as ws:
                await ws.send(_HELLO)
                await ws.send(_START)

                async def keep_trying() -> None:
                    while True:
                        await asyncio.sleep(0.1)
                        await ws.send(answer)
                        stats["answers_sent"] += 1

                trying = asyncio.create_task(keep_trying())
                try:
                    while time.monotonic() < until:
                        with contextlib.suppress(TimeoutError):
                            raw = await asyncio.wait_for(ws.recv(), max(0.01, until - time.monotonic()))
                            if not isinstance(raw, str):
                                continue
                            kind = json.loads(raw).get("type")
                            if kind == "utterance_start":
                                await ws.send(answer)
                                stats["answers_sent"] += 1
                            elif kind == "final_transcript":
                                stats["answers_taken"] += 1
                            elif kind == "interrupted":
                                stats["questions_interrupted"] += 1
                            elif '"rate_limited"' in raw:
                                stats["answers_rate_limited"] += 1
                            elif kind == "ended":
                                break
                finally:
                    trying.cancel()
            if time.monotonic() < until:  # the interview ended: a new one
                async with httpx.AsyncClient(timeout=60, headers=RECRUITER) as client:
                    interview_id, token = await create_interview(client, url)
        except websockets.ConnectionClosed as closed:
            stats[f"closed_{closed.rcvd.code if closed.rcvd else 'none'}"] += 1


async def abuse(url: str, seconds: float, nice: int) -> dict[str, Any]:
    os.nice(nice)  # the abuser stands for a client on another machine: its own CPU must not be the server's loss
    start = time.monotonic()
    flood_stats: dict[str, int] = _counter()
    typed_stats: dict[str, int] = _counter()
    await flood(url, start + seconds / 2, flood_stats)
    typing = time.monotonic()
    await typed_answers(url, typing + seconds / 2, typed_stats)
    flood_stats["times_real_time"] = round(flood_stats["frames_sent"] * FRAME_S / (typing - start))
    return {"flood": dict(flood_stats), "typed": dict(typed_stats), "started": start, "typing": typing}


def _counter() -> dict[str, int]:
    from collections import defaultdict

    return defaultdict(int)


# --------------------------------------------------------------------------- the run


async def measure(url: str, sessions: int, seconds: float, warmup: float, nice: int) -> dict[str, Any]:
    polite, tasks = await polite_sessions(url, sessions)
    await asyncio.sleep(warmup)
    baseline_start = time.monotonic()
    await asyncio.sleep(seconds)
    command = [
        sys.executable,
        "-m",
        "benchmarks.abuser",
        "--abuse",
        url,
        "--seconds",
        str(seconds),
        "--nice",
        str(nice),
    ]
    abuser = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=subprocess.PIPE, env={**os.environ, "VIVA_ADMIN_TOKEN": BENCH_ADMIN_TOKEN}
    )
    out, _ = await abuser.communicate()
    abuse_end = time.monotonic()
    report = json.loads(out.decode().strip().splitlines()[-1])
    abuse_start, typing_start = float(report["started"]), float(report["typing"])
    load_average = os.getloadavg()
    for task in tasks:
        task.cancel()
    for s in polite:
        with contextlib.suppress(Exception):
            await s.ws.close()
    baseline = window(polite, baseline_start, abuse_start)
    flooding = window(polite, abuse_start, typing_start)
    typing = window(polite, typing_start, abuse_end)
    with_abuser = flooding + typing
    result = {
        "control_rtt_p50_ms_baseline": round(percentile(baseline, 50), 1),
        "control_rtt_p99_ms_baseline": round(percentile(baseline, 99), 1),
        "control_rtt_p50_ms_with_abuser": round(percentile(with_abuser, 50), 1),
        "control_rtt_p99_ms_with_abuser": round(percentile(with_abuser, 99), 1),
        "control_rtt_p99_ms_audio_flood": round(percentile(flooding, 99), 1),
        "control_rtt_p99_ms_typed_answers": round(percentile(typing, 99), 1),
        "samples_baseline": len(baseline),
        "samples_with_abuser": len(with_abuser),
        "polite_sessions_lost": sum(s.closed for s in polite),
        "abuser": {"flood": report["flood"], "typed": report["typed"]},
        "load_average": [round(x, 2) for x in load_average],
    }
    result["abuser_p99_delta_ms"] = round(
        result["control_rtt_p99_ms_with_abuser"] - result["control_rtt_p99_ms_baseline"], 1
    )
    return result


def run(
    sessions: int = 20, seconds: float = 20.0, warmup: float = 3.0, nice: int = 19, verbose: bool = True
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="viva-bench-abuser-") as tmp, InstantServer(Path(tmp)) as server:
        result = asyncio.run(measure(server.url, sessions, seconds, warmup, nice))
    if verbose:
        print(f"One abuser against {sessions} well-behaved sessions, instant engines; {machine()}")
        print(f"  load average (1, 5, 15 min) at the end: {result['load_average']}")
        print(
            f"  control round trip (second 'hello' -> its error), p50/p99 ms: baseline "
            f"{result['control_rtt_p50_ms_baseline']}/{result['control_rtt_p99_ms_baseline']} "
            f"({result['samples_baseline']} pings); with the abuser {result['control_rtt_p50_ms_with_abuser']}/"
            f"{result['control_rtt_p99_ms_with_abuser']} ({result['samples_with_abuser']} pings); p99 while it "
            f"floods audio {result['control_rtt_p99_ms_audio_flood']}, while it types "
            f"{result['control_rtt_p99_ms_typed_answers']}"
        )
        print(
            f"  the abuser: {json.dumps(result['abuser'])}; "
            f"well-behaved sessions lost: {result['polite_sessions_lost']}"
        )
        for name in ("abuser_p99_delta_ms", "control_rtt_p99_ms_baseline", "control_rtt_p99_ms_with_abuser"):
            print(f"{name}={result[name]}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="each window: without, then with the abuser")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--nice", type=int, default=19, help="the abuser's CPU priority (0: as high as the server's)")
    parser.add_argument("--abuse", metavar="URL", help=argparse.SUPPRESS)  # the abuser's own process
    args = parser.parse_args()
    if args.abuse:
        print(json.dumps(asyncio.run(abuse(args.abuse, args.seconds, args.nice))))
        return
    run(args.sessions, args.seconds, args.warmup, args.nice)


if __name__ == "__main__":
    main()
