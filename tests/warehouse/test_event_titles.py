"""The titles events take from their first article, read without reading the texts of
all their members."""

from datetime import UTC, datetime, timedelta

from dedupe import Grouping
from extract import Article, Extraction, RawPage
from extract.page import article_id_for
from warehouse import BatchWrite, connect, writes

NOW = datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def extraction(n: int, text: str, title: str | None = "A title", hours: float = 0) -> Extraction:
    url = f"https://site{n % 7}.example/{n}"
    page = RawPage(url, "test", NOW, f"page {n}".encode(), "text/plain")
    article = Article(article_id_for(page.page_id), page.page_id, url, title, text,
                      NOW - timedelta(hours=hours), "en", f"site{n % 7}.example")
    return Extraction(page, "utf-8", article)


def test_an_event_is_titled_by_its_first_article_or_that_articles_opening_words(tmp_path):
    first_untitled = extraction(1, "Opening words of the first story. " * 10, None, hours=5)
    later_titled = extraction(2, "A later story.", "Later title", hours=1)
    first_titled = extraction(3, "Another story.", "First title", hours=4)
    later_untitled = extraction(4, "Its text.", None, hours=2)
    members = [("untitled-first", first_untitled), ("untitled-first", later_titled),
               ("titled-first", first_titled), ("titled-first", later_untitled)]
    grouping = Grouping(near_duplicates=[],
                        event_members=[(e, x.article.article_id) for e, x in members],
                        new_events=["untitled-first", "titled-first"],
                        touched_events={"untitled-first", "titled-first"})
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, BatchWrite("r", [x for _, x in members], grouping=grouping),
                           128, 1)
        titles = dict(con.execute("SELECT event_id, title FROM events").fetchall())
    assert titles == {"untitled-first": first_untitled.article.text[:120],
                      "titled-first": "First title"}
