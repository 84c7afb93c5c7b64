"""All models, imported here so that `Base.metadata` is complete for Alembic and tests."""

from archive.models.accounts import ROLES, ApiToken, OfficeGrant, User, UserRole, WebSession
from archive.models.audit import AuditEvent, AuditHead
from archive.models.base import Base, utcnow
from archive.models.files import (
    FILE_STATUSES,
    RETENTION_TRIGGERS,
    SERIES_KINDS,
    Employer,
    File,
    Movement,
    Person,
    RetentionRule,
    Series,
)
from archive.models.handover import HandoverBatch, HandoverItem
from archive.models.jobs import Job
from archive.models.locations import BarcodeCounter, Box, BoxProfile, Office, Shelf, Store, Tier
from archive.models.saved_searches import SavedSearch
from archive.models.scans import (
    BATCH_SOURCES,
    PAGE_ROLES,
    PAGE_STATUSES,
    Page,
    ScanBatch,
    ScanFolder,
    ScanSource,
    SearchOutbox,
)

__all__ = [
    "BATCH_SOURCES",
    "FILE_STATUSES",
    "PAGE_ROLES",
    "PAGE_STATUSES",
    "RETENTION_TRIGGERS",
    "ROLES",
    "SERIES_KINDS",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "BarcodeCounter",
    "Base",
    "Box",
    "BoxProfile",
    "Employer",
    "File",
    "HandoverBatch",
    "HandoverItem",
    "Job",
    "Movement",
    "Office",
    "OfficeGrant",
    "Page",
    "Person",
    "RetentionRule",
    "SavedSearch",
    "ScanBatch",
    "ScanFolder",
    "ScanSource",
    "SearchOutbox",
    "Series",
    "Shelf",
    "Store",
    "Tier",
    "User",
    "UserRole",
    "WebSession",
    "utcnow",
]
