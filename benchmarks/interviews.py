"""Interviews per node: the most concurrent spoken interviews one server on the embedded engines holds with the
response gap p95 within 1.5 s.

For each level N, a fresh ``viva serve`` (Silero VAD, Whisper tiny.en, Piper) in a subprocess, admission control
off, and N candidates in this process, arriving over a few seconds. Each streams its microphone in real time
without pause (:class:`~benchmarks.support.Microphone`), reports playback as the browser does
(:class:`~benchmarks.barge_in.Player`: progress every 250 ms, ``done`` when the audio has played), and answers
each question with a finished two-sentence answer in the Piper voice, one answer every 15-25 s (20 s on average,
out of step with the others: a first answer after a random part of a cycle). The gap is the
send time of the frame holding the answer's last spoken sample to the reply's first audio frame. Levels rise until
the gap p95 passes 1.5 s; ``interviews_embedded_per_node`` is the largest level within it (0: none). The first
level is one interview alone: ``interviews_embedded_within_load_allowance`` is the largest level whose p95 stays
within 500 ms of it (what load adds, apart from the single turn's own latency).

Then one run with admission control on (``VIVA_ADMISSION_GAP_MS=1500``) at a level above the limit: candidates it
refuses (1013) try again every 10 s, as the candidate's page asks them to, and the run reports how many it refused
and the gap of those it admitted.

Run: ``python -m benchmarks.interviews [--levels 1,5,10,20,30,40,50] [--seconds 60] [--profile N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks import profile_server
from benchmarks.support import Microphone, Player, last_speech_sample, machine, percentile, process_cpu_seconds
from benchmarks.turn_latency import ANSWERS, Spoken, _stage_times
from protocol import messages as m
from tests.conftest import ADMIN_TOKEN, ServerProcess, recruiter_headers
from tests.live_client import LiveClient, start_interview
from tests.speech import compose

GAP_LIMIT_MS = 1500
#: While one interview alone misses 1.5 s (the end-of-turn decision's own wait), capacity is also given as the most
#: interviews whose gap p95 stays within this much of one interview's.
LOAD_ALLOWANCE_MS = 500
#: One answer every this many seconds per interview (the interviewer's question and reply fill the rest).
CYCLE_S = 20.0
THINK_S = 0.5
#: A level measures at least this many turns (one interview alone runs longer than the others).
MIN_TURNS = 6
RETRY_S = 10.0
INTERVIEW_SETUP = {"interview_type": "behavioral", "num_questions": 8}
HEADLINE = ("interviews_embedded_per_node", "admission_refusals", "admission_gap_p95_ms")
SERVER_ENV = {"VIVA_MAX_LIVE_SESSIONS": "1000", "VIVA_LOG_LEVEL": "warning"}


@dataclass
class Level:
    sessions: int
    admission: bool
    gaps_ms: list[float] = field(default_factory=list)
    #: The gap's two parts: the last spoken frame to the end-of-turn decision, and the decision to the first audio.
    decision_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)
    greeting_ms: list[float] = field(default_factory=list)  # socket open to the greeting's first audio frame
    cut_off: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # refusals by reason
    never_admitted: int = 0
    admitted: int = 0
    failed: list[str] = field(default_factory=list)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    seconds: float = 0.0
    loadavg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def p95(self) -> float:
        return percentile(self.gaps_ms, 95)


def prepare_answers() -> list[Spoken]:
    answers = []
    for text in ANSWERS:
        pcm = compose(text, voice="piper")
        answers.append(Spoken(pcm, last_speech_sample(pcm)))
    return answers


async def _connect(url: str, level: Level, stop_at: float) -> tuple[LiveClient, m.Ready] | None:
    """Open an interview's socket, trying again every :data:`RETRY_S` while the node refuses it with 1013."""
    created = await asyncio.to_thread(start_interview, url, **INTERVIEW_SETUP)
    while time.monotonic() < stop_at:
        client = await LiveClient.connect(
            url, created["interview_id"], created["candidate_token"], report_playback=False
        )
        ready = asyncio.create_task(client.handshake())
        closed = asyncio.create_task(client.closed.wait())
        await asyncio.wait({ready, closed}, return_when=asyncio.FIRST_COMPLETED)
        closed.cancel()
        if ready.done() and not ready.exception():
            level.admitted += 1
            return client, ready.result()
        ready.cancel()
        with contextlib.suppress(asyncio.CancelledError, AssertionError):
            await ready
        await client.closed.wait()
        if client.close_code != m.CloseCode.TRY_AGAIN_LATER:
            raise RuntimeError(f"closed {client.close_code} {client.close_reason}")
        level.refused[re.sub(r"\d+(\.\d+)?", "#", client.close_reason)] += 1
        await asyncio.sleep(RETRY_S * random.uniform(0.8, 1.2))
    level.never_admitted += 1
    return None


