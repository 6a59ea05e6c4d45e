"""What a run holds of its sites' templates: each site's sample of articles, read from
the warehouse when the run first meets the site and learned from each batch it links
(extract/templates.py decides what a sample makes a template)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from extract import RawPage
from extract.templates import SiteSample, learn, template_of, template_site
from warehouse import BatchWrite

# Sites whose samples a run keeps in memory (~75 kB for a site of 50 typical articles,
# a few dozen line keys each); past this, the samples of the sites the last batch did
# not touch are dropped, and read again from the warehouse when the site comes back.
# A crawl of many sites would otherwise hold every sample it met.
MAX_SITES_IN_MEMORY = 1000

Reader = Callable[[set[str]], dict[str, tuple[SiteSample, ...]]]


@dataclass
class SiteSamples:
    read: Reader  # the stored samples of sites, by site (none for a site never seen)
    samples: dict[str, tuple[SiteSample, ...]] = field(default_factory=dict)
    sites_read: set[str] = field(default_factory=set)

    def templates(self, pages: list[RawPage]) -> dict[str, frozenset[int]]:
        """The template lines of the pages' sites, as learned so far: from the
        warehouse and the run's batches up to the last one linked."""
        sites = {site for p in pages if (site := template_site(p.url))}
        self._load(sites)
        return {site: lines for site in sorted(sites)
                if (lines := template_of(self.samples.get(site, ())))}

    def learn_from(self, batch: BatchWrite) -> BatchWrite:
        """The batch's distinct articles (not its copies) added to their sites'
        samples, which the batch then writes."""
        copies = {a for a, _, _ in batch.grouping.near_duplicates} if batch.grouping else set()
        articles = [
            (site, SiteSample(a.article_id, e.line_keys)) for e in batch.extractions
            if (a := e.article) is not None and a.article_id not in copies
            and (site := template_site(e.page.url))
        ]
        # A site forgotten since the batch's extraction started: what the warehouse
        # holds of it is current, as the batches before this one are written.
        self._load({site for site, _ in articles})
        learned = learn(self.samples, articles)
        self.samples.update(learned)
        return replace(batch, site_samples=learned)

    def forget_all_but(self, keep: set[str]) -> None:
        if len(self.sites_read) > MAX_SITES_IN_MEMORY:
            for site in self.sites_read - keep:
                self.samples.pop(site, None)
            self.sites_read &= keep

    def _load(self, sites: set[str]) -> None:
        if unread := sites - self.sites_read:
            self.samples.update(self.read(unread))
            self.sites_read |= unread
