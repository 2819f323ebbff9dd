"""The settings gateway and workers must agree on, declared once: where Redis is and how long
what they keep there lives.  Server-side only (pydantic-settings, redis: the `server` extra);
the client never imports this module, and redis itself loads only when a client is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Self

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    import redis
    import redis.asyncio as aioredis

SECRETS_DIR = Path("/run/secrets")
CONNECT_TIMEOUT_S = 2.0
HEALTH_CHECK_S = 30


def secrets_dir() -> Path | None:
    """/run/secrets where it exists (containers); pydantic-settings warns about a missing one."""
    return SECRETS_DIR if SECRETS_DIR.is_dir() else None


class RedisSettings(BaseSettings):
    """Where Redis is (queue, test sets, results), and clients for it."""

    model_config = SettingsConfigDict(env_prefix="CRUCIBLE_", extra="ignore")

    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Queue, test sets, results.")
    redis_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("CRUCIBLE_REDIS_PASSWORD", "redis_password"),
        description="Used when the URL has none; env or secret file redis_password.",
    )

    @classmethod
    def from_environment(cls, **overrides: object) -> Self:
        """The settings from the environment and /run/secrets, with `overrides` on top."""
        return cls(_secrets_dir=secrets_dir(), **overrides)  # type: ignore[arg-type]

    def _password(self) -> str | None:
        # A password in the URL wins: redis-py lets the URL's options override these keywords.
        return self.redis_password.get_secret_value() if self.redis_password else None

    def sync_client(self, *, socket_timeout: float | None) -> redis.Redis:
        """A synchronous client (rq, the workers); `socket_timeout` None blocks without bound."""
        import redis

        return redis.Redis.from_url(
            self.redis_url,
            password=self._password(),
            socket_timeout=socket_timeout,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            health_check_interval=HEALTH_CHECK_S,
        )

    def async_client(self, *, max_connections: int, timeout: float) -> aioredis.Redis:
        """An asyncio client whose pool makes a request that finds every connection busy wait
        (up to `timeout`) for one, where redis-py's default pool would fail it at once: under
        a burst of hundreds of concurrent requests that failure was a spurious 503."""
        import redis.asyncio as aioredis

        pool = aioredis.BlockingConnectionPool.from_url(
            self.redis_url,
            password=self._password(),
            max_connections=max_connections,
            timeout=timeout,
            socket_timeout=timeout,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            health_check_interval=HEALTH_CHECK_S,
        )
        return aioredis.Redis.from_pool(pool)  # closing the client closes its pool


class SharedSettings(RedisSettings):
    """What the gateway and the workers both read and must see alike: Redis and the
    lifetimes of what both sides keep there.  Both deployables subclass this class."""

    result_ttl_s: int = Field(
        86400, ge=1, description="How long results stay in Redis; batches stay as long."
    )
    queue_grace_s: float = Field(
        900.0, gt=0, description="A queued job not started by then is enqueued again."
    )
