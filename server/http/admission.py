"""Admitting a socket: its interview and link are checked before anything else, refusals closed with a code."""

from __future__ import annotations

from starlette.websockets import WebSocket

from protocol.messages import CloseCode
from server.logs import interview_id_var
from server.services.links import LinkRefused, RefusalCode, check_link, check_watcher
from server.services.runtime import Services
from server.store.base import InterviewRecord, LinkRole

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
    record = await services.store.get_interview(interview_id)
    code, reason = CloseCode.NOT_FOUND, "no such interview"
    if record is not None:
        try:
            if role == "observer":
                await check_watcher(services, interview_id, token)
            else:
                await check_link(services, interview_id, token, role)
            return services, record, token
        except LinkRefused as refused:
            code, reason = close_for(refused)
    await websocket.accept()
    await websocket.close(code=code, reason=reason)
    return None
