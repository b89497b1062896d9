"""Settings: the only place that reads the environment or a `.env` file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_REQUESTS_PER_MINUTE = 100
DEFAULT_BATCH_SIZE = 60


@dataclass(frozen=True)
class Settings:
    """Where to load and how hard to push. `api_key` is never written anywhere."""

    api_url: str | None = None
    api_key: str | None = None
    requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE
    batch_size: int = DEFAULT_BATCH_SIZE
    salesmate_link_name: str | None = None
    salesmate_access_key: str | None = None
    requests_per_minute_set: bool = False  # TWENTY_REQUESTS_PER_MINUTE was given, not defaulted

    @property
    def uses_emulator(self) -> bool:
        return not (self.api_url and self.api_key)

    @classmethod
    def from_env(cls, env_file: str | Path | None = ".env") -> Settings:
        """Environment first, then a `.env` file beside the working directory."""
        file_values: dict[str, str | None] = {}
        if env_file is not None and Path(env_file).is_file():
            file_values = dotenv_values(env_file)

        def get(name: str) -> str | None:
            value = os.environ.get(name) or file_values.get(name)
            return value.strip() if value else None

        budget = get("TWENTY_REQUESTS_PER_MINUTE")
        return cls(
            api_url=get("TWENTY_API_URL"),
            api_key=get("TWENTY_API_KEY"),
            requests_per_minute=int(budget or DEFAULT_REQUESTS_PER_MINUTE),
            requests_per_minute_set=bool(budget),
            batch_size=int(get("TWENTY_BATCH_SIZE") or DEFAULT_BATCH_SIZE),
            salesmate_link_name=get("SALESMATE_LINK_NAME"),
            salesmate_access_key=get("SALESMATE_ACCESS_KEY"),
        )

    def __repr__(self) -> str:
        key = "set" if self.api_key else "unset"
        sm = "set" if self.salesmate_access_key else "unset"
        return (
            f"Settings(api_url={self.api_url!r}, api_key=<{key}>, "
            f"requests_per_minute={self.requests_per_minute}, batch_size={self.batch_size}, "
            f"salesmate_link_name={self.salesmate_link_name!r}, salesmate_access_key=<{sm}>)"
        )

    __str__ = __repr__
