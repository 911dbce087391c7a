"""Actors: states as ISO 3166-1 alpha-3 codes, plus a short vetted list of international organisations.

Names, alpha-2 codes and CAMEO's few non-ISO country codes all resolve to the same value (`Actor.resolve`,
for what a person types). A dataset column is read strictly instead, so that a missing-value marker
never becomes a country (ICEWS's `NA` is not Namibia): `Actor.from_code` for a column of three-letter
codes (ISO alpha-3 and CAMEO's own), `Actor.from_name` for a column of country names. Neither takes an
alpha-2 code nor guesses.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownActor

# CAMEO country codes that differ from ISO 3166-1 alpha-3 (GDELT's CAMEO.country.txt).
# WSB (West Bank) and GZS (Gaza Strip) are territories CAMEO codes apart; detente records both as
# PSE, the ISO code for Palestine.
CAMEO_TO_ISO = {"ROM": "ROU", "TMP": "TLS", "MTN": "MNE", "IMY": "IMN", "WSB": "PSE", "GZS": "PSE"}

# International organisations, coded as CAMEO codes them (the known-group part of an IGO actor code,
# e.g. GDELT's IGOUNO, IGOEUREEC, IGOWSTNAT). Kept short on purpose: add one only when a source names it.
ORGANISATIONS = {
    "UNO": ("United Nations", ("UN", "U.N.", "United Nations", "UN Security Council", "UNSC")),
    "EEC": ("European Union", ("EU", "European Union")),
    "NAT": ("NATO", ("NATO", "North Atlantic Treaty Organization")),
    "ASN": ("ASEAN", ("ASEAN", "Association of Southeast Asian Nations")),
    "WBK": ("World Bank", ("World Bank",)),
}

# Common names that pycountry does not carry.
ALIASES = {
    "DPRK": "PRK",
    "ROK": "KOR",
    "Korea DPR": "PRK",
    "Republic of Korea": "KOR",
    "Russia": "RUS",
    "USA": "USA",
    "US": "USA",
    "U.S.": "USA",
    "United States of America": "USA",
    "UK": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "Iran": "IRN",
    "Syria": "SYR",
    "Vietnam": "VNM",
    "Laos": "LAO",
    "Taiwan": "TWN",
    "Palestine": "PSE",
    "Occupied Palestinian Territory": "PSE",
    "Turkey": "TUR",
    "Czech Republic": "CZE",
    "Ivory Coast": "CIV",
    "Democratic Republic of Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Republic of Congo": "COG",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Macedonia": "MKD",
    "Burma": "MMR",
    "Brunei": "BRN",
    "Vatican": "VAT",
    "Holy See": "VAT",
    "Micronesia": "FSM",
    "Kosovo": "XKX",
}

# Short names for display where pycountry has only the formal one ("Korea, Republic of").
DISPLAY_NAMES = {
    "RUS": "Russia",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "IRN": "Iran",
    "SYR": "Syria",
    "VNM": "Vietnam",
    "VEN": "Venezuela",
    "BOL": "Bolivia",
    "TZA": "Tanzania",
    "MDA": "Moldova",
    "LAO": "Laos",
    "GBR": "United Kingdom",
    "USA": "United States",
    "PSE": "Palestine",
    "COD": "DR Congo",
}

# Kosovo has no ISO 3166-1 entry; XKX is the code the EU and others use for it.
EXTRA_STATES = {"XKX": "Kosovo"}


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(lookup key -> code, code -> display name), built once on first use."""
    import pycountry

    lookup: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        display = getattr(country, "common_name", None) or country.name
        names[code] = display
        for text in (code, country.alpha_2, country.name, display, getattr(country, "official_name", None)):
            if text:
                lookup.setdefault(_key(text), code)
    names.update(DISPLAY_NAMES)
    for code, display in EXTRA_STATES.items():
        names[code] = display
        lookup[_key(code)] = code
    for alias, code in ALIASES.items():
        lookup[_key(alias)] = code
    for cameo, iso in CAMEO_TO_ISO.items():
        lookup.setdefault(_key(cameo), iso)
    for code, (display, aliases) in ORGANISATIONS.items():
        names[code] = display
        lookup[_key(code)] = code
        for alias in aliases:
            lookup[_key(alias)] = code
    return lookup, names


