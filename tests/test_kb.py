"""The knowledge base serves the article's steps faithfully: all 15 sections, every step, in order."""

import hashlib

import pytest
from article_parser import normalise, parse_article
from stackkit import ROOT

from smtpbot.kb.knowledge import load_kb

GUIDE_IDS = [
    "outlook-2010-2016",
    "outlook-2007",
    "outlook-2002-2003",
    "outlook-express",
    "outlook-mac",
    "apple-mail-10-plus",
    "apple-mail-8-9",
    "ios-mail",
    "apple-mail-3-6",
    "apple-mail-2",
    "thunderbird-3-plus",
    "thunderbird-legacy",
    "entourage",
    "eudora",
    "eudora-ose",
]
ARTICLE = ROOT / "kb" / "article.txt"
SHARED_ARTICLE = ROOT.parent / "shared" / "kb-article-smtp-port.txt"
# sha256 of the company's article (the shared kb-article-smtp-port.txt) that kb/ is built from.
ARTICLE_SHA256 = "a5e55d157792ece0b0824cb3753a41ad00c6703d453ce7844ee9f91344fe44f8"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def sections():
    return parse_article(ARTICLE.read_text(encoding="utf-8"))


def test_the_public_guide_ids_in_article_order(kb):
    assert list(kb.guides) == GUIDE_IDS


def test_every_step_of_the_article_verbatim_and_in_order(kb, sections):
    assert len(sections) == 15
    for guide, section in zip(kb.guides.values(), sections):
        assert guide.heading == normalise(section.heading)
        assert list(guide.steps) == [normalise(step) for step in section.steps], guide.id


def test_step_count_matches_the_article(kb, sections):
    # The article numbers 121 steps across its 15 sections (counted by the parser, not typed in).
    assert sum(g.total for g in kb.guides.values()) == sum(len(s.steps) for s in sections) == 121
    assert [g.total for g in kb.guides.values()] == [9, 9, 10, 10, 7, 8, 9, 9, 8, 8, 7, 8, 8, 4, 7]


def test_outlook_note_on_the_newest_outlook_is_kept(kb):
    note = kb.guide("outlook-2010-2016").note
    assert "Control Panel -> Mail" in note and "Email Accounts" in note and "1807" in note
    assert kb.guide("outlook-2010-2016").steps[0].endswith("***")


def test_security_step_points_at_the_ssl_setting(kb):
    for guide in kb.guides.values():
        step = guide.steps[guide.security_step - 1].lower()
        assert any(word in step for word in ("ssl", "secure", "security")), guide.id


def test_the_kb_copy_is_the_shared_article():
    """kb/article.txt is the company's article (pinned by its sha256, so this checks it in any
    checkout), and the shared copy beside the checkout, when there, is still that article."""
    assert hashlib.sha256(ARTICLE.read_bytes()).hexdigest() == ARTICLE_SHA256
    if SHARED_ARTICLE.exists():  # a newer company article: update kb/article.txt and the pin
        assert hashlib.sha256(SHARED_ARTICLE.read_bytes()).hexdigest() == ARTICLE_SHA256


def test_every_outcome_in_clients_points_somewhere(kb):
    """Each outcome string in kb/clients.yml names a real guide, question, uncovered key or client."""
    outcomes = []
    for client in kb.clients.values():
        outcomes += list(client.get("platforms", {}).values()) + list(client.get("os", {}).values())
        outcomes += list(client.get("versions", {}).values()) + [
            r[2] for r in client.get("ranges", [])
        ]
        outcomes += [client[k] for k in ("guide", "with_version") if k in client]
        if "ask" in client:
            outcomes.append("ask/" + client["ask"])
    for platform in kb.platforms.values():
        outcomes += [platform[k] for k in ("outcome",) if k in platform]
        if "ask" in platform:
            outcomes.append("ask/" + platform["ask"])
    for outcome in outcomes:
        kind, _, rest = outcome.partition("/")
        if not rest:
            assert outcome in kb.guides, outcome
        else:
            table = {
                "uncovered": kb.dialogue["uncovered"],
                "ask": kb.dialogue["questions"],
                "client": kb.clients,
            }[kind]
            assert rest in table, outcome


def test_questions_fit_in_slack(kb):
    """Slack shows at most 5 buttons per message: every question must fit."""
    for question_id, question in kb.dialogue["questions"].items():
        assert 2 <= len(question["choices"]) <= 5, question_id
