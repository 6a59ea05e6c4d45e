"""The run summary: counted where the work happens, gathered here, shown to the user."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extract import RawPage
    from warehouse import BatchWrite


@dataclass
class RunSummary:
    run_id: str
    flow_run_id: str | None
    db: str
    counts: Counter = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, error), first few
    seconds: Counter = field(default_factory=Counter)  # wall time per stage

    def count_batch(self, pages: list[RawPage], new: list[RawPage], batch: BatchWrite) -> None:
        """A batch's pages, articles, copies and events added to the run's counts."""
        counts = self.counts
        ok = [e for e in batch.extractions if e.article is not None]
        if not batch.reprocessed:
            counts["pages_read"] += len(pages)
            counts["pages_new"] += len(new)
            counts["pages_unchanged"] += len(pages) - len(new)
            counts["pages_not_modified"] += sum(1 for p in pages if p.not_modified and p.requested)
            counts["pages_not_requested"] += sum(1 for p in pages if not p.requested)
        counts["pages_failed"] += len(batch.extractions) - len(ok)
        counts["pages_warned"] += sum(1 for e in batch.extractions if e.warning)
        counts["articles"] += len(ok)
        counts["boilerplate_lines"] += sum(e.stats.get("boilerplate_lines", 0) for e in ok)
        counts["template_lines"] += sum(e.stats.get("template_lines", 0) for e in ok)
        if batch.grouping is not None:
            counts["copies"] += len(batch.grouping.near_duplicates)
            counts["events_new"] += len(batch.grouping.new_events)
            counts["events_touched"] += len(batch.grouping.touched_events)
            counts["events_merged"] += len(batch.grouping.merges)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "flow_run_id": self.flow_run_id,
            "db": self.db,
            "counts": dict(self.counts),
            "totals": self.totals,
            "errors": self.errors,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


LINES = [
    ("sources not read, or read in part", "sources_failed"),
    ("pages read", "pages_read"),
    ("  new", "pages_new"),
    ("  unchanged (already in the warehouse)", "pages_unchanged"),
    ("    of which not downloaded (HTTP 304)", "pages_not_modified"),
    ("    of which skipped (listing unchanged)", "pages_not_requested"),
    ("  failed", "pages_failed"),
    ("  with a warning (see pages.warning)", "pages_warned"),
    ("stored pages extracted again (reprocess)", "pages_reprocessed"),
    ("articles extracted", "articles"),
    ("boilerplate lines removed (text pages)", "boilerplate_lines"),
    ("site template lines removed", "template_lines"),
    ("copies found", "copies"),
    ("events created", "events_new"),
    ("events touched", "events_touched"),
    ("events merged", "events_merged"),
    ("interrupted runs finished by this one", "runs_interrupted_before"),
]


def format_summary(summary: dict) -> str:
    counts, totals = summary["counts"], summary["totals"]
    out = [f"newsdedup run {summary['run_id']} -> {summary['db']}"]
    out += [f"  {label:<40} {counts.get(key, 0):>8}" for label, key in LINES]
    out.append(
        "  warehouse now: {articles} articles, {copy_groups} copy groups ({copies} copies), "
        "{events} events ({multi_article_events} with more than one article)".format(**totals)
    )
    if summary.get("seconds"):
        out.append("  time per stage: " + ", ".join(
            f"{stage} {seconds:.1f}s" for stage, seconds in summary["seconds"].items()))
    if summary["errors"]:
        failed = counts.get("pages_failed", 0) + counts.get("sources_failed", 0)
        shown = "" if failed == len(summary["errors"]) else f", the first {len(summary['errors'])}"
        out.append(f"  errors ({failed}{shown}):")
        out += [f"    {url}: {error}" for url, error in summary["errors"]]
    return "\n".join(out)


def format_markdown(summary: dict) -> str:
    counts = summary["counts"]
    rows = "\n".join(f"| {label.strip()} | {counts.get(key, 0)} |" for label, key in LINES)
    stages = "\n".join(f"| {stage} | {seconds:.2f} |"
                       for stage, seconds in summary.get("seconds", {}).items()) or "| - | - |"
    errors = "\n".join(f"- `{url}`: {error}" for url, error in summary["errors"]) or "none"
    totals = summary.get("totals") or {}
    warehouse = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in totals.items())
    return (f"# newsdedup run `{summary['run_id']}`\n\n| | count |\n|---|---|\n{rows}\n\n"
            f"## Time per stage (s)\n\n| stage | seconds |\n|---|---|\n{stages}\n\n"
            f"## Warehouse now\n{warehouse}\n\n## Errors\n{errors}\n")
