"""One Settings object, read once at the edge (app factory or CLI) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "dev-only-change-me"


class Settings(BaseSettings):
    """Every setting of the service; each one is documented in the README (tested)."""

    model_config = SettingsConfigDict(env_prefix="ARCHIVE_", frozen=True, extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Path("var")
    database_url: str = ""
    queue_url: str = ""
    search_backend: Literal["tantivy", "whoosh", "postgresql"] = "tantivy"
    secret_key: SecretStr = SecretStr(PLACEHOLDER_SECRET)
    host: str = "127.0.0.1"
    port: int = 8000
    session_hours: int = 12
    default_language: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    import_job_threshold: int = 2000
    job_lease_minutes: int = 10
    scan_dpi: int = 300
    ocr_languages: str = "vie"
    ocr_timeout_seconds: float = 120.0
    ocr_review_below: float = 70.0
    page_lease_seconds: int = 600
    upload_max_mb: int = 500
    overdue_level2_days: int = 5
    overdue_level3_days: int = 15
    reading_room_closes: str = "17:00"

    @property
    def originals_dir(self) -> Path:
        """Where scanned originals are kept (content-addressed, read-only)."""
        return self.data_dir / "originals"

    @property
    def derived_dir(self) -> Path:
        """Where page images and thumbnails made from the originals are kept."""
        return self.data_dir / "derived"

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env == "prod" and self.secret_key.get_secret_value() == PLACEHOLDER_SECRET:
            raise ValueError(
                "ARCHIVE_SECRET_KEY must be set to a real secret when ARCHIVE_ENV=prod"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        """The configured database, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'archive.sqlite3').resolve()}"

    @property
    def effective_queue_url(self) -> str:
        """The configured queue (redis://…), or huey's SQLite storage under the data directory."""
        if self.queue_url:
            return self.queue_url
        return f"sqlite:///{(self.data_dir / 'queue.sqlite3').resolve()}"
