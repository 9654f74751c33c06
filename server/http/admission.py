"""Admitting a socket: its interview and link are checked before anything else, refusals closed with a code.

While the database is unreachable nothing can be checked: the socket is closed with 1013 (try again later)
and a reason, never left to fail the handshake with an HTTP 500.
"""

from __future__ import annotations

import logging

from starlette.websockets import WebSocket

from protocol.messages import CloseCode
from server.live.shell.saving import STORE_UNAVAILABLE_CLOSE
from server.logs import interview_id_var
from server.services.links import LinkRefused, RefusalCode, check_link, check_watcher
from server.services.runtime import Services
from server.store.base import InterviewRecord, LinkRole, StoreUnavailable

log = logging.getLogger("viva.http")

#: The WebSocket close code of each way a link can be refused (``HTTP_STATUS`` in :mod:`server.http.access`).
CLOSE_CODES: dict[RefusalCode, int] = {
    "token_required": CloseCode.UNAUTHORIZED,
    "invalid_token": CloseCode.UNAUTHORIZED,
    "wrong_link": CloseCode.FORBIDDEN,
    "token_expired": CloseCode.TOKEN_EXPIRED,
    "token_revoked": CloseCode.TOKEN_REVOKED,
}


def close_for(refused: LinkRefused) -> tuple[int, str]:
    return CLOSE_CODES[refused.code], refused.message


async def admit_socket(websocket: WebSocket, role: LinkRole) -> tuple[Services, InterviewRecord, str] | None:
    """Check a socket's interview and link before anything else; refuse it with its close code if wrong.

    A refused socket is accepted and then closed, so that browsers can see the close code. The admin token
    opens any observer link.
    """
    services: Services = websocket.app.state.services
    interview_id = websocket.path_params["interview_id"]
    token = websocket.query_params.get("token", "")
    interview_id_var.set(interview_id)
    try:
        record = await services.store.get_interview(interview_id)
        code, reason = CloseCode.NOT_FOUND, "no such interview"
        if record is not None:
            if role == "observer":
                await check_watcher(services, interview_id, token)
            else:
                await check_link(services, interview_id, token, role)
            return services, record, token
    except LinkRefused as refused:
        code, reason = close_for(refused)
    except StoreUnavailable as exc:
        log.warning("a socket of the %s link was refused: %s", role, exc)
        code, reason = STORE_UNAVAILABLE_CLOSE
    await refuse(websocket, code, reason)
    return None


async def refuse(websocket: WebSocket, code: int, reason: str) -> None:
    """Accept, then close with ``code``: a browser sees the code only on a socket that was accepted."""
    await websocket.accept()
    await websocket.close(code=code, reason=reason)
