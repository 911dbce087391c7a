"""`detente record`'s options come from the event classes: a new type is one class, and nothing else to edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.domain.dates import PartialDate
from detente.domain.events import EVENT_TYPES, PairEvent


class BorderClosed(PairEvent):
    """A type that exists only in this test: it stands for the next type someone adds to domain/events.py."""

    TOPIC = "tests:BorderClosed"
    TYPE = "border-closed"
    CAMEO = "191"
    FIELD_HELP = {"crossing": "which crossing"}
    crossing: str = ""
    reopens_on: PartialDate | None = None


@pytest.fixture
def with_border_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EVENT_TYPES, BorderClosed.TYPE, BorderClosed)


def test_every_field_typed_by_hand_has_an_option_with_its_own_help() -> None:
    from detente.cli.record_options import field_options, recorded_by_hand

    options = field_options(EVENT_TYPES)
    for option in options:
        owners = [cls for cls in recorded_by_hand(EVENT_TYPES).values() if option.name in cls.FIELD_HELP]
        assert owners, f"no event class says what {option.name} holds (FIELD_HELP)"
        assert option.help.endswith(f": {owners[0].FIELD_HELP[option.name]}.")


def test_an_option_names_every_type_that_has_its_field() -> None:
    from detente.cli.record_options import field_options

    [reason] = [option for option in field_options(EVENT_TYPES) if option.name == "reason"]
    assert reason.help == "visit-cancelled, treaty-ended: why."  # not event-retracted: `detente retract --reason`


def test_a_date_field_takes_a_date_and_the_others_text() -> None:
    from detente.cli.recording import record_command

    types = {param.name: param.type.name for param in record_command().params}
    assert types["planned"] == types["ended_on"] == "date"
    assert types["place"] == types["annexed"] == types["obligations"] == "text"


def test_a_new_event_class_gets_its_options_and_is_listed_without_other_edits(with_border_closed: None) -> None:
    from detente.cli.recording import record_command

    result = CliRunner().invoke(record_command(), ["--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "border-closed." in result.output.split("Options:")[0]
    assert "--crossing TEXT" in result.output and "border-closed: which crossing." in result.output
    assert "--reopens-on YYYY[-MM[-DD]]" in result.output and "border-closed: reopens on." in result.output


def test_a_new_event_class_is_recorded_and_read_back_without_other_edits(with_border_closed: None, tmp_path: Path) -> None:
    from detente import api
    from detente.cli.recording import record_command

    db = str(tmp_path / "border.db")
    args = ["border-closed", "--db", db, "--actor", "RUS", "--target", "FIN", "--date", "2023-11-30"]
    result = CliRunner().invoke(record_command(), [*args, "--crossing", "Vaalimaa", "--reopens-on", "2024-02", "--id", "vaalimaa"])
    assert result.exit_code == 0, result.output
    with api.open_store(db) as store:
        [event] = api.events(store, "RUS", "FIN")
    assert (event["id"], event["type"], event["crossing"], event["reopens_on"]) == ("vaalimaa", "border-closed", "Vaalimaa", "2024-02")


def test_a_correction_or_a_retraction_is_refused_with_the_command_that_makes_it() -> None:
    from detente.cli.recording import record_command

    for type_name, command in (("event-corrected", "correct"), ("event-retracted", "retract")):
        result = CliRunner().invoke(record_command(), [type_name, "--date", "2024"])
        assert result.exit_code == 2 and f"made by `detente {command}`" in result.output


def test_a_new_event_class_is_corrected_by_its_own_fields_without_other_edits(with_border_closed: None, tmp_path: Path) -> None:
    from detente import api
    from detente.cli.main import cli

    db = str(tmp_path / "border.db")
    runner = CliRunner()
    recorded = runner.invoke(cli, ["--db", db, "record", "border-closed", "--actor", "RUS", "--target", "FIN", "--date", "2023-11-30", "--id", "vaalimaa"])
    corrected = runner.invoke(cli, ["--db", db, "correct", "vaalimaa", "--date", "2023-12-14", "--set", "reopens_on=2024-04"])
    assert (recorded.exit_code, corrected.exit_code) == (0, 0), recorded.output + corrected.output
    with api.open_store(db) as store:
        [step] = api.replay(store, "RUS", "FIN")
    assert (step.fact.record_id, step.fact.details) == ("vaalimaa", {"reopens_on": "2024-04"})
