"""The same act recorded twice: finding, for a curated record about to be stored, another record of its pair
that asserts the very same act (same type and `assertion_digest`: date, sides, attribution, type-specific
fields), so that `record` and `import` can warn that it would be counted twice.

The aggregate keeps each record's digest (`Relationship.digests`); this module keeps, beside the cached
aggregates and never in them (a snapshot stores an aggregate's attributes), the reverse map from
(type, digest) to record ids, extended with each record added, so that each look-up costs O(1), not a scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from detente.domain.events import PairEvent
from detente.domain.digests import assertion_digest
from detente.domain.relationship import Relationship

Acts = dict[tuple[str, int], list[str]]


class ActIndex:
    def __init__(self) -> None:
        self._by_pair: dict[str, tuple[Relationship, int, Acts]] = {}

    def same_act(self, aggregate: Relationship, event_class: type[PairEvent], fields: dict[str, Any]) -> str | None:
        """The id of another record of the pair, not retracted, asserting the act `fields` assert (the record
        itself may already be in the aggregate); None for an annotation (a correction, a retraction, a denial),
        a dataset row (with provenance: such rows repeat acts by design), or an act not recorded before."""
        if event_class.IS_ANNOTATION or fields.get("provenance"):
            return None
        digest = aggregate.__dict__.get("digests", {}).get(fields["record_id"])
        key = (event_class.TYPE, assertion_digest(event_class, fields) if digest is None else digest)
        for other in self._acts(aggregate).get(key, ()):
            if other != fields["record_id"] and other not in aggregate.retracted_by:
                return other
        return None

    def forget_all_but(self, kept: Iterable[str]) -> None:
        """Drop the maps of pairs whose aggregates are no longer cached."""
        wanted = set(kept)
        for key in [key for key in self._by_pair if key not in wanted]:
            del self._by_pair[key]

    def _acts(self, aggregate: Relationship) -> Acts:
        digests: dict[str, int] = aggregate.__dict__.get("digests", {})
        cached = self._by_pair.get(aggregate.key)
        if cached is None or cached[0] is not aggregate or cached[1] > len(digests):
            acts: Acts = {}
            new_ids: Iterable[str] = digests
        else:
            _, seen, acts = cached
            newest = reversed(digests)  # a dict keeps insertion order: the records added since are last
            new_ids = reversed([next(newest) for _ in range(len(digests) - seen)])
        for record_id in new_ids:
            acts.setdefault((aggregate.kinds[record_id], digests[record_id]), []).append(record_id)
        self._by_pair[aggregate.key] = (aggregate, len(digests), acts)
        return acts
