"""spaCy matcher: free text -> facts (client, version, platform, OS). No Rasa involved."""

import pytest

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import load_kb
from smtpbot.understanding.mentions import MentionExtractor, damerau, fact_entities


@pytest.fixture(scope="module")
def extractor():
    return MentionExtractor(load_kb())


@pytest.mark.parametrize(
    "text,facts",
    [
        ("I use Outlook 2013 and can't send", Facts("outlook", "2013")),
        ("mac mail on ventura", Facts("apple-mail", None, "mac", "macos-13")),
        ("thunderbrid 115", Facts("thunderbird", "115")),
        ("Office 365", Facts("outlook", "365")),
        ("my iPhone", Facts(None, None, "ios")),
        ("Outlook 2016 on my MacBook", Facts("outlook", "2016", "mac")),
        ("Mail on OS X 10.6", Facts("mail", None, "mac", "macos-10.6")),
        ("outlook2013", Facts("outlook", "2013")),
        ("outlook 2k13 wont send", Facts("outlook", "2013")),
        ("Outlook 2013 on Windows 10", Facts("outlook", "2013", "windows", "windows-10")),
        ("snow leapord apple mail", Facts("apple-mail", None, "mac", "macos-10.6")),
        ("EUDROA 7", Facts("eudora", "7")),
        ("it's not outlook 2013, it's outlook 2007", Facts("outlook", "2007")),
        ("not outlook, I use thunderbird", Facts("thunderbird")),
        ("port 25 is blocked, I have outlook 2010", Facts("outlook", "2010")),
        ("mail on my iPhone 12", Facts("mail", None, "ios")),
        ("outlook express on my mac", Facts("outlook-express", None, "mac")),
        ("windows mail on vista", Facts("windows-mail", None, "windows", "windows-vista")),
        ("2007", Facts(None, "2007")),
        ("Ventura", Facts(None, None, "mac", "macos-13")),
    ],
)
def test_facts(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "I want to send an email",
        "my emails are offline",
        "the money is gone",
        "a new window opened",
        "I clicked the button",
        "hello there",
        "sending fails with an error",
    ],
)
def test_everyday_words_are_not_taken_for_clients(extractor, text):
    assert extractor.facts(text).client is None


def test_entities_point_at_the_words_that_state_them(extractor):
    text = "hi, I run Thunderbird 115 on macOS Sonoma"
    entities = {e["entity"]: e for e in fact_entities(text, extractor)}
    assert (
        entities["client"]["value"] == "thunderbird" and entities["client"]["text"] == "Thunderbird"
    )
    assert entities["version"]["value"] == "115" and entities["version"]["text"] == "115"
    assert entities["os"]["value"] == "macos-14" and entities["os"]["text"] == "Sonoma"


def test_damerau_counts_a_transposition_as_one_edit():
    assert damerau("thunderbrid", "thunderbird", 2) == 1
    assert damerau("leapord", "leopard", 2) == 2
    assert damerau("outlook", "eudora", 2) == 3  # gave up past the limit


def test_long_input_is_handled(extractor):
    assert extractor.facts("outlook 2013 " + "blah " * 400).client == "outlook"


def test_facts_merge_keeps_earlier_answers_unless_the_client_changes():
    older = Facts("outlook", None, "mac")
    assert Facts(None, "2016").merged_over(older) == Facts("outlook", "2016", "mac")
    assert Facts("thunderbird", "115").merged_over(older) == Facts("thunderbird", "115")
    # "I have a Mac" ... "Outlook": the device still holds
    assert Facts("outlook").merged_over(Facts(None, None, "mac")) == Facts("outlook", None, "mac")
    assert Facts("thunderbird").merged_over(Facts("apple-mail", "9", "mac")) == Facts(
        "thunderbird", None, "mac"
    )
    # "2013" ... "Outlook": the earlier version is kept when no client was known yet
    assert Facts("outlook").merged_over(Facts(None, "2013")) == Facts("outlook", "2013")
