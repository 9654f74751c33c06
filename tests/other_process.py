"""Call a function of the test suite in a fresh interpreter with another ``PYTHONHASHSEED``.

A determinism test that calls the same function twice in one process cannot fail on what actually varies
between runs: the order of sets and dicts of strings follows the hash seed, which differs in every process (a
restarted server, another node, the next test run). Comparing with another process, under seeds that differ
from each other, catches that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: Hash seeds of the other processes: 0 turns randomisation off; the other is an arbitrary fixed seed.
SEEDS = (0, 4242)

_RUNNER = """
import importlib, json, sys
module, name = sys.argv[1].split(":")
result = getattr(importlib.import_module(module), name)(*json.loads(sys.argv[2]))
sys.stdout.write("\\n" + json.dumps(result))
"""


def as_json(value: Any) -> Any:
    """``value`` as it comes back from another process (tuples become lists, and so on)."""
    return json.loads(json.dumps(value))


def call_in_process(target: str, *args: Any, hash_seed: int) -> Any:
    """``module:function(*args)`` in a new interpreter with ``PYTHONHASHSEED=hash_seed``; its JSON result.

    ``args`` and the result must be JSON values.
    """
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, target, json.dumps(args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise AssertionError(f"{target} failed in another process:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.rsplit("\n", 1)[-1])


def in_other_processes(target: str, *args: Any) -> list[Any]:
    """The results of ``target(*args)`` in one new process per seed of :data:`SEEDS`."""
    return [call_in_process(target, *args, hash_seed=seed) for seed in SEEDS]
