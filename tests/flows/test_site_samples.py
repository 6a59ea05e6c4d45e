"""A run's memory of its sites' template samples: read once, bounded, read back."""

from datetime import UTC, datetime

import flows.site_samples
from extract import RawPage
from extract.templates import SiteSample
from flows.site_samples import SiteSamples


def page(url: str) -> RawPage:
    return RawPage(url, "test", datetime(2024, 6, 19, tzinfo=UTC), b"", "text/html")


def test_a_site_is_read_once_while_kept_and_read_back_once_forgotten(monkeypatch):
    stored = {"a.example": (SiteSample("a1", frozenset({1, 2})),),
              "b.example": (SiteSample("b1", frozenset({3})),)}
    asked = []

    def read(sites):
        asked.append(set(sites))
        return {s: stored[s] for s in sites if s in stored}

    memory = SiteSamples(read)
    pages = [page("https://www.a.example/1"), page("https://b.example/2")]
    memory.templates(pages)
    memory.templates(pages)
    assert asked == [{"a.example", "b.example"}]  # not read again for each batch

    memory.forget_all_but({"a.example"})  # under the bound: nothing is dropped
    assert set(memory.samples) == {"a.example", "b.example"}

    monkeypatch.setattr(flows.site_samples, "MAX_SITES_IN_MEMORY", 1)
    memory.forget_all_but({"a.example"})
    assert set(memory.samples) == {"a.example"}
    memory.templates([page("https://b.example/3")])
    assert asked[-1] == {"b.example"}
    assert memory.samples["b.example"] == stored["b.example"]
