"""Bytes to text: gzip, byte-order marks, declared charsets that may lie, and detection."""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass

import charset_normalizer

# Pages beyond this are cut (with a warning) so one huge page cannot stall a batch.
MAX_DECODED_BYTES = 10 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why, for `pages.error`."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    truncated: bool = False


def gunzip(body: bytes, limit: int = MAX_DECODED_BYTES) -> tuple[bytes, bool]:
    """Inflate gzip data, at most `limit` bytes of it, so a gzip bomb costs nothing."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit)
    except zlib.error as exc:
        raise DecodeError(f"corrupt gzip data: {exc}") from exc
    if inflater.unconsumed_tail:
        return out, True
    if not inflater.eof:
        # The file ends inside the stream: keep what inflated, flagged as cut.
        if not out:
            raise DecodeError("corrupt gzip data: truncated before any content")
        return out, True
    return out, False


def _declared(body: bytes, content_type: str | None) -> str | None:
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        return _codec_name(m.group(1))
    if m := _META_CHARSET.search(body[:8192]):
        return _codec_name(m.group(1).decode("ascii", "ignore"))
    return None


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


def _looks_binary(sample: bytes) -> bool:
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


def _utf16_without_bom(sample: bytes) -> str | None:
    if len(sample) < 4 or b"\x00" not in sample:  # (a space is 20 00 in UTF-16)
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    # ASCII-heavy UTF-16 has a zero byte in every other position.
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    # Text in one alphabet has few high bytes too: 0x06 and 0 in Arabic, 0x04 and 0 in
    # Cyrillic (an Arabic text file saved as UTF-16 without its BOM read as binary).
    for name, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if len(high) >= 16 and _few_values(high) and not _few_values(low):
            try:
                text = sample.decode(name)
            except UnicodeDecodeError:  # (maybe only a pair cut at the sample's end)
                text = sample[:-2].decode(name, "replace")
            if _reads_as_text(text):
                return name
    return None


def _few_values(half: bytes) -> bool:
    return sum(n for _, n in Counter(half).most_common(2)) >= 0.9 * len(half)


def _reads_as_text(text: str) -> bool:
    """Letters, marks, digits, spaces and punctuation, as text is (binary read as
    UTF-16 is mostly symbols, unassigned and private code points, and surrogates)."""
    texty = sum(unicodedata.category(c)[0] in "LMNPZ" or c in "\t\n\r" for c in text)
    return texty >= 0.95 * len(text)


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Turn page bytes into text, or raise DecodeError with a message fit for a user."""
    truncated = False
    if body[:2] == b"\x1f\x8b":
        body, truncated = gunzip(body)
    if len(body) > MAX_DECODED_BYTES:
        body, truncated = body[:MAX_DECODED_BYTES], True
    if not body.strip():
        raise DecodeError("empty page")

    for bom, name in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(name, "replace"), name, truncated)

    if utf16 := _utf16_without_bom(body[:4096]):
        return Decoded(body.decode(utf16, "replace"), utf16, truncated)
    if _looks_binary(body[:4096]):
        raise DecodeError("binary content, not a text or HTML page")

    # Valid UTF-8 is almost never an accident, so it wins over any declaration;
    # a cut page may end inside a multi-byte character, which is forgiven.
    try:
        return Decoded(body.decode("utf-8"), "utf-8", truncated)
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(body) - 3:
            return Decoded(body[: exc.start].decode("utf-8"), "utf-8", truncated)

    declared = _declared(body, content_type)
    sample = body[:200_000]
    # A declaration is trusted when the bytes read plausibly in it (no more mess than
    # in the best detected encoding); otherwise detection decides. Pages served as iso-8859-1 that
    # really are windows-1256 are common in Arabic news.
    best = charset_normalizer.from_bytes(sample).best()
    as_declared = (
        charset_normalizer.from_bytes(sample, cp_isolation=[declared]).best() if declared else None
    )
    if as_declared is not None and (best is None or as_declared.chaos <= best.chaos + 0.1):
        candidates = [declared]
    else:
        candidates = [_codec_name(best.encoding) if best else None, declared, "cp1252"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            return Decoded(body.decode(encoding), encoding, truncated)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DecodeError("undecodable bytes: no encoding fits")
