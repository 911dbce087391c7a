"""GDELT 2.0 Events exports (`*.export.CSV`, or `.export.CSV.zip`) as records to import.

A GDELT export has no header and 61 tab-separated columns (`COLUMNS`, from GDELT's Event Codebook V2.0).
Each kept row becomes one `cameo` record:

- id `gdelt:<GLOBALEVENTID>`; code `EventCode` as text ('010' is not '10');
- date `SQLDATE`; actor and target from `Actor1CountryCode` and `Actor2CountryCode`;
- one source: `SOURCEURL`, published at `DATEADDED` (UTC), which is when GDELT first saw the event and
  so its knowledge time for `known_at` queries;
- provenance: dataset, file, GLOBALEVENTID, GoldsteinScale (as `dataset_weight`), NumMentions,
  NumSources, NumArticles, AvgTone, IsRootEvent and the raw actor codes.

By default a row is kept when both country codes name states (regional codes such as EUR or WST name
none; an empty column names no country) and the two states differ; the others are counted by reason in
`left_out`. A country code is CAMEO's or ISO's alpha-3, read strictly (`Actor.from_alpha3`). Options narrow that; the CLI exposes them under these names:

- `min_mentions` (`--min-mentions N`): keep rows whose NumMentions is at least N (default 0);
- `roots` (`--root 14 --root 18`, or '14,18'): keep rows whose CAMEO root code is one of these;
- `actor_types` (`--actor-type GOV --actor-type MIL`): keep rows where both Actor1Type1Code and
  Actor2Type1Code are one of these CAMEO type codes (GOV government, MIL military, ...);
- `organisations` (`--organisations`): also keep rows where an actor is one of detente's international
  organisations, named by its Actor*KnownGroupCode (UNO, EEC, NAT, ASN, WBK).

Bad rows (wrong column count, malformed dates or numbers, unknown CAMEO codes or country codes, lines not
in UTF-8) are yielded as errors with their line numbers. A GoldsteinScale that is not GDELT's weight for
the code is listed in `weight_mismatches`; the row is imported with the table's weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from detente.domain.actors import Actor
from detente.domain.cameo import CameoCode, cameo
from detente.domain.errors import DetenteError
from detente.interchange.limits import clipped
from detente.interchange.records import Record, cameo_record

from . import options
from .actors import MISSING, organisation_for_group, state_for_code
from .errors import BadDatasetRow, number_in
from .reader import BY_OPTION, NO_COUNTRY, NOT_A_STATE, SAME_COUNTRY, DatasetReader

COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code",
    "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code",
    "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code",
    "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
    "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL",
)  # fmt: skip
COLUMN = {name: index for index, name in enumerate(COLUMNS)}
OPTIONS = ("min_mentions", "roots", "actor_types", "organisations")

_ID, _DAY, _ADDED, _URL = COLUMN["GLOBALEVENTID"], COLUMN["SQLDATE"], COLUMN["DATEADDED"], COLUMN["SOURCEURL"]
_CODE, _GOLDSTEIN, _MENTIONS = COLUMN["EventCode"], COLUMN["GoldsteinScale"], COLUMN["NumMentions"]
_NUM_SOURCES, _NUM_ARTICLES, _AVG_TONE = COLUMN["NumSources"], COLUMN["NumArticles"], COLUMN["AvgTone"]
_IS_ROOT = COLUMN["IsRootEvent"]


class ActorColumns(NamedTuple):
    """Where an actor's columns are: Actor1… or Actor2…."""

    country: int
    group: int
    type1: int
    name: int
    code: int

    @classmethod
    def of(cls, number: int) -> ActorColumns:
        names = ("CountryCode", "KnownGroupCode", "Type1Code", "Name", "Code")
        return cls(*(COLUMN[f"Actor{number}{name}"] for name in names))


_ACTOR1, _ACTOR2 = ActorColumns.of(1), ActorColumns.of(2)


