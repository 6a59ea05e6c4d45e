"""Page URLs and links are anyone's text: what reads a host or a path from one never
raises on a malformed one."""

import pytest
from lxml.html import fragment_fromstring

from extract.headline import without_site_name
from extract.labelled_bylines import _is_author_link
from extract.page import site_of
from extract.templates import template_site
from extract.urls import host_of, split_url

MALFORMED = ["https://[URL]/a.html", "http://[object Object]", "//[x]/a", "http://[::1"]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_url_has_no_host_and_raises_nowhere(url):
    assert host_of(url) is None and split_url(url).path == ""
    assert site_of(url) is None and template_site(url) is None
    assert without_site_name("Budget talks | The Example News", None, url) == \
        "Budget talks | The Example News"
    assert _is_author_link(fragment_fromstring(f'<a href="{url}">Jane Doe</a>')) is False


def test_well_formed_urls_are_split_as_urlsplit_does():
    assert host_of("https://WWW.News.Example/a?b#c") == "www.news.example"
    assert site_of("https://www.news.example/a") == "news.example"
    assert split_url("https://news.example/author/jane-doe").path == "/author/jane-doe"
    assert _is_author_link(fragment_fromstring('<a href="/author/jane-doe">Jane Doe</a>'))
