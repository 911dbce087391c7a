"""Tables that load cleanly: one way to write a pair, dates that keep their precision and still parse, the
formats a spreadsheet or pandas reads, and terminal tables that fit the terminal (issue 13)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from detente.cli.output import Output, display_width, render, to_table

from .conftest import Detente

PAIR = {"pair": "PRK-RUS", "a": "PRK", "b": "RUS"}
ROW_SHAPED = {
    "events": ["events", "RUS", "PRK"],
    "timeline": ["timeline", "RUS", "PRK", "--from", "2024-01", "--to", "2024-06-30"],
    "replay": ["replay", "RUS", "PRK", "--to", "2024-06-30"],
    "diff": ["diff", "RUS", "PRK", "--from", "2023-12-31", "--to", "2024-06-30"],
    "status": ["status", "RUS", "PRK", "--as-of", "2024-06-30"],
}


@pytest.mark.parametrize("name", sorted(ROW_SHAPED))
def test_every_row_names_its_pair_as_a_b_with_a_and_b_beside_it(loaded: Detente, name: str) -> None:
    rows = loaded.csv(*ROW_SHAPED[name])
    assert rows
    assert all({key: row[key] for key in PAIR} == PAIR for row in rows), rows[0]
    assert not any("->" in column or column.startswith("directed") for column in rows[0])


def test_pairs_rows_name_each_pair_in_alphabetical_order(loaded: Detente) -> None:
    rows = loaded.csv("pairs", "--as-of", "2024-06-30")
    assert [(row["pair"], row["a"], row["b"]) for row in rows] == [
        ("PRK-RUS", "PRK", "RUS"), ("KOR-PRK", "KOR", "PRK"), ("KOR-RUS", "KOR", "RUS"),
    ]  # fmt: skip


def test_the_score_of_each_side_is_a_to_b_and_b_to_a_in_json_too(loaded: Detente) -> None:
    state = loaded.json("status", "RUS", "KOR", "--as-of", "2024-06-30")
    assert (state["a"], state["b"]) == ("KOR", "RUS")
    assert set(state["directed"]) == {"a_to_b", "b_to_a"}
    [row] = loaded.csv("status", "RUS", "KOR", "--as-of", "2024-06-30")
    assert float(row["a_to_b"]) == state["directed"]["a_to_b"] and float(row["b_to_a"]) == state["directed"]["b_to_a"]


def test_event_dates_keep_their_precision_beside_their_first_and_last_day(loaded: Detente) -> None:
    rows = {row["id"]: row for row in loaded.csv("events", "RUS", "PRK")}
    assert [rows["shells-2023"][key] for key in ("date", "date_start", "date_end", "precision")] == ["2023", "2023-01-01", "2023-12-31", "year"]
    assert [rows["shells-denied"][key] for key in ("date", "date_start", "date_end", "precision")] == ["2024-06", "2024-06-01", "2024-06-30", "month"]
    assert [rows["partnership-2024"][key] for key in ("date_start", "date_end", "precision")] == ["2024-06-19", "2024-06-19", "day"]


def test_a_timeline_row_stands_for_its_period(loaded: Detente) -> None:
    rows = loaded.csv("timeline", "RUS", "KOR", "--from", "2024", "--to", "2024-12-31", "--every", "quarter")
    assert [(row["date_start"], row["date_end"], row["precision"]) for row in rows][:2] == [
        ("2024-01-01", "2024-03-31", "quarter"), ("2024-04-01", "2024-06-30", "quarter"),
    ]  # fmt: skip


def test_a_plain_report_is_written_reported_never_blank(loaded: Detente) -> None:
    statuses = {row["id"]: row["status"] for row in loaded.csv("events", "RUS", "PRK")}
    assert statuses["putin-pyongyang-2024"] == "reported" and statuses["shells-2023"] == "alleged"
    assert "" not in statuses.values()


@pytest.mark.parametrize("output_format", ["json", "ndjson", "csv", "tsv", "table"])
def test_no_format_writes_a_negative_zero(output_format: str) -> None:
    result = Output(data={"score": -0.0, "steps": [{"change": -0.0}]}, rows=[{"score": -0.0, "trend": -0.0}])
    written = render(result, output_format)
    assert "-0" not in written and "0" in written


def test_tsv_and_ndjson_carry_the_same_rows_as_csv(loaded: Detente) -> None:
    rows = loaded.csv("events", "RUS", "PRK")
    tsv = list(csv.DictReader(io.StringIO(loaded("events", "RUS", "PRK", "--format", "tsv").stdout), delimiter="\t"))
    lines = loaded("events", "RUS", "PRK", "--format", "ndjson").stdout.splitlines()
    assert tsv == rows
    assert [json.loads(line)["id"] for line in lines] == [row["id"] for row in rows]
    assert json.loads(lines[0])["sources"][0]["publisher"] == "Kompas"  # nested values stay nested


def test_diff_csv_keeps_the_scores_before_and_after_and_the_changed_fields(loaded: Detente) -> None:
    loaded("correct", "putin-announced-2024", "--date", "2024-06-18", "--set", "planned=2024-06-19", "--source-title", "Kremlin")
    rows = loaded.csv("diff", "RUS", "PRK", "--from", "2024-06-18", "--to", "2024-06-30")
    state = loaded.json("diff", "RUS", "PRK", "--from", "2024-06-18", "--to", "2024-06-30")
    assert {float(row["score_before"]) for row in rows} == {state["before"]["score"]}
    assert {float(row["score_after"]) for row in rows} == {state["after"]["score"]}
    knowledge = loaded.csv("diff", "RUS", "PRK", "--as-of", "2024-06-30", "--known-at", "2024-06-18T12:00", "--vs-known-at", "2030-01-01")
    [changed] = [row for row in knowledge if row["change"] == "changed"]
    assert changed["id"] == "putin-announced-2024" and json.loads(changed["changes"])["planned"] == ["2024-06-18", "2024-06-19"]


def test_a_diff_where_nothing_changed_is_still_one_row_with_its_scores(loaded: Detente) -> None:
    [row] = loaded.csv("diff", "RUS", "PRK", "--from", "2024-06-20", "--to", "2024-06-21")
    assert row["change"] == "none" and row["pair"] == "PRK-RUS" and float(row["score_after"]) > 5


def test_diff_from_alone_compares_then_with_today(loaded: Detente) -> None:
    alone = loaded.json("diff", "RUS", "PRK", "--from", "2023-12-31")
    explicit = loaded.json("diff", "RUS", "PRK", "--from", "2023-12-31", "--to", date.today().isoformat())
    assert alone == explicit and alone["after"]["as_of"] == date.today().isoformat()


def test_events_from_and_to_keep_the_events_whose_date_may_fall_in_the_span(loaded: Detente) -> None:
    ids = [row["id"] for row in loaded.json("events", "RUS", "PRK", "--from", "2023-06", "--to", "2024-06-18")]
    assert ids == ["shells-2023", "kim-vostochny-2023", "shells-denied", "putin-announced-2024"]
    assert loaded("events", "RUS", "PRK", "--from", "2024", "--to", "2023").exit_code == 2


def test_explain_limit_names_that_many_drivers_and_sums_the_rest_so_they_add_up_to_the_score(loaded: Detente) -> None:
    for limit in ("1", "2", "10"):
        explained = loaded.json("explain", "RUS", "KOR", "--as-of", "2024-06-30", "--limit", limit)
        shown = [driver["contribution"] for driver in explained["drivers"]]
        assert len(shown) <= int(limit)
        assert sum(shown) + explained["other_drivers"]["contribution"] == pytest.approx(explained["score"], abs=1e-5)
    rows = loaded.csv("explain", "RUS", "KOR", "--as-of", "2024-06-30", "--limit", "1")
    assert rows[-1]["kind"] == "others" and sum(float(row["contribution"]) for row in rows) == pytest.approx(explained["score"], abs=1e-5)
    text = loaded("explain", "RUS", "KOR", "--as-of", "2024-06-30", "--limit", "1").output
    others = loaded.json("explain", "RUS", "KOR", "--as-of", "2024-06-30", "--limit", "1")["other_drivers"]
    assert f"{others['count']} other events: {others['contribution']:+.2f}" in text


def test_pairs_sort_by_warming_cooling_and_activity(loaded: Detente) -> None:
    def ranked(sort: str) -> list[dict[str, str]]:
        return loaded.csv("pairs", "--as-of", "2024-06-30", "--sort", sort)

    assert [float(row["trend"]) for row in ranked("warming")] == sorted((float(row["trend"]) for row in ranked("score")), reverse=True)
    assert [float(row["trend"]) for row in ranked("cooling")] == sorted(float(row["trend"]) for row in ranked("score"))
    active = [int(row["events_last_365_days"]) for row in ranked("activity")]
    assert active == sorted(active, reverse=True) and active[0] > active[-1]
    assert loaded("pairs", "--sort", "warmth").exit_code == 2


@pytest.mark.parametrize(("every", "dates"), [
    ("day", ["2024-06-17", "2024-06-18", "2024-06-19", "2024-06-20"]),
    ("week", ["2024-06-09", "2024-06-16", "2024-06-20"]),
])  # fmt: skip
def test_a_timeline_can_step_by_day_or_week(loaded: Detente, every: str, dates: list[str]) -> None:
    start = "2024-06-17" if every == "day" else "2024-06-05"
    rows = loaded.csv("timeline", "RUS", "PRK", "--from", start, "--to", "2024-06-20", "--every", every)
    assert [row["as_of"] for row in rows] == dates
    assert rows[0]["precision"] == every


def test_a_table_fits_the_terminal_counting_wide_characters_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"id": "kor-1", "summary": "한국 정부는 러시아와 북한의 군사 협력을 규탄했다 " * 3}, {"id": "rus-2", "summary": "Moscow replies"}]
    table = to_table(rows, ["id", "summary"], width=40)
    assert all(display_width(line) <= 40 for line in table.splitlines())
    assert "…" in table and display_width("한국") == 4
    monkeypatch.setenv("COLUMNS", "30")
    assert all(display_width(line) <= 30 for line in to_table(rows, ["id", "summary"]).splitlines())


def test_the_events_table_fits_an_80_column_terminal(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = loaded("events", "RUS", "PRK").stdout.splitlines()
    assert len(lines) == 9 and all(display_width(line) <= 80 for line in lines)
