import random

from lxml.html import fromstring

from extract import RawPage, extract_page
from extract.blocks import article_blocks, page_of
from tests.extract.test_page import NOW

WORDS = ["council", "budget", "schools", "roads", "harbour", "debate", "night", "mayor",
         "vote", "taxes", "parks", "buses", "library", "water", "energy", "housing"]


def part(seed: int, paragraphs: int = 3) -> str:
    rng = random.Random(seed)
    return "".join(
        f"<p>Part {seed}, paragraph {j}: " + " ".join(rng.choice(WORDS) for _ in range(30)) + ".</p>"
        for j in range(paragraphs))


# Only the first block is inside <article>, as some CMS templates write it: trafilatura
# alone returns that block and nothing of the other two.
SPLIT = f"""<html><body><nav>{' '.join(f'<a href="/s{i}">Section {i}</a>' for i in range(10))}</nav>
<div class="page"><article><h1>Budget approved</h1>
<div class="rich-text">{part(1)}</div></article>
<div class="promo"><a href="/subscribe">Subscribe to our newsletter</a></div>
<div class="rich-text">{part(2)}</div>
<figure><img src="x.jpg"><figcaption>The council chamber</figcaption></figure>
<div class="rich-text">{part(3)}</div>
</div><footer>Copyright</footer></body></html>"""


def test_an_article_written_as_several_blocks_is_extracted_whole():
    import trafilatura

    alone = trafilatura.extract(SPLIT) or ""
    assert "Part 1, paragraph 0" in alone and "Part 2" not in alone  # the failure fixed here
    page = RawPage("https://news.example.com/budget", "test", NOW, SPLIT.encode(), "text/html")
    text = extract_page(page).article.text
    for seed in (1, 2, 3):
        for j in range(3):
            assert f"Part {seed}, paragraph {j}" in text
    assert text.index("Part 1,") < text.index("Part 2,") < text.index("Part 3,")
    assert "Subscribe" not in text and "Section 3" not in text


def test_blocks_are_those_of_the_class_holding_the_kept_paragraphs():
    tree = fromstring(SPLIT)
    kept = "\n".join(p.text_content() for p in tree.xpath("//article//p"))
    blocks = article_blocks(tree, kept)
    assert [b.get("class") for b in blocks] == ["rich-text"] * 3
    joined = page_of(blocks)
    assert len(joined.xpath("//article/div")) == 3
    assert len(tree.xpath("//div[@class='rich-text']")) == 3  # the page itself untouched


def test_a_page_builders_class_on_every_widget_is_not_an_article():
    widgets = "".join('<div class="widget"><span>Call us</span></div>' for _ in range(8))
    page = (f"<html><body>{widgets}<div class='widget'>{part(1)}</div>"
            f"<div class='widget'>{part(2)}</div></body></html>")
    tree = fromstring(page)
    kept = "\n".join(p.text_content() for p in tree.xpath("(//div[p])[1]//p"))
    assert article_blocks(tree, kept) == []
    # The same two blocks without the empty widgets are an article's.
    lean = fromstring(f"<html><body><div class='widget'>{part(1)}</div>"
                      f"<div class='widget'>{part(2)}</div></body></html>")
    assert len(article_blocks(lean, kept)) == 2


def test_a_sidebar_block_of_the_same_class_stays_out():
    teaser = ("<p>Related story: the harbour master resigns after a long dispute with the "
              "council over fees for the new marina and its moorings.</p>")
    page = SPLIT.replace("</div><footer>", f"</div><aside><div class=\"rich-text\">{teaser}"
                         "</div></aside><footer>")
    raw = RawPage("https://news.example.com/budget", "test", NOW, page.encode(), "text/html")
    text = extract_page(raw).article.text
    assert "Part 3, paragraph 2" in text
    assert "harbour master resigns" not in text
