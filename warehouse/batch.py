"""What one batch of pages leaves in the warehouse, gathered for one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from dedupe.grouping import Grouping
from dedupe.records import Fingerprint, Link
from extract.records import Extraction


@dataclass(frozen=True)
class BatchWrite:
    run_id: str
    extractions: list[Extraction]
    fingerprints: list[Fingerprint] = field(default_factory=list)
    # The distinct content terms of each new article, for document frequencies.
    document_terms: list[set[str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    grouping: Grouping | None = None
    # Stored pages extracted again (`newsdedup reprocess`): their rows in `pages` are
    # updated and they leave the reprocess queue.
    reprocessed: bool = False


def article_key(article_id: str) -> int:
    """The article id (16 hex digits) as the number `lsh_bands` stores: a band lookup
    reads this column for every stored band key, and 8 bytes read and join several
    times faster than a 16-character string (in SQL: ('0x' || article_id)::UBIGINT)."""
    return int(article_id, 16)


def article_id_of(key: int) -> str:
    return f"{key:016x}"


def band_rows(fingerprints: list[Fingerprint]) -> pa.Table:
    """The LSH band keys of fingerprints as rows (index_name, band_key, article_key,
    day): what is stored for them, and what a new batch looks up. Only event rows
    carry the publication day: copies are copies whenever they were published."""
    names, keys, ids, days = [], [], [], []
    for f in fingerprints:
        key = article_key(f.article_id)
        for index_name, bands, day in (("copy", f.copy_bands, None),
                                       ("event", f.event_bands, f.event_day)):
            names.extend([index_name] * len(bands))
            keys.extend(bands.tolist())
            ids.extend([key] * len(bands))
            days.extend([day] * len(bands))
    return pa.table({"index_name": names, "band_key": pa.array(keys, pa.int64()),
                     "article_key": pa.array(ids, pa.uint64()),
                     "day": pa.array(days, pa.int32())})