async def _interview(
    url: str, answers: list[Spoken], level: Level, index: int, measure_from: float, stop_at: float
) -> None:
    connected = await _connect(url, level, stop_at)
    if connected is None:
        return
    client, ready = connected
    player = Player(client, sample_rate=ready.output_sample_rate)
    microphone = Microphone(client.send_raw)
    reporter = asyncio.create_task(player.report())
    opened = time.monotonic()
    try:
        await client.send(m.Start())
        await client.wait_for(lambda msg: isinstance(msg, m.StateChanged), 60)
        microphone.start()
        await client.wait_for(lambda msg: isinstance(msg, m.UtteranceStart), 120)
        player.sync()
        await client.wait_listening(180)
        player.sync()
        if player.first_at:
            level.greeting_ms.append((min(player.first_at.values()) - opened) * 1000)
        # Candidates are not in step: each first answers after a random part of a cycle, then every 15-25 s.
        rng = random.Random(index)
        answered_at = time.monotonic() - rng.uniform(0, CYCLE_S)
        turn = 0
        while time.monotonic() < stop_at:
            cycle = CYCLE_S * rng.uniform(0.75, 1.25)
            await asyncio.sleep(max(THINK_S, answered_at + cycle - time.monotonic()))
            answer = answers[(index + turn) % len(answers)]
            turn += 1
            mark = len(client.received)
            answered_at = time.monotonic()
            sent = microphone.say(answer.pcm, answer.last_sample)
            while "first_audio" not in (times := _stage_times(client.received, mark)):
                await client.wait_for(lambda _msg: True, 60, start=len(client.received))
            last_frame = await sent
            if answered_at >= measure_from:
                if times["end_of_turn"] < last_frame.at:
                    level.cut_off += 1
                else:
                    level.gaps_ms.append((times["first_audio"] - last_frame.at) * 1000)
                    level.decision_ms.append((times["end_of_turn"] - last_frame.at) * 1000)
                    level.reply_ms.append((times["first_audio"] - times["end_of_turn"]) * 1000)
            settled = await client.wait_for(
                lambda msg: isinstance(msg, m.Ended) or (isinstance(msg, m.StateChanged) and msg.state == "listening"),
                180,
                start=mark,
            )
            if isinstance(settled, m.Ended):
                return
    except (TimeoutError, AssertionError) as exc:
        level.failed.append(f"{type(exc).__name__}: {exc}"[:120])
    finally:
        reporter.cancel()
        await microphone.stop()
        await client.close()


