from dataclasses import replace
from datetime import datetime

from dedupe import ArticleFacts, DedupeSettings, TermStats, analyse
from dedupe.normalize import tokenize
from dedupe.quotes import tokenize_quoted
from dedupe.scoring import profile, score_event


def quoted_words(text: str) -> list[list[str]]:
    tokens, spans = tokenize_quoted(text)
    assert tokens == tokenize(text)
    return [tokens[start:end] for start, end in spans]


def test_quotations_in_the_marks_of_several_languages_are_found():
    assert quoted_words("He said “we will win” and left.") == [["we", "will", "win"]]
    assert quoted_words("وقال «المساعدة المتبادلة» أمس") == [["المساعده", "المتبادله"]]
    assert quoted_words("Er sagte „wir kommen“ und »bald«.") == [["wir", "kommen"], ["bald"]]
    assert quoted_words("Il a dit « nous viendrons » hier.") == [["nous", "viendrons"]]
    assert quoted_words("彼は「来る」と言った") == [["来", "る"]]
    assert quoted_words('She said "not yet" twice.') == [["not", "yet"]]
    assert quoted_words("The minister called it ‘a turning point’.") == [["a", "turning", "point"]]


def test_apostrophes_and_unclosed_marks_are_no_quotation():
    assert quoted_words("Don’t go to l’hôtel, it’s the one the team’s coach chose.") == []
    assert quoted_words("He said “we will win\n and left.”") == []


def test_the_closing_mark_of_a_quotation_begun_on_the_line_before_opens_none():
    assert quoted_words('and we will stay" said Ali, then "no more" he added') == [["no", "more"]]
    assert quoted_words("وقال «نحن هنا\nباقون» ثم أكد «لا تراجع» أمس") == [["لا", "تراجع"]]


# One host's two unrelated statements, each under the same attribution formula.
FORMULA = ("The host said in his weekly programme on the national channel on Thursday "
           "evening, speaking to his viewers from the studio in the capital, that ")
LEAGUE = FORMULA + "the league must change its rules before the next football season starts."
BRIDGE = FORMULA + "the new bridge over the river will open late because of the winter floods."
# Two outlets reporting one treaty: their own words around the clause one of them quotes.
CLAUSE = ("immediate military and other assistance with all the means at its disposal in "
          "the event of an armed attack on either signatory state")
QUOTING = (f"The president told reporters in Pyongyang that the treaty provides “{CLAUSE}”, "
           "a clause Western capitals read with alarm.")
PARAPHRASING = (f"Signed on Wednesday, the agreement commits both states to {CLAUSE}, "
                "analysts said.")
SEEN = datetime(2024, 6, 20)
# The passage rule alone: any cosine is enough, none is strong enough on its own.
PASSAGES_ALONE = replace(DedupeSettings(), event_min_cosine=0.0, event_strong_cosine=1.01)


def event_link(text_a: str, text_b: str):
    a, b = analyse(text_a, "en"), analyse(text_b, "en")
    stats = TermStats().plus([a.terms, b.terms])
    profiles = (profile(a, stats, PASSAGES_ALONE), profile(b, stats, PASSAGES_ALONE))
    facts = (ArticleFacts("a", text_a, None, None, None, SEEN, "en"),
             ArticleFacts("b", text_b, None, None, None, SEEN, "en"))
    return score_event(profiles, facts, PASSAGES_ALONE)


def test_passages_shared_outside_quotes_do_not_back_an_event_link():
    a, b = analyse(LEAGUE, "en"), analyse(BRIDGE, "en")
    stats = TermStats().plus([a.terms, b.terms])
    shared = profile(a, stats, PASSAGES_ALONE).passages & profile(b, stats, PASSAGES_ALONE).passages
    assert len(shared) >= PASSAGES_ALONE.event_min_quoted_passages  # the formula's
    assert event_link(LEAGUE, BRIDGE) is None


def test_a_statement_one_text_quotes_and_the_other_repeats_backs_the_link():
    link = event_link(PARAPHRASING, QUOTING)
    assert link is not None
    assert link.evidence["n_quoted_passages"] >= PASSAGES_ALONE.event_min_quoted_passages
    assert "in the event of an armed attack" in " ".join(link.evidence["quoted_passages"])
