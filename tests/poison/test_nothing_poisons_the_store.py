"""What the store accepts it can always read back: the issue's poisoning inputs, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from detente.cli.main import cli

GOOD = {"id": "good-1", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"}
BAD_CODE = {"id": "bad-1", "type": "cameo", "code": "999", "date": "2020-01-02", "actor": "FRA", "target": "DEU"}
READING_COMMANDS = [
    ["status", "FRA", "DEU"], ["events", "FRA", "DEU"], ["explain", "FRA", "DEU"], ["replay", "FRA", "DEU"],
    ["timeline", "FRA", "DEU", "--from", "2019", "--to", "2020-12"], ["pairs"], ["export"],
]  # fmt: skip


class Store:
    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder, self.runner = url, folder, CliRunner()

    def __call__(self, *args: Any) -> Result:
        return self.runner.invoke(cli, ["--db", self.url, *map(str, args)], catch_exceptions=False)

    def file(self, records: list[Any], name: str = "input.jsonl") -> Path:
        path = self.folder / name
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
        return path

    def ids(self) -> list[str]:
        result = self("export", "--format", "jsonl")
        assert result.exit_code == 0, result.output
        return [json.loads(line)["id"] for line in result.stdout.splitlines()]

    def assert_readable(self) -> None:
        for command in READING_COMMANDS:
            result = self(*command)
            assert result.exit_code == 0, (command, result.output)


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Store:
    return Store(database_url, tmp_path)


def test_a_strict_import_with_one_bad_cameo_code_stores_nothing_and_leaves_the_store_readable(store: Store) -> None:
    result = store("import", "--strict", store.file([GOOD, BAD_CODE]))
    assert result.exit_code == 1
    assert "line 2" in result.output and "Unknown CAMEO event code '999'" in result.output
    assert store.ids() == []
    store.assert_readable()


@pytest.mark.parametrize(
    "bad",
    [
        {**BAD_CODE, "code": ""},
        {**BAD_CODE, "code": 999},
        {**BAD_CODE, "code": ["042"]},
        {**BAD_CODE, "id": "x" * 300},
        {**BAD_CODE, "id": "nul\u0000id", "code": "042"},
        {**BAD_CODE, "code": "042", "incident": "i" * 300},
        {**BAD_CODE, "code": "042", "summary": "lone \udc80"},
        {**BAD_CODE, "code": "042", "provenance": {"weight": float("nan")}},
        {**BAD_CODE, "code": "042", "date": "2024-00-10"},
        {**BAD_CODE, "code": "042", "date": "2024-01-00"},
        {**BAD_CODE, "code": "042", "sources": [{"published": "9999-12-31T23:59:59-12:00"}]},
        {**BAD_CODE, "code": "042", "sources": [{"published": "0001-01-01T00:00:00+14:00"}]},
    ],
    ids=lambda bad: next((f"{k}={str(v)[:20]!r}" for k, v in bad.items() if BAD_CODE.get(k) != v), "bad"),
)
def test_an_invalid_value_is_refused_in_every_mode_and_nothing_unreadable_is_stored(store: Store, bad: dict) -> None:
    line = json.dumps(bad, allow_nan=True)  # the file may hold what strict JSON would not
    strict = store("import", "--strict", store.file([GOOD, line]))
    assert strict.exit_code == 1 and "line 2" in strict.output, strict.output
    assert store.ids() == []
    default = store("import", store.file([GOOD, line]))
    assert default.exit_code == 1 and "line 2" in default.output, default.output
    assert "This is a bug" not in default.output
    assert store.ids() == ["good-1"]
    store.assert_readable()


def test_a_claim_made_by_fifty_two_states_is_stored_and_read_back(store: Store) -> None:
    from detente.domain.actors import Actor

    claimants = sorted({Actor.resolve(code).code for code in "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE GBR USA CAN AUS NZL JPN KOR NOR ISL CHE LIE ALB MNE MKD MDA GEO UKR ISR TUR MEX COL CHL PER GTM SMR".split()})
    assert len(claimants) == 52
    record = {"id": "joint", "type": "accusation-made", "date": "2022-03", "actor": "RUS", "target": "UKR",
              "status": "alleged", "claimed_by": claimants}  # fmt: skip
    result = store("import", "--strict", store.file([record]))
    assert result.exit_code == 0, result.output
    exported = json.loads(store("export", "--format", "jsonl").stdout)
    assert exported["claimed_by"] == claimants
    assert store("status", "RUS", "UKR").exit_code == 0


def test_one_bad_row_in_a_large_file_costs_only_that_row(store: Store) -> None:
    rows = [{**GOOD, "id": f"g{n}", "date": f"2020-01-{n % 28 + 1:02d}"} for n in range(12_000)]
    rows[7_000] = {**BAD_CODE, "id": "bad"}
    result = store("import", store.file(rows))
    assert result.exit_code == 1
    assert "line 7001" in result.output and "Unknown CAMEO event code" in result.output
    assert len(store.ids()) == 11_999


def test_one_id_twice_in_a_batch_in_two_pairs_is_stored_once(store: Store) -> None:
    first = {**GOOD, "id": "twice"}
    second = {**GOOD, "id": "twice", "target": "ITA"}
    result = store("import", store.file([first, second]))
    assert result.exit_code == 1 and "line 2" in result.output and "already used" in result.output
    assert store.ids() == ["twice"]
    assert store("retract", "twice", "--reason", "test", "--date", "2020-02-01").exit_code == 0
    exported = store("export", "--format", "jsonl").stdout
    fresh = Store(f"sqlite:///{store.folder / 'fresh.db'}", store.folder)
    again = fresh("import", store.file([json.loads(line) for line in exported.splitlines()], "export.jsonl"))
    assert again.exit_code == 0, again.output


def test_a_dataset_id_seen_again_with_other_content_is_reported_as_a_conflict(store: Store) -> None:
    row = {"id": "gdelt:1", "type": "cameo", "code": "042", "date": "2019-10-24", "actor": "FRA", "target": "DEU",
           "provenance": {"dataset": "gdelt", "file": "a.CSV"}}  # fmt: skip
    same_act_other_file = {**row, "provenance": {"dataset": "gdelt", "file": "b.CSV"}}
    other_act = {**row, "code": "190"}
    assert store("import", store.file([row])).exit_code == 0
    again = store("import", store.file([same_act_other_file, other_act]))
    assert again.exit_code == 1
    assert "line 2" in again.output and "says something else" in again.output
    assert "line 1" not in again.output
    assert store.ids() == ["gdelt:1"]


def test_a_correction_obeys_every_rule_its_record_obeyed(store: Store) -> None:
    assert store("import", store.file([GOOD])).exit_code == 0
    future = store("correct", "good-1", "--date", "2020-02-01", "--set", "date=9999-12-31")
    assert future.exit_code != 0 and "after today" in future.output
    rumour = store("correct", "good-1", "--date", "2020-02-01", "--set", "status=rumoured")
    assert rumour.exit_code != 0 and "rumoured" in rumour.output
    assert store.ids() == ["good-1"]
    store.assert_readable()


@pytest.mark.postgres
def test_a_value_the_database_refuses_costs_only_its_own_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net under the checks: were a value the database cannot hold to get past them, the batch is
    split until that record stands alone, and the others are stored."""
    from tests.conftest import drop_detente_tables, postgres_url

    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not configured")
    drop_detente_tables(url)
    monkeypatch.setattr("detente.domain.validation.check_id", lambda name, value: None)
    monkeypatch.setattr("detente.interchange.records.check_id", lambda name, value: None)
    store = Store(url, tmp_path)
    rows = [{**GOOD, "id": f"g{n}"} for n in range(9)]
    rows[5] = {**GOOD, "id": "nul\u0000id"}
    result = store("import", store.file(rows))
    assert result.exit_code == 1
    assert "line 6" in result.output and "the database refused this record" in result.output
    assert sorted(store.ids()) == sorted(f"g{n}" for n in range(9) if n != 5)
    store.assert_readable()
    drop_detente_tables(url)
