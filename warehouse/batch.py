"""What one batch of pages leaves in the warehouse, gathered for one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from dedupe.grouping import Grouping
from dedupe.records import Fingerprint, Link
from extract.records import Extraction
from extract.templates import SiteSample


@dataclass(frozen=True)
class BatchWrite:
    run_id: str
    extractions: list[Extraction]
    fingerprints: list[Fingerprint] = field(default_factory=list)
    # In how many of the batch's new articles each term occurs: added to `term_df`.
    term_df: Counter[str] = field(default_factory=Counter)
    links: list[Link] = field(default_factory=list)
    grouping: Grouping | None = None
    # Stored pages extracted again (`newsdedup reprocess`): their rows in `pages` are
    # updated and they leave the reprocess queue.
    reprocessed: bool = False
    # The template samples of the sites this batch added articles to, each whole: they
    # replace what the warehouse held for those sites.
    site_samples: dict[str, tuple[SiteSample, ...]] = field(default_factory=dict)


def article_key(article_id: str) -> int:
    """The article id (16 hex digits) as the number the band tables store: a band lookup
    reads this column for every stored band key, and 8 bytes read and join several
    times faster than a 16-character string (in SQL: ('0x' || article_id)::UBIGINT)."""
    return int(article_id, 16)


def article_id_of(key: int) -> str:
    return f"{key:016x}"


def band_rows(fingerprints: list[Fingerprint]) -> dict[str, pa.Table]:
    """The LSH band keys of fingerprints as rows of each index's table (`copy_bands`,
    `event_bands`): what is stored for them, and what a new batch looks up. Only event
    rows carry the publication day: copies are copies whenever they were published."""
    keys = {f.article_id: article_key(f.article_id) for f in fingerprints}
    tables = {}
    for index_name in ("copy", "event"):
        bands = [getattr(f, f"{index_name}_bands") for f in fingerprints]
        columns = {
            "band_key": pa.array([k for b in bands for k in b.tolist()], pa.int64()),
            "article_key": pa.array([keys[f.article_id] for f, b in zip(fingerprints, bands,
                                     strict=True) for _ in range(len(b))], pa.uint64()),
        }
        if index_name == "event":
            columns["day"] = pa.array([f.event_day for f, b in zip(fingerprints, bands,
                                       strict=True) for _ in range(len(b))], pa.int32())
        tables[f"{index_name}_bands"] = pa.table(columns)
    return tables
