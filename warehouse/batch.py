"""What one batch of pages leaves in the warehouse, gathered for one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

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
