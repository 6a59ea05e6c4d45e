"""Articles in; fingerprints, links and groups out. Plain functions: no Prefect, no DuckDB."""

from dedupe.candidates import BandMatch
from dedupe.fingerprint import fingerprint
from dedupe.grouping import EventMerge, Grouping, GroupState, assign_groups
from dedupe.linking import BatchLinks, Neighbourhood, choose_candidates, link_batch
from dedupe.records import ArticleFacts, Fingerprint, Link, LinkKind
from dedupe.settings import DedupeSettings
from dedupe.terms import Analysed, TermStats, analyse, document_frequencies

__all__ = [
    "Analysed", "ArticleFacts", "BandMatch", "BatchLinks", "DedupeSettings", "EventMerge",
    "Fingerprint",
    "GroupState", "Grouping", "Link", "LinkKind", "Neighbourhood", "TermStats", "analyse",
    "assign_groups", "choose_candidates", "document_frequencies", "fingerprint", "link_batch",
]
