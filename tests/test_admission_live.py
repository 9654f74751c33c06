"""Admission control on a real socket: a node whose event loop is stalled (real load, made here by blocking it
for 150 ms in every 300) refuses a new candidate with 1013 and a reason, while the session it already has goes on
and its candidate, reconnecting, is let back in.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx

from protocol import messages as m
from server.services.runtime import Services
from tests.api_support import served, with_settings
from tests.conftest import ADMIN_TOKEN, recruiter_headers
from tests.live_client import LiveClient, start_interview


async def _stall_the_loop() -> None:
    while True:
        time.sleep(0.15)  # the GIL-holding Python work a saturated node does on its loop
        await asyncio.sleep(0.15)


async def test_a_loaded_node_refuses_new_sessions_and_serves_its_own(services: Services) -> None:
    async with served(with_settings(services, admission_gap_ms=900)) as url:
        created = await asyncio.to_thread(start_interview, url)
        first = await LiveClient.connect(url, created["interview_id"], created["candidate_token"])
        await first.handshake()
        stall = asyncio.create_task(_stall_the_loop())
        try:
            await asyncio.sleep(1.5)  # the sampler sees the lag
            other = await asyncio.to_thread(start_interview, url)
            second = await LiveClient.connect(url, other["interview_id"], other["candidate_token"])
            await asyncio.wait_for(second.closed.wait(), 15)
            assert second.close_code == m.CloseCode.TRY_AGAIN_LATER
            assert "busy" in second.close_reason and "event loop" in second.close_reason, second.close_reason
            assert "try again in a minute" in second.close_reason
            assert not second.messages(m.Ready)
            # The session already running is still served: it starts and the interviewer speaks.
            await first.send(m.Start())
            await first.wait_for(lambda msg: isinstance(msg, m.UtteranceStart), 30)
            assert not first.closed.is_set()
            async with httpx.AsyncClient(base_url=url, headers=recruiter_headers(ADMIN_TOKEN)) as http:
                health = (await http.get("/health")).json()["checks"]["admission"]
                metrics = (await http.get("/metrics")).text
            assert health["status"] == "busy" and health["loop_lag_p95_ms"] >= 90, health
            assert 'viva_refusals_total{limit="admission_loop_lag"} 1.0' in metrics
            assert 'viva_admission{figure="loop_lag_p95_ms"}' in metrics
            # Its candidate loses the connection and comes back: an interview under way is never refused.
            await first.close()
            async with httpx.AsyncClient(base_url=url, headers=recruiter_headers(ADMIN_TOKEN)) as http:
                async with asyncio.timeout(30):  # its old session has let go: the reconnect is not a takeover
                    while "viva_live_sessions 0.0" not in (await http.get("/metrics")).text:
                        await asyncio.sleep(0.1)
            first = await LiveClient.connect(url, created["interview_id"], created["candidate_token"])
            await first.handshake()
            assert not first.closed.is_set() and first.messages(m.Ready)
        finally:
            stall.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await stall
            await first.close()
