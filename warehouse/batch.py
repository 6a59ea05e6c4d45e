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


def band_rows(fingerprints: list[Fingerprint]) -> pa.Table:
    """The LSH band keys of fingerprints as rows (index_name, band_key, article_id):
    what is stored for them, and what a new batch looks up."""
    names, keys, ids = [], [], []
    for f in fingerprints:
        for index_name, bands in (("copy", f.copy_bands), ("event", f.event_bands)):
            names.extend([index_name] * len(bands))
            keys.extend(bands.tolist())
            ids.extend([f.article_id] * len(bands))
    return pa.table(
        {"index_name": names, "band_key": pa.array(keys, pa.int64()), "article_id": ids}
    )
