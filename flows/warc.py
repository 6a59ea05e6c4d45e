"""Pages out of WARC files (Common Crawl style), with warcio.

A WARC is indexed once (record offsets of successful HTML responses), then each batch
reads only its records by offset, so a large file streams through in batches.
"""

from __future__ import annotations

import zlib
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


@dataclass(frozen=True)
class WarcIndex:
    pages: list[tuple[int, str]]  # (offset, target URI) of every page response
    damaged: list[tuple[int, str]]  # (offset, what was wrong) where reading broke off


# Where a record can start again after damage: a gzip member (each record of a .warc.gz
# is one), or a "WARC/1.x" version line.
_GZIP_MEMBER = b"\x1f\x8b\x08"
_VERSION_LINE = b"\nWARC/1."
_SCAN_CHUNK = 1 << 20


def _next_start(stream, after: int, gzipped: bool) -> int | None:
    """The offset of the first possible record start at or after `after`."""
    marker = _GZIP_MEMBER if gzipped else _VERSION_LINE
    skip = 0 if gzipped else 1  # the newline before a version line is the last record's
    position = max(after - skip, 0)
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK)
        if len(chunk) < len(marker):
            return None
        found = chunk.find(marker)
        if found >= 0:
            return position + found + skip
        position += len(chunk) - len(marker) + 1


def _problem(exc: Exception) -> str:
    # warcio quotes the damaged bytes: binary, and as long as a line
    text = "".join(c if c.isprintable() else "?" for c in " ".join(str(exc).split())[:160])
    return f"{type(exc).__name__}: {text}"


def _after_member(stream, offset: int) -> int | None:
    """Where bytes start that follow the gzip member at `offset`, the file's last one
    read: warcio ends without a word at a member cut short (a download stopped)."""
    stream.seek(offset)
    member = zlib.decompressobj(wbits=31)
    while not member.eof and (chunk := stream.read(_SCAN_CHUNK)):
        member.decompress(chunk, _SCAN_CHUNK)
        while member.unconsumed_tail and not member.eof:  # bounded output, all input
            member.decompress(member.unconsumed_tail, _SCAN_CHUNK)
    if not member.eof:
        return offset
    end = stream.tell() - len(member.unused_data)
    return end if stream.seek(0, 2) > end else None


class _Misread(Exception):
    """A record warcio read to its end without a word, which was not whole."""

    def __init__(self, offset: int, why: str, resume: int | None):
        super().__init__(why)
        self.offset, self.resume = offset, resume


def _raise_if_misread(stream, record, records: ArchiveIterator, offset: int, errors_before: int):
    """In an uncompressed file, _Misread where a record warcio read to its end without
    a word is damaged. warcio reads a record to its Content-Length, and where no blank
    line follows, only warns and skips a line: the records inside a length too long
    were lost without a word, and a file cut inside its last record looked whole.
    (A length a byte short, as some versions of wget wrote, loses nothing: left be.)"""
    if getattr(record.raw_stream, "limit", 0) > 0:  # the file ends before its length
        raise _Misread(offset, "cut short: a record begins here and is not whole", None)
    if records.err_count > errors_before:
        resumed_at, position = records.offset, stream.tell()
        start = _next_start(stream, offset + 1, gzipped=False)
        stream.seek(position)  # warcio reads on from here
        if start is not None and start < resumed_at:
            raise _Misread(offset, "a record's Content-Length runs over the records "
                                   "after it", start)


def warc_index(path: Path) -> WarcIndex:
    """Every HTML page response in the file. Where a record is damaged (a download
    cut short, bytes overwritten, a wrong Content-Length), reading goes on at the next
    record that starts cleanly, and the damage is reported: one bad record does not
    cost the file's others."""
    pages: list[tuple[int, str]] = []
    damaged: list[tuple[int, str]] = []
    with path.open("rb") as stream:
        gzipped = stream.read(2) == b"\x1f\x8b"
        start: int | None = 0
        while start is not None:
            stream.seek(start)
            records = ArchiveIterator(stream)
            last = None  # the offset of the last record read whole in this pass
            try:
                for record in records:
                    if record.format != "warc":
                        # warcio takes junk where reading resumes inside damage for an
                        # ARC record: that is still the damage, not a record read whole
                        raise ValueError(f"not a WARC record: {record.format} format")
                    errors, offset = records.err_count, records.get_record_offset()
                    if not gzipped:  # (a gzip member ends a record whatever its length)
                        _raise_if_misread(stream, record, records, offset, errors)
                    last = offset
                    if _is_page(record):
                        pages.append((last, record.rec_headers.get_header("WARC-Target-URI")))
                if gzipped and last is not None and (tail := _after_member(stream, last)):
                    damaged.append((tail, "cut short: a record begins here and is not whole"))
                    if pages and pages[-1][0] == tail:  # that record is the one cut short
                        pages.pop()
                break
            except _Misread as exc:  # that record is the damage; the next may be whole
                damaged.append((exc.offset, str(exc)))
                start = exc.resume
            # warcio's ArchiveLoadFailed, zlib's errors, and AttributeErrors on headers
            # cut short: what a damaged file raises is not one type
            except Exception as exc:
                if last is None:  # the damage is where this pass began
                    if not damaged:  # (else inside the damage already reported)
                        damaged.append((start, _problem(exc)))
                    start = _next_start(stream, start + 1, gzipped)
                else:  # the damage is after the last record read whole
                    start = _next_start(stream, last + 1, gzipped)
                    damaged.append((last if start is None else start, _problem(exc)))
    return WarcIndex(pages, damaged)


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