def _scrape(url: str) -> dict[str, float]:
    """Admission state and the engines' mean queue wait and run time per job, from ``/metrics``."""
    text = httpx.get(f"{url}/metrics", headers=recruiter_headers(ADMIN_TOKEN), timeout=10).text
    figures: dict[str, float] = {}
    for name, labels, value in re.findall(r"^(viva_\w+)\{([^}]*)\} (\S+)$", text, re.M):
        if name == "viva_admission":
            figures[re.findall(r'figure="([^"]*)"', labels)[0]] = float(value)
        elif name.startswith(("viva_engine_queue_wait_ms_", "viva_engine_run_ms_")) and name.endswith(("sum", "count")):
            executor, priority = re.findall(r'"([^"]*)"', labels)[:2]
            kind, total = name.removeprefix("viva_engine_").rsplit("_", 1)
            figures[f"{kind}:{executor}:{priority}:{total}"] = float(value)
    return figures


def _wait_prepared(url: str, timeout_s: float = 180) -> float:
    """Wait until the server has made its fixed phrases ahead (a node that has been up a while has): background
    syntheses stop for 3 s. Returns the seconds waited."""
    started = time.monotonic()
    last, steady_since = -1.0, time.monotonic()
    while time.monotonic() - started < timeout_s:
        jobs = sum(v for k, v in _scrape(url).items() if k.startswith("run_ms:") and k.endswith(":background:count"))
        if jobs != last:
            last, steady_since = jobs, time.monotonic()
        elif time.monotonic() - steady_since >= 3:
            break
        time.sleep(0.5)
    return time.monotonic() - started


async def _drive(url: str, answers: list[Spoken], level: Level, seconds: float) -> None:
    arrival_s = min(10.0, 0.25 * level.sessions)
    started = time.monotonic()
    measure_from = started + arrival_s + 15  # after every greeting
    stop_at = measure_from + max(seconds, MIN_TURNS * CYCLE_S / level.sessions)
    tasks = []
    for index in range(level.sessions):
        await asyncio.sleep(max(0.0, started + index * arrival_s / level.sessions - time.monotonic()))
        tasks.append(asyncio.create_task(_interview(url, answers, level, index, measure_from, stop_at)))
    await asyncio.gather(*tasks, return_exceptions=False)


def run_level(sessions: int, answers: list[Spoken], seconds: float, admission: bool, profile: Path | None) -> Level:
    level = Level(sessions, admission)
    env = {**SERVER_ENV, "VIVA_ADMISSION_GAP_MS": str(GAP_LIMIT_MS if admission else 0)}
    with tempfile.TemporaryDirectory(prefix="viva-bench-interviews-") as tmp:
        if profile is not None:
            env.update(profile_server.environment(Path(tmp), profile))
        server = ServerProcess(Path(tmp), env=env).start()
        assert server.process is not None
        try:
            print(f"    (waited {_wait_prepared(server.url):.0f} s for the fixed phrases to be made)", flush=True)
            cpu0, client0, t0 = process_cpu_seconds(server.process.pid), time.process_time(), time.monotonic()
            asyncio.run(_drive(server.url, answers, level, seconds))
            level.seconds = time.monotonic() - t0
            level.server_cpu_s = process_cpu_seconds(server.process.pid) - cpu0
            level.client_cpu_s = time.process_time() - client0
            level.loadavg = os.getloadavg()
            level.metrics = _scrape(server.url)
        finally:
            server.stop()
    return level


def _engine_lines(figures: dict[str, float]) -> list[str]:
    lines = []
    for key in sorted(k for k in figures if k.startswith("queue_wait_ms:") and k.endswith(":count")):
        _kind, executor, priority, _ = key.split(":")
        count = figures[key]
        if not count:
            continue
        wait = figures[f"queue_wait_ms:{executor}:{priority}:sum"] / count
        ran = figures[f"run_ms:{executor}:{priority}:sum"] / count
        lines.append(f"      {executor} {priority}: {count:.0f} jobs, mean wait {wait:.0f} ms, mean run {ran:.0f} ms")
    return lines


