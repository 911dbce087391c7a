"""An analyst's round trip: the CSV of pairs, timeline and events read by pandas gives typed columns, and
`api.frame` gives a DataFrame with CAMEO codes as text and dates as dates."""

from __future__ import annotations

import io
import sys

import pytest

from .conftest import Detente

pd = pytest.importorskip("pandas")

READS = {
    "pairs": ["pairs", "--as-of", "2024-06-30"],
    "timeline": ["timeline", "RUS", "KOR", "--from", "2024", "--to", "2024-12-31", "--every", "quarter"],
    "events": ["events", "RUS", "PRK"],
}


@pytest.mark.parametrize("name", sorted(READS))
def test_read_csv_gives_the_pair_columns_and_real_dates(loaded: Detente, name: str) -> None:
    result = loaded(*READS[name], "--format", "csv")
    table = pd.read_csv(io.StringIO(result.stdout), parse_dates=["date_start", "date_end"])
    assert {"pair", "a", "b", "date_start", "date_end", "precision"} <= set(table.columns)
    assert pd.api.types.is_datetime64_any_dtype(table["date_start"]) and pd.api.types.is_datetime64_any_dtype(table["date_end"])
    assert not table["date_start"].isna().any() and (table["date_start"] <= table["date_end"]).all()
    assert all(pair == f"{a}-{b}" and a < b for pair, a, b in zip(table["pair"], table["a"], table["b"]))
    if name != "events":
        assert pd.api.types.is_float_dtype(table["score"]) and pd.api.types.is_integer_dtype(table["event_count"])


def test_an_event_dated_to_the_year_spans_the_year(loaded: Detente) -> None:
    table = pd.read_csv(io.StringIO(loaded("events", "RUS", "PRK", "--format", "csv").stdout), parse_dates=["date_start", "date_end"])
    shells = table[table["id"] == "shells-2023"].iloc[0]
    assert (shells["date_start"], shells["date_end"], shells["precision"]) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-12-31"), "year")


def test_api_frame_keeps_cameo_codes_as_text_and_dates_as_dates(loaded: Detente) -> None:
    from detente import api

    with api.open_store(str(loaded.db), create=False) as store:
        events = api.frame(store, "events", "RUS", "PRK")
        timeline = api.frame(store, "timeline", "RUS", "KOR", start="2024-01-01", end="2024-12-31", every="quarter")
        pairs = api.frame(store, "pairs", as_of="2024-06-30")
        replay = api.to_frame(api.replay(store, "RUS", "PRK", as_of="2024-06-30"))
    assert pd.api.types.is_string_dtype(events["code"]) and "042" in set(events["code"].dropna())
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"]) and pd.api.types.is_datetime64_any_dtype(events["recorded_at"])
    assert events["recorded_at"].dt.tz is not None
    assert list(timeline["date_start"].dt.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]
    assert pd.api.types.is_datetime64_any_dtype(timeline["as_of"]) and pd.api.types.is_float_dtype(timeline["score"])
    assert list(pairs["pair"]) == ["PRK-RUS", "KOR-PRK", "KOR-RUS"] and pd.api.types.is_string_dtype(pairs["a"])
    assert replay["id"].iloc[-1] == "partnership-2024" and pd.api.types.is_string_dtype(replay["code"])


def test_api_frame_without_pandas_says_how_to_install_it(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente import api
    from detente.frames import PandasMissing

    monkeypatch.setitem(sys.modules, "pandas", None)
    with api.open_store(str(loaded.db), create=False) as store, pytest.raises(PandasMissing, match="pip install pandas"):
        api.frame(store, "events", "RUS", "PRK")
