"""What the scoring constants derive from the event classes' metadata."""

from detente.projections import scoring


def test_the_closers_left_out_of_the_flow_are_the_records_that_only_end_a_standing_condition() -> None:
    assert scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW == {
        "armed-conflict-ended", "occupation-ended", "relations-restored", "sanction-lifted", "citizen-released", "treaty-ended",
    }


def test_every_status_has_a_claim_factor() -> None:
    from detente.domain.sources import STATUSES

    assert set(scoring.CLAIM_FACTORS) == set(STATUSES)
