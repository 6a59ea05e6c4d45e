from datetime import datetime

from dedupe import ArticleFacts, DedupeSettings, TermStats, analyse, fingerprint
from extract import RawPage, extract_page
from tests.conftest import seed_path

SEEN = datetime(2024, 7, 1)


def seed_article(prefix: str):
    path = seed_path(prefix)
    page = RawPage(path.as_uri(), "seeds", SEEN, path.read_bytes(), "text/plain")
    return extract_page(page).article


def facts(article, seen=SEEN) -> ArticleFacts:
    return ArticleFacts(article.article_id, article.text, article.title, article.site,
                        article.published_at, seen, article.language)


def fingerprints(articles, settings: DedupeSettings | None = None):
    settings = settings or DedupeSettings()
    analysed = {a.article_id: analyse(a.text, a.language, a.title) for a in articles}
    stats = TermStats().plus([x.terms for x in analysed.values()])
    fps = [fingerprint(a.article_id, analysed[a.article_id], stats, settings) for a in articles]
    return analysed, stats, fps
