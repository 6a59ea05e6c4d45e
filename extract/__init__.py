"""Raw page bytes in, clean `Article` out. Plain functions: no Prefect, no DuckDB."""

from extract.page import extract_page, warm_up
from extract.records import Article, Extraction, RawPage

__all__ = ["Article", "Extraction", "RawPage", "extract_page", "warm_up"]
