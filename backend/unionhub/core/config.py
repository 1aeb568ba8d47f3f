"""Settings read from the environment (and a .env file beside the process)."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from unionhub.core.middleware import parse_networks

DEMO_SECRET = "unionhub-demo-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/unionhub"
    db_pool_size: int = 10
    db_max_overflow: int = 10
    # Connections (and as many more under load) of the pool that keeps generic plans, for the
    # few statements whose plan cannot depend on their values (core.db.get_generic_engine).
    db_generic_pool_size: int = Field(default=4, ge=1)
    # Connections of the job queue's own pool (per process; a worker needs its concurrency + 3).
    queue_pool_size: int = 4
    # Jobs running when a worker is asked to stop get this long to finish, then are cut short
    # (their transaction rolls back) and run again by another worker.
    worker_shutdown_seconds: float = 30.0
    # A worker's heartbeat interval; one silent this long is taken for dead (its jobs run again).
    worker_heartbeat_seconds: float = Field(default=5.0, gt=0)
    worker_stalled_seconds: float = Field(default=20.0, gt=0)
    # Address space a worker may use (MB, 0: no limit): a file that needs more fails its import
    # with a reason instead of taking the machine's memory.
    worker_memory_mb: int = Field(default=2048, ge=0)
    # Seconds a request waits for a pooled connection before it answers 503 (Retry-After).
    db_pool_timeout: float = 10.0
    # Pooled connections older than this are replaced at checkout (no ping per request).
    db_pool_recycle_seconds: float = Field(default=1800.0, gt=0)
    # How long a process reuses a signed-in caller's principal (user, roles, open session)
    # without reading it again (0: read on every request). A change of roles or a sign-out made
    # by this process applies at once; one made by another process within this many seconds.
    principal_cache_seconds: float = Field(default=5.0, ge=0)

    jwt_secret: str = DEMO_SECRET
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    # A spent refresh token presented again within this many seconds is a race, not theft.
    refresh_reuse_grace_seconds: int = 10

    # Integration clients (OAuth2 client credentials): their access tokens are short-lived
    # and carry no refresh token; a rotated secret stays valid this long beside the new one.
    client_access_token_minutes: int = Field(default=10, ge=1, le=60)
    client_secret_overlap_hours: int = Field(default=24, ge=0, le=24 * 30)
    # Requests per minute of one client, across every replica (its own limit may be lower).
    client_rate_limit_per_minute: int = Field(default=600, ge=1)
    # A client's POST with a known Idempotency-Key within this many hours gets the first answer.
    idempotency_hours: int = Field(default=24, ge=1, le=24 * 7)

    # Member e-cards: the ES256 keys (core.security.card_keys) and how long a card token is valid.
    card_keys_file: str = ""
    card_valid_days: int = Field(default=365, ge=1, le=5 * 365)
    # How long a one-time code an officer issues for a member's account activation stays usable.
    activation_code_days: int = Field(default=14, ge=1, le=90)

    # Webhooks: seconds before each retry of a failed delivery (the sum spans over 24 h), how
    # many deliveries in a row may fail before the subscription is disabled, and the networks
    # (CIDR, comma-separated) an administrator allows as targets although they are private,
    # loopback or link-local (refused otherwise).
    webhook_retry_seconds: str = "5,30,120,600,1800,3600,7200,14400,28800,43200"
    webhook_disable_after: int = Field(default=5, ge=1)
    webhook_allowed_networks: str = ""
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def webhook_retries(self) -> list[int]:
        return [int(s) for s in self.webhook_retry_seconds.split(",") if s.strip()]

    # The change feed keeps events this many days (a daily job prunes older ones).
    change_retention_days: int = Field(default=90, ge=1)

    # argon2id cost; tests lower it so the suite stays fast
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 2

    # Who must send If-Match on edits (428 otherwise): integration clients only, or everyone.
    # People keep it optional by default: the web app always sends it (frontend test), and
    # a person's API script that omits it gets last-write-wins, which docs/api.md spells out.
    require_if_match: Literal["clients", "everyone"] = "clients"

    # Searches by a personal ID / phone-like number per user and window (members.id_search).
    id_search_limit: int = 30
    id_search_window_seconds: int = 600

    # sign-in throttling
    login_slowdown_after: int = 3
    login_lock_after: int = 5
    login_ip_lock_after: int = 30
    login_max_lock_seconds: int = 900

    # Addresses or networks (CIDR, comma-separated) of the reverse proxies whose
    # X-Forwarded-For / X-Forwarded-Proto are believed; empty: no proxy, the peer is the client.
    forwarded_allow_ips: str = ""
    # Largest request body (the importer's 20 MB spreadsheets plus the multipart envelope).
    max_body_bytes: int = 25 * 1024 * 1024

    frontend_dist: str = Field(default="", description="Folder of the built web app, served at /")
    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("forwarded_allow_ips", "webhook_allowed_networks")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        parse_networks(value)  # refuse to start on a value that does not parse
        return value

    @model_validator(mode="after")
    def _no_demo_secret_in_production(self) -> "Settings":
        if self.environment == "production" and (
            self.jwt_secret == DEMO_SECRET or len(self.jwt_secret) < 32
        ):
            raise ValueError(
                "JWT_SECRET must be set to a private value of 32+ characters when "
                "ENVIRONMENT=production; refusing to start with the demo secret."
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
