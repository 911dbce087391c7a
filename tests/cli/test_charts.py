"""Charts are real images of the size asked for (PNG by its IHDR header, SVG by its width and height), say what
they draw, and are written as the user's other files are."""

from __future__ import annotations

import math
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Detente, empty_store


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data.rstrip().endswith(b"IEND\xaeB`\x82"), "the PNG is truncated"
    return width, height


def svg_size(path: Path) -> tuple[float, float]:
    """The SVG's size in CSS pixels (matplotlib writes it in pt: 1pt = 4/3 px)."""
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg")
    sizes = []
    for name in ("width", "height"):
        number, unit = re.fullmatch(r"([\d.]+)(pt|px)?", root.attrib[name]).groups()  # type: ignore[union-attr]
        sizes.append(float(number) * (4 / 3 if unit == "pt" else 1))
    return sizes[0], sizes[1]


def test_chart_renders_a_png_of_the_requested_size(loaded: Detente, tmp_path: Path) -> None:
    target = tmp_path / "rus-prk.png"
    result = loaded("chart", "RUS", "PRK", "--from", "2023", "--to", "2024-12", "--vs", "RUS", "KOR", "-o", target, "--width", "1000", "--height", "500")
    assert result.exit_code == 0, result.output
    assert png_size(target) == (1000, 500)
    assert target.stat().st_size > 20_000  # lines, bands and labels, not a blank canvas


def test_chart_renders_an_svg_of_the_requested_size(loaded: Detente, tmp_path: Path) -> None:
    target = tmp_path / "rus-kor.svg"
    result = loaded("chart", "RUS", "KOR", "-o", target, "--width", "900", "--height", "450")
    assert result.exit_code == 0, result.output
    assert svg_size(target) == pytest.approx((900, 450))
    text = target.read_text(encoding="utf-8")
    assert text.count("<path") > 20


def test_chart_of_a_pair_with_no_events_is_still_a_chart(loaded: Detente, tmp_path: Path) -> None:
    target = tmp_path / "empty.png"
    assert loaded("chart", "RUS", "JPN", "--from", "2024", "--to", "2024-12", "-o", target).exit_code == 0
    assert png_size(target) == (1200, 640)


def test_chart_to_an_unknown_image_type_is_a_usage_error(loaded: Detente, tmp_path: Path) -> None:
    result = loaded("chart", "RUS", "PRK", "-o", tmp_path / "chart.gif")
    assert result.exit_code == 2 and ".png, .svg or .pdf" in result.output
    assert not (tmp_path / "chart.gif").exists()


def test_network_renders_every_pair_as_a_png(loaded: Detente, tmp_path: Path) -> None:
    target = tmp_path / "network.png"
    result = loaded("network", "--as-of", "2024-06-30", "-o", target, "--width", "800", "--height", "800")
    assert result.exit_code == 0, result.output
    assert png_size(target) == (800, 800)


def test_network_around_one_country_and_on_an_empty_store(loaded: Detente, detente: Detente, tmp_path: Path) -> None:
    assert loaded("network", "--country", "KOR", "-o", tmp_path / "kor.svg").exit_code == 0
    assert svg_size(tmp_path / "kor.svg") == pytest.approx((1100, 1000))
    empty = empty_store(tmp_path / "empty.db")
    assert empty("network", "-o", tmp_path / "empty.png").exit_code == 0
    assert png_size(tmp_path / "empty.png") == (1100, 1000)


def svg_text(path: Path) -> str:
    """The SVG's text, with matplotlib writing text as <text> elements rather than glyph paths."""
    return path.read_text(encoding="utf-8")


@pytest.fixture
def text_as_text() -> object:
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        yield


