"""The candidate's page at its link: the live page while the interview can be held, and the completed page at
the same address once it has finished (a candidate who opens their link again is thanked, not refused). A
refused link gets the live page, whose socket says why; neither page is ever cached."""

from __future__ import annotations

from server.services.runtime import Services
from tests.api_support import app_client, start

LIVE_PAGE = 'src="interview.js"'
COMPLETED = "This interview is complete"


async def test_a_finished_interviews_link_opens_the_completed_page(services: Services) -> None:
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as candidate:
        started = await start(recruiter)
        interview_id, url = started["interview_id"], started["candidate_url"]
        live = await candidate.get(url)
        assert live.status_code == 200 and LIVE_PAGE in live.text and COMPLETED not in live.text
        assert live.headers["cache-control"] == "no-store"

        await services.store.finish(interview_id, "completed", "completed")
        for method in ("GET", "HEAD"):
            done = await candidate.request(method, url)
            assert done.status_code == 200, method
            assert done.headers["cache-control"] == "no-store", method
        done = await candidate.get(url)
        assert COMPLETED in done.text and LIVE_PAGE not in done.text

        # Without the candidate's own valid link the page tells nothing of the interview: the live page, whose
        # socket then explains the refusal.
        for other in (
            f"/interview.html?id={interview_id}&token=not-the-token",
            f"/interview.html?id={interview_id}&token={started['observer_token']}",
            f"/interview.html?id={interview_id}",
            "/interview.html?id=no-such-interview&token=x",
        ):
            page = await candidate.get(other)
            assert page.status_code == 200 and LIVE_PAGE in page.text, other
        revoked = await recruiter.post(f"/api/v1/interviews/{interview_id}/revoke", json={"link": "candidate"})
        assert revoked.status_code == 200, revoked.text
        assert LIVE_PAGE in (await candidate.get(url)).text


async def test_an_ended_interview_is_completed_too(services: Services) -> None:
    """Ended early (by the candidate, an observer, or idle time): the same thank-you, not a refusal."""
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as candidate:
        started = await start(recruiter)
        await services.store.finish(started["interview_id"], "ended", "candidate_ended")
        assert COMPLETED in (await candidate.get(started["candidate_url"])).text
