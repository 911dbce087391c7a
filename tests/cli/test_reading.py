"""The reading commands, on a small case: RUS–PRK warms around Putin's June 2024 visit, RUS–KOR cools."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from detente.cli.main import cli

from .conftest import PAIRS_FILE, Detente

STATUS_KEYS = {
    "pair", "as_of", "known_at", "recorded_by", "score", "level", "event_count", "active_sanctions",
    "active_detentions", "pending_visits", "last_visit", "drivers",
}  # fmt: skip


def test_status_json_has_every_documented_field(loaded: Detente) -> None:
    state = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-30")
    assert STATUS_KEYS <= set(state)
    assert state["pair"] == ["PRK", "RUS"]
    assert state["as_of"] == "2024-06-30"
    assert state["known_at"] is None and state["recorded_by"] is None
    assert state["level"] == "close" and state["score"] > 5
    assert state["event_count"] == 6
    assert state["last_visit"]["id"] == "putin-pyongyang-2024"
    assert state["drivers"][0]["id"] == "partnership-2024"


def test_status_names_countries_in_either_order_and_by_name(loaded: Detente) -> None:
    by_code = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-30")
    by_name = loaded.json("status", "North Korea", "Russia", "--as-of", "2024-06-30")
    assert by_code == by_name


def test_status_as_known_before_the_visit_shows_it_pending(loaded: Detente) -> None:
    state = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-20", "--known-at", "2024-06-18T12:00:00+00:00")
    assert state["known_at"] == "2024-06-18T12:00:00+00:00"
    assert [visit["id"] for visit in state["pending_visits"]] == ["putin-announced-2024"]
    assert state["last_visit"]["id"] == "kim-vostochny-2023"


def test_status_recorded_by_before_the_import_is_empty(loaded: Detente) -> None:
    state = loaded.json("status", "RUS", "PRK", "--recorded-by", "2000-01-01")
    assert state["event_count"] == 0 and state["score"] == 0


def test_status_confirmed_only_drops_claims(loaded: Detente) -> None:
    everything = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-30")
    confirmed = loaded.json("status", "RUS", "PRK", "--as-of", "2024-06-30", "--confirmed-only")
    assert confirmed["confirmed_only"] is True
    assert confirmed["event_count"] == everything["event_count"] - 1
    assert not confirmed["transfers"]


def test_status_half_life_changes_the_score(loaded: Detente) -> None:
    short = loaded.json("status", "RUS", "PRK", "--as-of", "2024-12-31", "--half-life", "30")
    long = loaded.json("status", "RUS", "PRK", "--as-of", "2024-12-31", "--half-life", "720")
    assert short["half_life_days"] == 30 and short["score"] < long["score"]


def test_status_table_reads_as_a_briefing(loaded: Detente) -> None:
    result = loaded("status", "RUS", "KOR", "--as-of", "2024-06-30")
    assert result.exit_code == 0
    assert "Russia (RUS) – South Korea (KOR) on 2024-06-30" in result.output
    assert "Active sanctions:" in result.output and "kor-sanctions-2024/KOR-RUS" in result.output
    assert "RUS holds a citizen of KOR: Baek Won-soon, espionage" in result.output


def test_status_csv_is_one_flat_row(loaded: Detente) -> None:
    [row] = loaded.csv("status", "RUS", "KOR", "--as-of", "2024-06-30")
    assert (row["pair"], row["a"], row["b"]) == ("KOR-RUS", "KOR", "RUS")
    assert float(row["a_to_b"]) < 0 and "b_to_a" in row and not any(column.startswith("directed") for column in row)
    assert row["level"] in {"strained", "hostile"}
    assert float(row["score"]) < 0
    assert row["counts.material_conflict"] == "2"


def test_a_pair_with_no_events_is_an_answer(loaded: Detente) -> None:
    result = loaded("status", "RUS", "JPN")
    assert result.exit_code == 0
    assert "No events recorded" in result.output
    assert loaded.json("status", "RUS", "JPN")["event_count"] == 0


def test_an_empty_store_is_an_answer_for_every_reading_command(detente: Detente) -> None:
    for command in (["events", "RUS", "PRK"], ["status", "RUS", "PRK"], ["timeline", "RUS", "PRK"], ["replay", "RUS", "PRK"],
                    ["explain", "RUS", "PRK"], ["pairs"]):
        result = detente(*command)
        assert result.exit_code == 0, (command, result.output)
        assert "No events recorded" in result.output or "no events" in result.output.lower(), command


def test_events_are_in_date_order_with_sources_and_attribution(loaded: Detente) -> None:
    rows = loaded.json("events", "PRK", "RUS")
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    shells = next(row for row in rows if row["id"] == "shells-2023")
    assert shells["status"] == "alleged" and shells["claimed_by"] == ["USA", "KOR"]
    visit = next(row for row in rows if row["id"] == "putin-pyongyang-2024")
    assert visit["sources"][0]["publisher"] == "Reuters" and "recorded_at" in visit
    table = loaded("events", "RUS", "PRK").output
    assert "alleged by USA, KOR" in table and "unsourced" in table


def test_events_csv_has_the_interchange_columns(loaded: Detente) -> None:
    rows = loaded.csv("events", "RUS", "PRK")
    assert len(rows) == 7
    assert rows[0]["id"] == "putin-pyongyang-2000"
    assert "Kompas" in rows[0]["sources"]


def test_timeline_steps_by_month_from_the_given_start(loaded: Detente) -> None:
    states = loaded.json("timeline", "RUS", "PRK", "--from", "2024-01", "--to", "2024-06-30")
    assert [state["as_of"] for state in states] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"]
    assert states[-1]["level"] == "close" and states[0]["level"] == "neutral"


def test_timeline_by_quarter_as_csv(loaded: Detente) -> None:
    rows = loaded.csv("timeline", "RUS", "KOR", "--from", "2024", "--to", "2024-12-31", "--every", "quarter")
    assert [row["as_of"] for row in rows] == ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]
    assert rows[1]["active_sanctions"] == "1" and rows[1]["active_detentions"] == "1"


def test_timeline_starts_at_the_first_event_by_default(loaded: Detente) -> None:
    states = loaded.json("timeline", "RUS", "PRK", "--to", "2001-12-31", "--every", "year")
    assert [state["as_of"] for state in states] == ["2000-12-31", "2001-12-31"]


def test_replay_gives_each_event_with_the_state_after_it(loaded: Detente) -> None:
    steps = loaded.json("replay", "RUS", "PRK", "--to", "2024-06-30")
    assert [step["fact"]["id"] for step in steps][-2:] == ["putin-pyongyang-2024", "partnership-2024"]
    assert steps[-1]["state"]["level"] == "close"
    # Two events of one day move the score together: the change is given once, on the day's first.
    assert steps[-2]["day_change"] > 0 and steps[-1]["day_change"] is None


def test_replay_as_known_earlier_stops_short(loaded: Detente) -> None:
    steps = loaded.json("replay", "RUS", "PRK", "--to", "2024-06-30", "--known-at", "2024-06-18")
    assert "partnership-2024" not in [step["fact"]["id"] for step in steps]


def test_explain_lists_the_drivers_with_their_sources(loaded: Detente) -> None:
    explained = loaded.json("explain", "RUS", "PRK", "--as-of", "2024-06-30")
    assert explained["drivers"][0]["id"] == "partnership-2024"
    assert explained["drivers"][0]["sources"] == [{"publisher": "KCNA", "published": "2024-06-20"}]
    text = loaded("explain", "RUS", "PRK", "--as-of", "2024-06-30").output
    assert "source: Reuters, “Putin arrives in Pyongyang”, 2024-06-19 <https://example.org/putin-pyongyang>" in text
    rows = loaded.csv("explain", "RUS", "PRK", "--as-of", "2024-06-30")
    assert float(rows[0]["contribution"]) > float(rows[-1]["contribution"]) > 0


def test_diff_between_two_dates_lists_what_was_added(loaded: Detente) -> None:
    changed = loaded.json("diff", "RUS", "PRK", "--from", "2023-12-31", "--to", "2024-06-30")
    # Before 2024 a visit and a denied claim made the pair no more than neutral; the alliance makes it close.
    assert changed["level_change"] == ["neutral", "close"] and changed["score_change"] > 4
    assert {fact["id"] for fact in changed["added"]} == {"putin-announced-2024", "putin-pyongyang-2024", "partnership-2024"}
    assert changed["removed"] == []


def test_diff_between_two_states_of_knowledge(loaded: Detente) -> None:
    changed = loaded.json("diff", "RUS", "PRK", "--as-of", "2024-06-30", "--known-at", "2024-06-18", "--vs-known-at", "2024-06-21")
    assert {fact["id"] for fact in changed["added"]} == {"putin-pyongyang-2024", "partnership-2024"}
    assert len(changed["before"]["pending_visits"]) == 1 and not changed["after"]["pending_visits"]
    rows = loaded.csv("diff", "RUS", "PRK", "--as-of", "2024-06-30", "--known-at", "2024-06-18", "--vs-known-at", "2024-06-21")
    assert {row["change"] for row in rows} == {"added"}


@pytest.mark.parametrize("options", [[], ["--to", "2024"], ["--known-at", "2024"], ["--from", "2023", "--to", "2024", "--known-at", "2024"]])
def test_diff_needs_two_dates_or_two_moments(loaded: Detente, options: list[str]) -> None:
    result = loaded("diff", "RUS", "PRK", *options)
    assert result.exit_code == 2
    assert "--from and --to" in result.output


def test_pairs_ranks_by_score(loaded: Detente) -> None:
    ranked = loaded.json("pairs", "--as-of", "2024-06-30")
    assert [row["pair"] for row in ranked] == [["PRK", "RUS"], ["KOR", "PRK"], ["KOR", "RUS"]]
    assert ranked[0]["level"] == "close"


def test_pairs_by_country_sorted_by_change_and_limited(loaded: Detente) -> None:
    rows = loaded.csv("pairs", "--as-of", "2024-06-30", "--country", "South Korea", "--sort", "change", "--limit", "1")
    assert [row["pair"] for row in rows] == ["KOR-PRK"]


def test_format_can_come_from_the_environment(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_FORMAT", "json")
    result = loaded("pairs")
    assert result.stdout.lstrip().startswith("[")


def test_the_store_may_be_named_after_the_command_or_by_the_environment(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    after = CliRunner().invoke(cli, ["pairs", "--db", str(loaded.db), "--format", "json"])
    assert after.exit_code == 0 and len(after.stdout) > 10
    monkeypatch.setenv("DETENTE_DATABASE_URL", str(loaded.db))
    by_environment = CliRunner().invoke(cli, ["pairs", "--format", "json"])
    assert by_environment.stdout == after.stdout


def test_the_same_answers_on_every_configured_backend(database_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", database_url, "import", str(PAIRS_FILE)]).exit_code == 0
    result = runner.invoke(cli, ["--db", database_url, "status", "RUS", "PRK", "--as-of", "2024-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert state["level"] == "close" and state["event_count"] == 6
