import codecs
import gzip

import pytest

from extract.decode import MAX_DECODED_BYTES, DecodeError, decode

ARABIC = "انتهت زيارة الرئيس الروسي فلاديمير بوتين الى كوريا الشمالية والتي اكدت بيونغ يانغ اهتمامها"


def page(charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}</head><body><p>{ARABIC}</p></body></html>"


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "cp1256", "iso-8859-6", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"],
)
def test_arabic_in_every_common_encoding_decodes_to_the_same_text(encoding):
    decoded = decode(page().encode(encoding))
    assert ARABIC in decoded.text


def test_declared_charset_that_lies_is_overruled():
    # Served as latin-1, really windows-1256: common on older Arabic news sites.
    decoded = decode(page("iso-8859-1").encode("cp1256"))
    assert ARABIC in decoded.text
    assert decoded.encoding == "cp1256"


def test_header_charset_is_used_when_detection_is_unsure():
    body = "<p>café crème brûlée à la française, s'il vous plaît</p>".encode("cp1252")
    assert "brûlée" in decode(body, "text/html; charset=windows-1252").text


def test_gzip_is_inflated():
    assert ARABIC in decode(gzip.compress(page().encode("utf-8"))).text


def test_gzip_bomb_is_cut_not_inflated_whole():
    bomb = gzip.compress(b"<p>" + b"a" * (MAX_DECODED_BYTES * 3) + b"</p>")
    decoded = decode(bomb)
    assert decoded.truncated
    assert len(decoded.text) <= MAX_DECODED_BYTES


def test_oversized_page_is_cut_with_a_flag():
    body = ("<p>" + "news " * (MAX_DECODED_BYTES // 4) + "</p>").encode()
    decoded = decode(body)
    assert decoded.truncated and len(decoded.text) <= MAX_DECODED_BYTES


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty page"),
        (b"   \n\t ", "empty page"),
        (bytes(range(256)) * 20, "binary content"),
        (b"\x1f\x8b\x08\x00garbage-not-deflate", "corrupt gzip"),
    ],
)
def test_unreadable_bytes_raise_a_clear_error(body, message):
    with pytest.raises(DecodeError, match=message):
        decode(body)


def test_utf16_bom_is_not_mistaken_for_binary():
    assert ARABIC in decode(codecs.BOM_UTF16_LE + page().encode("utf-16-le")).text


CYRILLIC = "Президент России Владимир Путин прибыл с визитом в Пхеньян, где провёл переговоры."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ARABIC, CYRILLIC])
def test_a_text_in_another_alphabet_saved_as_utf16_without_bom_is_text(encoding, text):
    # no ASCII markup to give a zero in every other byte: the high bytes are the
    # alphabet's block (0x06 for Arabic, 0x04 for Cyrillic); it read as binary
    body = "\n\n".join([text] * 5).encode(encoding)
    decoded = decode(body)
    assert decoded.encoding == encoding and text in decoded.text


def test_binary_with_few_high_bytes_is_still_binary():
    # every other byte zero or one, as UTF-16 of an alphabet, but no text in it
    body = bytes(b for i in range(4000) for b in (i % 7, i % 2))
    with pytest.raises(DecodeError, match="binary content"):
        decode(body)
