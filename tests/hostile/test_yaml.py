"""YAML read safely: tags, alias bombs, self-references and deep nesting are each their item's error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.domain.errors import DetenteError
from detente.interchange.formats import read_file
from detente.interchange.limits import MAX_NESTING, MAX_RECORD_BYTES

from .conftest import Imported, peak_allocation

GOOD_1 = "- {id: good-1, type: visit-held, date: 2020-01-01, actor: FRA, target: DEU}"
GOOD_2 = "- {id: good-2, type: visit-held, date: 2020-01-02, actor: FRA, target: DEU}"


def billion_laughs(levels: int = 9) -> str:
    lines = ["- a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"  a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines)


HOSTILE_ITEMS = {
    "python/object/apply": "- !!python/object/apply:os.system ['echo owned']",
    "python/name": "- {id: n, type: !!python/name:os.system ''}",
    "a custom tag": "- {id: c, type: visit-held, summary: !secret 42}",
    "a billion laughs": billion_laughs(),
    "a self-referencing mapping": "- &me {id: s, me: *me}",
    "a self-referencing list": "- {id: s, sources: &l [*l]}",
    "an undefined alias": "- {id: u, sources: *nowhere}",
    "nesting past the cap": "- {id: d, x: " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "}",
    "an impossible date": "- {id: d, type: visit-held, date: 2024-13-45, actor: FRA, target: DEU}",
    "NaN": "- {id: n, type: visit-held, date: 2020, actor: FRA, target: DEU, x: .nan}",
    "binary": "- {id: b, summary: !!binary aGVsbG8=}",
    "not a mapping": "- just text",
}


@pytest.mark.parametrize("hostile", HOSTILE_ITEMS.values(), ids=HOSTILE_ITEMS.keys())
def test_a_hostile_yaml_item_is_rejected_at_its_line_and_the_good_items_are_stored(
    hostile: str, tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text("\n".join([GOOD_1, hostile, GOOD_2]) + "\n", encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [2]
    assert imported.stored == {"good-1", "good-2"}


def test_a_billion_laughs_fails_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(billion_laughs(levels=12) + "\n", encoding="utf-8")
    with peak_allocation() as peak:
        [(number, error)] = list(read_file(path, "yaml"))
    assert number == 1 and isinstance(error, DetenteError) and "alias" in str(error)
    assert peak.bytes < 8 << 20


def test_aliases_within_the_limits_are_expanded_as_yaml_means(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text(
        "- {id: a, type: visit-held, date: 2020, actor: FRA, target: DEU, sources: &s [{title: T}]}\n"
        "- {id: b, type: visit-held, date: 2020, actor: FRA, target: DEU, sources: *s}\n",
        encoding="utf-8",
    )
    first, second = (value for _, value in read_file(path, "yaml"))
    assert first["sources"] == second["sources"] == [{"title": "T"}]


def test_nesting_libyaml_cannot_parse_stops_the_file_there_keeping_the_items_before(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join([GOOD_1, "- " + "[" * 100_000 + "]" * 100_000, GOOD_2]) + "\n", encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [2] and "nothing from this line on was read" in imported.output
    assert imported.stored == {"good-1"}


def test_a_yaml_syntax_error_is_reported_at_its_line_after_the_items_before_it_are_stored(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join([GOOD_1, GOOD_2, "- {id: x, type: [unclosed"]) + "\n", encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.stored == {"good-1", "good-2"} and "not valid YAML" in imported.output


ITEMS = st.one_of(st.sampled_from(sorted(HOSTILE_ITEMS.values())), st.just(GOOD_1), st.just(GOOD_2))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(ITEMS, max_size=10))
def test_whatever_items_a_yaml_file_holds_each_is_read_or_rejected_alone(items: list[str], tmp_path: Path) -> None:
    path = tmp_path / "generated.yaml"
    text = "\n".join(items) + "\n"
    path.write_text(text, encoding="utf-8")
    read = list(read_file(path, "yaml"))
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("- ")]
    assert [number for number, _ in read] == starts
    for (_, value), item in zip(read, items):
        assert isinstance(value, DetenteError) == (item not in (GOOD_1, GOOD_2)), (item, value)


def test_a_yaml_line_over_the_limit_stops_the_read_there_keeping_the_items_before(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "long-line.yaml"
    path.write_text(
        "\n".join([GOOD_1, "- {id: l, summary: " + "s" * (MAX_RECORD_BYTES + 10) + "}", GOOD_2]) + "\n",
        encoding="utf-8",
    )
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert "longer than 1024 KiB" in imported.output and imported.stored == {"good-1"}


def test_a_yaml_item_over_the_limit_in_short_lines_stops_the_read_there(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    block = "\n".join("    " + "w" * 70 for _ in range(MAX_RECORD_BYTES // 70 + 2_000))
    path = tmp_path / "long-item.yaml"
    path.write_text("\n".join([GOOD_1, "- id: l\n  summary: |\n" + block, GOOD_2]) + "\n", encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert "the item at line 2 is longer than 1024 KiB" in imported.output and imported.stored == {"good-1"}


def test_yaml_line_numbers_count_the_blank_lines_before_the_first_item(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    path.write_text("\n" * 5000 + GOOD_1 + "\n- !!python/name:os.system ''\n", encoding="utf-8")
    assert [number for number, _ in read_file(path, "yaml")] == [5001, 5002]


def test_yaml_that_is_not_utf8_is_reported_after_the_items_before(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes((GOOD_1 + "\n" + GOOD_2 + "\n").encode() + "- {id: b, summary: Bj\xf8rn}\n".encode("latin-1"))
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert "not UTF-8" in imported.output and imported.stored == {"good-1", "good-2"}


def test_the_pure_python_loader_keeps_the_same_guards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libyaml is not installed PyYAML's own parser is used: the items are read and refused alike."""
    import yaml

    from detente.interchange import yaml_items

    monkeypatch.setattr(yaml_items, "Loader", yaml.SafeLoader)
    path = tmp_path / "pure.yaml"
    surrogate = '- {id: s, summary: "\\ud800"}'  # libyaml refuses the escape; PyYAML's parser reads it
    path.write_text("\n".join([GOOD_1, *HOSTILE_ITEMS.values(), surrogate, GOOD_2]) + "\n", encoding="utf-8")
    read = [value for _, value in read_file(path, "yaml")]
    assert [isinstance(value, DetenteError) for value in read] == [False] + [True] * (len(HOSTILE_ITEMS) + 1) + [False]
    assert "lone surrogate" in str(read[-2])


