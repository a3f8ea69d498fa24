"""The text stage: boilerplate ranges (the text is never changed) and language detection."""

from __future__ import annotations

import random
import string

import pytest

from polemos.text import check_language, detect_language, find_boilerplate, outside

ARTICLE = (
    "Turkish jets strike PKK targets in northern Iraq\n"
    "\n"
    "Turkish warplanes struck Kurdistan Workers' Party (PKK) positions in the Qandil mountains of northern "
    "Iraq on Saturday, destroying shelters and ammunition depots, the Turkish military said in a statement.\n"
    "The PKK did not immediately comment. Iraqi officials said two shepherds were wounded near Sidakan.\n"
)

JETPACK_FORM = (
    "\n\n\nLeave a Reply\n\n"
    "Fill in your details below or click an icon to log in: Logo\n\n"
    "You are commenting using your WordPress.com account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)\n\n"
    "Google photo\n\n"
    "You are commenting using your Google account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)\n\n"
    "Twitter picture\n\n"
    "You are commenting using your Twitter account. Log\u00a0Out\u00a0/\u00a0 Change\u00a0)\n\n"
    "Cancel\n\n"
    "Connecting to %s\n\n"
    "Notify me of new comments via email.\n\n"
    "Notify me of new posts via email."
)

WORDPRESS_TAIL = """
Share this:
Click to share on Twitter (Opens in new window)
Click to share on Facebook (Opens in new window)
Click to email this to a friend (Opens in new window)

Like this:
Like Loading...

Related
Turkey shells Afrin as offensive enters third week
February 7, 2018
In "Syria"
Iraq demands Turkish withdrawal from Bashiqa camp
January 12, 2018
In "Iraq"

2 thoughts on “Turkish jets strike PKK targets in northern Iraq”
John Smith says:
March 3, 2018 at 10:32 am
Good.
Reply

Leave a Reply Cancel reply
Your email address will not be published. Required fields are marked *
Comment
Name *
Email *
Website
Save my name, email, and website in this browser for the next time I comment.
Post Comment
This site uses Akismet to reduce spam. Learn how your comment data is processed.
"""

NEWS_PAGE = """We use cookies to give you the best experience on our website. By continuing you agree.
Accept all cookies
Manage preferences
Skip to content
Home » World » Middle East
Russia said it would share intelligence with the US-led coalition, the Kremlin said on Monday.
The Syrian Democratic Forces said their fighters had captured the al-Omar oil field. Advertisement
Advertisement
Fighters shared footage of the battle on social media. Comments from the ministry were not given.
READ MORE: Syria war: What you need to know
Sign up for our daily newsletter and get the latest headlines delivered to your inbox.
Enter your email address
Subscribe
© 2018 Levant Monitor. All rights reserved.
Privacy Policy | Terms of Use | Contact
"""


def kept(text: str, ranges: list[tuple[int, int]]) -> str:
    return outside(text, ranges)


def assert_well_formed(text: str, ranges: list[tuple[int, int]]) -> None:
    previous_end = -1
    for start, end in ranges:
        assert 0 <= start < end <= len(text)
        assert start > previous_end, "ranges must be sorted and not overlap"
        previous_end = end


def test_jetpack_comment_form_runs_to_the_end() -> None:
    text = ARTICLE + JETPACK_FORM
    ranges = find_boilerplate(text)
    assert_well_formed(text, ranges)
    assert ranges == [(text.index("Leave a Reply"), len(text))]


def test_wordpress_share_likes_related_and_comments() -> None:
    text = ARTICLE + WORDPRESS_TAIL
    ranges = find_boilerplate(text)
    assert_well_formed(text, ranges)
    assert kept(text, ranges) == ARTICLE.strip()
    assert ranges[0][0] == text.index("Share this:")
    assert ranges[-1][1] == len(text)


def test_leave_a_comment_above_the_article_does_not_swallow_it() -> None:
    text = "Posted on March 3, 2018 by admin\nLeave a comment\n\n" + ARTICLE + JETPACK_FORM
    ranges = find_boilerplate(text)
    top = text.index("Leave a comment")
    assert ranges[0] == (top, top + len("Leave a comment"))
    assert ranges[1] == (text.index("Leave a Reply"), len(text))
    assert "Turkish warplanes struck" in kept(text, ranges)


def test_cookie_banner_navigation_ads_newsletter_copyright() -> None:
    ranges = find_boilerplate(NEWS_PAGE)
    assert_well_formed(NEWS_PAGE, ranges)
    remaining = kept(NEWS_PAGE, ranges)
    assert remaining.splitlines() == [
        "Russia said it would share intelligence with the US-led coalition, the Kremlin said on Monday.",
        "The Syrian Democratic Forces said their fighters had captured the al-Omar oil field.",
        "Fighters shared footage of the battle on social media. Comments from the ministry were not given.",
    ]
    banner_end = NEWS_PAGE.index("Home » World » Middle East") + len("Home » World » Middle East")
    assert ranges[0] == (0, banner_end)


