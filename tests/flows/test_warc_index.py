"""A damaged WARC file (a download cut short, bytes overwritten) costs only its damaged
records: the others are indexed and read, and the damage is reported."""

import io
import re
from gzip import compress as gzip_member

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from flows.sources import PageRef, discover_source, read_page
from flows.warc import read_warc_record, warc_index
from tests.flows.http_site import story

PAGES = 12


def write_warc(path, gzip: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for n in range(PAGES):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example/{n}.html", "response", payload=io.BytesIO(story(n)),
                http_headers=headers))


def damaged(path, gzip: bool, record: int = 5):
    """The file with one record damaged where warcio cannot read past it: bytes slipped
    into a gzip member, or an uncompressed record's version line overwritten. (Other
    damage to an uncompressed file warcio skips by itself, with the record.)"""
    write_warc(path, gzip)
    data = bytearray(path.read_bytes())
    offsets = [offset for offset, _ in warc_index(path).pages]
    if gzip:
        data[offsets[record] + 12 : offsets[record] + 12] = b"\x00garbage" * 100
    else:
        data[offsets[record] : offsets[record] + 8] = b"WARX/1.0"
    path.write_bytes(bytes(data))
    return offsets[record]


@pytest.mark.parametrize("gzip", [True, False])
def test_a_clean_file_has_no_damage(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, gzip)
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(PAGES)]
    assert index.damaged == []


@pytest.mark.parametrize("gzip", [True, False])
def test_records_after_damage_are_still_indexed_and_read(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    bad = damaged(path, gzip)
    index = warc_index(path)
    urls = [url for _, url in index.pages]
    # every record after the damaged one is there
    assert all(f"https://news.example/{n}.html" in urls for n in range(PAGES) if n != 5)
    assert len(index.damaged) == 1
    assert index.damaged[0][0] >= bad
    assert all(c.isprintable() for c in index.damaged[0][1])
    read = [read_warc_record(path, offset, 10**6) for offset, url in index.pages
            if url != "https://news.example/5.html"]
    assert all(b"Story" in record.body for record in read)


def test_junk_that_reads_as_an_arc_record_is_one_damage_not_two(tmp_path):
    # where reading resumes inside damage, warcio can take the junk for an old ARC
    # record and fail only after it: this made the count of damage flaky
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gzip=True)
    data = path.read_bytes()
    offsets = [offset for offset, _ in warc_index(path).pages]
    junk = gzip_member(b"http://news.example/x 10.0.0.1 20240101000000 text/html 5\nhello"
                       + b"\x00\xff garbage" * 20)
    path.write_bytes(data[: offsets[5]] + junk + data[offsets[6] :])
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(PAGES) if n != 5]
    assert [offset for offset, _ in index.damaged] == [offsets[5]]


def test_a_truncated_file_keeps_the_records_before_the_cut(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    urls = [url for _, url in warc_index(path).pages]
    assert urls[:4] == [f"https://news.example/{n}.html" for n in range(4)]


@pytest.mark.parametrize("wrong_by", [1500, 3000])
def test_a_wrong_content_length_costs_only_its_record_and_is_reported(tmp_path, wrong_by):
    # warcio only warns, then reads on where the length said: the records inside a
    # length too long were lost without a word
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    data = path.read_bytes()
    offsets = [offset for offset, _ in warc_index(path).pages]
    headers_end = data.index(b"\r\n\r\n", offsets[5])
    length = re.search(rb"Content-Length: (\d+)", data[offsets[5] : headers_end])
    wrong = f"Content-Length: {int(length[1]) + wrong_by}".encode()
    path.write_bytes(data[: offsets[5]] + data[offsets[5] : headers_end].replace(length[0], wrong)
                     + data[headers_end:])
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(PAGES) if n != 5]
    assert index.damaged and index.damaged[0][0] == offsets[5]


def test_content_lengths_a_byte_short_as_some_wget_wrote_lose_nothing(tmp_path):
    # (iipc/jwarc#29): readers carry on past them, and so must we
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    path.write_bytes(re.sub(rb"(WARC-Type: response\r\n(?:.+\r\n)*?Content-Length: )(\d+)",
                            lambda m: m[1] + str(int(m[2]) - 1).encode(), path.read_bytes()))
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(PAGES)]
    assert index.damaged == []


def test_an_uncompressed_file_cut_inside_a_record_says_so(tmp_path):
    path = tmp_path / "crawl.warc"
    write_warc(path, gzip=False)
    offsets = [offset for offset, _ in warc_index(path).pages]
    path.write_bytes(path.read_bytes()[: offsets[8] + 1000])  # inside its page
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(8)]
    assert index.damaged == [(offsets[8], "cut short: a record begins here and is not whole")]


def test_a_file_of_garbage_gives_no_pages_and_says_so(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08" + bytes(range(256)) * 40)
    index = warc_index(path)
    assert index.pages == []
    assert len(index.damaged) == 1


def test_a_damaged_source_reports_where_and_keeps_its_pages(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    damaged(path, gzip=True)
    found = discover_source(str(path))
    assert len(found.pages) >= PAGES - 1
    assert "damaged at byte" in found.problem and str(path) in found.problem


def test_an_unreadable_record_is_a_page_with_an_error_not_an_exception(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gzip=True)
    offset = warc_index(path).pages[3][0]
    data = bytearray(path.read_bytes())
    data[offset + 30 : offset + 200] = b"\xff" * 170  # inside the gzip stream
    path.write_bytes(bytes(data))
    page = read_page(PageRef(f"{path}#{offset}", "crawl", kind="warc"))
    assert page.read_error.startswith("unreadable WARC record")


@pytest.mark.parametrize("into", [5, 100, 400])  # warcio ends silently / raises / reads on
def test_a_gzipped_file_cut_short_says_so(tmp_path, into):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gzip=True)
    offsets = [offset for offset, _ in warc_index(path).pages]
    path.write_bytes(path.read_bytes()[: offsets[8] + into])  # inside the ninth record
    index = warc_index(path)
    assert [url for _, url in index.pages] == [f"https://news.example/{n}.html"
                                               for n in range(8)]
    assert [offset for offset, _ in index.damaged] == [offsets[8]]
