"""A page's bytes as the warehouse keeps them: each page compressed on its own.

DuckDB reads a BLOB column 2,048 values at a time whatever the query asks for, and
under its own ZSTD it unpacks a whole segment to read one value of it. A scan of 974
news pages fetched over HTTP (173 MB of HTML) could not be read back at a run's 256 MB
limit: the run after the first failed before reading a page, since each run looks for
pages a reprocess left (session 44). So each page is compressed alone (zlib level 1:
~200 MB/s, 4.4x smaller on HTML), DuckDB does not compress the column again, and
pages are read back one row at a time (`warehouse.reads.queued_pages`).
"""

from __future__ import annotations

import zlib

# A page read as gzip (a `.html.gz` file) is kept as it is: compressing it again gains
# nothing. A zlib stream never starts so (its first byte is 0x78 for these settings).
GZIP_MAGIC = b"\x1f\x8b"


def pack(body: bytes) -> bytes:
    if not body or body[:2] == GZIP_MAGIC:
        return body
    return zlib.compress(body, 1)


def unpack(stored: bytes | None) -> bytes:
    """The bytes as read, from what `pack` made of them."""
    if not stored or stored[:2] == GZIP_MAGIC:
        return stored or b""
    return zlib.decompress(stored)
