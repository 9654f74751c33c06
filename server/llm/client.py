"""The OpenAI SDK client and the failure rule shared by every ``openai`` engine.

The rule: a call is tried twice; a transport error, an HTTP error (429, 5xx, ...), a timeout or an
invalid reply each count as a failure; after the second failure the builtin engine answers, and the
caller records why. The SDK's own retries are off so that this rule is the only one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import openai
from openai.types.chat import (
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from pydantic import ValidationError

from server.config import Settings

ATTEMPTS = 2
T = TypeVar("T")


class InvalidOutput(ValueError):
    """The model answered, but not with something usable."""


#: Exceptions that mean "the model failed"; anything else is a bug and propagates.
MODEL_FAILURES: tuple[type[Exception], ...] = (openai.OpenAIError, InvalidOutput, ValidationError, TimeoutError)


def make_client(settings: Settings) -> openai.AsyncOpenAI:
    """A client for OpenAI or any compatible server. Local servers (Ollama, vLLM) need no key."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return openai.AsyncOpenAI(
        api_key=key, base_url=settings.openai_base_url, timeout=settings.openai_timeout_s, max_retries=0
    )


def chat_messages(system: str, user: str) -> list[ChatCompletionMessageParam]:
    """The two messages every call sends: instructions, then the turn's context with fenced data."""
    return [
        ChatCompletionSystemMessageParam(role="system", content=system),
        ChatCompletionUserMessageParam(role="user", content=user),
    ]


def describe_failure(exc: BaseException) -> str:
    """A short, log- and report-safe reason (never the response body, which may echo untrusted text)."""
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError):
        return "connection error"
    if isinstance(exc, InvalidOutput):
        return f"invalid output ({exc})"
    if isinstance(exc, ValidationError):
        return f"invalid output ({exc.error_count()} schema error(s))"
    return type(exc).__name__


async def call_with_retry(call: Callable[[], Awaitable[T]], delay_s: float) -> T:
    """Run ``call`` up to :data:`ATTEMPTS` times; raise :class:`ModelFailed` with both reasons if all fail."""
    reasons: list[str] = []
    for attempt in range(ATTEMPTS):
        try:
            return await call()
        except MODEL_FAILURES as exc:
            reasons.append(describe_failure(exc))
            if attempt + 1 < ATTEMPTS:
                await asyncio.sleep(delay_s)
    raise ModelFailed(reasons)


class ModelFailed(RuntimeError):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
