"""The queries users run most: the last day's events, and every copy of a URL."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dedupe import Grouping
from extract import Article, Extraction, RawPage
from extract.page import article_id_for
from warehouse import BatchWrite, connect, reads, writes

NOW = datetime.now(UTC).replace(microsecond=0)


def extraction(name: str, hours_ago: float) -> Extraction:
    when = NOW - timedelta(hours=hours_ago)
    url = f"https://{name}.example/story"
    page = RawPage(url, "test", when, f"text of {name}".encode(), "text/plain")
    article = Article(article_id_for(page.page_id), page.page_id, url, f"Title {name}",
                      f"text of {name}", when.replace(tzinfo=None), "en", f"{name}.example")
    return Extraction(page, "utf-8", article)


def test_events_of_the_last_day_and_copies_of_a_url(tmp_path):
    original, copy, old = extraction("wire", 5), extraction("reprint", 2), extraction("old", 72)
    ids = {e.article.url: e.article.article_id for e in (original, copy, old)}
    grouping = Grouping(
        near_duplicates=[(copy.article.article_id, original.article.article_id, 0.97)],
        event_members=[("summit", original.article.article_id),
                       ("summit", copy.article.article_id), ("storm", old.article.article_id)],
        new_events=["summit", "storm"], touched_events={"summit", "storm"})
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, BatchWrite("r", [original, copy, old], grouping=grouping), 128, 1)

    with connect(db, read_only=True) as con:
        recent = reads.events_since(con, days=1)
        group = reads.copies_of_url(con, copy.article.url)
        unknown = reads.copies_of_url(con, "https://nowhere.example/")

    # Only the summit is recent; both its articles come with it, the reprint marked.
    assert {r["event_id"] for r in recent} == {"summit"}
    assert {r["url"]: r["copy_of"] for r in recent} == {
        original.article.url: None, copy.article.url: ids[original.article.url]}
    assert all(r["n_articles"] == 2 and r["n_copies"] == 1 for r in recent)
    # Asked by the reprint's URL, the group starts with the canonical (wire) article.
    assert [(r["url"], r["is_canonical"]) for r in group] == [
        (original.article.url, True), (copy.article.url, False)]
    assert group[1]["similarity"] == 0.97
    assert unknown == []


def test_an_undated_article_is_listed_without_a_publication_date(tmp_path):
    """The events query says when a page says it was published, and nothing when it
    does not: an undated reprint seen today must not read as published today."""
    dated, undated = extraction("wire", 5), extraction("reprint", 2)
    published = datetime(2024, 6, 19, 20, 28)
    dated = replace(dated, article=replace(dated.article, published_at=published))
    undated = replace(undated, article=replace(undated.article, published_at=None))
    grouping = Grouping([], [("summit", dated.article.article_id),
                             ("summit", undated.article.article_id)], ["summit"], {"summit"})
    db = tmp_path / "w.duckdb"
    with connect(db) as con:
        writes.start_run(con, "r", None, ["test"])
        writes.write_batch(con, BatchWrite("r", [dated, undated], grouping=grouping), 128, 1)
    with connect(db, read_only=True) as con:
        rows = reads.events_since(con, days=1)

    assert [(r["url"], r["published_at"]) for r in rows] == [
        (dated.article.url, published), (undated.article.url, None)]
    assert rows[1]["seen_at"] == undated.page.fetched_at.replace(tzinfo=None)
    assert "published" not in rows[0]


def test_merged_events_move_their_members_and_point_at_the_survivor(tmp_path):
    from dedupe import EventMerge

    ex = {n: extraction(n, h) for n, h in [("a", 9), ("b", 8), ("c", 10), ("d", 3), ("e", 2)]}
    aid = {n: e.article.article_id for n, e in ex.items()}
    db = tmp_path / "w.duckdb"
    batches = [
        (["a", "b", "c"], Grouping([], [("A", aid["a"]), ("B", aid["b"]), ("C", aid["c"])],
                                   ["A", "B", "C"], {"A", "B", "C"})),
        # d links A and B: B merges into A.
        (["d"], Grouping([], [("A", aid["d"])], [], {"A"},
                         [EventMerge("B", "A", aid["d"], {"A": 0.5, "B": 0.4})])),
        # e links A and C: A (holding B's article now) merges into C.
        (["e"], Grouping([], [("C", aid["e"])], [], {"C"},
                         [EventMerge("A", "C", aid["e"], {"A": 0.6, "C": 0.5})])),
    ]
    with connect(db) as con:
        for i, (names, grouping) in enumerate(batches):
            writes.start_run(con, f"r{i}", None, ["test"])
            batch = BatchWrite(f"r{i}", [ex[n] for n in names], grouping=grouping)
            writes.write_batch(con, batch, 128, 1)
            writes.write_batch(con, batch, 128, 1)  # a retried batch changes nothing

    with connect(db, read_only=True) as con:
        members = dict(con.execute("SELECT article_id, event_id FROM event_members").fetchall())
        events = con.execute("SELECT event_id, n_articles FROM events").fetchall()
        merges = con.execute(
            "SELECT event_id, survivor_id, article_id, evidence->>'$.scores.A' "
            "FROM event_merges ORDER BY event_id").fetchall()
        state = reads.group_state(con, {aid["b"]})

    assert set(members.values()) == {"C"} and len(members) == 5
    assert events == [("C", 5)]
    # Both merged ids lead straight to the event that holds their articles now.
    assert merges == [("A", "C", aid["e"], "0.6"), ("B", "C", aid["d"], "0.5")]
    assert state.event_of == {aid["b"]: "C"}
    assert state.event_since == {"C": (NOW - timedelta(hours=10)).replace(tzinfo=None)}
