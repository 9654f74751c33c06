"""Structured JSON logs, one object per line, with the interview id on every line logged for a session.

The id travels in a context variable: set once where a session starts, it is inherited by every task the
session creates. Transcript text and tokens are never logged at the default level.
"""

from __future__ import annotations

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter

interview_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("interview_id", default=None)


_TOKEN = re.compile(r"(token=)[^&\s\"']+")


class InterviewIdFilter(logging.Filter):
    """Adds the interview id, and blanks link tokens (uvicorn logs WebSocket paths with their query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.interview_id = interview_id_var.get()
        message = record.getMessage()
        if "token=" in message:
            record.msg, record.args = _TOKEN.sub(r"\1[redacted]", message), None
        return True


def configure_logging(level: str = "info") -> dict:
    """Route the app's and uvicorn's logs through one JSON formatter; returns uvicorn's ``log_config``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"interview_id": {"()": InterviewIdFilter}},
        "formatters": {
            "json": {
                "()": JsonFormatter,
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(interview_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",  # by name: the config travels to worker processes
                "formatter": "json",
                "filters": ["interview_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }
