"""The knowledge base serves the article's steps faithfully: all 15 sections, every step, in order."""

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
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


# --- KB lint: ordinary words and titles (issue 15) -------------------------------------------
# SCOWL's small American English list (Debian's wamerican-small, installed by `make install`):
# the common words of English. An alias that is one of them must have a context rule.
DICTIONARY = Path("/usr/share/dict/american-english-small")
# Named in issue 15 as ordinary words or other products: each must keep its context rule.
FALSE_FRIENDS = [
    "office",
    "tb",
    "samsung",
    "galaxy",
    "pixel",
    "seven",
    "the bat",
    "postbox",
    "lotus",
    "penelope",
    "sierra",
    "catalina",
    "tiger",
    "lion",
    "jaguar",
    "ventura",
    "tahoe",
]


@pytest.fixture(scope="module")
def ordinary_words():
    assert DICTIONARY.exists(), f"{DICTIONARY} missing: `make install` installs wamerican-small"
    return {w.strip().lower() for w in DICTIONARY.read_text(encoding="utf-8").split()}


def ordinary_alias_problems(kb, words):
    """Aliases that are one ordinary word (after "the") with no context rule and no stated reason."""
    plain = set(kb_yaml("clients.yml").get("plain_words", {}))
    problems = []
    for alias in kb.aliases + kb.families:
        phrase = alias.phrase.removeprefix("the ")
        if " " in phrase or phrase not in words or alias.context or phrase in plain:
            continue
        problems.append(f"{alias.phrase!r} ({alias.kind} {alias.value})")
    return problems


def kb_yaml(name):
    return yaml.safe_load((ROOT / "kb" / name).read_text(encoding="utf-8"))


def test_no_ordinary_word_alias_without_a_context_rule(kb, ordinary_words):
    assert ordinary_alias_problems(kb, ordinary_words) == []


def test_the_lint_catches_an_ordinary_word_alias(kb, ordinary_words):
    """The lint above can fail: an alias "office" without its rule is reported."""
    stripped = replace(kb, aliases=[replace(a, context=None) for a in kb.aliases])
    problems = ordinary_alias_problems(stripped, ordinary_words)
    assert any(p.startswith("'office'") for p in problems)
    assert any(p.startswith("'the bat'") for p in problems)


@pytest.mark.parametrize("phrase", FALSE_FRIENDS)
def test_false_friends_have_context_rules(kb, phrase):
    found = [a for a in kb.aliases if a.phrase == phrase]
    assert found and all(a.context in kb.context_rules for a in found), phrase


def aliases_naming_two_things(aliases):
    """Alias phrases that name more than one client, device or OS (the matcher keeps one)."""
    named = {}
    for alias in aliases:
        named.setdefault(alias.phrase.lower(), set()).add((alias.kind, alias.value))
    return sorted(phrase for phrase, things in named.items() if len(things) > 1)


def test_no_alias_names_two_things(kb):
    assert aliases_naming_two_things(kb.aliases) == []


def test_the_alias_lint_catches_a_phrase_given_twice(kb):
    twice = kb.aliases + [replace(kb.aliases[0], value="another-program")]
    assert aliases_naming_two_things(twice) == [kb.aliases[0].phrase.lower()]


def test_every_context_rule_named_exists(kb):
    for alias in kb.aliases + kb.families:
        assert alias.context is None or alias.context in kb.context_rules, alias
    for name, rule in kb.context_rules.items():  # YAML 1.1 reads a bare `on` as true
        for key in ("next", "near", "after_words", "not_followed_by", "signals", "veto"):
            assert all(isinstance(word, str) for word in rule.get(key, [])), (name, key)


def test_a_context_rule_extends_another(kb):
    """`extends`: the base rule's tests, its lists added to (Evolution's rule has every word of
    named-program's and its own: one list to edit)."""
    base, evolution = kb.context_rules["named-program"], kb.context_rules["evolution"]
    assert "extends" not in evolution
    assert evolution["after_words"][: len(base["after_words"])] == base["after_words"]
    assert {"use", "uninstall"} <= set(evolution["after_words"])
    assert {"of", "plan"} <= set(evolution["not_followed_by"])
    assert evolution["acts"] == base["acts"] and evolution["title"] == ["..."]
    assert "title" not in base and "signals" in kb.context_rules["browser-name"]


