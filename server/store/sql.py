"""The store's queries, written once for both databases.

:class:`SqlStore` holds every query of the :class:`~server.store.base.Store` interface in a common SQL subset
(``?`` placeholders); a :class:`~server.store.driver.Driver` runs them on SQLite or PostgreSQL, adapting
placeholders, parameter types and errors. Every parameter is made :func:`~server.store.rows.storable` on its way
in, and timestamps come from :func:`~server.store.rows.utcnow`, so both databases store the same text and instants.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from server.conversation.setup import InterviewSetup
from server.store.base import (
    FINAL_STATUSES,
    EventConflict,
    InterviewClosed,
    InterviewNotFound,
    InterviewPage,
    InterviewRecord,
    LinkRole,
    PendingQuestion,
    QuestionEvaluation,
    StoredEvent,
    StoredTurn,
    StoreUnavailable,
    TokenMatch,
    TurnConflict,
)
from server.store.driver import Driver, Row, Statement, UniqueViolation
from server.store.rows import (
    QUESTION_COLUMNS,
    QUESTION_VALUES,
    TURN_COLUMNS,
    evaluation_from_row,
    event_from_row,
    like_pattern,
    parse_json,
    parse_time,
    pending_json,
    question_row,
    record_from_row,
    required_time,
    storable,
    summary_from_row,
    to_json,
    turn_from_row,
    utcnow,
)
from server.store.tokens import digests_match

#: The statuses of an interview still under way (a condition of every write that would change one).
_OPEN = "('created', 'in_progress')"

_LINK_COLUMNS: dict[LinkRole, tuple[str, str, str]] = {
    "candidate": ("candidate_token_hash", "candidate_token_expires_at", "candidate_token_revoked_at"),
    "observer": ("observer_token_hash", "observer_token_expires_at", "observer_token_revoked_at"),
}


def _retrieved(task: asyncio.Task[None]) -> None:
    if not task.cancelled():
        task.exception()


class SqlStore:
    """The :class:`~server.store.base.Store` on any :class:`Driver`."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self._ping: asyncio.Task[None] | None = None

    async def open(self) -> None:
        await self.driver.open()

    async def close(self) -> None:
        await self.driver.close()

    async def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self.driver.fetch(sql, [storable(p) for p in params])

    async def _transaction(self, statements: Sequence[Statement]) -> list[int]:
        return await self.driver.transaction([(sql, [storable(p) for p in params]) for sql, params in statements])

    async def ping(self, timeout_s: float) -> None:
        # One ping at a time: health checks arriving while the database hangs wait on the same one instead of
        # piling up (on SQLite they would queue on its single thread, each waiting out the busy timeout).
        if self._ping is None or self._ping.done():
            self._ping = asyncio.create_task(self.driver.ping())
            self._ping.add_done_callback(_retrieved)  # a ping nobody waited for to the end fails silently
        try:
            await asyncio.wait_for(asyncio.shield(self._ping), timeout_s)
        except TimeoutError:
            raise StoreUnavailable(f"the database did not answer within {timeout_s:g} s") from None

    async def create_interview(
        self,
        setup: InterviewSetup,
        candidate_token_hash: str,
        observer_token_hash: str | None = None,
        *,
        candidate_expires_at: datetime | None = None,
        observer_expires_at: datetime | None = None,
    ) -> str:
        interview_id = str(uuid.uuid4())
        await self._transaction(
            [
                (
                    "insert into interviews (id, candidate_name, job_title, job_description, resume_text, "
                    "interview_type, num_questions, language, setup, status, candidate_token_hash, "
                    "observer_token_hash, created_at, candidate_token_expires_at, observer_token_expires_at) "
                    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?)",
                    (
                        interview_id,
                        setup.candidate_name,
                        setup.job_title,
                        setup.job_description,
                        setup.resume_text,
                        str(setup.interview_type),
                        setup.num_questions,
                        setup.language,
                        to_json(setup.to_dict()),
                        candidate_token_hash,
                        observer_token_hash,
                        utcnow(),
                        candidate_expires_at,
                        observer_expires_at,
                    ),
                )
            ]
        )
        return interview_id

    async def get_interview(self, interview_id: str) -> InterviewRecord | None:
        rows = await self._fetch("select * from interviews where id = ?", (interview_id,))
        if not rows:
            return None
        turn_rows = await self._fetch(
            f"select {TURN_COLUMNS} from turns where interview_id = ? order by turn_index", (interview_id,)
        )
        return record_from_row(rows[0], [turn_from_row(r) for r in turn_rows])

    async def match_token(self, interview_id: str, token_hash: str) -> TokenMatch | None:
        columns = ", ".join(c for link in _LINK_COLUMNS.values() for c in link)
        rows = await self._fetch(f"select {columns} from interviews where id = ?", (interview_id,))
        if not rows:
            return None
        found: TokenMatch | None = None
        for role, (digest, expires, revoked) in _LINK_COLUMNS.items():
            # Both digests are compared, in constant time, so timing tells nothing about either.
            if digests_match(rows[0][digest], token_hash):
                found = TokenMatch(role, parse_time(rows[0][expires]), parse_time(rows[0][revoked]))
        return found

    async def _token_valid(self, interview_id: str, token_hash: str, role: LinkRole) -> bool:
        match = await self.match_token(interview_id, token_hash)
        return match is not None and match.role == role and match.status(utcnow()) == "valid"

    async def check_candidate_token(self, interview_id: str, token_hash: str) -> bool:
        return await self._token_valid(interview_id, token_hash, "candidate")

    async def check_observer_token(self, interview_id: str, token_hash: str) -> bool:
        return await self._token_valid(interview_id, token_hash, "observer")

    async def revoke_token(self, interview_id: str, role: LinkRole) -> datetime:
        column = _LINK_COLUMNS[role][2]
        await self._transaction(
            [(f"update interviews set {column} = coalesce({column}, ?) where id = ?", (utcnow(), interview_id))]
        )
        rows = await self._fetch(f"select {column} from interviews where id = ?", (interview_id,))
        if not rows:
            raise InterviewNotFound(interview_id)
        return required_time(rows[0][column])

    async def append_events(self, interview_id: str, events: list[StoredEvent]) -> None:
        statements: list[Statement] = [
            (
                "insert into events (interview_id, seq, kind, at, payload) values (?, ?, ?, ?, ?)",
                (interview_id, e.seq, e.kind, e.at, to_json(e.payload)),
            )
            for e in events
        ]
        try:
            await self._transaction(statements)
        except UniqueViolation as exc:
            raise EventConflict(f"event numbers {events[0].seq}-{events[-1].seq} of {interview_id} are taken") from exc

    async def get_events(
        self, interview_id: str, after_seq: int = 0, kinds: tuple[str, ...] = (), limit: int | None = None
    ) -> list[StoredEvent]:
        sql = "select seq, kind, at, payload from events where interview_id = ? and seq > ?"
        params: list[Any] = [interview_id, after_seq]
        if kinds:
            sql += f" and kind in ({', '.join('?' for _ in kinds)})"
            params += kinds
        sql += " order by seq"
        if limit is not None:
            sql += " limit ?"
            params.append(limit)
        return [event_from_row(r) for r in await self._fetch(sql, params)]

    async def last_event_seq(self, interview_id: str) -> int:
        rows = await self._fetch("select max(seq) as last from events where interview_id = ?", (interview_id,))
        return int(rows[0]["last"] or 0)

    async def _explain_no_change(self, interview_id: str) -> Exception:
        rows = await self._fetch("select status from interviews where id = ?", (interview_id,))
        if not rows:
            return InterviewNotFound(interview_id)
        return InterviewClosed(f"interview {interview_id} has already ended ({rows[0]['status']})")

    async def mark_started(
        self, interview_id: str, interviewer_state: dict[str, Any], pending: PendingQuestion | None = None
    ) -> None:
        now = utcnow()
        (changed,) = await self._transaction(
            [
                (
                    "update interviews set status = 'in_progress', started_at = coalesce(started_at, ?), "
                    f"interviewer_state = ?, pending_question = ? where id = ? and status in {_OPEN}",
                    (now, to_json(interviewer_state), pending_json(pending), interview_id),
                )
            ]
        )
        if not changed:
            raise await self._explain_no_change(interview_id)

    async def append_turn(
        self,
        interview_id: str,
        turn: StoredTurn,
        interviewer_state: dict[str, Any],
        pending: PendingQuestion | None = None,
    ) -> None:
        # The update comes first: on PostgreSQL it locks the interview's row, so a concurrent finish() or
        # append_turn() waits, and the insert's condition below sees the same status.
        try:
            changed, inserted = await self._transaction(
                [
                    (
                        "update interviews set interviewer_state = ?, pending_question = ?, status = 'in_progress', "
                        f"started_at = coalesce(started_at, ?) where id = ? and status in {_OPEN}",
                        (to_json(interviewer_state), pending_json(pending), turn.asked_at, interview_id),
                    ),
                    (
                        f"insert into turns ({TURN_COLUMNS}) select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        f"where exists (select 1 from interviews where id = ? and status in {_OPEN})",
                        (
                            interview_id,
                            turn.index,
                            turn.kind,
                            turn.question_number,
                            turn.question,
                            turn.answer,
                            turn.answered_by,
                            turn.asked_at,
                            turn.answer_started_at,
                            turn.answered_at,
                            turn.answer_duration_ms,
                            turn.response_gap_ms,
                            turn.interrupted,
                            turn.asked_by,
                            turn.asr_confidence,
                            interview_id,
                        ),
                    ),
                ]
            )
        except UniqueViolation as exc:
            raise TurnConflict(f"turn {turn.index} of interview {interview_id} is already recorded") from exc
        if not (changed and inserted):
            raise await self._explain_no_change(interview_id)

    async def finish(self, interview_id: str, status: str, reason: str) -> None:
        if status not in FINAL_STATUSES:
            raise ValueError(f"an interview finishes as one of {FINAL_STATUSES}, not {status!r}")
        (changed,) = await self._transaction(
            [
                (
                    "update interviews set status = ?, end_reason = ?, ended_at = ? "
                    f"where id = ? and status in {_OPEN}",
                    (status, reason, utcnow(), interview_id),
                )
            ]
        )
        if not changed and not await self._fetch("select 1 from interviews where id = ?", (interview_id,)):
            raise InterviewNotFound(interview_id)

    async def list_interviews(
        self, *, limit: int, offset: int = 0, job_title: str | None = None, status: str | None = None
    ) -> InterviewPage:
        conditions: list[str] = []
        params: list[Any] = []
        if job_title:
            conditions.append("lower(job_title) like ? escape '\\'")
            params.append(like_pattern(job_title))
        if status:
            conditions.append("status = ?")
            params.append(status)
        where = f"where {' and '.join(conditions)}" if conditions else ""
        count_rows = await self._fetch(f"select count(*) as total from interviews {where}", params)
        rows = await self._fetch(
            "select id, candidate_name, job_title, interview_type, num_questions, status, created_at, "
            "started_at, ended_at, final_score, "
            "(select count(*) from turns t where t.interview_id = interviews.id) as turn_count "
            f"from interviews {where} order by created_at desc, id desc limit ? offset ?",
            [*params, limit, offset],
        )
        return InterviewPage(items=[summary_from_row(r) for r in rows], total=count_rows[0]["total"])

    async def add_usage(self, interview_id: str, usage: dict[str, float]) -> None:
        # One session of an interview is live at a time (a newer one supersedes it), so read-add-write is safe.
        rows = await self._fetch("select usage from interviews where id = ?", (interview_id,))
        if not rows:
            raise InterviewNotFound(interview_id)
        total = dict(parse_json(rows[0]["usage"]) or {})
        for name, value in usage.items():
            total[name] = total.get(name, 0) + value
        await self._transaction([("update interviews set usage = ? where id = ?", (to_json(total), interview_id))])

    async def save_evaluation(
        self,
        interview_id: str,
        evaluations: list[QuestionEvaluation],
        final_score: float | None,
        report: dict[str, Any],
        evaluated_at: datetime | None = None,
    ) -> None:
        if not await self._fetch("select 1 from interviews where id = ?", (interview_id,)):
            raise InterviewNotFound(interview_id)
        now = evaluated_at or utcnow()
        statements: list[Statement] = [
            (
                "update interviews set final_score = ?, report = ?, evaluated_at = ? where id = ?",
                (final_score, to_json(report), now, interview_id),
            ),
            ("delete from questions where interview_id = ?", (interview_id,)),
        ]
        statements += [
            (f"insert into questions ({QUESTION_COLUMNS}) {QUESTION_VALUES}", question_row(interview_id, e))
            for e in evaluations
        ]
        try:
            await self._transaction(statements)
        except UniqueViolation as exc:
            raise ValueError("two evaluations for the same question number") from exc

    async def save_question_evaluation(self, interview_id: str, evaluation: QuestionEvaluation) -> None:
        if not await self._fetch("select 1 from interviews where id = ?", (interview_id,)):
            raise InterviewNotFound(interview_id)
        updates = ", ".join(f"{c} = excluded.{c}" for c in QUESTION_COLUMNS.split(", ")[2:])
        await self._transaction(
            [
                (
                    f"insert into questions ({QUESTION_COLUMNS}) {QUESTION_VALUES} "
                    f"on conflict (interview_id, question_number) do update set {updates}",
                    question_row(interview_id, evaluation),
                )
            ]
        )

    async def get_evaluations(self, interview_id: str) -> list[QuestionEvaluation]:
        rows = await self._fetch(
            f"select {QUESTION_COLUMNS} from questions where interview_id = ? order by question_number",
            (interview_id,),
        )
        return [evaluation_from_row(r) for r in rows]