class GdeltReader(DatasetReader):
    """Stream a GDELT 2.0 events export as (line number, raw record | error); see the module docstring."""

    dataset = "gdelt"

    def __init__(
        self,
        path: str | Path,
        *,
        min_mentions: int = 0,
        roots: Iterable[str | int] | None = None,
        actor_types: Iterable[str] | None = None,
        organisations: bool = False,
    ) -> None:
        super().__init__(path)
        self.min_mentions = options.at_least(min_mentions, "min_mentions")
        self.roots = options.root_codes(roots)
        self.actor_types = options.actor_types(actor_types)
        self.organisations = bool(organisations)

    def convert(self, number: int, fields: list[str]) -> Record | str | None:
        if len(fields) != len(COLUMNS):
            raise BadDatasetRow(
                f"expected {len(COLUMNS)} tab-separated columns, found {len(fields)}: is the line truncated, "
                "or not from a GDELT 2.0 events export?"
            )
        actor, target = self._actor(fields, _ACTOR1), self._actor(fields, _ACTOR2)
        if isinstance(actor, str) or isinstance(target, str):
            return NO_COUNTRY if NO_COUNTRY in (actor, target) else NOT_A_STATE
        if actor == target:
            return SAME_COUNTRY
        code = _cameo(fields[_CODE])
        if self.roots is not None and code.root not in self.roots:
            return BY_OPTION
        if self.actor_types is not None and not (
            fields[_ACTOR1.type1] in self.actor_types and fields[_ACTOR2.type1] in self.actor_types
        ):
            return BY_OPTION
        mentions = _whole(fields[_MENTIONS], "NumMentions")
        if mentions < self.min_mentions:
            return BY_OPTION
        if not fields[_ID].isdigit():
            raise BadDatasetRow(f"GLOBALEVENTID {clipped(fields[_ID])} is not a number: is the row shifted?")
        record = self._record(fields, actor, target, code, mentions)
        self.note_weight(number, "GoldsteinScale", record.specific["provenance"]["dataset_weight"], code, code.goldstein)
        return record

    def _actor(self, fields: list[str], columns: ActorColumns) -> Actor | str:
        """The state (or, with `organisations`, the organisation) an actor's columns name, else why none."""
        if self.organisations:
            organisation = organisation_for_group(fields[columns.group])
            if organisation is not None:
                return organisation
        country = fields[columns.country]
        if country in MISSING:
            return NO_COUNTRY
        try:
            return state_for_code(country) or NOT_A_STATE
        except DetenteError:
            raise BadDatasetRow(
                f"unknown CAMEO country code {clipped(country)} in {COLUMNS[columns.country]}: "
                "not a state detente knows nor a CAMEO region; check the row."
            ) from None

    def _record(self, fields: list[str], actor: Actor, target: Actor, code: CameoCode, mentions: int) -> Record:
        event_id, url = fields[_ID], fields[_URL]
        name1, name2 = fields[_ACTOR1.name] or actor.code, fields[_ACTOR2.name] or target.code
        return cameo_record(
            f"gdelt:{event_id}",
            code.code,
            _day(fields[_DAY]),
            actor,
            target,
            f"{name1} → {name2}: {code.name}",
            {"url": url, "published": _moment(fields[_ADDED]), "publisher": _publisher(url)},
            {
                "dataset": "gdelt",
                "file": self.file_name,
                "source_id": event_id,
                "dataset_weight": number_in(fields[_GOLDSTEIN], "GoldsteinScale"),
                "num_mentions": mentions,
                "num_sources": _whole(fields[_NUM_SOURCES], "NumSources"),
                "num_articles": _whole(fields[_NUM_ARTICLES], "NumArticles"),
                "avg_tone": number_in(fields[_AVG_TONE], "AvgTone"),
                "is_root_event": fields[_IS_ROOT] == "1",
                "actor1_code": fields[_ACTOR1.code],
                "actor2_code": fields[_ACTOR2.code],
            },
        )


def _cameo(text: str) -> CameoCode:
    try:
        return cameo(text)
    except DetenteError:
        raise BadDatasetRow(f"EventCode {clipped(text)} is not a CAMEO event code: check the row.") from None


@lru_cache(maxsize=4096)
def _day(text: str) -> str:
    """SQLDATE (YYYYMMDD) as an ISO date. A file holds few distinct days, so each is parsed once."""
    try:
        if len(text) != 8:
            raise ValueError
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        raise BadDatasetRow(f"SQLDATE {clipped(text)} is not a date written YYYYMMDD: check the row.") from None


@lru_cache(maxsize=65_536)
def _moment(text: str) -> str:
    """DATEADDED (YYYYMMDDHHMMSS, UTC) as an ISO date-time; one value per 15-minute file, parsed once."""
    try:
        if len(text) != 14:
            raise ValueError
        parts = (text[:4], text[4:6], text[6:8], text[8:10], text[10:12], text[12:])
        return datetime(*(int(part) for part in parts)).isoformat() + "+00:00"  # type: ignore[misc]
    except ValueError:
        raise BadDatasetRow(
            f"DATEADDED {clipped(text)} is not a moment written YYYYMMDDHHMMSS: check the row."
        ) from None


def _whole(text: str, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise BadDatasetRow(f"{column} {clipped(text)} is not a whole number: is the row shifted?") from None



def _publisher(url: str) -> str:
    """The site a source URL belongs to ('https://www.bbc.co.uk/news/...' -> 'bbc.co.uk')."""
    site = url.partition("://")[2].split("/", 1)[0].rpartition("@")[2].split(":", 1)[0]
    return site.lower().removeprefix("www.")
