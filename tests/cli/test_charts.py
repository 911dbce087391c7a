"""Charts are real images of the size asked for: PNG by its IHDR header, SVG by its width and height."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from .conftest import Detente, empty_store

pytest.importorskip("matplotlib", reason="charts need the `charts` extra (matplotlib)")

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
    assert png_size(target) == (1200, 600)


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
    assert svg_size(tmp_path / "kor.svg") == pytest.approx((1000, 1000))
    empty = empty_store(tmp_path / "empty.db")
    assert empty("network", "-o", tmp_path / "empty.png").exit_code == 0
    assert png_size(tmp_path / "empty.png") == (1000, 1000)
