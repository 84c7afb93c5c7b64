"""Who may do what: roles → permissions, and the office scope of an actor."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from archive.errors import Forbidden


class Perm(StrEnum):
    REGISTER_READ = "register.read"
    REGISTER_WRITE = "register.write"
    LOCATIONS_MANAGE = "locations.manage"
    HANDOVER = "handover.manage"
    IMPORT = "import.run"
    REPORTS = "reports.read"
    SERIES_MANAGE = "series.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_READ = "audit.read"
    PERSONAL_DATA = "personal_data.read"
    SCAN = "scans.manage"
    LOAN_REQUEST = "loans.request"
    USE_APPROVE = "use.approve"
    USE_DESK = "use.desk"
    USE_SETTINGS = "use.settings"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    "administrator": frozenset(Perm),
    "archivist": frozenset(
        {
            Perm.REGISTER_READ,
            Perm.REGISTER_WRITE,
            Perm.LOCATIONS_MANAGE,
            Perm.HANDOVER,
            Perm.IMPORT,
            Perm.REPORTS,
            Perm.PERSONAL_DATA,
            Perm.SCAN,
            Perm.LOAN_REQUEST,
            Perm.USE_DESK,
        }
    ),
    "approver": frozenset(
        {
            Perm.REGISTER_READ,
            Perm.REPORTS,
            Perm.PERSONAL_DATA,
            Perm.LOAN_REQUEST,
            Perm.USE_APPROVE,
        }
    ),
    "staff": frozenset({Perm.REGISTER_READ, Perm.PERSONAL_DATA, Perm.LOAN_REQUEST}),
    "inspector": frozenset({Perm.REGISTER_READ, Perm.REPORTS, Perm.AUDIT_READ}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user (with roles and office scope) or a named system process."""

    user_id: int | None
    label: str
    roles: frozenset[str] = frozenset()
    office_id: int | None = None
    # None means every office; otherwise the offices whose holdings this actor may see.
    office_ids: frozenset[int] | None = field(default=frozenset())

    @classmethod
    def system(cls, name: str) -> Actor:
        """A process acting on its own (worker, CLI, migration): every permission, every office."""
        return cls(
            user_id=None,
            label=f"system:{name}",
            roles=frozenset({"administrator"}),
            office_ids=None,
        )

    @property
    def perms(self) -> frozenset[Perm]:
        out: set[Perm] = set()
        for role in self.roles:
            out |= ROLE_PERMS.get(role, frozenset())
        return frozenset(out)

    def has(self, perm: Perm) -> bool:
        return perm in self.perms

    def sees_office(self, office_id: int) -> bool:
        return self.office_ids is None or office_id in self.office_ids


def require(actor: Actor, perm: Perm) -> None:
    """Refuse unless the actor holds `perm`."""
    if not actor.has(perm):
        raise Forbidden("auth.permission", perm=perm.value)


def require_office(actor: Actor, office_id: int) -> None:
    """Refuse unless the actor's office scope covers `office_id`."""
    if not actor.sees_office(office_id):
        raise Forbidden("auth.office_scope", office_id=office_id)
