"""Who the datasets' actor columns name: a state, an organisation, or something that is not a state.

GDELT's Actor*CountryCode columns hold CAMEO country codes: ISO 3166-1 alpha-3 with a few exceptions
(resolved by `Actor.from_alpha3`), plus regional codes that name no state. ICEWS names countries in full
English, with a few spellings of its own (`Actor.from_name`). Both are read strictly: never an alpha-2
code, never a guess, and a missing-value marker (`MISSING`: ICEWS writes `NA`) names no country.
"""

from __future__ import annotations

from functools import lru_cache

from detente.domain.actors import ORGANISATIONS, Actor

# CAMEO country codes that are not states (GDELT's CAMEO.country.txt): 25 regions, the city of Baghdad
# (BAG) and the Netherlands Antilles (ANT, dissolved in 2010; no ISO 3166-1 code). Rows naming them are
# outside the import, like domestic rows, not errors.
NOT_STATES = frozenset(
    {
        "AFR", "ASA", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM",
        "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST",
        "BAG", "ANT",
    }
)  # fmt: skip

# How the datasets write "no value" in a column (ICEWS's files come from R, which writes NA).
MISSING = frozenset({"", "NA", "N/A", "NULL", "None"})

# Country names as ICEWS spells them where pycountry and detente's aliases do not (found in the ICEWS
# 2018 files: ICEWS keeps pre-2019 names and drops the circumflex of Côte d'Ivoire).
ICEWS_SPELLINGS = {
    "Cote d'Ivoire": "CIV",
    "the former Yugoslav Republic of Macedonia": "MKD",
    "Swaziland": "SWZ",
}


@lru_cache(maxsize=1024)
def state_for_code(code: str) -> Actor | None:
    """The state a CAMEO country code names; None for a region; UnknownActor for an unknown code."""
    if code in NOT_STATES:
        return None
    actor = Actor.from_alpha3(code)
    return None if actor.is_organisation else actor


def organisation_for_group(group: str) -> Actor | None:
    """The organisation a CAMEO known-group code names (UNO, EEC, NAT, ASN, WBK), if detente knows it."""
    return Actor(group) if group in ORGANISATIONS else None


@lru_cache(maxsize=1024)
def state_for_name(name: str) -> Actor:
    """The actor an ICEWS country name names; UnknownActor (with suggestions) if none."""
    spelling = ICEWS_SPELLINGS.get(name)
    return Actor.from_alpha3(spelling) if spelling else Actor.from_name(name)