@pytest.mark.parametrize(
    "sentence",
    [
        "Russia said it would share intelligence with the coalition.",
        "Share prices in Moscow fell after the strikes.",
        "Comments by the defence minister drew sharp criticism in Ankara.",
        "Related attacks were reported in Homs and Hama on Sunday.",
        "Subscribers to the militia's Telegram channel reported heavy shelling.",
        "The group accepted all the terms of the ceasefire.",
        "Accept the offer or face attack, the commander told the rebels.",
        "About 40 people were killed in the attack, officials said.",
        "Leaving a trail of destruction, the militants withdrew from the town.",
        "No comment was offered by the Pentagon.",
        "Advertisement boards in Kyiv were hit by shrapnel.",
        "There were no craters. See also: armored Humvee vehicles, which were also captured by the IS.",
        "Copyright disputes over the footage were raised by the broadcaster in 2017.",
        "Home to 300,000 people, the city has been under siege since 2014.",
        "Twitter and Facebook accounts linked to the group were suspended on Monday.",
    ],
)
def test_news_sentences_are_not_boilerplate(sentence: str) -> None:
    text = ARTICLE + sentence + "\n" + ARTICLE
    assert find_boilerplate(text) == []


def test_text_is_not_modified_and_offsets_index_into_it() -> None:
    text = "  Share this:  \r\nTroops entered the city on Tuesday, the army said.\r\n"
    original = str(text)
    ranges = find_boilerplate(text)
    assert text == original
    assert [text[start:end] for start, end in ranges] == ["Share this:"]


def test_link_list_stops_at_prose() -> None:
    text = (
        "Related stories\n"
        "Turkey shells Afrin as offensive enters third week\n"
        "UN warns of humanitarian crisis in Raqqa\n"
        "Government troops shelled the town of Khan Sheikhoun on Monday, killing four civilians.\n"
    )
    ranges = find_boilerplate(text)
    assert (
        kept(text, ranges)
        == "Government troops shelled the town of Khan Sheikhoun on Monday, killing four civilians."
    )


def test_empty_and_clean_text() -> None:
    assert find_boilerplate("") == []
    assert find_boilerplate(ARTICLE) == []


# ------------------------------------------------------------------------------------------- language

SENTENCES = {
    "en": "Syrian government troops backed by Russian air strikes broke a three-year siege of the city of "
    "Deir ez-Zor on Tuesday, state media reported.",
    "de": "Syrische Regierungstruppen haben mit Unterstützung russischer Luftangriffe die Belagerung "
    "der Stadt Deir ez-Zor durchbrochen, berichteten Staatsmedien am Dienstag.",
    "fr": "Les troupes gouvernementales syriennes, appuyées par l'aviation russe, ont brisé mardi le "
    "siège de la ville de Deir ez-Zor, selon les médias d'État.",
    "ar": "كسرت القوات الحكومية السورية بدعم من الضربات الجوية الروسية حصار مدينة دير الزور يوم "
    "الثلاثاء، حسبما أفادت وسائل الإعلام الرسمية.",
    "ru": "Сирийские правительственные войска при поддержке российской авиации прорвали блокаду города "
    "Дейр-эз-Зор во вторник, сообщили государственные СМИ.",
}


@pytest.mark.parametrize("code", sorted(SENTENCES))
def test_detect_language(code: str) -> None:
    language, confidence = detect_language(SENTENCES[code])
    assert language == code
    assert confidence >= 0.8


def test_check_language() -> None:
    assert check_language(SENTENCES["en"]) is None
    assert check_language(SENTENCES["de"]) == "language 'de' is not supported yet (only English is coded)"
    assert check_language("12 34 56") is None  # unsure: no error


def random_letters(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(60))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello there",
        "12345 678 90 -- 2017-09-14 11:00 +++ 3.14159 ### 42 42 42",
        "Deir ez-Zor, Raqqa, Idlib, Aleppo, Homs, Hama, Latakia, Tartus",
        "SDF ISIS US UN NATO IS YPG PKK FSA HTS",
        "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGJhc2U2NCBzdHJpbmcgdGhhdCBpcyBxdWl0ZSBsb25nIGFuZCByYW5kb20=",
        random_letters(1),
        random_letters(2),
    ],
)
def test_garbage_has_no_language(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_language_is_read_outside_boilerplate() -> None:
    # A short German article followed by a long English share bar and comment form reads as German.
    german = SENTENCES["de"] + "\n" + WORDPRESS_TAIL + JETPACK_FORM
    assert detect_language(german, boilerplate=[])[0] == "en"  # the boilerplate outweighs the article
    assert detect_language(german)[0] == "de"


def test_language_with_precomputed_boilerplate() -> None:
    text = SENTENCES["de"] + "\n" + SENTENCES["en"]
    german_only = [(len(SENTENCES["de"]) + 1, len(text))]
    english_only = [(0, len(SENTENCES["de"]))]
    assert detect_language(text, german_only)[0] == "de"
    assert detect_language(text, english_only)[0] == "en"


def test_short_english_headline_is_not_rejected_but_short_foreign_text_is() -> None:
    assert check_language("15 Afghan Taliban killed in 24 hours: MoI") is None
    assert check_language("Des manifestants ont été arrêtés par la police à Lyon dimanche soir") is not None
