"""A record fans out to the pair events it stands for, without a database."""

from __future__ import annotations

import pytest

from detente.domain import errors
from detente.domain.actors import Actor
from detente.domain.fanout import Part, fan_out
from detente.record_index import Located

USA, KOR, PRK, RUS = (Actor(code) for code in ("USA", "KOR", "PRK", "RUS"))


def test_a_record_of_one_pair_keeps_its_id() -> None:
    assert fan_out("v", [RUS], [PRK]) == [Part("PRK-RUS", RUS, PRK, "v", None)]


def test_a_record_of_several_parties_fans_out_to_every_pair_with_part_ids() -> None:
    parts = fan_out("acc", [USA, KOR], [PRK])
    assert [(p.pair, p.record_id) for p in parts] == [("PRK-USA", "acc/USA-PRK"), ("KOR-PRK", "acc/KOR-PRK")]


def test_an_actor_named_on_both_sides_does_not_act_on_itself() -> None:
    assert [p.record_id for p in fan_out("m", [USA, KOR], [KOR, PRK])] == ["m/USA-KOR", "m/USA-PRK", "m/KOR-PRK"]
    with pytest.raises(errors.SelfPair):
        fan_out("self", [USA], [USA])


def test_a_reference_must_be_recorded_in_every_pair_the_record_names() -> None:
    with pytest.raises(errors.UnknownReference):
        fan_out("lift", [USA], [PRK], "s")
    with pytest.raises(errors.UnknownReference, match="KOR-PRK"):
        fan_out("lift", [USA, KOR], [PRK], "s", [Located("PRK-USA", "s", "USA", "PRK")])


def test_a_record_without_actors_takes_them_from_every_part_it_refers_to() -> None:
    referenced = [Located("PRK-USA", "acc/USA-PRK", "USA", "PRK"), Located("KOR-PRK", "acc/KOR-PRK", "KOR", "PRK")]
    parts = fan_out("off", [], [], "acc", referenced)
    assert parts == [
        Part("PRK-USA", USA, PRK, "off/USA-PRK", "acc/USA-PRK"),
        Part("KOR-PRK", KOR, PRK, "off/KOR-PRK", "acc/KOR-PRK"),
    ]


def test_a_denial_faces_the_other_party_and_its_denier_must_be_a_party() -> None:
    referenced = [Located("PRK-USA", "acc", "USA", "PRK")]
    assert fan_out("deny", [PRK], [], "acc", referenced) == [Part("PRK-USA", PRK, USA, "deny", "acc")]
    with pytest.raises(errors.InvalidEvent, match="not a party"):
        fan_out("deny", [RUS], [], "acc", referenced)
