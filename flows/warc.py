"""Pages out of WARC files (Common Crawl style), with warcio.

A WARC is indexed once (record offsets of successful HTML responses), then each batch
reads only its records by offset, so a large file streams through in batches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class WarcRecord:
    url: str
    fetched_at: datetime
    body: bytes
    content_type: str | None


def _date(value: str | None) -> datetime:
    try:
        return datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)


def _is_page(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return not media or media in PAGE_TYPES


def warc_index(path: Path) -> list[tuple[int, str]]:
    """(offset, target URI) of every HTML page response in the file."""
    out = []
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if _is_page(record):
                out.append((records.get_record_offset(),
                            record.rec_headers.get_header("WARC-Target-URI")))
    return out


def read_warc_record(path: Path, offset: int, max_bytes: int) -> WarcRecord:
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            raise ValueError(f"WARC record too large: over {max_bytes} bytes")
        return WarcRecord(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            fetched_at=_date(record.rec_headers.get_header("WARC-Date")),
            body=body,
            content_type=record.http_headers.get_header("Content-Type"),
        )
