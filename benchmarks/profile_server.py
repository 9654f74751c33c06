"""A sampling profiler for a server process under load: every thread's stack, every few milliseconds.

py-spy is not installed here, and cProfile and pyinstrument see only the thread that runs them; the limit of a
node on the embedded engines is how the event loop and the engines' threads share two cores and one GIL, so all
threads are sampled (``sys._current_frames``). A sample can be taken only while this thread holds the GIL, so a
thread stuck in C code that keeps the GIL shows up as missing samples, not as its own frames: the sampler's own
lateness is reported for that reason.

Started in the server through a ``sitecustomize`` on ``PYTHONPATH`` (:func:`environment`), written out every few
seconds to ``VIVA_PROFILE_OUT`` as JSON, and summed up by :func:`summary`.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.support import ROOT

INTERVAL_S = 0.005
DUMP_EVERY_S = 5.0
#: Frames at the top of a stack that mean the thread is waiting, not working.
_IDLE = {"select", "poll", "wait", "get", "sleep", "_worker", "accept", "recv_into", "read"}


def _group(name: str) -> str:
    if name == "MainThread":
        return "event loop"
    for prefix in ("viva-whisper", "viva-piper"):
        if name.startswith(prefix):
            return prefix
    return "other threads"


def _where(code: Any) -> str:
    path = Path(code.co_filename)
    return f"{code.co_name} ({path.parent.name}/{path.name})"


def install() -> None:
    """Start sampling this process if ``VIVA_PROFILE_OUT`` names a file (called by the ``sitecustomize``)."""
    out = os.environ.get("VIVA_PROFILE_OUT")
    if not out:
        return
    own: Counter[tuple[str, str]] = Counter()
    within: Counter[tuple[str, str]] = Counter()
    samples: Counter[str] = Counter()
    busy: Counter[str] = Counter()
    lateness: list[float] = []

    def sample() -> None:
        me = threading.get_ident()
        last_dump = time.monotonic()
        while True:
            due = time.monotonic() + INTERVAL_S
            time.sleep(INTERVAL_S)
            lateness.append(max(0.0, time.monotonic() - due))
            names = {thread.ident: thread.name for thread in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                group = _group(names.get(ident, "?"))
                samples[group] += 1
                if frame.f_code.co_name in _IDLE:
                    continue
                busy[group] += 1
                own[(group, _where(frame.f_code))] += 1
                seen = set()
                current: Any = frame
                while current is not None:
                    seen.add(_where(current.f_code))
                    current = current.f_back
                for where in seen:
                    within[(group, where)] += 1
            if time.monotonic() - last_dump > DUMP_EVERY_S:
                last_dump = time.monotonic()
                _dump(Path(out), samples, busy, own, within, lateness)

    threading.Thread(target=sample, name="viva-profiler", daemon=True).start()


def _dump(
    out: Path,
    samples: Counter[str],
    busy: Counter[str],
    own: Counter[tuple[str, str]],
    within: Counter[tuple[str, str]],
    lateness: list[float],
) -> None:
    groups: dict[str, Any] = {}
    for group, count in samples.items():
        groups[group] = {
            "samples": count,
            "busy": busy[group],
            "own": [(w, n) for (g, w), n in own.most_common() if g == group][:15],
            "within": [(w, n) for (g, w), n in within.most_common() if g == group][:60],
        }
    late = sorted(lateness)
    figures = {"ticks": len(late), "late_p50_ms": 0.0, "late_p99_ms": 0.0}
    if late:
        figures["late_p50_ms"] = late[len(late) // 2] * 1000
        figures["late_p99_ms"] = late[int(len(late) * 0.99)] * 1000
    out.write_text(json.dumps({"sampler": figures, "groups": groups}))


def environment(work: Path, out: Path) -> dict[str, str]:
    """Environment variables that make a ``python -m server.cli`` process profile itself into ``out``."""
    (work / "sitecustomize.py").write_text("from benchmarks.profile_server import install\n\ninstall()\n")
    path = os.pathsep.join(p for p in (str(work), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "VIVA_PROFILE_OUT": str(out)}


def summary(out: Path, top: int = 12) -> str:
    """Where each group of threads spent its busy samples."""
    data = json.loads(out.read_text())
    lines = [
        f"  profiler ticks {data['sampler']['ticks']}, late p50 {data['sampler']['late_p50_ms']:.1f} ms, "
        f"p99 {data['sampler']['late_p99_ms']:.1f} ms (a late tick: some thread held the GIL)"
    ]
    for group, figures in sorted(data["groups"].items()):
        busy = max(figures["busy"], 1)
        share = figures["busy"] / max(figures["samples"], 1)
        lines.append(f"  {group}: busy in {share:.0%} of {figures['samples']} thread samples; busy time within")
        # Frames under which nearly every stack runs (the loop, the thread's bootstrap) say nothing.
        telling = [(where, count) for where, count in figures["within"] if count < 0.9 * busy]
        for where, count in telling[:top]:
            lines.append(f"      {count / busy:6.1%}  {where}")
        lines.append("    and on top of the stack:")
        for where, count in figures["own"][: top // 2]:
            lines.append(f"      {count / busy:6.1%}  {where}")
    return "\n".join(lines)
