"""URLs split without raising: a page's URL (a WARC record's target) and the links in
its HTML are anyone's text, and `urlsplit` raises on a bracketed host that is no IP
address ("https://[URL]/", a CMS placeholder left in place; "http://[object Object]")."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

_NOTHING = SplitResult("", "", "", "", "")


def split_url(url: str | None) -> SplitResult:
    """`urlsplit(url)`, or all parts empty where it would raise."""
    try:
        return urlsplit(url or "")
    except ValueError:
        return _NOTHING


def host_of(url: str | None) -> str | None:
    """The URL's host, lower-cased; None without one or when the URL is malformed."""
    return split_url(url).hostname