def title_problems(kb):
    """Guide titles that miss a version mapped to them, or name one that is mapped elsewhere."""
    problems = []
    for client_id, client in kb.clients.items():
        mapped = {}  # guide -> numbers mapped to it
        for version, outcome in client.get("versions", {}).items():
            if outcome in kb.guides:
                mapped.setdefault(outcome, []).append((version, version))
        for low, high, outcome, *note in client.get("ranges", []):
            if outcome in kb.guides and not note:  # a noted range says why the title differs
                mapped.setdefault(outcome, []).append((low, high))
        for guide_id, spans in mapped.items():
            title = kb.guide(guide_id).title
            numbers = set(re.findall(r"\d+", title))
            for low, high in spans:
                if isinstance(low, str):
                    if low not in numbers:
                        problems.append(f"{guide_id}: title {title!r} lacks {client_id} {low}")
                    continue
                if high is None and not re.search(r"later|newer", title):
                    problems.append(f"{guide_id}: title {title!r} lacks 'and later'")
                for end in (low, high):
                    if end and str(end) not in numbers:
                        problems.append(f"{guide_id}: title {title!r} lacks {client_id} {end}")
            for number in numbers:
                inside = any(
                    number == low
                    if isinstance(low, str)
                    else low <= int(number) <= (high if high is not None else 10**6)
                    for low, high in spans
                )
                if not inside:
                    problems.append(f"{guide_id}: title {title!r} names {number}, mapped elsewhere")
    return problems


def test_guide_titles_agree_with_the_versions_mapped_to_them(kb):
    """Item 12: the Outlook 2010-2016 guide serves 2024, so its title says 2024."""
    assert title_problems(kb) == []
    assert "2024" in kb.guide("outlook-2010-2016").title


def test_the_title_lint_catches_a_missing_version(kb):
    guides = dict(kb.guides)
    guides["outlook-2010-2016"] = replace(
        guides["outlook-2010-2016"], title="Outlook 2010/2013/2016 (also 2019, 2021, 365)"
    )
    assert title_problems(replace(kb, guides=guides)) == [
        "outlook-2010-2016: title 'Outlook 2010/2013/2016 (also 2019, 2021, 365)' lacks outlook 2024"
    ]


def test_our_notes_are_marked_and_never_replace_a_step(kb, sections):
    """Item 11 and the Thunderbird question: notes beside verbatim steps, never instead of them."""
    for guide, section in zip(kb.guides.values(), sections):
        assert list(guide.steps) == [normalise(step) for step in section.steps]
        for step, _ in guide.notes:
            assert 1 <= step <= guide.total, guide.id
    ios = " ".join(kb.guide("ios-mail").notes_for(1))
    assert "Passwords & Accounts" in ios and "iOS 14" in ios and '"Mail"' in ios
    assert "Accounts and Passwords" in kb.guide("ios-mail").steps[0]
    mac = " ".join(kb.guide("apple-mail-10-plus").notes_for(1))
    assert "Ventura" in mac and '"Settings"' in mac  # Mail > Preferences was renamed there
    assert "Preferences" in kb.guide("apple-mail-10-plus").steps[0]
    assert "Alt key" in " ".join(kb.guide("thunderbird-3-plus").notes_for(1))
    thunderbird = " ".join(kb.guide("thunderbird-3-plus").notes_for(5))
    assert "Normal password" in thunderbird and "transmitted insecurely" in thunderbird
    assert "not part of the article" in kb.dialogue["messages"]["our_note"]


def test_every_fact_has_its_source_listed(kb):
    """kb/sources.md lists each version map, nearest-guide choice and note by its KB id."""
    sources = (ROOT / "kb" / "sources.md").read_text(encoding="utf-8")
    needed = {
        client_id
        for client_id, client in kb.clients.items()
        if {"versions", "ranges", "os", "platforms", "build_numbers"} & set(client)
        or ("guide" in client and "/" not in client["guide"])
    }
    needed |= {key for key, info in kb.dialogue["uncovered"].items() if info.get("nearest")}
    needed |= {guide.id for guide in kb.guides.values() if guide.notes}
    assert sorted(n for n in needed if f"`{n}`" not in sources) == []


@pytest.mark.parametrize(
    "value, valid",
    [
        ("2016", True),
        ("13328.20356", True),
        ("8.0b1", True),
        ("123456", False),
        ("2016; drop", False),
    ],
)
def test_a_version_entity_is_accepted_only_as_a_version(kb, value, valid):
    """Entities are checked before they become facts: a Click-to-Run build ("Version 2010
    (Build 13328.20356)", which the matcher gives as the version) is one, not any text."""
    from smtpbot.kb.entities import valid_entity

    assert valid_entity(kb, "version", value) is valid