def report(level: Level) -> None:
    turns = len(level.gaps_ms)
    gaps = level.gaps_ms
    print(
        f"  N={level.sessions:>3} admission={'on' if level.admission else 'off'}: {turns} turns, "
        f"gap p50 {percentile(gaps, 50):.0f} p95 {level.p95:.0f} max {max(gaps, default=float('nan')):.0f} ms; "
        f"greeting p50 {percentile(level.greeting_ms, 50):.0f} p95 {percentile(level.greeting_ms, 95):.0f} ms; "
        f"server CPU {100 * level.server_cpu_s / level.seconds:.0f} % ({level.server_cpu_s / max(turns, 1):.2f} s "
        f"per turn), client CPU {100 * level.client_cpu_s / level.seconds:.0f} %; "
        f"loadavg {' '.join(f'{v:.2f}' for v in level.loadavg)}",
        flush=True,
    )
    decision, reply = level.decision_ms, level.reply_ms
    print(
        f"    end-of-turn decision p50 {percentile(decision, 50):.0f} p95 {percentile(decision, 95):.0f} ms; "
        f"decision to first audio p50 {percentile(reply, 50):.0f} p95 {percentile(reply, 95):.0f} ms"
    )
    if level.cut_off or level.failed:
        print(f"    cut off {level.cut_off}; failed {len(level.failed)}: {level.failed[:3]}")
    if level.admission:
        print(f"    admitted {level.admitted} of {level.sessions}; never admitted {level.never_admitted}")
        for reason, count in level.refused.most_common():
            print(f"    refused {count}x: {reason}")
    admission = {k: v for k, v in level.metrics.items() if ":" not in k}
    print(f"    node at the end: {admission}")
    print("\n".join(_engine_lines(level.metrics)))


def run(
    levels: tuple[int, ...] = (1, 5, 10, 20, 30, 40, 50), seconds: float = 60, profile: int = 0
) -> dict[str, float]:
    """Levels until the gap p95 passes both 1.5 s and the first level's p95 plus :data:`LOAD_ALLOWANCE_MS`."""
    print(f"Interviews per node on the embedded engines; {machine()}", flush=True)
    answers = prepare_answers()
    passed = relative = 0
    passing = within = True
    baseline = float("nan")
    above = levels[-1]
    for sessions in levels:
        level = run_level(sessions, answers, seconds, admission=False, profile=None)
        report(level)
        baseline = level.p95 if sessions == levels[0] else baseline
        ok = bool(level.gaps_ms) and not level.failed
        # Each figure is the last level of an unbroken run of levels within its bound.
        passing = passing and ok and level.p95 <= GAP_LIMIT_MS
        within = within and ok and level.p95 <= baseline + LOAD_ALLOWANCE_MS
        passed = sessions if passing else passed
        relative = sessions if within else relative
        if not passing and not within:
            above = sessions
            break
    if profile:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "profile.json"
            report(run_level(profile, answers, seconds, admission=False, profile=out))
            print(f"  Profile of the server at N={profile}:\n{profile_server.summary(out)}", flush=True)
    guarded = run_level(max(above, 5), answers, seconds, admission=True, profile=None)
    report(guarded)
    figures = {
        "interviews_embedded_per_node": float(passed),
        "interviews_embedded_within_load_allowance": float(relative),
        "gap_p95_ms_one_interview": round(baseline),
        "admission_level": float(guarded.sessions),
        "admission_admitted": float(guarded.admitted),
        "admission_refusals": float(sum(guarded.refused.values())),
        "admission_gap_p95_ms": round(guarded.p95) if guarded.gaps_ms else -1.0,
    }
    for name, value in figures.items():
        print(f"{name}={value:g}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,5,10,20,30,40,50", help="concurrent interviews per level")
    parser.add_argument("--seconds", type=float, default=60, help="measured seconds per level (default 60)")
    parser.add_argument("--profile", type=int, default=0, help="profile the server at this many interviews")
    args = parser.parse_args()
    run(tuple(int(n) for n in args.levels.split(",")), args.seconds, args.profile)


if __name__ == "__main__":
    main()
