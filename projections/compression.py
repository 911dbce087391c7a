"""Compressing what detente stores: each event's state in the log, and each fact's free text in the view.

An event's JSON is about 800 bytes, of which most is the same from one event to the next: the field names,
the library's `{"_type_":…,"_data_":…}` wrappers, an import's provenance keys. zlib on its own gains little
on so short a text (800 → 440 bytes), because it has nothing to refer back to; primed with a dictionary of
those recurring pieces (`DICTIONARY_V1`) it stores the same event in about 140 bytes. A compressed value is
`MARKER_V1` and raw deflate; anything else is passed through as it is, so the events of a store written
before compression (JSON, which starts with `{`) read as they always did, and a store may hold both.

The library compresses an event before its cipher encrypts it (`Mapper.to_stored_event`), so an encrypted
store gains as much. Compression is set by `store.ledger_environment` (COMPRESSOR_TOPIC).

The dictionary is part of the stored format: a value compressed with it cannot be read without it, so it
never changes (a test pins its digest). A better one would be `DICTIONARY_V2` with a marker of its own.
"""

from __future__ import annotations

import zlib

from eventsourcing.persistence import Compressor

MARKER_V1 = b"\x01"
"""The first byte of a value compressed with DICTIONARY_V1 (JSON never starts with it)."""
WINDOW_BITS = 13
"""An 8 KiB window holds the dictionary and an ordinary event; a larger one only costs time to set up."""
MEMORY_LEVEL = 2
"""zlib's memory for its match-finding tables; its default (8) costs several times longer to set up per value
than compressing 800 bytes takes, for the same size on values this short."""
LEVEL = 6

DICTIONARY_V1 = "".join(
    (
        # A curated record, its sources, a correction's changes and the rarer fields.
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2024-06-19T00:00:00.000000+00:00"},"originator_topic":'
        '"detente:Relationship","first":{"_type_":"actor","_data_":"PRK"},"second":{"_type_":"actor","_data_":"RUS"}}',
        '"sources":[{"_type_":"source","_data_":{"title":"","url":"https://www.","publisher":"","language":"en",'
        '"published":"2024-06-18"}}],"summary":"The ","refers_to":"","changes":{"planned":{"_type_":"partial_date",'
        '"_data_":"2024-06-18"}},"status":"alleged","claimed_by":[{"_type_":"actor","_data_":"USA"}],"status":"denied",'
        '"status":"confirmed","scope":"targeted","measures":"","place":"","planned":null,"ended_on":null,"kind":"",'
        '"domain":"","person":"","charge":"","annexed":false,"class_version":3}',
        # A fact's free text in the view (summary, sources, details) as rows.py writes it.
        '{"summary":"","sources":[{"publisher":"","published":"2018-06-01"}],"details":{"code":"040","provenance":'
        '{"dataset":"icews","file":"","source_id":"","dataset_weight":1.0,"story_id":,"sentence_number":1,'
        '"publisher":"","source_name":"","source_sectors":"Government","target_name":"","target_sectors":"Government"}}}',
        '{"summary":"","sources":[{"url":"https://www.reuters.com/world/","publisher":"reuters.com","published":'
        '"2022-03-06T16:00:00+00:00"}],"details":{"code":"042","provenance":{"dataset":"gdelt","file":"","source_id":"",'
        '"dataset_weight":1.9,"num_mentions":3,"num_sources":1,"num_articles":3,"avg_tone":-3.483342,'
        '"is_root_event":true,"actor1_code":"USAGOV","actor2_code":"CHN"}}}',
        # The commonest CAMEO descriptions, as an import's summaries end.
        ': Make statement": Make pessimistic comment": Make optimistic comment": Consider policy option": Express accord'
        '": Make an appeal or request": Express intent to cooperate": Express intent to meet or negotiate": Consult'
        '": Host a visit": Engage in negotiation": Praise or endorse": Sign formal agreement": Cooperate economically'
        '": Criticize or denounce": Accuse": Reject": Threaten": Reduce relations": Impose embargo, boycott, or sanctions'
        '": Arrest, detain, or charge with legal action": Use conventional military force": Make a visit"',
        # An imported ICEWS row.
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2024-06-19T00:00:00.000000+00:00"},"record_id":"icews:',
        '","actor":{"_type_":"actor","_data_":"USA"},"target":{"_type_":"actor","_data_":"PRK"},"occurred_on":'
        '{"_type_":"partial_date","_data_":"2018-06-01"},"incident_id":null,"status":"reported","claimed_by":[],'
        '"sources":[{"_type_":"source","_data_":{"publisher":"","published":"2018-06-01"}}],"summary":": Consult",'
        '"refers_to":null,"code":"040","provenance":{"dataset":"icews","file":"","source_id":"","dataset_weight":1.0,'
        '"story_id":,"sentence_number":1,"publisher":"","source_name":"","source_sectors":"Government",'
        '"target_name":"","target_sectors":"Government"},"class_version":2}',
        # An imported GDELT row, the commonest event of a large store: last, so the nearest to refer to.
        '{"timestamp":{"_type_":"datetime_iso","_data_":"2024-06-19T00:00:00.000000+00:00"},"record_id":"gdelt:',
        '","actor":{"_type_":"actor","_data_":"USA"},"target":{"_type_":"actor","_data_":"CHN"},"occurred_on":'
        '{"_type_":"partial_date","_data_":"2022-03-04"},"incident_id":null,"status":"reported","claimed_by":[],'
        '"sources":[{"_type_":"source","_data_":{"url":"https://www.reuters.com/world/","publisher":"reuters.com",'
        '"published":"2022-03-06T16:00:00+00:00"}}],"summary":"USA → CHN: Make a visit","refers_to":null,"code":"042",'
        '"provenance":{"dataset":"gdelt","file":"","source_id":"","dataset_weight":1.9,"num_mentions":3,'
        '"num_sources":1,"num_articles":3,"avg_tone":-3.483342,"is_root_event":true,"actor1_code":"USAGOV",'
        '"actor2_code":"CHN"},"class_version":2}',
    )
).encode("utf-8")


def compress(data: bytes) -> bytes:
    """`data` deflated with DICTIONARY_V1, behind MARKER_V1."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -WINDOW_BITS, MEMORY_LEVEL, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_V1)
    return MARKER_V1 + packer.compress(data) + packer.flush()


def decompress(data: bytes) -> bytes:
    """What `compress` was given; a value without MARKER_V1 (stored uncompressed) as it is."""
    if data[:1] != MARKER_V1:
        return data
    unpacker = zlib.decompressobj(-WINDOW_BITS, DICTIONARY_V1)
    inflated = unpacker.decompress(data[1:]) + unpacker.flush()
    if not unpacker.eof:
        raise zlib.error("the compressed value is cut short")
    return inflated


class DictionaryCompressor(Compressor):
    """The library's compressor interface (COMPRESSOR_TOPIC) over `compress` and `decompress`."""

    def compress(self, data: bytes) -> bytes:
        return compress(data)

    def decompress(self, data: bytes) -> bytes:
        return decompress(data)


COMPRESSOR_TOPIC = f"{__name__}:{DictionaryCompressor.__name__}"
