"""Shapes shared by several routers: locations (paths), problem documents, pages of results."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from archive.services.paths import LocationPath


class PathOut(BaseModel):
    office_code: str
    store_code: str | None
    shelf_number: int | None
    tier_number: int | None
    box_number: int | None
    position: int | None
    text: str
    text_en: str

    @classmethod
    def of(cls, path: LocationPath) -> PathOut:
        return cls(
            office_code=path.office_code,
            store_code=path.store_code,
            shelf_number=path.shelf_number,
            tier_number=path.tier_number,
            box_number=path.box_number,
            position=path.position,
            text=path.text("vi"),
            text_en=path.text("en"),
        )


class Problem(BaseModel):
    """RFC 9457 problem details, with our stable code and both languages."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:bhxh-archive:problem:identifier.ssn",
                    "title": "Social-insurance number “48030042391” is invalid: it must be exactly 10 digits.",
                    "status": 422,
                    "detail": "Mã số BHXH “48030042391” không hợp lệ: phải gồm đúng 10 chữ số.",
                    "code": "identifier.ssn",
                    "message_vi": "Mã số BHXH “48030042391” không hợp lệ: phải gồm đúng 10 chữ số.",
                    "message_en": "Social-insurance number “48030042391” is invalid: it must be exactly 10 digits.",
                    "params": {"value": "48030042391"},
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str
    code: str
    message_vi: str
    message_en: str
    params: dict[str, object]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not logged in, or a bad token"},
    403: {"model": Problem, "description": "Missing permission or outside the office scope"},
    404: {"model": Problem, "description": "No such object"},
    409: {"model": Problem, "description": "Conflicts with existing data"},
    422: {"model": Problem, "description": "Invalid input"},
}
