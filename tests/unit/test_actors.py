from __future__ import annotations

import pytest

from detente.domain.actors import Actor
from detente.domain.errors import UnknownActor


@pytest.mark.parametrize(
    "text, code",
    [
        ("RUS", "RUS"),
        ("rus", "RUS"),
        ("ru", "RUS"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("South Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("United States", "USA"),
        ("Ukraine", "UKR"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
    ],
)
def test_codes_and_common_names_resolve_to_iso_alpha_3(text: str, code: str) -> None:
    assert Actor.resolve(text) == Actor(code)


@pytest.mark.parametrize("cameo, iso", [("ROM", "ROU"), ("TMP", "TLS"), ("MTN", "MNE"), ("IMY", "IMN")])
def test_cameo_country_exceptions_map_to_iso(cameo: str, iso: str) -> None:
    assert Actor.resolve(cameo).code == iso


def test_the_united_nations_is_an_organisation_actor() -> None:
    un = Actor.resolve("United Nations")
    assert un == Actor.resolve("UN") == Actor("UNO")
    assert un.is_organisation
    assert not Actor.resolve("PRK").is_organisation


def test_an_unknown_name_is_refused_with_the_nearest_suggestions() -> None:
    with pytest.raises(UnknownActor) as raised:
        Actor.resolve("Nroth Korea")
    assert any("PRK" in suggestion for suggestion in raised.value.suggestions)
    assert "Did you mean" in str(raised.value)


def test_an_actor_has_a_display_name() -> None:
    assert Actor("PRK").name == "North Korea"
    assert Actor("UNO").name == "United Nations"
