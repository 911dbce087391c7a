"""The CAMEO event code table, with QuadClass and Goldstein weights (vendored: see data/README.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from importlib import resources

from .errors import UnknownCameoCode


class QuadClass(IntEnum):
    """GDELT's four-way grouping of CAMEO root codes."""

    VERBAL_COOPERATION = 1
    MATERIAL_COOPERATION = 2
    VERBAL_CONFLICT = 3
    MATERIAL_CONFLICT = 4


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    quad_class: QuadClass
    goldstein: float
    """GDELT's Goldstein weight, detente's own weight for the code."""
    goldstein_icews: float

    @property
    def root(self) -> str:
        return self.code[:2]


@lru_cache(maxsize=1)
def _table() -> dict[str, CameoCode]:
    text = resources.files(__package__).joinpath("data/cameo_codes.csv").read_text(encoding="utf-8")
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(text.splitlines()):
        icews = float(row["goldstein_icews"])
        gdelt = float(row["goldstein_gdelt"]) if row["goldstein_gdelt"] else icews
        table[row["code"]] = CameoCode(
            code=row["code"],
            name=row["name"],
            quad_class=QuadClass(int(row["quad_class"])),
            goldstein=gdelt,
            goldstein_icews=icews,
        )
    return table


def cameo(code: str) -> CameoCode:
    """The entry for a CAMEO code given as text ('042'); UnknownCameoCode if there is none."""
    try:
        return _table()[str(code).strip()]
    except KeyError:
        raise UnknownCameoCode(str(code)) from None


def all_codes() -> list[CameoCode]:
    return list(_table().values())