def test_chart_title_names_both_pairs_the_as_of_date_and_the_knowledge_time(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "two.svg"
    result = loaded("chart", "RUS", "PRK", "--vs", "RUS", "KOR", "--to", "2024-08-31", "--known-at", "2024-06-20", "-o", target)
    assert result.exit_code == 0, result.output
    svg = svg_text(target)
    assert "Russia (RUS) – North Korea (PRK) and Russia (RUS) – South Korea (KOR): relationship score" in svg
    assert "as of 2024-08-31" in svg and "as known at 2024-06-20" in svg
    assert "half-life 180 days" in svg and "Sources: hand-curated records" in svg


def test_chart_window_ends_after_the_last_event_not_today(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "fitted.svg"
    assert loaded("chart", "RUS", "PRK", "--from", "2023", "-o", target).exit_code == 0
    [as_of] = re.findall(r"as of (\d{4}-\d{2}-\d{2})", svg_text(target))
    # The last event of the loaded case is in June 2024: the window ends a sixth of the span after it, in 2024.
    assert as_of.startswith("2024-"), as_of


def test_chart_numbers_its_events_and_spells_them_out_in_footnotes(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "notes.svg"
    assert loaded("chart", "RUS", "PRK", "--from", "2023", "--to", "2024-12", "--vs", "RUS", "KOR", "-o", target).exit_code == 0
    svg = svg_text(target)
    notes = re.findall(r">(\d+)\. (\d{1,2} \w{3} \d{4}) (\w{3}–\w{3}) ([+-]\d+\.\d):", svg)
    assert len(notes) >= 3
    assert [int(n[0]) for n in notes] == list(range(1, len(notes) + 1))
    assert {n[2] for n in notes} == {"RUS–PRK", "RUS–KOR"}  # both series get their labels
    assert not re.search(r">\d+\. [^<]*…", svg)  # no footnote is truncated


def test_chart_warns_where_the_score_rests_on_few_acts(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "thin.svg"
    assert loaded("chart", "RUS", "JPN", "--from", "2024", "--to", "2024-12", "-o", target).exit_code == 0
    assert "RUS–JPN: score rests on fewer than 3 acts over the whole span" in svg_text(target)


def test_a_saturated_score_is_flagged() -> None:
    from datetime import date

    from detente.cli.chart_warnings import warnings_for
    from detente.series import ScoreSeries

    class State:
        def __init__(self, day: int, score: float) -> None:
            self.as_of, self.score, self.evidence = date(2024, 1, day), score, {"events": 9}

    series = ScoreSeries(("RUS", "UKR"), tuple(State(d, s) for d, s in [(1, -6.0), (2, -10.0), (3, -10.0), (4, -7.0)]), ())  # type: ignore[arg-type]
    assert warnings_for([series]) == ["⚠ RUS–UKR: score pinned at the ±10 limit (the scale cannot show more) 2024-01-02 – 2024-01-03 (hatched strip)."]


def test_fitted_end_leaves_a_margin_after_the_last_event_and_never_passes_today() -> None:
    from datetime import date

    from detente.series import fitted_end

    today = date(2026, 1, 1)
    assert fitted_end([(date(2024, 1, 1), date(2024, 7, 1))], None, today) == date(2024, 7, 31)
    assert fitted_end([(date(2020, 1, 1), date(2024, 1, 1))], None, today) == date(2024, 1, 1) + (date(2024, 1, 1) - date(2020, 1, 1)) // 6
    assert fitted_end([(date(2024, 1, 1), date(2025, 12, 20))], None, today) == today
    assert fitted_end([None], None, today) == today


def test_network_keeps_the_busiest_pairs_and_says_what_it_left_out(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "top.svg"
    assert loaded("network", "--as-of", "2024-06-30", "--top", "1", "-o", target).exit_code == 0
    svg = svg_text(target)
    assert re.search(r"Relations on 2024-06-30: the 1 busiest of \d+ pairs", svg)
    assert "colour: the pair" in svg and "width: events" in svg  # the legend explains colour and width
    few = tmp_path / "few.svg"
    assert loaded("network", "--as-of", "2024-06-30", "--min-events", "4", "-o", few).exit_code == 0
    assert "pairs with at least 4 events" in svg_text(few)


def test_network_layout_is_seeded_and_the_same_every_time() -> None:
    from detente.cli.network_map import Link, layout

    links = [Link(("A", "B"), 1.0, "neutral", 3), Link(("B", "C"), -2.0, "strained", 10), Link(("C", "A"), 4.0, "cordial", 1), Link(("D", "E"), 0.0, "neutral", 2)]
    first = layout(links, None)
    assert first == layout(links, None)
    assert set(first) == {"A", "B", "C", "D", "E"}
    assert min(x for code, (x, _) in first.items() if code in "DE") > max(x for code, (x, _) in first.items() if code in "ABC")


def test_an_image_is_written_with_the_users_umask(loaded: Detente, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert loaded("network", "-o", tmp_path / "shared.png").exit_code == 0
        assert (tmp_path / "shared.png").stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        assert loaded("chart", "RUS", "PRK", "-o", tmp_path / "group.png").exit_code == 0
        assert (tmp_path / "group.png").stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]  # no temporary file left behind


def test_reading_commands_do_not_import_the_drawing_libraries(loaded: Detente, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from detente.cli.main import cli\n"
        f"try:\n    cli(['--db', {str(loaded.db)!r}, 'status', 'RUS', 'PRK'])\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "for name in ('matplotlib', 'networkx'):\n"
        "    assert name not in sys.modules, name\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_ego_network_rings_the_partners_clockwise_from_the_friendliest_to_the_most_hostile() -> None:
    from detente.cli.network_map import Link, layout

    links = [Link(("RUS", code), score, "neutral", 5) for code, score in [("PRK", 8.0), ("UKR", -10.0), ("CHN", 1.0), ("KOR", -4.0)]]
    position = layout(links, "RUS")
    assert position["RUS"] == (0.0, 0.0)
    partners = [code for code in position if code != "RUS"]
    assert all(math.isclose(math.hypot(*position[code]), 1.0) for code in partners)
    assert sorted(partners, key=lambda code: _clock(position[code])) == ["PRK", "CHN", "KOR", "UKR"]


def _clock(point: tuple[float, float]) -> float:
    """The angle clockwise from 12 o'clock, 0 … 2π."""
    return (math.pi / 2 - math.atan2(point[1], point[0])) % (2 * math.pi)


def test_a_small_chart_numbers_fewer_events_and_says_so(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    target = tmp_path / "small.svg"
    assert loaded("chart", "RUS", "PRK", "--from", "2023", "--vs", "RUS", "KOR", "-o", target, "--width", "600", "--height", "400").exit_code == 0
    svg = svg_text(target)
    assert re.search(r"\((\d+) more of the largest moves are not numbered: give a taller image with --height\.\)", svg)
    assert "Sources: hand-curated records" in svg  # the footer is still there


def test_a_network_long_after_its_events_says_the_scores_have_faded(loaded: Detente, tmp_path: Path, text_as_text: object) -> None:
    late, early = tmp_path / "late.svg", tmp_path / "early.svg"
    assert loaded("network", "--as-of", "2030-01-01", "-o", late).exit_code == 0
    assert "no event in the 365 days before 2030-01-01: the scores have faded" in svg_text(late)
    assert loaded("network", "--as-of", "2024-06-30", "-o", early).exit_code == 0
    assert "have faded" not in svg_text(early)


def test_a_picture_too_small_for_its_text_is_drawn_with_a_warning(loaded: Detente, tmp_path: Path) -> None:
    result = loaded("chart", "RUS", "PRK", "-o", tmp_path / "tiny.png", "--width", "200", "--height", "150")
    assert result.exit_code == 0 and png_size(tmp_path / "tiny.png") == (200, 150)
    assert "Warning: at 200×150 pixels the labels and notes do not all fit; 480×320 or more reads well" in result.output
    result = loaded("network", "-o", tmp_path / "tiny-network.png", "--width", "300", "--height", "300")
    assert result.exit_code == 0 and png_size(tmp_path / "tiny-network.png") == (300, 300)
    assert "800×720 or more reads well" in result.output
    result = loaded("network", "-o", tmp_path / "smallest.png", "--width", "200", "--height", "150")
    assert result.exit_code == 0 and png_size(tmp_path / "smallest.png") == (200, 150)
    assert "Warning" not in loaded("chart", "RUS", "PRK", "-o", tmp_path / "fine.png").output
