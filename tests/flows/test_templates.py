"""Site templates learned in the warehouse: a site's recurring lines leave its articles."""

import random

import duckdb
import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")

PROMO = ("Download our free app today and follow all of the latest news and analysis "
         "from our newsroom wherever you are, at any hour of the day.")


def story(n: int) -> list[str]:
    """Three paragraphs of prose no other story shares."""
    rng = random.Random(n)
    words = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
             for _ in range(60)]

    def sentence() -> str:
        w = rng.sample(words, 6)
        return (f"The {w[0]} of the {w[1]} said on the day that the {w[2]} was in the "
                f"{w[3]} and that it would be a {w[4]} for all of the {w[5]} in the city.")

    return [f"{sentence()} {sentence()}" for _ in range(3)]


def write_site(folder, numbers):
    folder.mkdir(exist_ok=True)
    for n in numbers:
        s = story(n)
        (folder / f"p{n:02d}.txt").write_text(
            f"Headline number {n} of the day\n\n{s[0]}\n\n{PROMO}\n\n{s[1]}\n\n{s[2]}\n",
            encoding="utf-8")


def texts(db) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, text FROM articles").fetchall()
    return {url.rsplit("/", 1)[1]: text for url, text in rows}


def test_a_sites_recurring_line_is_learned_and_dropped_later_in_the_run_and_after(tmp_path):
    from flows.ingest import ingest, reprocess

    site, db = tmp_path / "daily", tmp_path / "w.duckdb"
    write_site(site, range(1, 10))
    summary = ingest(sources=[str(site)], db=str(db), batch_size=1)
    found = texts(db)
    assert len(found) == 9 and summary["counts"]["copies"] == 0
    # Nothing is known of the site at first; once four of its articles are linked,
    # the line they share is its template.
    assert PROMO in found["p01.txt"]
    assert PROMO not in found["p09.txt"]
    assert story(9)[1] in found["p09.txt"]  # the paragraphs around it stay
    dropped = sum(PROMO not in t for t in found.values())
    assert summary["counts"]["template_lines"] == dropped >= 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT site) FROM site_samples"
                           ).fetchall() == [(9, 1)]
        assert con.execute("SELECT template_lines FROM runs").fetchall() == [(dropped,)]
        # What was dropped, readable, with the number of articles it left.
        assert con.execute("SELECT site, line, articles FROM template_lines").fetchall() == [
            (f"file://{site}", PROMO, dropped)]

    # A later run knows the site from the warehouse: its first page is cleaned at once.
    write_site(site, [10])
    ingest(sources=[str(site)], db=str(db), batch_size=1)
    assert PROMO not in texts(db)["p10.txt"]

    # What the warehouse learned cleans the pages stored before it knew.
    reprocess(db=str(db), batch_size=1)
    assert all(PROMO not in t for t in texts(db).values())


def test_sites_forgotten_between_batches_are_read_back_and_learn_the_same(
    tmp_path, monkeypatch
):
    """A run keeps a bounded number of sites' samples in memory: with none kept, two
    sites' pages taken in turns are cleaned exactly as with all kept."""
    import flows.site_samples
    from flows.ingest import ingest

    daily, other = tmp_path / "daily", tmp_path / "other"
    write_site(daily, range(1, 10))
    write_site(other, range(21, 30))
    pages = [str(p) for pair in zip(sorted(daily.iterdir()), sorted(other.iterdir()),
                                    strict=True) for p in pair]
    found = {}
    for kept in (1000, 0):
        monkeypatch.setattr(flows.site_samples, "MAX_SITES_IN_MEMORY", kept)
        db = tmp_path / f"w{kept}.duckdb"
        ingest(sources=pages, db=str(db), batch_size=1)
        with duckdb.connect(str(db), read_only=True) as con:
            samples = con.execute("SELECT site, position, article_id FROM site_samples "
                                  "ORDER BY ALL").fetchall()
        found[kept] = (texts(db), samples)
    texts_all, samples_all = found[1000]
    assert len(samples_all) == 18
    assert PROMO not in texts_all["p09.txt"] and PROMO not in texts_all["p29.txt"]
    assert found[0] == found[1000]


def test_copies_of_one_story_do_not_make_its_body_a_template(tmp_path):
    from flows.ingest import ingest

    site, db = tmp_path / "wire", tmp_path / "w.duckdb"
    site.mkdir()
    s = story(1)
    for n in range(1, 9):  # the same story republished under eight names
        (site / f"c{n}.txt").write_text(f"Wire story {n}\n\n" + "\n\n".join(s) + "\n",
                                        encoding="utf-8")
    summary = ingest(sources=[str(site)], db=str(db), batch_size=1)
    assert summary["counts"]["copies"] == 7
    assert summary["counts"]["template_lines"] == 0
    assert all(s[1] in t for t in texts(db).values())
    # One article in the site's sample, not eight: copies are not sampled.
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM site_samples").fetchall() == [(1,)]
