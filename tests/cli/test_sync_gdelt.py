"""`detente sync gdelt` against a GDELT stand-in on 127.0.0.1 (tests/cli/gdelt_server.py); no test leaves the machine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Detente
from .gdelt_server import GdeltServer

DAY = ("--from", "2019-10-24", "--to", "2019-10-24")


@pytest.fixture
def server() -> Iterator[GdeltServer]:
    running = GdeltServer().start()
    yield running
    running.stop()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses between tries, recorded instead of slept."""
    paused: list[float] = []
    monkeypatch.setattr("detente.downloads.time.sleep", paused.append)
    return paused


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def sync(detente: Detente, server: GdeltServer, cache: Path, *args: str) -> object:
    return detente("sync", "gdelt", *args, "--base-url", server.base_url, "--cache", cache)


def exported(detente: Detente) -> list[dict[str, object]]:
    result = detente("export")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def by_id(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return sorted(rows, key=lambda row: str(row["id"]))


def imported_directly(tmp_path: Path, server: GdeltServer, names: list[str]) -> list[dict[str, object]]:
    """What `detente import` of the same zipped files stores, in a store of its own."""
    folder = tmp_path / "direct"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(server.files[name])
    detente = Detente(tmp_path / "direct.db")
    assert detente("import", *(folder / name for name in names)).exit_code == 0
    return exported(detente)


def test_a_span_imports_exactly_its_files(detente: Detente, server: GdeltServer, cache: Path, tmp_path: Path) -> None:
    result = sync(detente, server, cache, "--from", "2019-10-24T14:15:00", "--to", "2019-10-24T14:30:00Z")
    assert result.exit_code == 0, result.output
    names = ["20191024141500.export.CSV.zip", "20191024143000.export.CSV.zip"]
    assert sorted(name for name, count in server.requests.items() if count and name != "masterfilelist.txt") == names
    assert exported(detente) == imported_directly(tmp_path, server, names)


def test_a_date_covers_its_whole_day_and_the_second_run_fetches_and_adds_nothing(
    detente: Detente, server: GdeltServer, cache: Path, tmp_path: Path
) -> None:
    first = sync(detente, server, cache, *DAY)
    assert first.exit_code == 0, first.output
    assert exported(detente) == imported_directly(tmp_path, server, list(server.files))
    requests_after_first = sum(server.requests.values())
    assert requests_after_first == 1 + len(server.files)
    second = sync(detente, server, cache, *DAY)
    assert second.exit_code == 0, second.output
    assert sum(server.requests.values()) == requests_after_first
    assert "Total: 4 file(s), 0 failed" in second.stdout and "added 0 (0 pair events)" in second.stdout
    assert "Fetched 0 file(s)" in second.stdout


def test_a_file_with_a_wrong_md5_is_reported_and_skipped_and_the_others_imported(
    detente: Detente, server: GdeltServer, cache: Path, tmp_path: Path
) -> None:
    damaged = "20191024141500.export.CSV.zip"
    server.wrong_md5.add(damaged)
    result = sync(detente, server, cache, *DAY)
    assert result.exit_code == 1
    assert f"{damaged}: failed: {damaged} has MD5" in result.stdout
    assert "1 of 4 file(s) failed" in result.stderr
    others = [name for name in server.files if name != damaged]
    assert exported(detente) == imported_directly(tmp_path, server, others)
    assert not (cache / damaged).exists()


def test_a_server_that_stops_mid_download_leaves_nothing_half_imported_and_the_rerun_completes(
    detente: Detente, server: GdeltServer, cache: Path, tmp_path: Path, sleeps: list[float]
) -> None:
    cut = "20191024143000.export.CSV.zip"
    server.cut_short.add(cut)
    result = sync(detente, server, cache, *DAY)
    assert result.exit_code == 1
    assert f"{cut}: failed: cannot fetch" in result.stdout and "after 3 tries" in result.stdout
    assert server.requests[cut] == 3 and sleeps == [1.0, 2.0]
    assert not (cache / cut).exists()
    assert exported(detente) == imported_directly(tmp_path / "before", server, [n for n in server.files if n != cut])
    server.cut_short.clear()
    again = sync(detente, server, cache, *DAY)
    assert again.exit_code == 0, again.output
    # The same records; the re-fetched file was recorded last, so the export lists its records last.
    assert by_id(exported(detente)) == by_id(imported_directly(tmp_path / "after", server, list(server.files)))


def test_an_interrupted_download_continues_from_where_it_stopped(
    detente: Detente, server: GdeltServer, cache: Path, sleeps: list[float]
) -> None:
    cut = "20191024144500.export.CSV.zip"
    server.ranges = True
    server.cut_short.add(cut)
    assert sync(detente, server, cache, *DAY).exit_code == 1
    held = (cache / f"{cut}.part").stat().st_size
    assert 0 < held < len(server.files[cut]) and not (cache / cut).exists()
    server.cut_short.clear()
    again = sync(detente, server, cache, *DAY)
    assert again.exit_code == 0, again.output
    assert server.range_requests[-1] == f"{cut} bytes={held}-"
    assert (cache / cut).read_bytes() == server.files[cut]


def test_a_list_that_is_not_gdelts_is_refused(detente: Detente, server: GdeltServer, cache: Path) -> None:
    server.master_list = lambda: b"<html>Not here</html>\n"  # type: ignore[method-assign]
    result = sync(detente, server, cache, *DAY)
    assert result.exit_code == 1 and "is not a GDELT file list" in result.output
    assert not (cache / "masterfilelist.txt").exists()


def test_a_missing_file_is_retried_a_bounded_number_of_times_then_reported(
    detente: Detente, server: GdeltServer, cache: Path, sleeps: list[float]
) -> None:
    gone = "20191024140000.export.CSV.zip"
    listed = server.master_list()
    server.files.pop(gone)
    server.master_list = lambda: listed  # type: ignore[method-assign]
    result = sync(detente, server, cache, *DAY)
    assert result.exit_code == 1 and f"{gone}: failed: cannot fetch" in result.stdout and "HTTP 404" in result.stdout
    assert server.requests[gone] == 3


def test_a_dry_run_lists_the_files_and_imports_nothing(detente: Detente, server: GdeltServer, cache: Path) -> None:
    result = sync(detente, server, cache, *DAY, "--dry-run")
    assert result.exit_code == 0, result.output
    assert [line.split()[1] for line in result.stdout.splitlines() if line.startswith("fetch")] == list(server.files)
    assert "4 file(s) in the span; 4 to fetch" in result.stdout
    assert set(server.requests) == {"masterfilelist.txt"}
    assert exported(detente) == []


def test_the_filters_apply_and_a_bad_one_fails_before_anything_is_fetched(
    detente: Detente, server: GdeltServer, cache: Path, tmp_path: Path
) -> None:
    bad = sync(detente, server, cache, *DAY, "--root", "21")
    assert bad.exit_code == 2 and "roots run from 01 to 20" in bad.output and not server.requests
    narrowed = sync(detente, server, cache, *DAY, "--root", "04")
    assert narrowed.exit_code == 0, narrowed.output
    rows = exported(detente)
    assert rows and {str(row["code"])[:2] for row in rows} == {"04"}


def test_the_base_url_comes_from_the_environment_and_a_wrong_one_says_what_to_check(
    detente: Detente, server: GdeltServer, cache: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    monkeypatch.setenv("DETENTE_GDELT_URL", server.base_url)
    assert detente("sync", "gdelt", *DAY, "--cache", cache, "--dry-run").exit_code == 0
    monkeypatch.setenv("DETENTE_GDELT_URL", server.base_url + "nowhere/")
    result = detente("sync", "gdelt", *DAY, "--cache", cache / "other")
    assert result.exit_code == 1 and "masterfilelist.txt" in result.output and "--base-url" in result.output
    assert "Traceback" not in result.output


def test_a_span_that_ends_before_it_starts_is_a_usage_error(detente: Detente, server: GdeltServer, cache: Path) -> None:
    result = sync(detente, server, cache, "--from", "2019-10-25", "--to", "2019-10-24")
    assert result.exit_code == 2 and "before --from" in result.output