def test_a_long_yaml_file_and_a_long_line_within_the_limit_are_read_whole(tmp_path: Path) -> None:
    """The item limit is per item: 1.5 MiB of small items, and one item of a 900 KB line, are all read."""
    items = [f"- {{id: r{number}, type: visit-held, date: 2020, actor: FRA, target: DEU}}" for number in range(20_000)]
    items.insert(10_000, "- {id: wide, summary: " + "w" * 900_000 + "}")
    path = tmp_path / "long.yaml"
    path.write_text("\n".join(items) + "\n", encoding="utf-8")
    read = [value for _, value in read_file(path, "yaml")]
    assert len(read) == 20_001 and all(isinstance(value, dict) for value in read)
    assert read[10_000]["summary"] == "w" * 900_000


def test_anchors_cannot_keep_more_than_a_bounded_part_of_the_file_in_memory(tmp_path: Path) -> None:
    """Anchored values live as long as the file is read (an alias may come later): past 16 Mi characters
    of them, an item defining one more is refused; items without anchors are still read."""
    big = "a" * 900_000
    items = [f'- {{id: a{number}, type: visit-held, summary: &s{number} "{big}"}}' for number in range(20)]
    path = tmp_path / "anchors.yaml"
    path.write_text("\n".join([*items, GOOD_1]) + "\n", encoding="utf-8")
    read = [value for _, value in read_file(path, "yaml")]
    refused = [isinstance(value, DetenteError) for value in read]
    assert refused == [False] * 18 + [True] * 2 + [False]
    assert "fewer anchors" in str(read[18])


def test_a_second_yaml_document_is_reported_rather_than_dropped(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(f"---\n{GOOD_1}\n---\n{GOOD_2}\n", encoding="utf-8")
    (first_line, first), (second_line, second) = read_file(path, "yaml")
    assert (first_line, first["id"]) == (2, "good-1")
    assert second_line == 3 and isinstance(second, DetenteError) and "second YAML document" in str(second)


def test_a_mapping_with_an_events_list_is_read_whatever_other_keys_surround_it(tmp_path: Path) -> None:
    path = tmp_path / "dataset.yaml"
    path.write_text(f"title: a case\nevents:\n{GOOD_1}\n{GOOD_2}\nnotes: [one, two]\n", encoding="utf-8")
    assert [(number, value["id"]) for number, value in read_file(path, "yaml")] == [(3, "good-1"), (4, "good-2")]