@dataclass(frozen=True, order=True)
class Actor:
    """A state (ISO 3166-1 alpha-3) or a vetted international organisation (CAMEO IGO code)."""

    code: str

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return _index()[1].get(self.code, self.code)

    @property
    def is_organisation(self) -> bool:
        return self.code in ORGANISATIONS

    @classmethod
    def resolve(cls, text: str | Actor) -> Actor:
        """The actor named by a code or a name; UnknownActor with suggestions otherwise."""
        if isinstance(text, Actor):
            return text
        return _resolve_text(str(text))

    @classmethod
    def from_code(cls, code: str) -> Actor:
        """Trusting constructor for codes read back from the store (already resolved once)."""
        return cls(code)

    @classmethod
    def from_alpha3(cls, code: str) -> Actor:
        """The actor a three-letter code names (ISO alpha-3, CAMEO's few own, an organisation's); no names,
        no alpha-2 codes. UnknownActor otherwise."""
        found = _strict_indexes()[0].get(code)
        if found is None:
            raise UnknownActor(code, [])
        return cls(found)

    @classmethod
    def from_name(cls, name: str) -> Actor:
        """The actor a full name names (ISO 3166 names, common aliases, organisations' names); no codes.
        UnknownActor otherwise."""
        found = _strict_indexes()[1].get(_key(name))
        if found is None:
            raise UnknownActor(name, suggest(name))
        return cls(found)


@lru_cache(maxsize=4096)
def _resolve_text(text: str) -> Actor:
    """Imports name the same few hundred actors over and over; an Actor is immutable, so each text is looked
    up once (an unknown one raises each time: exceptions are not cached)."""
    lookup, _ = _index()
    code = lookup.get(_key(text))
    if code is None:
        raise UnknownActor(text, suggest(text))
    return Actor(code)


@lru_cache(maxsize=1)
def _strict_indexes() -> tuple[dict[str, str], dict[str, str]]:
    """(three-letter code -> code, name key -> code), for reading dataset columns."""
    import pycountry

    codes: dict[str, str] = {country.alpha_3: country.alpha_3 for country in pycountry.countries}
    codes.update({code: code for code in EXTRA_STATES})
    codes.update(CAMEO_TO_ISO)
    codes.update({code: code for code in ORGANISATIONS})
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for text in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if text:
                names.setdefault(_key(text), country.alpha_3)
    names.update({_key(display): code for code, display in EXTRA_STATES.items()})
    names.update({_key(alias): code for alias, code in ALIASES.items() if not _is_abbreviation(alias)})
    for code, (display, aliases) in ORGANISATIONS.items():
        names[_key(display)] = code
        names.update({_key(alias): code for alias in aliases if not _is_abbreviation(alias)})
    return codes, names


def _is_abbreviation(text: str) -> bool:
    """'DPRK', 'U.S.', 'UNSC': letters in capitals only, so a code rather than a name."""
    letters = text.replace(".", "").replace(" ", "")
    return letters.isupper() and len(letters) <= 5


def suggest(text: str, limit: int = 4) -> list[str]:
    """Nearest known names and codes, formatted 'Name (CODE)'."""
    lookup, names = _index()
    matches = difflib.get_close_matches(_key(text), list(lookup), n=limit * 3, cutoff=0.6)
    seen: list[str] = []
    for match in matches:
        code = lookup[match]
        label = f"{names.get(code, code)} ({code})"
        if label not in seen:
            seen.append(label)
    return seen[:limit]


def known_actors() -> dict[str, str]:
    """Every code detente accepts, with its display name."""
    return dict(_index()[1])
