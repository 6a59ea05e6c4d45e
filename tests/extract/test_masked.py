from lxml.html import fromstring

from extract import RawPage, extract_page
from extract.masked import unmask_blocks, weights
from tests.extract.test_blocks import part
from tests.extract.test_page import NOW

TABLE = "".join(f"<tr><td>Bill of ${10 * i}</td><td>tip ${2 * i} at twenty percent</td></tr>"
                for i in range(1, 12))


def page(embedded: str) -> str:
    return f"""<html><body><nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<article><h1>How much to tip</h1>
<div class="rich-text">{part(1)}
<div class="w-embed"><h3>Tipping chart</h3><table>{TABLE}</table>
{part(2, paragraphs=2)}</div>
{part(3)}</div></article>
{embedded}
<footer>Copyright</footer></body></html>"""


def extracted(html: str) -> str:
    raw = RawPage("https://blog.example.com/tips", "test", NOW, html.encode(), "text/html")
    return extract_page(raw).article.text


def test_a_builders_embed_block_holding_the_articles_table_and_paragraphs_is_kept():
    import trafilatura

    html = page("")
    alone = trafilatura.extract(html, include_comments=False) or ""
    assert "Part 1, paragraph 0" in alone and "Bill of $50" not in alone  # the loss fixed here
    text = extracted(html)
    assert "Bill of $50" in text and "Tipping chart" in text
    for seed, paragraphs in ((1, 3), (2, 2), (3, 3)):
        for j in range(paragraphs):
            assert f"Part {seed}, paragraph {j}" in text
    assert text.index("Part 1,") < text.index("Bill of $50") < text.index("Part 3,")


TWEET = """<div class="social-media-embed"><blockquote class="twitter-tweet"><p>A posted
opinion that runs on for quite a few words about the council and its budget and the
harbour, long enough to pass for a paragraph of text if one only counted its words
here</p>&mdash; Someone (@someone) <a href="https://twitter.com/x/status/1">May 1</a>
</blockquote></div>"""
CARDS = '<div class="embed-cards">' + " ".join(
    f'<a href="/story/{i}">Another story about the harbour and its buses, number {i}</a>'
    for i in range(8)) + "</div>"
SIGNUP = """<div class="newsletter-embed"><p>Get the week's best stories about the council,
the schools and the harbour in your inbox every Friday morning, free of charge, and read
them before anyone else in town does, with no advertising at all.</p>
<form><input name="email"><button>Sign up</button></form></div>"""

PLAYER = """<div class="video-embed"><p>Watch: the mayor on the harbour budget</p>
<p>Two minutes, recorded at the council on Tuesday night</p></div>"""


def test_posts_players_link_cards_and_sign_up_boxes_named_embed_stay_out():
    text = extracted(page(TWEET + PLAYER + CARDS + SIGNUP))
    assert "Bill of $50" in text
    assert "posted" not in text and "number 3" not in text and "inbox" not in text
    assert "Watch:" not in text


def test_only_embeds_that_read_as_prose_are_unmasked():
    tree = fromstring(page(TWEET + PLAYER + CARDS + SIGNUP))
    assert unmask_blocks(tree) == 1
    assert tree.xpath("//div[h3]")[0].get("class") == ""
    assert {e.get("class") for e in tree.xpath("//div[contains(@class, 'embed')]")} == {
        "social-media-embed", "video-embed", "embed-cards", "newsletter-embed"}


def test_weights_count_every_elements_words_and_links_in_one_pass():
    tree = fromstring(page(CARDS))
    weighed = weights(tree)
    def count(element):  # each text node on its own, as a browser lays out cells
        return sum(len(text.split()) for text in element.itertext())

    for element in tree.iter("div", "article", "body", "table", "nav"):
        words, linked = count(element), sum(count(a) for a in element.iter("a"))
        assert (weighed[element].words, weighed[element].linked) == (words, linked)


def test_nested_embeds_are_all_unmasked_and_their_text_kept():
    # 200: libxml2 keeps about 255 levels of a page and drops what is deeper
    inner = part(4, paragraphs=5)
    html = "<html><body>" + '<div class="embed">' * 200 + inner + "</div>" * 200 + "</body></html>"
    tree = fromstring(html)
    assert unmask_blocks(tree) == 200
    text = extracted(html)
    assert "Part 4, paragraph 4" in text


def slides(cls: str) -> str:
    return "".join(f'<div class="{cls}"><h2>{i}. Harbour walk number {i}</h2>{part(10 + i, 1)}</div>'
                   for i in range(1, 5))


CAROUSEL = '<div class="gallery-slider">' + "".join(
    f'<div class="slide"><img src="{i}.jpg"><p>The harbour at dawn, seen from the pier, '
    f'picture {i}</p></div>' for i in range(8)) + "</div>"
SLIDE_OUT = '<div class="slide-out-menu">' + " ".join(
    f'<a href="/section/{i}">Section number {i} of the site</a>' for i in range(10)) + "</div>"


def test_a_listicles_slides_are_its_items_but_a_carousel_and_a_menu_stay_out(monkeypatch):
    html = f"""<html><body><article><h1>Five harbour walks</h1>{part(1, 8)}
{slides("listicle-slides")}</article>{CAROUSEL}{SLIDE_OUT}</body></html>"""
    with monkeypatch.context() as patched:  # the loss fixed here
        patched.setattr("extract.html.unmask_blocks", lambda tree: 0)
        alone = extracted(html)
        assert "Part 1, paragraph 0" in alone and "Part 11" not in alone
    text = extracted(html)
    for i in range(1, 5):
        assert f"Harbour walk number {i}" in text and f"Part {10 + i}, paragraph 0" in text
    assert "picture 3" not in text and "Section number 3" not in text
    tree = fromstring(html)
    assert unmask_blocks(tree) == 4
    assert tree.xpath("//div[img]")[0].get("class") == "slide"
