"""Document parsing in worker processes: a runaway PDF is killed at its time limit, and a burst of uploads
waits in a bounded queue instead of taking the threads and the GIL that speech needs.

Each worker is a fresh interpreter running :mod:`server.services.document_worker`, which imports only the
parser (pypdf), never the server: forking the server would copy the page tables of its ~200 MB of speech
models, and ``multiprocessing``'s spawn and forkserver re-import the server's main module in every child.
Workers start when first needed (about 0.3 s, once) and are reused; one that overruns its job's deadline,
most likely inside a single page where pypdf checks nothing, is killed and replaced by the next job. They
speak JSON over their standard input and output (never pickle: a worker reads untrusted files, so what it
answers is only data).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from typing import Literal

from server.services.documents import DocumentError, ExtractedText
from server.services.errors import Refused

log = logging.getLogger("viva.documents")

DocumentKind = Literal["pdf", "txt"]
#: Room for the JSON answer: 50,000 characters of text, escaped.
_ANSWER_LIMIT = 4 * 1024 * 1024


class _WorkerDied(Exception):
    """The worker exited without answering (a crash in the parser, or killed for memory)."""


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def extract(self, kind: DocumentKind, data: bytes, max_pages: int, timeout_s: float) -> ExtractedText:
        job = {"kind": kind, "max_pages": max_pages, "timeout_s": timeout_s, "size": len(data)}
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(json.dumps(job).encode() + b"\n" + data)
            await stdin.drain()
            line = await stdout.readline()
        except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
            raise _WorkerDied from exc
        if not line.endswith(b"\n"):
            raise _WorkerDied
        answer = json.loads(line)
        if "refused" in answer:
            status, code, message = answer["refused"]
            raise DocumentError(int(status), str(code), str(message))
        ok = answer["ok"]
        return ExtractedText(
            text=str(ok["text"]), pages=int(ok["pages"]), chars=int(ok["chars"]), truncated=bool(ok["truncated"])
        )

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


class DocumentPool:
    """At most ``workers`` documents parsed at once, ``queue`` more waiting; beyond that, 503 ``busy``."""

    def __init__(self, workers: int, queue: int) -> None:
        self._slots = asyncio.Semaphore(workers)
        self._capacity = workers + queue
        self._admitted = 0
        self.working = 0  # documents being read by a worker right now
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._closed = False

    async def extract(self, kind: DocumentKind, data: bytes, *, max_pages: int, timeout_s: float) -> ExtractedText:
        """The document's text, or its :class:`DocumentError`; :class:`Refused` (``busy``) when the queue is full."""
        if self._closed:
            raise Refused("unavailable", "busy", "The server is shutting down; try again in a moment.", retry_after_s=5)
        if self._admitted >= self._capacity:
            raise Refused(
                "unavailable",
                "busy",
                f"The server is reading {self._capacity} documents already; try again in a few seconds.",
                retry_after_s=timeout_s,
            )
        self._admitted += 1
        try:
            async with self._slots:
                return await self._run(kind, data, max_pages, timeout_s)
        finally:
            self._admitted -= 1

    async def _run(self, kind: DocumentKind, data: bytes, max_pages: int, timeout_s: float) -> ExtractedText:
        worker = self._idle.pop() if self._idle else await self._spawn()
        self.working += 1
        try:
            result = await asyncio.wait_for(worker.extract(kind, data, max_pages, timeout_s), timeout_s)
        except DocumentError:
            self._idle.append(worker)  # it answered: a refusal of the document, not a broken worker
            raise
        except TimeoutError:
            await self._discard(worker)
            raise DocumentError(
                422,
                "pdf_timeout" if kind == "pdf" else "text_timeout",
                f"Reading the document took longer than {timeout_s:g} s and was stopped. Upload a simpler PDF, "
                "or the text as a .txt file.",
            ) from None
        except _WorkerDied:
            await self._discard(worker)
            log.warning("a document worker died while reading an upload")
            raise DocumentError(
                422,
                "pdf_corrupt" if kind == "pdf" else "not_text",
                "The document could not be read (the reader failed on it). Export it again and retry.",
            ) from None
        except BaseException:
            await self._discard(worker)  # cancelled (the client left): the job's state is unknown
            raise
        finally:
            self.working -= 1
        self._idle.append(worker)
        return result

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.services.document_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=_ANSWER_LIMIT,
        )
        worker = _Worker(process)
        self._all.add(worker)
        return worker

    async def _discard(self, worker: _Worker) -> None:
        self._all.discard(worker)
        await worker.kill()

    async def close(self) -> None:
        """Stop every worker; uploads still in flight fail (the server is stopping)."""
        self._closed = True
        self._idle.clear()
        await asyncio.gather(*(self._discard(worker) for worker in list(self._all)), return_exceptions=True)
