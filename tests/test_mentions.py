"""spaCy matcher: free text -> facts (client, version, platform, OS). No Rasa involved."""

import importlib
from pathlib import Path

import pytest

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import load_kb
from smtpbot.understanding.mentions import MentionExtractor, damerau
from smtpbot.understanding.normalise import align, normalise
from smtpbot.understanding.selection import fact_entities
from smtpbot.understanding.variants import spelling_variants


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
        ("I use Outlook 2K which normally can render HTML", Facts("outlook", "2000")),
        ("2k emails are stuck in my outbox", Facts()),  # a count, not a release
        # "my email program" names none: the device's question; any name in the message wins
        (
            "my email program wont send, its windows 7",
            Facts("mail-program", None, "windows", "windows-7"),
        ),
        (
            'MacOS X 10.11 email client "Mail" version 9.3',
            Facts("mail", "9.3", "mac", "macos-10.11"),  # "MacOS X" as written
        ),
        ("Thunderbird：115.5.1 (64 ビット)", Facts("thunderbird", "115.5.1")),
        ("TbSync version:2.22 fails", Facts("thunderbird")),  # the add-on's number
        ("Thb 102.9.0 on my PC", Facts("thunderbird", "102.9.0", "windows")),
        ("I paid THB 500", Facts()),  # Thai baht: only a dotted release makes "Thb" Thunderbird
        # a year shortened with an apostrophe: Office 2011 (for Mac), not Outlook 11 (2003)
        ("the Outlook mail client in MS Office '11 crashes", Facts("outlook", "2011")),
        ("Office '10 outlook can't send", Facts("outlook", "2010")),
        ("Outlook '97 won't send", Facts("outlook", "1997")),  # kb: 1997 is 97, not covered
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
        # a bare number with the words an answer is made of (to "which version?")
        ("its the one from 2016 i think", Facts(None, "2016")),
        ("version 2013 I believe", Facts(None, "2013")),
        ("I'm on version 2.0.0.24", Facts(None, "2.0.0.24")),
        ("we're using 2010 now", Facts(None, "2010")),
        ("I think it's 2013, not sure", Facts(None, "2013")),
        # a release after a label in Chinese (a full-width colon made plain, glued to the label)
        (
            "mac os 上的 Mail 不能发送 操作系統版本：10.10.1",
            Facts("mail", None, "mac", "macos-10.10"),
        ),
        # Thunderbird with the customer's own phone in its sentence, and no computer: its phone
        # edition; not where it works, not a company named "phone"
        (
            "Nach der Installation von Thunderbird blinkt meine LED am Handy nicht mehr",
            Facts("thunderbird", None, "phone"),
        ),
        (
            "Vanaf mijn telefoon: thunderbird geeft een foutmelding",
            Facts("thunderbird", None, "phone"),
        ),
        ("Thunderbird won't send, on my phone it works fine", Facts("thunderbird")),
        # mail sent through a service is the account's server: "send email through att.net"
        ("Can't send email through att.net, I use thunderbird email", Facts("thunderbird")),
        ("Can the mobile version of thunderbird be set up as a POP account?", Facts("k9")),
        ("I installed ElectronMail after getting ProtonMail", Facts("electronmail")),
        (
            "one outgoing server (from phone coop) together with thunderbird identities",
            Facts("thunderbird"),
        ),
        # Outlook's servers in Chinese are the account's ("outlook's two sending servers")
        ("outlook的两个收发服务器都不可以了", Facts()),
        ("outlook的设置怎么改", Facts("outlook")),
        # a mail service's own app for a phone; a webmail host is the website
        ("ProtonMail for iOS will not launch", Facts("proton-mail", None, "ios")),
        ("Gmail for Android won't sync", Facts("gmail")),
        ("mail.google.com won't load my inbox", Facts("gmail")),
        ("Links are not active in Outlook for web", Facts("outlook-web")),
        ("typing a keyword in web Outlook does not work", Facts("outlook-web")),
        ("I can't send from Outlook OWA", Facts("owa")),
        ("my address is me@mail.google.com", Facts()),
        # a macOS name beside Mail written as the program's name; places named like a release
        (
            "I think the shortcut for sending in Mail is not working in Mavericks",
            Facts("mail", None, "mac", "macos-10.9"),
        ),
        ("I sent some mail from Yosemite last week and it bounced", Facts()),
        ("Mail from Ventura office bounced", Facts("mail")),  # a city, not written as a name
        ("mail.yahoo.com works but my program won't send", Facts()),
        ("I run Outlook 2016 on my mac windows partition", Facts("outlook", "2016", "windows")),
        ("outlook无法连接服务器", Facts("outlook")),
        # the subscription's number between the name and "account": the account
        ("Thunderbird asks for the password of my Outlook365 account", Facts("thunderbird")),
        # Italian "mandare" (to send) is no typo of Manjaro
        ("non riesco più a mandare mail con Thunderbird", Facts("thunderbird")),
        (
            "I was on the phone with your support and Thunderbird still won't send",
            Facts("thunderbird"),
        ),
        ("Thunderbird forwards my mail to my phone", Facts("thunderbird")),
        # named as the system's release ("OS X Mavericks"), an iOS said later does not veto it
        ("Mail in OS X Mavericks is slow, and in iOS 7", Facts("mail", None, "mac", "macos-10.9")),
        ("Mail stopped after my trip to Catalina Island", Facts("mail")),
        # the windows on the screen are not the system
        (
            "Outlook 365 reminder windows stay open on macOS Tahoe",
            Facts("outlook", "365", "mac", "macos-26"),
        ),
        ("the compose windows just sits there in Thunderbird", Facts("thunderbird")),
        (
            "a mac windows 10 in parallels with outlook 2013",
            Facts("outlook", "2013", "windows", "windows-10"),
        ),
        ("it's 2013 or so, I'm not sure which", Facts()),  # "which": not only answer words
        ("I have 2 computers", Facts()),
        ("I have 3 accounts and one fails", Facts()),
        ("Ventura", Facts(None, None, "mac", "macos-13")),
        # an SMTP reply code is never a release: no covered program has one from 400 to 599
        ("Thunderbird 535 authentication failed", Facts("thunderbird")),
        ("apple mail 554 transaction failed", Facts("apple-mail")),
        ("eudora 550 error", Facts("eudora")),
        # "the latest" in a short answer is the newest release; in a story it says nothing
        ("the latest", Facts(version="latest")),
        ("it's the most recent version", Facts(version="latest")),
        ("latest outlook", Facts("outlook", "latest")),
        ("I'm on the latest Outlook as of today, 64 bit add-in", Facts("outlook")),
        ("the current step", Facts()),
        # a device of no named kind, as the whole answer: which kind is asked
        ("my phone", Facts(platform="phone")),
        ("on my laptop", Facts(platform="computer")),
        ("works on my phone, not on my laptop", Facts()),
        # ... and in a message, said right with the program: where that program runs
        ("Outlook on my phone won't send", Facts("outlook", None, "phone")),
        ("I can't send from the Thunderbird app on my phone", Facts("thunderbird", None, "phone")),
        ("on my cell phone, Outlook says 'cannot connect'", Facts("outlook", None, "phone")),
        ("Outlook works on my phone but not on my laptop", Facts("outlook")),
        ("Outlook and my phone both stopped sending", Facts("outlook")),
        ("thunderbird su telefonino non invia", Facts("thunderbird", None, "phone")),  # Italian
        # negations typed without the apostrophe (spaCy parts "wont" into "wo" + "nt")
        ("postbox wont send", Facts("postbox")),
        ("geary cant send", Facts("geary")),
        ("i dont use outlook", Facts()),
        # an iPhone said apart from Thunderbird uses its own Mail app (kb `ios_own_app`)
        ("thunderbird works on my pc but my iphone cant send", Facts(platform="ios")),
        ("how do i get my thunderbird email on my iphone", Facts(platform="ios")),
        ("thunderbird on my iphone wont send", Facts("thunderbird", platform="ios")),
        # ... and from Outlook (most iPhones send with Mail; the Outlook app is named with it)
        ("Outlook works on my PC but my iPhone can't send", Facts(platform="ios")),
        ("Thunderbird 115 works on my PC but my iPhone can't send", Facts(platform="ios")),
        ("Outlook on my iPhone won't send", Facts("outlook", platform="ios")),
        # ... not when the program is named with its release and the iPhone has no trouble
        (
            "It does not render in Outlook 2013. It does look good in yahoo mail, iOS and so on",
            Facts("outlook", "2013"),
        ),
        ("im on postbox", Facts("postbox")),  # typed "im", "thats": still just the name
        ("thats gmail", Facts("gmail")),
        ("outlook doesnt send but thunderbird works", Facts("outlook")),
        ("Outlook 2016 stops on mobile data", Facts("outlook", "2016")),
        ("Outlook on mobile data", Facts("outlook")),
        ("can't send email from my phone", Facts()),
        ("Thunderbird auf meinem Handy", Facts("thunderbird", None, "phone")),
        # ... or anywhere, where its clause says it fails and a program with a phone app is named
        (
            "Thunderbird works on my laptop but I can't send from my phone",
            Facts("thunderbird", None, "phone"),
        ),
        (
            "I have used Thunderbird for years. Suddenly my mobile app stopped sending",
            Facts("thunderbird", None, "phone"),
        ),
        (
            "I can't send from my phone, Thunderbird on the PC is fine",
            Facts("thunderbird", None, "phone"),
        ),
        (
            "Thunderbird on my PC can't send, my phone works fine",
            Facts("thunderbird", None, "windows"),
        ),
        ("my phone can't send mail", Facts()),  # no program named: which one is asked
        # an account of a program that is no mail service: the account set up in that program
        ("my Thunderbird account can't send", Facts("thunderbird")),
        ("开启系统代理后，会导致Foxmail账号密码方式的认证失败", Facts("foxmail")),
        ("my Outlook account can't send", Facts()),  # Outlook.com: where the mail lives
        (
            "Thunderbird can't send and the phone company says port 25 is blocked",
            Facts("thunderbird"),
        ),
        ("Outlook en mi celular no envía", Facts("outlook", None, "phone")),
        # Windows in a virtual machine or compatibility layer: the Windows program
        ("outlook 2013 on a mac via parallels", Facts("outlook", "2013", "windows")),
        ("Outlook 2010 under CrossOver on my Mac", Facts("outlook", "2010", "windows")),
        ("Outlook 2016 for Mac, the one in Parallels works fine", Facts("outlook", "2016", "mac")),
        ("Outlook 2016 for Mac won't send, I also run Parallels", Facts("outlook", "2016", "mac")),
        ("my crossover cable broke, outlook 2011 on my mac", Facts("outlook", "2011", "mac")),
        ("the microsoft one", Facts(platform="windows")),
        ("the apple one", Facts("apple-mail")),
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


@pytest.mark.parametrize(
    "text, first, others",
    [
        ("I think it's 2010 or 2013, not sure", "2010", ["2013"]),
        ("either 2007 or 2010", "2007", ["2010"]),
        ("2010 or 2013?", "2010", ["2013"]),
        ("2013, not sure", "2013", []),
        ("2013", "2013", []),
    ],
)
def test_releases_offered_as_a_choice_are_all_entities(extractor, text, first, others):
    """ "2010 or 2013" to "which version?": the first as `version`, the others as
    `other_version` (the bot checks whether they share a guide)."""
    entities = fact_entities(text, extractor)
    assert [e["value"] for e in entities if e["entity"] == "version"] == [first]
    assert [e["value"] for e in entities if e["entity"] == "other_version"] == others


@pytest.mark.parametrize(
    "text", ["I have 3 accounts and 2013", "Outlook 2007 or 2010", "between 2 and 5 emails"]
)
def test_numbers_in_a_sentence_are_no_choice_of_releases(extractor, text):
    assert not [e for e in fact_entities(text, extractor) if e["entity"] == "other_version"]


@pytest.mark.parametrize(
    "text, spans",
    [
        # spaces collapsed after the names: they used to shift every span ("tlook", "13")
        ("I use Outlook 2013.  It fails.  Please help.", {"client": "Outlook", "version": "2013"}),
        # "win10" is read as "windows 10", the link as its words only, a zero-width space dropped
        ("I use outlook 2013 on win10", {"client": "outlook", "platform": "win10", "os": "win10"}),
        ("[Thunderbird](https://example.org/tb)  fails on Win11", {"client": "Thunderbird"}),
        ("Outlook 2007\u200b  fails", {"client": "Outlook", "version": "2007"}),
        (
            "Ｏｕｔｌｏｏｋ　２０１６ sendet nicht",
            {"client": "Ｏｕｔｌｏｏｋ", "version": "２０１６"},
        ),
        # a full-width colon glued to the release ("Thunderbird：115.5.1") is parted from it
        ("OS：Windows10 Thunderbird：115.5.1", {"client": "Thunderbird", "version": "115.5.1"}),
        # a year shortened with an apostrophe is read in full: "'11" is 2011
        ("MS Office '11 crashes", {"client": "MS Office", "version": "'11"}),
        # a pasted path says the device: the path is the platform's text
        ("Outlook 2016 log: /Users/me/Library/Logs/x.log", {"platform": "/Users/me/Library/"}),
    ],
)
def test_entities_point_at_their_words_when_the_text_was_rewritten(extractor, text, spans):
    entities = {e["entity"]: e for e in fact_entities(text, extractor)}
    for name, words in spans.items():
        entity = entities[name]
        assert text[entity["start"] : entity["end"]] == entity["text"] == words, name


def test_align_maps_each_rewritten_character_to_the_original():
    assert align("ab  cd", "ab cd") == [0, 1, 2, 4, 5]
    assert align("win10 x", "windows 10 x") == [0, 1, 2, 3, 3, 3, 3, 3, 3, 4, 5, 6]
    assert align("Ｏｋ", "Ok") == [0, 1]  # full-width forms are no edit
    linked = "see [Thunderbird](https://example.org/tb) now"
    read = normalise(linked)  # the link's words only
    assert align(linked, read)[read.index("now")] == linked.index("now")


def test_two_edits_keep_the_first_letter(extractor):
    """A typo of two edits keeps the word's first letter: "imapmail" (a server's name) is no
    "macmail"; one edit may change it."""
    assert extractor.correct("thunerbird") == "thunderbird"
    assert extractor.correct("thundrebrid") == "thunderbird"
    assert extractor.correct("imapmail") == "imapmail"
    text = "blocco della posta di libero, cui è collegato thunerbird. Esce: server imapmail"
    assert extractor.facts(text).client == "thunderbird"


# SCOWL's small American English list (Debian's wamerican-small, installed by `make install`)
DICTIONARY = Path("/usr/share/dict/american-english-small")


def test_everyday_words_are_not_corrected_into_other_words(extractor):
    """ "third" is no typo of "tbird", "partner" none of "panther", "experts" none of
    "express": the corrector leaves every common English word as it is, or reads it as the
    KB word it inflects ("outlooks" -> "outlook"). A new KB word that breaks this needs the
    word in kb/clients.yml `not_typos`."""
    assert DICTIONARY.exists(), f"{DICTIONARY} missing: `make install` installs wamerican-small"
    words = {w.lower() for w in DICTIONARY.read_text(encoding="utf-8").split() if w.isalpha()}
    corrected = {w: extractor.correct(w) for w in words}  # tokens are corrected lower-case
    wrong = {
        w: c for w, c in corrected.items() if c != w and not (w.startswith(c) or c.startswith(w))
    }
    assert wrong == {}


# Languages whose common words customers write around the names ("ho visto", "seit Januar")
STOP_WORD_LANGUAGES = "de fr es it nl pt pl sv da nb fi cs tr ro hu id ca hr sk sl".split()


@pytest.mark.parametrize("language", STOP_WORD_LANGUAGES)
def test_common_words_of_other_languages_are_not_corrected(extractor, language):
    """spaCy's stop words of the language: none is read as another word (Italian "visto" is
    no Vista, Slovak "mali" no mail)."""
    words = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    corrected = {w: extractor.correct(w) for w in (w.lower() for w in words) if w.isalpha()}
    wrong = {
        w: c for w, c in corrected.items() if c != w and not (w.startswith(c) or c.startswith(w))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    "text,facts",
    [
        ("That's the third time I got this error", Facts()),
        ("ho visto che Thunderbird non invia", Facts("thunderbird")),  # not Windows Vista
        ("my partner can't send mail", Facts()),
        ("I asked the Outlook experts", Facts("outlook")),
        ("Outlook has not sent mail since January", Facts("outlook")),  # not Jaguar (10.2)
        ("my mac mail stopped in January", Facts("apple-mail")),
        ("mancato invio con Outlook", Facts("outlook")),  # not Manjaro Linux
    ],
)
def test_everyday_words_near_names_name_nothing(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a name's case ending after an apostrophe (Polish, Turkish); not "T'bird" itself
        ("Nie mogę wysłać maila z iPhone'a", Facts(platform="ios")),
        ("Outlook 2016'da mail gönderemiyorum", Facts("outlook", "2016")),
        ("T'bird 68 won't send", Facts("thunderbird", "68")),
        # devices by their names in Russian (with case endings), Chinese and Japanese
        ("Не могу отправить письмо с айфона", Facts(platform="ios")),
        ("苹果电脑自带邮件无法发送", Facts("mail", platform="mac")),
        # French and Italian: an elided article before the name, the app's local name beside
        # "sur Windows"
        ("l'application Mail de l'iPhone n'envoie pas", Facts("mail", platform="ios")),
        (
            "Courrier sur Windows 10 n'envoie plus",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        # Japanese: a name after the ideographic comma; "mailer" (メーラー) is the mail app
        ("むかつくときー、Outlook がたまにメールを表示しない", Facts("outlook")),
        (
            "OS X 10.9 Mavericksになってから、標準メーラーが",
            Facts("mail", None, "mac", "macos-10.9"),
        ),
        # the new Outlook for Windows in other languages (a real Norwegian post), not its account
        ("på min laptop blir det bare kluss med den nye outlook!", Facts("outlook-new")),
        ("seit dem neuen Outlook geht nichts mehr", Facts("outlook-new")),
        ("j'ai le nouvel Outlook et il n'envoie pas", Facts("outlook-new")),
        ("mein neues Outlook-Konto sendet nicht", Facts("outlook")),
    ],
)
def test_names_as_other_languages_write_them(extractor, text, facts):
    assert extractor.facts(text) == facts


def test_damerau_counts_a_transposition_as_one_edit():
    assert damerau("thunderbrid", "thunderbird", 2) == 1
    assert damerau("leapord", "leopard", 2) == 2
    assert damerau("outlook", "eudora", 2) == 3  # gave up past the limit


def _edits(word: str) -> set:
    """Every word one deletion, insertion, substitution or adjacent transposition away."""
    letters = "aeiklrt"
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        {a + b[1:] for a, b in cuts if b}
        | {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
        | {a + c + b[1:] for a, b in cuts if b for c in letters}
        | {a + c + b for a, b in cuts for c in letters}
    )


def test_nearest_target_is_the_nearest_of_all_targets(extractor):
    """The deletion index finds what a scan of every typo target finds: the nearest target
    within the limit (ties: alphabetical; two edits keep the first letter), for every word one
    or two edits from a target."""

    def scanned(word, limit):
        # (a target more than `limit` edits away differs in length by more, or in more than
        # 2 * limit letters of its letter set: skipped before the distance, for time only)
        alike = (
            t
            for t in extractor.typo_targets
            if abs(len(t) - len(word)) <= limit and len(set(t) ^ set(word)) <= 2 * limit
        )
        found = ((damerau(word, t, limit), t) for t in alike)
        near = [(d, t) for d, t in found if d <= (limit if t[0] == word[0] else 1)]
        return min(near)[1] if near else word

    checked = 0
    for target in extractor.typo_targets:
        once = _edits(target)
        twice = {w for first in sorted(once)[::400] for w in _edits(first)}
        for word in sorted(once | twice):
            if len(word) >= 5:
                limit = 1 if len(word) < 7 else 2
                assert extractor.nearest_target(word, limit) == scanned(word, limit), word
                checked += 1
    assert checked > 20_000


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


@pytest.mark.parametrize(
    "text,facts",
    [
        # Item 9: a named program and its own platform beat a stray macOS name
        (
            "Outlook 2013 on Windows 10, our office is in Ventura",
            Facts("outlook", "2013", "windows", "windows-10"),
        ),
        (
            "Outlook 2016 on Windows 11 and I'm running Sierra at home",
            Facts("outlook", "2016", "windows", "windows-11"),
        ),
        ("my colleague Catalina says Thunderbird 115 fails", Facts("thunderbird", "115")),
        ("the Tigers won, anyway Thunderbird 115 fails", Facts("thunderbird", "115")),
        # ... and macOS names still count where they mean the OS
        ("Mail on my Mac running Catalina", Facts("apple-mail", None, "mac", "macos-10.15")),
        ("my iMac, Catalina", Facts(None, None, "mac", "macos-10.15")),
        ("apple mail, sierra", Facts("apple-mail", None, "mac", "macos-10.12")),
        ("I'm on Ventura", Facts(None, None, "mac", "macos-13")),
        ("upgraded to Sonoma and mail stopped", Facts("mail", None, "mac", "macos-14")),
        ("the mail app won't send after Catalina", Facts("mail", None, "mac", "macos-10.15")),
        ("after my Sierra Leone trip mail fails", Facts("mail")),
        ("I live on Sierra street and use Outlook 2016", Facts("outlook", "2016")),
        ("Tahoe", Facts(None, None, "mac", "macos-26")),
        ("mountain lion mail app", Facts("mail", None, "mac", "macos-10.8")),
        # ... multi-word names are places and animals too
        ("I run a sonoma wine shop and mail won't send", Facts("mail")),
        ("I'm on a mojave road trip and mail won't send", Facts("mail")),
        ("We took photos along the big sur coastline", Facts()),
        ("Our school mascot is the mountain lion", Facts()),
        ("the evolution of spam filters", Facts()),
        ("I collect airmail stamps", Facts()),
        ("a sparrow sat on my window and mail fails", Facts("mail")),
        ("Sparrow on my Mac won't send", Facts("sparrow", None, "mac")),
        ("Becky! 2.75 can't send", Facts("becky", "2.75")),
        # a program's own error dialog, or what it says
        ("Evolution Error Error while Sending message", Facts("evolution")),
        ("Spark says authentication failed", Facts("spark")),
        # "my mail client is X": X is the program, known or not
        ("my mail client is mutt", Facts("mutt")),
        ("my email client is Fooble", Facts("unknown-program")),
        ("the mail client is the problem", Facts("mail")),
        # ... or put in brackets after it
        ("the mail client on my Mac (Sparrow) can't send", Facts("sparrow", None, "mac")),
        # (a known name only: "(Urgent)" is no program)
        ("my mail client (Urgent) won't send", Facts("mail")),
        ("my mail client (see the screenshot) fails", Facts("mail")),
        ("the mail server (Postfix) rejects it", Facts()),
        # a release before "version of": "the 2024 version of Office"
        ("I had the standalone 2024 version of Office", Facts("outlook", "2024")),
        ("I had a version of Office", Facts()),
        ("I use Claws and it fails", Facts("claws-mail")),
        ("the cat's claws scratched my laptop and mail fails", Facts("mail")),
        # numbers with a unit or acronym glued on are not versions
        ("Mail.app loses authentication to google with 2fa every day", Facts("apple-mail")),
        # "I can send" is where it works
        (
            "from webmail I can send emails but when I try to send via thunderbird I get an error",
            Facts("thunderbird"),
        ),
        # a program's windows are not the OS (and "Mail" written as a name is the Mac's)
        ("when I open Mail I do not see my inbox windows", Facts("mail", None, "mac")),
        ("when I open the mail app I do not see my inbox windows", Facts("mail")),
        # what a program does, after adverbs
        ("airmail will sometimes not deliver a message", Facts("airmail")),
        ("Mutt only states Login failed", Facts("mutt")),
        ("whenever I try sending email in evolution I get an error", Facts("evolution")),
        # a Windows program in Wine runs in Windows, whatever the host
        (
            "I can't get WINE to create a shortcut for my Eudora program on Ubuntu",
            Facts("eudora", platform="windows"),
        ),
        # importing from X: X is not the program in use
        (
            "I cannot import any eml messages from Windows Mail. I have Thunderbird 102",
            Facts("thunderbird", "102"),
        ),
        # "a new Outlook email account" is a new account; an address's domain is the account
        ("I cannot create a new outlook email account (@hotmail)", Facts()),
        ("the new Outlook won't send", Facts("outlook-new")),
        ("QQ邮箱APP无法接收邮件", Facts("qq-mail")),
        ("在QQ邮箱客户端上配置，SMTP发件提示账号密码错误", Facts("qq-mail")),  # its client
        ("outlook邮箱无法同步", Facts()),  # the mailbox
        # program names in Japanese, Chinese and Korean script
        ("サンダーバードでメールが送信できません", Facts("thunderbird")),
        ("雷鸟无法发送邮件", Facts("thunderbird")),
        ("เข้าใช้งาน ธันเดอร์เบิร์ด ไม่ได้", Facts("thunderbird")),  # Thai
        ("Тандерберд не отправляет почту", Facts("thunderbird")),  # Russian
        # a name written without spaces is found whatever its case ("メールApp": Mail app)
        ("MacのメールAppで送信できません", Facts("mail", None, "mac")),
        ("윈도우 머신에서 메일을 썬더 버드로 연결이 가능할까요?", Facts("thunderbird")),
        ("アウトルックで送信できない", Facts("outlook")),
        ("Mac 自带邮箱登陆总是显示", Facts("mail", None, "mac")),
        ("Microsoft365 App for business のOutlook", Facts("outlook", "365")),
        # "version N" later in the program's sentence, unless a system comes in between
        (
            "using Microsoft Outlook on Windows (version 2403, build 17425.20176) fails",
            Facts("outlook", "2403", "windows"),
        ),
        ("Outlook on Windows 10 version 1909", Facts("outlook", None, "windows", "windows-10")),
        ("Thunderbird on my Mac version 10.14", Facts("thunderbird", None, "mac", "macos-10.14")),
        # "Outlook" without a version is also the Outlook.com service: a dedicated program wins
        ("Outlook inbox not refreshed, the mail is not shown in Airmail", Facts("airmail")),
        ("Log in to Outlook email from Mailspring fails", Facts("mailspring")),
        ("Outlook 2016 works, Mailspring fails", Facts("mailspring")),
        ("Outlook 2016 fails, Mailspring works", Facts("outlook", "2016")),
        ("Outlook and Thunderbird both fail", Facts("outlook")),
        ("Evolution on Fedora", Facts("evolution", platform="linux")),
        ("Airmail on my Mac", Facts("airmail", None, "mac")),
        # ... and typed in lower case, after the words that say where mail goes or comes from
        ("i can't send mails from evolution", Facts("evolution")),
        ("how do i move my mail from outlook to evolution", Facts("evolution")),
        ("i'm new to airmail, it won't send", Facts("airmail")),
        ("the update is fine, the latest evolution is a mess", Facts("evolution")),
        ("from evolution's point of view, outlook 2010 is young", Facts("outlook", "2010")),
    ],
)
def test_macos_names_are_false_friends_outside_their_context(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # Item 10: ordinary words and other products need context before they name a client
        ("I'm at the office and mail won't send", Facts("mail")),
        ("a 2 TB disk is full and mail won't send", Facts("mail")),
        ("a Samsung laptop running Outlook 2016", Facts("outlook", "2016")),
        ("my Galaxy Book with Outlook 2016", Facts("outlook", "2016")),
        ("I tried seven times with Outlook 2016", Facts("outlook", "2016")),
        ("right off the bat, the mail app stopped working", Facts("mail")),
        ("I put the letter in the postbox", Facts()),
        ("a lotus flower on my desk", Facts()),
        ("Penelope from accounts uses Outlook 2016", Facts("outlook", "2016")),
        ("a pixel of the logo is wrong", Facts()),
        ("The outlook for our small business is bad if email keeps failing.", Facts()),
        ("I opened all the windows and still no mail goes out", Facts()),
        ("the outlook for the mac won't send", Facts("outlook", platform="mac")),
        ("I can't win with this", Facts()),
        # ... and count in context: next to a version, "app"/"mail", a verb of using, or alone
        ("I use office 2016", Facts("outlook", "2016")),
        ("TB 115", Facts("thunderbird", "115")),
        ("office version 2016 won't send", Facts("outlook", "2016")),  # the word between
        (
            "outlook exchange模式 数据文件位置为 online （office版本 2016）",
            Facts("outlook", "2016"),
        ),
        ("TB (115.7.0) won't send thru Comcast", Facts("thunderbird", "115.7.0")),
        ("my 2 TB (1.5) disk", Facts()),  # a size
        ("my 2 TB 500 disk", Facts()),
        ("TB won't send", Facts("thunderbird")),  # the subject of a mail verb
        ("TB keeps asking for my password", Facts("thunderbird")),
        ("TB no longer functions properly", Facts("thunderbird")),
        ("my 2 TB disk fails", Facts()),
        # ... and written in capitals, as the program's initials (not a size in terabytes)
        ("Mail marked as Junk by TB.", Facts("thunderbird")),
        (
            "while ago I set up some emails in TB. Today the settings are wrong",
            Facts("thunderbird"),
        ),
        ("backups of several TB of mail fail", Facts()),
        ("the TB drive is full and mail won't send", Facts("mail")),
        ("my tb is full", Facts()),  # lower case: no initials ...
        ("i set up some emails in tb today", Facts("thunderbird")),  # ... but after "in", "by"
        ("mail marked as junk by tb", Facts("thunderbird")),
        ("i keep 2 tb in a nas", Facts()),
        ("glacial loading of tb (147.0.1 (64-bit))", Facts("thunderbird", "147.0.1")),
        ("attach file no longer works as of 10/05 w11", Facts(platform="windows", os="windows-11")),
        # a bug template's field: "Windows version: 11"
        (
            "open the windows native email app ... Windows version: 11 10.0.22000.184",
            Facts("mail", None, "windows", "windows-11"),
        ),
        # a number after the program's clause ends is not its version
        ("On TB, there are 2 tabs for sent mail", Facts("thunderbird")),
        ("Thunderbird, version 2.0.0.24, won't send", Facts("thunderbird", "2.0.0.24")),
        ("Running 10.6.1. Mail shows multiple Message Viewer windows", Facts("mail", "10.6.1")),
        ("I use the bat", Facts("the-bat")),
        ("Postbox", Facts("postbox")),
        ("the postbox app", Facts("postbox")),
        ("using lotus", Facts("lotus-notes")),
        ("my samsung phone", Facts(None, None, "android")),
        ("Pixel 7", Facts(None, None, "android")),
        ("Samsung Galaxy S23 email won't send", Facts(None, None, "android")),
        ("my Pixel 8a won't send mail", Facts(None, None, "android")),
        ("my Motorola Droid won't send mail", Facts(None, None, "android")),
        ("windows seven", Facts(None, None, "windows", "windows-7")),
        ("seven", Facts(None, None, "windows", "windows-7")),
        ("win 10", Facts(None, None, "windows", "windows-10")),
        ("Betterbird", Facts("betterbird")),
        ("the new Outlook", Facts("outlook-new")),
        ("Office 2008 on my Mac", Facts("outlook", "2008", "mac")),
        ("Office v.X", Facts("entourage")),
        # a name written as a name: capitalised inside an ordinary sentence
        ("Sending smtp mails fails on Geary", Facts("geary")),
        ("since Tuesday Mutt refuses to send", Facts("mutt")),
        (
            "Sending Smtp Mails Fails On Mutt",
            Facts(),
        ),  # a Title Case headline (Geary: no English word)
        ("the Evolution of email is slow", Facts()),
        ("my boss at the Office says mail is down", Facts("mail")),
        ("ask Penelope from accounts why mail is down", Facts("mail")),
        ("I sent the spark plug order", Facts()),
        # ... or does what a mail program does
        ("though I can receive mail, evolution won't send any messages", Facts("evolution")),
        ("the evolution of mail sending is slow", Facts()),
        ("evolution emails all gone", Facts("evolution")),  # the program's messages
        ("help setting up evolution with my ISP", Facts("evolution")),  # a verb of setting up
        ("setting up a new theory of evolution", Facts()),
        # what the program has, or a label before its error
        ('Evolution: "Could not connect to server"', Facts("evolution")),
        ("Ubuntu 22.04 Evolution smtp", Facts("evolution", None, "linux")),
        ("Can't get evolution to send email", Facts("evolution")),
        ("the evolution's course", Facts()),
        # its Exchange plug-in names it; "Office 365" beside it is the account
        ("evolution-ews not working with office 365", Facts("evolution")),
        ("smtp port 587 isn't possible with yam 2.9p1", Facts("yam", "2.9")),
        # Linux says the platform (Eudora there is Eudora OSE); Wine runs Windows programs
        ("Eudora 8 on Ubuntu", Facts("eudora", "8", "linux")),
        ("running Eudora in Wine", Facts("eudora", platform="windows")),
        ("a glass of wine and mail won't send", Facts("mail")),
        # accounts are where the mail lives, not the program
        ("Problems sending mail with iCloud account", Facts()),
        ("Can't connect to my live and outlook accounts since 2 weeks", Facts()),
        # ... also listed before another name the account word follows
        ("Outlook/Hotmail accounts won't connect every other day", Facts()),
        ("Outlook/Hotmail won't connect every other day", Facts("outlook")),
        ("Still can't sync outlook outgoing mail with thunderbird", Facts("thunderbird")),
        ("yahoo not populating email after password change", Facts()),
        ("ERROR AL AÑADIR CUENTA DE OUTLOOK", Facts()),
        ("Cant send email from an office 365 email", Facts()),
        # ... unless used as the program: the website, the app, or the bare answer
        ("gmail in the browser", Facts("gmail")),
        ("I'm on outlook.com", Facts("outlook-web")),
        ("I read my mail on gmail.com", Facts("gmail")),  # the website by its address
        ("I use yahoo.com", Facts("yahoo-mail")),
        ("OAuth for smtp through Yahoo.com is not offered", Facts()),  # the account's server
        ("I use webmail", Facts("webmail")),  # no provider named: not Outlook on the web
        # mail read in a browser is webmail too; a program named beside it wins
        ("I just use my browser to read mail", Facts("browser")),
        ("i check my email in chrome", Facts("browser")),
        ("the website", Facts("browser")),
        ("Links in Thunderbird mails open in Firefox", Facts("thunderbird")),
        ("my browser extensions vanished", Facts()),
        ("I searched online for the error", Facts()),
        # with no other program named, the web access of the customer's own server is the
        # program even when said as the account (not a provider: "my iCloud account" above)
        ("We cannot send email from webmail", Facts("webmail")),
        ("My Roundcube email account has disappeared", Facts("roundcube")),
        ("My Roundcube email account is fine but Thunderbird fails", Facts("thunderbird")),
        # a mailbox's website is where it works; the program beside it, as surely said, has
        # the trouble the customer asks about
        (
            "I can log in to the webmail and send. When I use Thunderbird I get error 550",
            Facts("thunderbird"),
        ),
        ("I'm on gmail, Eudora can't send", Facts("eudora")),
        # sending through an account is its server; the program is another
        (
            "Apple Mail on Snow Leopard (10.6.8) won't send through Comcast",
            Facts("apple-mail", None, "mac", "macos-10.6"),
        ),
        ("I can't send via gmail", Facts()),
        ("I read my mail via Gmail", Facts("gmail")),
        # said once to be the service, the name is the service in the whole message
        ("Cannot use Yandex. I'm using Yandex as my email provider, SMTP fails", Facts()),
        ("I use Gmail as my mail provider and Thunderbird as my client", Facts("thunderbird")),
        # "an account of X" is X's account only when X is a mail service ("di" is also
        # Indonesian for "in")
        ("no puedo agregar una cuenta de Outlook", Facts()),
        ("Tidak Bisa Add Account Di Windows Mail", Facts("windows-mail")),
        # ... and mail sent to it goes to the recipients' service; an account as typed
        ("Mail can't delivery to outlook.com, I can't send mails to outlook mail", Facts("mail")),
        ("Adding 2nd outlook accound", Facts()),  # an ordinal is no version either
        ("Thunderbird 2nd attempt to send fails", Facts("thunderbird")),
        # mail from a service comes from where it lives
        ("Cannot get a new email from office365", Facts()),
        # said to be the customer's program, after the words that say so
        (
            "I see a thunderbird : commando not found. But my default email client is Evolution.",
            Facts("evolution"),
        ),
        # where the mail moves to is the program in use
        ("I want to transfer all my emails from Outlook to Thunderbird", Facts("thunderbird")),
        ("I'm trying to get Entourage to export to Evolution", Facts("evolution")),
        # the other end's program is not the customer's
        ("The recipient uses Outlook 2010 and can't read my attachments", Facts()),
        ("The recipient uses Outlook 2010, I use Thunderbird", Facts("thunderbird")),
        ("Outlook 2010 won't send to some recipients", Facts("outlook", "2010")),
        ("the Gmail app won't send", Facts("gmail")),
        ("it's gmail", Facts("gmail")),
        # "the Outlook app" is the phone app unless said of a computer
        ("the Outlook app won't send", Facts("outlook-app")),
        ("the Outlook app (desktop) fails", Facts("outlook")),
        # ... but the app after it may be the program the account lives in
        ("gmail in mail app not working", Facts("mail")),
        ("my yahoo in the Thunderbird app fails", Facts("thunderbird")),
        # versions: with a trailing dash, with x64, glued to CJK text
        ("Outlook 2013- some messages are not read", Facts("outlook", "2013")),
        ("Disabled in Outlook 2019 x64", Facts("outlook", "2019")),
        ("Outlook客户端里面收发就一直提示0X800CCC0E错误", Facts("outlook")),
        ("Outlook2016客户端", Facts("outlook", "2016")),
        ("outlook2k7 problem", Facts("outlook", "2007")),
        ("Outlook 2010 emails stuck in outbox", Facts("outlook", "2010")),
        ("Thunderbird 3 accounts fail", Facts("thunderbird")),
        # the program after "but" is the one with the problem
        ("webmail works but outlook doesnt", Facts("outlook")),
        ("Apple Mail fails but Thunderbird works", Facts("apple-mail")),
        # the device with the trouble, not the one said with the program where it works
        ("Mail on the mac sends fine but the iphone won't.", Facts("mail", platform="ios")),
        ("Mail on my Mac won't send, the iPhone is fine", Facts("apple-mail", platform="mac")),
        (
            "I can send email no problem from my iPhone, its just my Mac im having trouble with",
            Facts(None, None, "mac"),
        ),
        # devices only said to work do not set the platform of the program with the problem
        (
            "It works very well with my Android phone. But it doesn't work with Outlook 2013",
            Facts("outlook", "2013"),
        ),
        ("iPhone and Android are working, Outlook 2019 only sends", Facts("outlook", "2019")),
        # "able to", "a different client", "import from X into Y": not the program with trouble
        (
            "with the same settings in outlook i am able to connect, but the Spark app fails",
            Facts("spark"),
        ),
        (
            "I tried a different mail client (Thunderbird), worked fine; Mailspring can't connect",
            Facts("mailspring"),
        ),
        (
            "I'm trying to import my mail from Eudora 7 into Thunderbird 115",
            Facts("thunderbird", "115"),
        ),
        # issue 10: catalogued programs named like ordinary words, places or other products
        ("the turnpike was closed so mail won't send", Facts("mail")),
        ("Turnpike won't send since the update", Facts("turnpike")),
        ("I love calypso music", Facts()),
        ("Calypso 3 won't send", Facts("calypso", "3")),
        ("Barca won the match", Facts()),
        ("using Barca", Facts("barca")),
        ("an elm tree fell on the line and mail is down", Facts("mail")),
        ("I use elm", Facts("elm")),
        ("a touchdown in the last minute", Facts()),
        ("TouchDown fails to sync", Facts("touchdown")),
        ("shortwave radio interference", Facts()),
        ("the Shortwave app won't send", Facts("shortwave")),
        ("a shuriken is a ninja star", Facts()),
        ("I use Shuriken and mail won't send", Facts("shuriken")),
        ("wanderlust took me abroad and mail fails", Facts("mail")),
        ("Wanderlust", Facts("wanderlust")),
        ("my Zarafa box", Facts()),  # the groupware server, not a mail program
        ("my google inbox is full", Facts()),  # Gmail's inbox, not Inbox by Gmail
        ("an elementary mail question: which port?", Facts("mail")),
    ],
)
def test_ordinary_word_aliases_need_context(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,client",
    [
        # issue 10: real mail programs the guides do not cover are named, not asked about
        ("Winbiff cannot send", "winbiff"),
        ("Datula can't send", "datula"),
        ("EdMax error", "edmax"),
        ("AL-Mail cannot send", "al-mail"),
        ("電信八号で送信できない", "denshin8"),
        ("秀丸メールで送信エラー", "hidemaru-mail"),
        ("Tobit David.fx", "tobit-david"),
        ("Forte Agent won't send", "forte-agent"),
        ("Ameol", "ameol"),
        ("Beonex Communicator", "beonex"),
        ("Epyrus", "epyrus"),
        ("MSN Explorer", "msn-explorer"),
        ("Claris Emailer on my old Mac", "claris-emailer"),
        ("Lotus cc:Mail", "cc-mail"),
        ("deepin-mail fails", "deepin-mail"),
        ("Pantheon Mail keeps asking for the password", "pantheon-mail"),
        ("Kontact", "kmail"),
        ("Koma-Mail", "koma-mail"),
        ("mailx", "mailx"),
        ("sendblaster 4 gives an SMTP error", "sendblaster"),
        ("Atomic Mail Sender", "atomic-mail-sender"),
        ("MailWasher", "mailwasher"),
        ("Spamihilator", "spamihilator"),
        ("HTC Mail", "htc-mail"),
        ("Petal Mail", "petal-mail"),
        ("ProfiMail", "profimail"),
        ("VersaMail", "versamail"),
        ("Kanmail", "kanmail"),
        ("Inbox by Gmail", "inbox-by-gmail"),
        ("elementary OS Mail", "pantheon-mail"),
        ("Hastymail", "hastymail"),
        ("Rambler Mail", "rambler-mail"),
    ],
)
def test_catalogued_programs_are_named(extractor, text, client):
    assert extractor.facts(text).client == client


def test_a_spam_filter_yields_to_the_program_beside_it(extractor):
    # a POP3 proxy sits between the program and the server (`gateway: true`)
    assert extractor.facts("MailWasher with Thunderbird").client == "thunderbird"


@pytest.mark.parametrize(
    "text,facts",
    [
        # a numbered list is not a version
        ("1. open email app 2. pull down to refresh 3. mails vanish", Facts("mail")),
        ("Mail 2. It fails", Facts("mail", "2")),
        # a contrast is not a negation: "just not K9" is the program with the problem
        ("I can login from thunderbird just not K9", Facts("k9")),
        ("it's not Outlook, it's Thunderbird", Facts("thunderbird")),
        # a pasted path says the device
        (
            "outlook 2016 crashes, see /Users/malisa/Library/Containers/com.microsoft.Outlook",
            Facts("outlook", "2016", "mac"),
        ),
        (
            "Outlook crashes, log in C:\\Users\\bob\\AppData\\Local",
            Facts("outlook", None, "windows"),
        ),
        # Windows 10 feature updates; a download's file name
        (
            "Windows build 1909 Microsoft Mail doesn't login",
            Facts("mail", None, "windows", "windows-10"),
        ),
        (
            "/home/alex/Desktop/thunderbird-2.0.0.21.tar.gz won't install",
            Facts("thunderbird", "2.0.0.21"),
        ),
        ("windows-1252 encoding breaks in Thunderbird", Facts("thunderbird", None, "windows")),
        # names glued or written without spaces
        ("I just downloaded EudoraOSE and it doesn't work", Facts("eudora-ose")),
        ("全局模式都无法使用mac os系统自带的邮件应用访问gmail", Facts("mail", None, "mac")),
        ("Smtp on iOS delta chat beta app", Facts("delta-chat", None, "ios")),
        ("my outlook web add-in fails", Facts("outlook")),
        ("Version 5 doesn't support Mojave", Facts(None, None, "mac", "macos-10.14")),
        # apostrophes typed as backticks or accents
        (
            "autodiscovery doesn`t work for macos mail client. It works great in thunderbird",
            Facts("apple-mail"),
        ),
        (
            "macos mail doesn`t send",
            Facts("apple-mail"),
        ),
        ("Outlook doesn´t send", Facts("outlook")),
        # "my work Mac": a noun, not "it works"
        ("Microsoft Outlook on work issued Mac will not connect", Facts("outlook", None, "mac")),
        # the version of the generic name serves the program it means
        ("Mail 8.2: notifications ... Mail.app does not raise one", Facts("apple-mail", "8.2")),
        # a Mac build number after the year says the Mac edition
        ("MSOutlook2016 version 16.16.18101500 crashes", Facts("outlook", "2016", "mac")),
        ("Outlook 2016 (16.0.4266) fails", Facts("outlook", "2016")),
        # an account on a suite or a service is where the mail lives
        ("I'm using Cone 1.5 with an IMAP account on Microsoft Office365", Facts("cone", "1.5")),
        ("I have an account with Outlook 2016", Facts("outlook", "2016")),
        # bitness and Windows feature updates are not versions of the program beside them
        (
            "OS: Windows 10 Pro 22H2 (64bit) Outlook: Office2016 (32bit)",
            Facts("outlook", "2016", "windows", "windows-10"),
        ),
        ("Thunderbird (64bit) fails", Facts("thunderbird")),
        # a release name listed after an accepted one counts too
        (
            "Mail app crashes. This is happening on both Catalina & Big sur",
            Facts("mail", None, "mac", "macos-11"),
        ),
        (
            "the mail app fails since Mojave, Catalina or Ventura",
            Facts("mail", None, "mac", "macos-13"),
        ),
        ("I drove a Catalina and a Ventura", Facts()),
        # a device's release or model number, even after its code name, is not the app's
        ("Ubuntu Hardy 8.04 running Thunderbird", Facts("thunderbird", None, "linux")),
        ("Ubuntu Hardy 8.04 running Eudora in Wine", Facts("eudora", None, "windows")),
        ("Android Thunderbird 115 fails", Facts("thunderbird", "115", "android")),
        # a generic name right after a device or system is that device's app
        (
            "the Mavericks mail app doesn't work with IMAP drafts, I have to use web mail",
            Facts("mail", None, "mac", "macos-10.9"),
        ),
        # "Mail" written as a name with its release is Apple's Mail, beside a website in use
        ("Mail 7.0 (1822) unarchives messages, I read Gmail on the web", Facts("mail", "7.0")),
        # every device said to work: the trouble is elsewhere, the program still to be asked
        ("email works on ipad, phone, but not on desk top computer", Facts()),
        # a number beside a month is a day ("may" is also a verb)
        # (and "le mail" is the noun: an article of another language before it)
        ("non arrivano le mail, dal 14 agosto non mi scarica le mail", Facts()),
        ("since March 3 Thunderbird won't send", Facts("thunderbird")),
        # a small number before "are" / "of" is a count ("2 are gmail addresses")
        ("I have 4 emails in Thunderbird 2 are gmail addresses", Facts("thunderbird")),
        # a service's name in brackets after an address says whose the address is
        (
            "Setup does not work with @live.de (Outlook) Mail ... I wanted to add it in Thunderbird",
            Facts("thunderbird"),
        ),
        ("my mail client (Outlook) won't send", Facts("outlook")),
        ("Thunderbird 2 is crashing", Facts("thunderbird", "2")),
        ("Thunderbird 115 may be the problem", Facts("thunderbird", "115")),
        # Thunderbird's phone apps are programs of their own
        ("Calendar in thunderbird mobile app won't sync", Facts("k9")),
        ("App: Thunderbird for Android. Outlook OAuth fails", Facts("k9")),
        ("TB Mobile: where is the calendar?", Facts("k9")),
        # "the Thunderbird app" in a message about a smartphone, and no computer (kb `phone_app`)
        (
            "Smartphone SMTP configuration ... I'm trying to enter my address into the Thunderbird"
            " app, but I get an error",
            Facts("thunderbird", None, "phone"),
        ),
        ("my Thunderbird app on my home computer fails, my phone works", Facts("thunderbird")),
        ("why can't i send email from my thunderbird app?", Facts("thunderbird")),
        ("Thunderbird for iOS won't send", Facts("thunderbird-ios")),
        # Android in Russian, Chinese and Japanese script
        ("Неработает почтовый клиент на андроид", Facts(None, None, "android")),
        ("アンドロイドでメールが送れない", Facts(None, None, "android")),
        # ... and named once, they are what the message's plain name means (kb `edition_of`)
        (
            "Thunderbird blocked by VPNs ... sending mail by Thunderbird for Android is blocked",
            Facts("k9"),
        ),
        ("It happens only with Thunderbird and K9", Facts("thunderbird")),
        # ... but not over the desktop program said with its version or its computer
        (
            "Thunderbird 128 on Linux can't send, but Thunderbird for Android is fine",
            Facts("thunderbird", "128", "linux"),
        ),
        (
            "Thunderbird on my PC won't send, Thunderbird for Android works",
            Facts("thunderbird", None, "windows"),
        ),
        # a third part after 10.0 to 10.3 says the OS X release (Mail 10.x had two parts)
        ("My Mail.app on 10.2.8 just died", Facts("apple-mail", None, "mac", "macos-10.2")),
        ("Mail 10.2 won't send", Facts("mail", "10.2")),
        # a verb before the number: the device's system, not its model ("iPad Air 2")
        ("My Mac runs 10.6.8 and Mail won't send", Facts("mail", None, "mac", "macos-10.6")),
        ("iPad Air 2 mail won't send", Facts("mail", None, "ios")),
        # a desktop release with a guide is not the phone app of the device named elsewhere
        (
            "Outlook 2013 stopped sending, the same account on my iPhone too",
            Facts("outlook", "2013"),
        ),
        ("Outlook 2013 on my iPhone fails", Facts("outlook", "2013", "ios")),
        # ... nor a device in the next sentence, however close
        (
            "Not synced to Outlook 2013. With iOS 7.0.2 and Android 4.1.2 all is fine but Outlook"
            " never shows them",
            Facts("outlook", "2013"),
        ),
        ("Outlook 2013. iPhone works", Facts("outlook", "2013")),
        # ... but Outlook 365 is also the mail service, whose phone app may be the program
        (
            "Outlook 365 will no longer allow basic auth. My Android phone can't sync",
            Facts("outlook", "365", "android"),
        ),
        # ... nor a number the phone app has too (Thunderbird for Android 8, 9 ... since 2024)
        (
            "Thunderbird 12.1 stopped syncing my folders. Phone: Google Pixel 8",
            Facts("thunderbird", "12.1", "android"),
        ),
        (
            "Thunderbird 115 stopped syncing my folders. Phone: Google Pixel 8",
            Facts("thunderbird", "115"),
        ),
        # a device said to work a few words on ("no problems with passwords on my iPad")
        (
            "Thunderbird won't send. Note that there were no problems with passwords on my Ipad.",
            Facts("thunderbird"),
        ),
        ("Thunderbird 3 email accounts won't send", Facts("thunderbird")),  # a count
        # more phone makers, and ISP accounts that are where the mail lives
        ("my Huawei phone won't send mail", Facts(None, None, "android")),
        ("Verizon email not sending from iPhone", Facts(None, None, "ios")),
        ("I use hushmail and can't send", Facts("hushmail")),
        ("WP7 synchronisiert nur das erste Mal", Facts("windows-phone")),  # Windows Phone 7
        ("i use the mail app on my chromebook", Facts("mail", None, "chromeos")),
        ("Postbox smtp problem", Facts("postbox")),  # what the program has
        ("Windows 10 Mobile mail won't send", Facts("windows-phone")),
        ("OL 2016 can't send", Facts("outlook", "2016")),
        ("vol 2016 of the journal", Facts()),
        # Chinese: an account word after the name, even unspaced; programs and built-in apps
        ("谷歌跟outlook 邮箱，客户端报错无法连接", Facts()),
        ("window邮件应用中outlook邮箱无法同步", Facts("mail")),
        ("网易邮箱大师无法获取邮件", Facts("mail-master")),
        ("我的黑莓手机Hub收件箱gmail邮件收不到", Facts("blackberry")),
        ("打开windows10自带的邮箱进行添加", Facts("mail", None, "windows", "windows-10")),
        ("苹果自带的邮件应用无法收取icloud邮箱", Facts("apple-mail")),
        ("I can send using msmtp", Facts("msmtp")),
        # a later bare first word of a program named in full is that program
        (
            "Outlook express keeps mail in dbx files. I have no access to outlook.",
            Facts("outlook-express"),
        ),
        ("The server works with Outlook Express; Outlook 2002 fails", Facts("outlook", "2002")),
        # a name said to be the program
        ("trying to setup evolution as my mail client", Facts("evolution")),
        ("I see the evolution as a program of change", Facts()),
        # a number that counts e-mails is not a version, unless it follows the program
        ("this happens only on 1 e-mail that is created", Facts()),
        ("Apple Mail 2 mail won't send", Facts("apple-mail", "2")),
        (
            "Windows Vista. I can receive e-mail but I can't send it.",
            Facts(None, None, "windows", "windows-vista"),
        ),
        ("E-Mail won't send on my iPhone", Facts(None, None, "ios")),
        # a program named for comparison is not the program in use
        ("I should get a popup, like in thunderbird, asking to trust it", Facts()),
        ("Unlike Outlook, Mailspring does not send", Facts("mailspring")),
        # a negation a few words earlier: "not to work on my X" is where it fails
        ("it seems not to work on my Thunderbird and Postbox is fine", Facts("thunderbird")),
        # a number after the program beats one before it; trademark signs say nothing
        (
            "Regression in 3.5.373: Outlook for Windows does not update ... Windows Outlook"
            " (Microsoft\u00ae Outlook\u00ae 2021 MSO)",
            Facts("outlook", "2021", "windows"),
        ),
        # an add-on's number is not the program's; a version stated later, after any mention
        (
            "SuiteCRM Outlook Add-In v3.0.9.8 in Outlook version 16.0.0.11929",
            Facts("outlook", "16.0.0.11929"),
        ),
        (
            "the Plugin pulls mail from Outlook to CRM, Outlook Client Version used: 2016 MSO",
            Facts("outlook", "2016"),
        ),
        ("Addon doesn't work in TB136", Facts("thunderbird", "136")),
        ("Importing an ICS file into The New Outlook for Mac", Facts("outlook", None, "mac")),
        # a name that is also a word, as the subject of what a program does, or after "with"
        ("After this, Evolution doesn't work as it should.", Facts("evolution")),
        ("the theory of evolution does not work", Facts()),
        ("a very weird problem with evolution, since it crashed", Facts("evolution")),
        ("I use Evolution, but also tried Thunderbird with the same result.", Facts("evolution")),
        ("None of these showed up in Officer 365 on main computer", Facts("outlook", "365")),
        # "X mail account": the account, as "X account"
        ("How to add outlook mail account to access by imap", Facts()),
        ("Outlook mail won't send", Facts("outlook")),
        # Windows shortened with its release
        ("Attach File no longer works as of 10/05 W11", Facts(None, None, "windows", "windows-11")),
        ("Outlook 2016 on Win7", Facts("outlook", "2016", "windows", "windows-7")),
        ("the w7 tube", Facts()),
        (
            "i cannot use window 10 mail client",
            Facts("windows-mail", None, "windows", "windows-10"),
        ),
        ("I opened the window 7 times", Facts()),
        # "X worked seamlessly and Outlook fails": a new clause, with its own subject
        ("Thunderbird worked seamlessly and Outlook fails", Facts("outlook")),
        # two programs as salient: the one named with its version
        ("SOGo with Outlook 2010 hangs during sync", Facts("outlook", "2010")),
        (
            "she used Eudora for decades, the new computer runs Thunderbird 140.0.1",
            Facts("thunderbird", "140.0.1"),
        ),
        # a bare "Mail" written as a name inside a sentence is Apple's (the others come with
        # their device); not at a sentence start, in "Sent Mail" or as the German noun
        (
            "Even the latest version crashes Mail every time the plugin is enabled",
            Facts("mail", None, "mac"),
        ),
        ("do not remove the account from Mail! It removes its folders", Facts("mail", None, "mac")),
        ("Mail crashes every time I open it", Facts("mail")),
        ("a copy is stored only in the Sent Mail folder and not on the server", Facts("mail")),
        ("Wenn ich eine Mail in diesem Ordner lösche, kommt sie wieder", Facts("mail")),
        ("the stock Mail app on Windows 10 fails", Facts("mail", None, "windows", "windows-10")),
        # "the new Outlook 2016": a release, not the new app; Outlook 2016 is still named
        ("troubles with the new outlook 2016 assistant", Facts("outlook", "2016")),
        ("the new Outlook won't send", Facts("outlook-new")),
        # the device said with any mention of the program
        (
            "Outlook 2016 no autodiscover ... the wizard wont work with Outlook 2016 for mac."
            " IPhones and IPads have no Problems.",
            Facts("outlook", "2016", "mac"),
        ),
        # brackets glued to words
        ("Doesnt work on Office(Outlook) 365", Facts("outlook", "365")),
        # a gateway yields to the mail program named beside it, and counts alone
        (
            "the Protonmail Bridge app should open to configure the Apple Mail client",
            Facts("apple-mail"),
        ),
        ("Protonmail Bridge not running", Facts("proton-bridge")),
        ("trying to use davmail to use mbsync with office365", Facts("mbsync")),
        # a service an account is added to is the app: "adding an Exchange account in Gmail"
        ("when adding an Exchange account in Gmail the sync options are missing", Facts("gmail")),
        ("I have an account in Gmail and it won't send", Facts()),
        # a name of both a program and a service, read in another program: the account
        ("My email is outlook in Thunderbird. Please help", Facts("thunderbird")),
        ("my Outlook mail into the Mail app on my iPhone", Facts("mail", None, "ios")),
        ("outlook in windows 10 won't send", Facts("outlook", None, "windows", "windows-10")),
        # after "account", a program stays a program; a mail service is the account
        ("When you go to add an account AirMail seems to assume settings", Facts("airmail")),
        ("Account office 365 won't send", Facts()),
        # reinstalling it says it is the program ("2 TB" stays a size)
        (
            "REinstalled TB on a new PC, TB does not recognize my password",
            Facts("thunderbird", None, "windows"),
        ),
        ("I bought a 2 TB disk and reinstalled everything", Facts()),
        ("AOL Communicator refused to send mail", Facts("aol-desktop")),
        (
            "Mail & Calendar app removed after debloating",
            Facts("windows-mail", None, "windows", "windows-10"),
        ),
        ("I use a local mail application (Apple\u2019s Mail) for my accounts", Facts("apple-mail")),
        # a list of the program's versions whose guides differ says none of them: ask
        ("it's not working properly in Outlook 2007 and outlook 2010", Facts("outlook")),
        (
            "Sidebar template not rendering properly in Outlook 2003, 2007, 2010, 2011",
            Facts("outlook"),
        ),
        ("Outlook 2010 and 2013 both fail to send", Facts("outlook", "2010")),
        ("Outlook 2016 fails, 2 accounts", Facts("outlook", "2016")),
        # a mail service right before a device is its app there; "on my iPhone" is the device's
        ("Night mode background colour incorrect in GMail iPad", Facts("gmail", None, "ios")),
        ("my Gmail on my iPhone won't send", Facts(None, None, "ios")),
        # after a comma a capital is the name's own: Apple's Mail
        (
            "Today, Mail went postal on me. Deleting a message would make it reappear.",
            Facts("mail", None, "mac"),
        ),
        # a mail service opened is its app or website, the program in use
        ("When I open Gmail, it asks me for my email address", Facts("gmail")),
        # a web client of the mail server beside an iPhone: where mail still works; the phone's
        # Mail app is the program (but "Roundcube on my iPhone" is the web client there)
        (
            "ActiveSync on my iPhone keeps asking for the password, I can login via roundcube",
            Facts(None, None, "ios"),
        ),
        ("Roundcube on my iPhone won't send", Facts("roundcube", None, "ios")),
        ("Setup on my iPhone fails to send, the webmail works", Facts(None, None, "ios")),
        # "X is my default mailer, but I have Outlook": X is the program in use
        (
            "Mozilla Thunderbird is my default mailer, but I have Outlook and Outlook Express",
            Facts("thunderbird"),
        ),
        # webmail said to work, something else in use: that program is asked for (real shapes)
        ("webmail works fine but my email client can't send", Facts()),
        ("emails aren't landing in the app but I can see them in webmail", Facts()),
        ("Is this a bug in the app? Works fine in dark mode using a browser.", Facts()),
        # ... but the webmail itself fails, or nothing else is named: the webmail
        ("i can login on webmail rainloop, but i cant send email", Facts("rainloop")),
        ("I cannot send from webmail", Facts("webmail")),
        # a correction of the version, the program being the one under way
        ("sorry it's actually 2007", Facts(version="2007")),
        ("oh wait, it's 2010", Facts(version="2010")),
        # a PC maker as the whole answer is a Windows PC; in a sentence only with the kind of
        # computer ("Dell laptop"): alone it may be an Italian "dell'"
        ("it's a Dell", Facts(platform="windows")),
        ("my dell laptop won't send with outlook 2013", Facts("outlook", "2013", "windows")),
        (
            "My email is very slow since I moved it to my new Dell laptop",
            Facts(None, None, "windows"),
        ),
        ("the Dell monitor flickers and mail won't send", Facts("mail")),
        ("mail messages stuck in the outbox on my iPad", Facts("mail", None, "ios")),
        # "Outlook on the web" is Outlook.com's site; OWA the web access of an Exchange server
        ("I use outlook on the web for my hotmail", Facts("outlook-web")),
        # "mail" before another noun is mail, not the program ("Windows 10 mail" is the app)
        (
            "Lost access to many mail folders on my Windows 10 laptop",
            Facts(None, None, "windows", "windows-10"),
        ),
        ("Windows 10 mail lost my folders", Facts("windows-mail", None, "windows", "windows-10")),
        # Outlook Web App is the web access of an Exchange server (kb `server_web`): in use
        # when nothing else is named, and the phone's Mail app only where OWA works beside it
        ("OWA, mails envoyés enregistrés dans brouillon", Facts("owa")),
        (
            "I can't connect via OWA in evolution, but I can get my mail via OWA on my iPhone!",
            Facts("owa", None, "ios"),
        ),
        # the domain a service hosts is the account ("posta con dominio office 365")
        ("errore invio di posta con dominio office 365", Facts()),
        (
            "I have an account on Roundcube Webmail because of my work, mail is missing",
            Facts("roundcube"),
        ),
    ],
)
def test_real_message_shapes(extractor, text, facts):
    assert extractor.facts(text) == facts


def test_spelling_variants_rejoin_the_parts_of_a_name():
    assert spelling_variants("delta chat") == ["delta-chat", "deltachat"]
    assert "k9mail" in spelling_variants("k-9 mail") and "k-9mail" in spelling_variants("k-9 mail")
    assert "thunder bird" in spelling_variants("thunderbird")
    assert all(min(map(len, v.split())) >= 3 for v in spelling_variants("outlook") if " " in v)
    assert spelling_variants("mail.app") == [] and spelling_variants("mutt") == []


@pytest.mark.parametrize(
    "text,facts",
    [
        # spellings of chat customers
        ("i-phone mail", Facts("mail", platform="ios")),
        ("i phone 12", Facts(platform="ios")),
        ("I phone them every day about my outlook", Facts("outlook")),  # the verb
        ("entourage2008", Facts("entourage", "2008")),
        ("mac mail el cap", Facts("apple-mail", None, "mac", "macos-10.11")),
        # a name's parts joined otherwise than the KB lists it
        ("I just helped a friend with the setup of Delta-Chat", Facts("delta-chat")),
        ("download them via k-9mail (show attachment)", Facts("k9")),
        ("I use Mail-bird", Facts("mailbird")),
        ("T’bird won't send", Facts("thunderbird")),  # typographic apostrophe: normalise()
        # a covered program's one-word name typed as two words, where it acts as a program
        ("I can't send with Thunder bird", Facts("thunderbird")),
        ("Out look 2010 wont send", Facts("outlook", "2010")),
        # ... and not everyday words: "out look", Apple's "Cannot Get Mail" (not getmail), the
        # generic "mail client" run together
        ("check it out look at this, my mail won't send", Facts("mail")),
        ("Cannot Get Mail: the mail server is not responding", Facts("mail")),
        ("This happens with kv.dox Mailclient 4.6.1.0", Facts()),
    ],
)
def test_respelled_names(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # an add-on's name says its program; its own number is not the program's version
        ("TbSync 2.22 error after the password change", Facts("thunderbird")),
        ("GPGMail 3.0 crashes Mail", Facts("apple-mail")),
        ("Enigmail 2.1 with Thunderbird 60", Facts("thunderbird", "60")),
        # a program named beside it wins
        ("I use Enigmail with Postbox", Facts("postbox")),
    ],
)
def test_add_ons_name_their_program(extractor, text, facts):
    """An add-on names its program."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a pre-release keeps its mark, in the number or right after it
        ("Eudora 8.0b1 won't send", Facts("eudora", "8.0b1")),
        ("Eudora 8 beta won't send", Facts("eudora", "8beta")),
        ("the open-source Eudora won't send", Facts("eudora-ose")),
        ("Penelope Eudora won't send", Facts("eudora-ose")),  # its code name
        # a release channel is no pre-release
        ("Thunderbird 115.0esr won't send", Facts("thunderbird", "115.0")),
    ],
)
def test_pre_releases_keep_their_mark(extractor, text, facts):
    """A beta's mark stays with its number: Eudora 8's betas are Eudora OSE."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # issue 10: the Windows 8/10/11 Mail app under its names in other languages
        ("Posta di Windows 10 non invia", Facts("windows-app-mail", None, "windows", "windows-10")),
        (
            "l'application Courrier de Windows 11",
            Facts("windows-app-mail", None, "windows", "windows-11"),
        ),
        (
            "la aplicación Correo de Windows 10 no envía",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        (
            "o aplicativo Email do Windows 10",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        ("la app de Correo no envía", Facts("windows-app-mail")),
        (
            "Aplikacja Poczta w Windows 10 nie wysyła",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        (
            "Aplikace Pošta ve Windows 10 neodesílá",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        ("Mail und Kalender sendet nicht", Facts("windows-app-mail")),
        ("Courrier et Calendrier ne marche plus", Facts("windows-app-mail")),
        (
            "Windows 10 邮件和日历 无法发送",
            Facts("windows-app-mail", None, "windows", "windows-10"),
        ),
        ("Courrier", Facts("windows-app-mail")),  # the answer to "which program?"
        # ... while Polish Vista's Windows Mail has a name of its own
        (
            "Poczta systemu Windows na Vista nie wysyła",
            Facts("windows-mail", None, "windows", "windows-vista"),
        ),
        # Russian: Windows' and Apple's app are both "Почта": the device says which
        (
            "Приложение Почта в Windows 10 не отправляет",
            Facts("mail", None, "windows", "windows-10"),
        ),
    ],
)
def test_built_in_mail_apps_under_their_localised_names(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,client",
    [
        # ... and the same words as the language's word for mail name no program
        ("No puedo enviar correo desde Windows 10 con Outlook", "outlook"),
        ("Je ne reçois plus de courrier", None),
        ("la posta non arriva", None),
        ("la aplicación no envía correo", None),
        ("Correo electrónico no funciona en Windows 10", None),
        ("no puedo enviar Correo Electrónico desde Windows 10", None),
        ("non vedo nulla in Posta in arrivo", None),  # the inbox folder
        ("Poczta Polska zgubiła list", None),  # the postal service
        ("Почта России", None),
        ("I can't send email from Windows 10", None),
        ("an e-mail from Windows 10 support", None),
    ],
)
def test_the_word_for_mail_is_not_the_mail_app(extractor, text, client):
    assert extractor.facts(text).client == client


@pytest.mark.parametrize(
    "text,facts",
    [
        # Thunderbird add-ons (kb/sources.md, "Add-ons that name their program")
        ("Owl for Exchange stopped syncing", Facts("thunderbird")),
        ("Provider for Google Calendar error", Facts("thunderbird")),
        ("Quicktext 5.2 broke after the update", Facts("thunderbird")),
        ("QuickFolders shows an error", Facts("thunderbird")),
        ("Birdtray shows no new mail", Facts("thunderbird")),
        ("FiltaQuilla filters not running", Facts("thunderbird")),
        ("Nostalgy shortcuts fail", Facts("thunderbird")),
        ("the lightning add-on won't sync", Facts("thunderbird")),
        ("the send later extension fails", Facts("thunderbird")),
        # Outlook for Windows tools and add-ins; their numbers are their own
        ("ScanPST found errors in my pst", Facts("outlook")),
        ("I ran the Inbox Repair Tool", Facts("outlook")),
        ("MFCMAPI shows the profile", Facts("outlook")),
        ("OGCS sync fails", Facts("outlook")),
        ("Xobni slows down sending", Facts("outlook")),
        ("GWSMO fails to send", Facts("outlook")),
        ("Hotmail Connector 14.0 error", Facts("outlook")),
        # Business Contact Manager's year is Outlook's
        ("Business Contact Manager 2007 crashed", Facts("outlook", "2007")),
        # an Apple Mail plug-in
        ("MsgFiler stopped filing", Facts("apple-mail")),
        # release names state the version
        ("Thunderbird Supernova can't send", Facts("thunderbird", "115")),
        ("Thunderbird Nebula smtp error", Facts("thunderbird", "128")),
        # Office suites that ship Outlook, by edition, in several languages
        ("Office Home and Business 2019 can't send", Facts("outlook", "2019")),
        ("Office Professional Plus 2016 smtp error", Facts("outlook", "2016")),
        ("Office Standard 2013 error", Facts("outlook", "2013")),
        ("Office LTSC 2024 can't send", Facts("outlook", "2024")),
        ("Office Hogar y Empresas 2021 no envía", Facts("outlook", "2021")),
        ("Office Famille et Petite Entreprise 2019 erreur", Facts("outlook", "2019")),
        ("Office Thuisgebruik en Zelfstandigen 2019 verzendt niet", Facts("outlook", "2019")),
        # false friends: ordinary words name no program
        ("a lightning storm cut the power", Facts()),
        ("my Lightning cable broke", Facts()),
        ("I will send later", Facts()),
        ("my office professional staff can't log in", Facts()),
    ],
)
def test_world_knowledge_names_the_program(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, other",
    [
        ("I use Thunderbird or Apple Mail, neither sends", "apple-mail"),
        # named again alone afterwards, the chosen program is the one: nothing to ask
        ("I read mail via Outlook or Outlook Express. Outlook refuses to send anything", None),
        ("I read mail via Outlook or Outlook Express. Both refuse to send", "outlook-express"),
    ],
)
def test_two_programs_in_one_breath_leave_the_other_to_ask_about(extractor, text, other):
    alternatives = [
        e["value"] for e in fact_entities(text, extractor) if e["entity"] == "alternative"
    ]
    assert alternatives == ([other] if other else [])


@pytest.mark.parametrize(
    "text,facts",
    [
        # Japanese product names and the app in corner brackets (dev batch s32)
        ("MacOSXの「メール」が時々送信できなくなる", Facts("mail", None, "mac")),
        (
            "Windows10の既定のソフトである「メール」が機能しなくなった",
            Facts("mail", None, "windows", "windows-10"),
        ),
        (
            "vistaのWindowsメールでは送信できない",
            Facts("windows-mail", None, "windows", "windows-vista"),
        ),
        ("アウトルックエキスプレスでメールが送信できない", Facts("outlook-express")),
        ("アウトルックエクスプレスで送信エラー", Facts("outlook-express")),
        ("メールが送れません", Facts()),  # bare, the word for mail
        # a number with a counter or unit after it is no version: "in the summer of 2007",
        # "2 hours" (not "2016年版", the 2016 edition)
        ("私は2007年の夏頃、Outlook Expressで送信できない", Facts("outlook-express")),
        ("Thunderbirdの設定を手伝ったが2時間かかりました", Facts("thunderbird")),
        ("Outlook 2016年版を使っています", Facts("outlook", "2016")),
        # "2)" closing no bracket numbers a list item; "(Thunderbird 2)" is a release
        (
            "ThunderBird の設定がまずい。 ... 2)POPサーバーとSMTPサーバーの設定",
            Facts("thunderbird"),
        ),
        ("my mail (Thunderbird 2) won't send", Facts("thunderbird", "2")),
        # a device with its model glued on: "iPad2", "iPhone5s"
        (
            "When configuring my new iPad2 to connect to my email account",
            Facts(None, None, "ios"),
        ),
        ("my iPhone5s won't send", Facts(None, None, "ios")),
    ],
)
def test_numbers_and_names_of_texts_written_without_spaces(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # "the one that came with my Mac" answers "which program?": the device's own app
        ("the one that came with my mac", Facts("mail", None, "mac")),
        ("the app that came with my iphone", Facts("mail", None, "ios")),
        ("the one that comes with windows 10", Facts("mail", None, "windows", "windows-10")),
        ("whatever was preinstalled on my laptop", Facts("mail")),
        # ... only as the whole answer; a program named wins
        ("the problem came with the computer update", Facts()),
        ("Outlook came with my computer", Facts("outlook")),
    ],
)
def test_the_devices_own_app_said_as_what_came_with_it(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a word between the name and its number: "Beta", "with version"
        ("Airmail Beta Version 1.4 (237) SpamSieve 2.9.13", Facts("airmail", "1.4")),
        ("Airmail with version 1.4.2 (251) Hi to all", Facts("airmail", "1.4.2")),
        ("Spark Beta 3.1 crashes", Facts("spark", "3.1")),
        # a mail server's suite (kb `server_suite`) yields to the program named beside it
        (
            "Thunderbird version: 78.13.0 ... Events are pulled from SOGo, but causes Parser Error",
            Facts("thunderbird", "78.13.0"),
        ),
        (
            "calendar entries in outlook Version 2506 Build 16.0.18925 are not synced to zimbra",
            Facts("outlook", "2506"),
        ),
        ("my zimbra won't send", Facts("zimbra")),
        # a service's name for its website: "Outlook Online", "Outlook Live"
        ("Outlook Online doesnt show addin button in first opened email", Facts("outlook-web")),
        ("If I go to outlook live OPTIONS to the COMPOSE EMAIL", Facts("outlook-web")),
        ("my outlook live account cant send from thunderbird", Facts("thunderbird")),
        # a dot glued to the next word: a form's numbered answer, "ver.2406"
        (
            "Windows Version » 10 Pro 2.Outlook Version » 2016 version 1904 build 11601",
            Facts("outlook", "2016", "windows"),
        ),
        (
            "outlook whose version greater than 2021? ... My outlook (ver.2406, LTSC) fails",
            Facts("outlook", "2406"),
        ),
        (
            "outlook whose version greater than 2021? ... My outlook (ver. 2406) fails",
            Facts("outlook", "2406"),
        ),
        ("Mail.app on 10.6.8 won't send", Facts("apple-mail", None, "mac", "macos-10.6")),
        # releases listed without spaces (not "1,500")
        ("I want them to use Outlook client(outlook 2016,2013)", Facts("outlook", "2016")),
        ("Outlook 2007,2010 both fail", Facts("outlook")),
        ("thunderbird lost 1,500 mails", Facts("thunderbird")),
        # a phone named as a second thing beside a desktop release is not where it runs
        (
            "I'm using Outlook 2016 and my iPhone. The iPhone works, Outlook doesn't.",
            Facts("outlook", "2016"),
        ),
        ("my iPhone and Outlook 2016 fail", Facts("outlook", "2016")),
        ("Outlook 2013 on my iPhone fails", Facts("outlook", "2013", "ios")),
        # the release updated to, not the one it worked under
        (
            "since updating to macos Sierra, the reply signature is void. Used to work under "
            "El Capitan. Re-adding the sigs in mail's preferences didn't change anything.",
            Facts("mail", None, "mac", "macos-10.12"),
        ),
        (
            "worked under Sierra, broken in El Capitan mail",
            Facts("mail", None, "mac", "macos-10.11"),
        ),
        # what a program does, as the subject: "Evolution won't open"
        ("Evolution won't open", Facts("evolution")),
        ("evolution won't start after jaunty upgrade", Facts("evolution")),
        ("Evolution not showing new emails", Facts("evolution")),
        ("the evolution of spam filters", Facts()),
        # "not the X" is not the program
        (
            "E-Mails in Outlook 365 (classic, not the new Outlook) sometimes get unreadable",
            Facts("outlook", "365"),
        ),
        ("works in Thunderbird, but not the Outlook app", Facts("outlook-app")),
        # a number after another name joined to the program is that name's
        ("send emails using Thunderbird and KeePass 2, but it fails", Facts("thunderbird")),
        ("with Outlook Home and Business 2024 I can't send", Facts("outlook", "2024")),
        # the device used for years works; the one just started on has the trouble
        (
            "swipe options not working on android. Hi Have used thunderbird on pc for years no "
            "probs. Just downloaded TB to android 14 and swipe options don't work",
            Facts("thunderbird", None, "android"),
        ),
        # ... unless it worked for years and fails now
        ("my iPhone worked for years but now it won't send", Facts(None, None, "ios")),
        (
            "my iPhone has sent mail fine for years but now it won't send",
            Facts("mail", None, "ios"),
        ),
        ("my iPhone is fine but now Outlook won't send", Facts("outlook")),
        ("my iPhone used to send fine but now it won't", Facts(None, None, "ios")),
        (
            "My ipad was working fine until last week, now emails won't send",
            Facts(None, None, "ios"),
        ),
        ("My iPhone still works, the Mac stopped sending", Facts(None, None, "mac")),
        ("I've used my Mac for years, now the iPhone won't send", Facts(None, None, "ios")),
        ("my mac has been fine for ages, the iphone fails", Facts(None, None, "ios")),
        ("my iPhone worked fine, but the Mac won't send", Facts(None, None, "mac")),
        ("on my iPhone, Outlook 2013 won't send", Facts("outlook", "2013", "ios")),
        ("Outlook 2016, iPhone and iPad all can't send", Facts("outlook", "2016")),
        ("I've used my iPad for years and it suddenly stopped sending", Facts(None, None, "ios")),
        ("my iphone was working fine but now it wont send", Facts(None, None, "ios")),
        (
            "I haven't upgraded to Sierra yet, Apple Mail on El Capitan won't send",
            Facts("apple-mail", None, "mac", "macos-10.11"),
        ),
        (
            "should I upgrade to Sierra? Apple Mail on El Capitan can't send",
            Facts("apple-mail", None, "mac", "macos-10.11"),
        ),
        (
            "I want to update to Windows 11 but on Windows 10 Outlook fails",
            Facts("outlook", None, "windows", "windows-10"),
        ),
        # a mail server's web UI is its webmail
        ('after the update I cannot send. Web UI show just "SMTP Error ()"', Facts("webmail")),
    ],
)
def test_names_beside_other_words_and_products(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # an issue form's choices are not the answer: "Platform [PC desktop, Mac, ...]: Mac"
        (
            "Office APIs failing ... Platform [PC desktop, Mac, iOS, Office on the web]: Mac ... "
            "Office version number: outlook version 16.77 and New UI mode.",
            Facts("outlook", "16.77", "mac"),
        ),
        (
            "Outlook OWA not showing add-ins ... Platform [PC desktop, Mac, iOS, Office on the "
            "web]: Office on the web * Host [Excel, Word, PowerPoint, etc.]: Outlook",
            Facts("owa"),
        ),
        ("my [Outlook] 2016 cannot send", Facts("outlook", "2016")),  # a bracket, no choices
        # (a bracket of the customer's own, before a colon: not a form's choices)
        (
            "My setup [Outlook 2016, Windows 10]: sending fails",
            Facts("outlook", "2016", "windows", "windows-10"),
        ),
        ("Https://outlook.live.com/mail/inbox is slow", Facts("outlook-web")),
        # a web address by its host: the webmail named there
        (
            "I'm using https://outlook.live.com/mail/inbox, and I don't see a Home tab",
            Facts("outlook-web"),
        ),
        ("see https://example.org/help/outlook-2016 for my problem", Facts()),
        # "X for Mac": an edition for a system is the named program's
        (
            "Sparrow for Mac is an up-and-coming email client. Troubles started",
            Facts("sparrow", None, "mac"),
        ),
        ("Spark for Windows keeps crashing", Facts("spark", None, "windows")),
        ("I'm looking for a spark for windows", Facts(None, None, "windows")),
        ("Thanks for Mac users", Facts(None, None, "mac")),
        # Microsoft 365's Click-to-Run build says more than the "Version 2010" before it
        (
            "Outlook Version 2007 (Build 13029.20308 Click-to-Run) fails",
            Facts("outlook", "13029.20308"),
        ),
        ("Outlook 2007 build 12.0.6504 fails", Facts("outlook", "2007")),
        # ... not a build after a version that names no year ("2604": Microsoft 365's)
        (
            "Outlook Version 2604 (Build 20012.20100 Click-to-Run) cannot send",
            Facts("outlook", "2604"),
        ),
        # ... and a number only Microsoft 365 uses, said later as a channel's
        (
            "Outlook crashes on close. We have seen this with the Current Channel Version 2206 "
            "(Build 15330.20196)",
            Facts("outlook", "2206"),
        ),
        ("Outlook crashes. Office Version 2206", Facts("outlook", "2206")),
        ("Outlook crashes. We have seen this in Version 2206", Facts("outlook")),
        (
            "Outlook crashes. Windows 10 Version 1909",
            Facts("outlook", None, "windows", "windows-10"),
        ),
        (
            "Outlook won't send. Windows 10 Enterprise LTSC version 1809",
            Facts("outlook", None, "windows", "windows-10"),
        ),
        # "mail" before a noun of mail is that noun: "Mail Toolbar Gone"
        (
            "Mail Toolbar Gone ... I installed 128.10.2esr on a Win11 computer",
            Facts(None, None, "windows", "windows-11"),
        ),
        ("this morning tb could not connect to the server", Facts("thunderbird")),
        # a system's name first in a title: "Ventura - cannot select the icons"
        ("Ventura - cannot select encrypt/sign icons", Facts(None, None, "mac", "macos-13")),
        ("Leopard - initial opinion", Facts(None, None, "mac", "macos-10.5")),
        ("Sierra: can you help? Outlook 2016 won't send", Facts("outlook", "2016")),  # a name
        ("Ventura Blvd - the shop is closed", Facts()),
        ("then I check Mail > Settings and the port says 25 on my Mac", Facts("mail", None, "mac")),
        ("Send Mail Fails with an error (win10)", Facts(None, None, "windows", "windows-10")),
        (
            "the Mail app on my Win11 computer won't send",
            Facts("mail", None, "windows", "windows-11"),
        ),
        # the device said with the program stays, whatever other device is denied or set apart
        ("I use Outlook for Windows, not for Mac", Facts("outlook", None, "windows")),
        ("Thunderbird for PC, not Android", Facts("thunderbird", None, "windows")),
        (
            "I have Thunderbird 115 on Windows 10, but on my iPhone I use the Mail app",
            Facts("thunderbird", "115", "windows", "windows-10"),
        ),
        # moving from one program to another, in the customer's language: the new one
        ("Son passato da Outlook a Thunderbird ed ho importato la posta", Facts("thunderbird")),
        ("importare le cartelle locali da win live mail a thunderbird", Facts("thunderbird")),
        # ... not the words that also mean "last" or "of", nor English "in"
        (
            "Desde el mes pasado no puedo enviar correos de Outlook 2016, con Thunderbird funciona bien",
            Facts("outlook", "2016"),
        ),
        ("Changed to 587 in Outlook, fine. Thunderbird still can't send", Facts("thunderbird")),
        # a hesitation is no clause end
        (
            "I can't send from... um... my iPhone. The Mac with Apple Mail is fine",
            Facts("apple-mail", None, "ios"),
        ),
    ],
)
def test_forms_addresses_editions_and_builds(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a program as the subject of "stops" / "doesn't support"
        ("Geary stops syncing via imap", Facts("geary")),
        ("Mutt doesn't support SASL", Facts("mutt")),
        ("the sync stops when I open the evolution of the thread", Facts()),
        # "app" before a program's name ("trên app Spark", "l'app Spark")
        ("Lỗi khi gõ trên app Spark Desktop Classic", Facts("spark")),
        ("I have a spark of hope that it sends", Facts()),
        # a service read on phones only in its own app: named with a phone, it is that app
        (
            "On iOS Tuta Mail, I've received an email that is unreadable",
            Facts("tutanota", None, "ios"),
        ),
        ("Tutanota on my iPhone can't send attachments", Facts("tutanota", None, "ios")),
        # ... a program named beside it is still the one meant; without a phone, the account
        (
            "I read my Proton Mail in Apple Mail on my iPhone via the bridge",
            Facts("apple-mail", None, "ios"),
        ),
        ("My Tutanota address gets no mail in Outlook 2016", Facts("outlook", "2016")),
        ("Gmail on my iPhone can't send", Facts(None, None, "ios")),
        # German and Dutch moves with the participle last: the new program
        (
            "Ich bin von Outlook zu Thunderbird umgestiegen und kann nicht senden",
            Facts("thunderbird"),
        ),
        ("Ich bin von Outlook 2016 auf Thunderbird gewechselt", Facts("thunderbird")),
        (
            "Ik ben van Outlook naar Thunderbird overgestapt, verzenden lukt niet",
            Facts("thunderbird"),
        ),
        ("Outlook 2016 sendet nicht, von Thunderbird aus geht es", Facts("outlook", "2016")),
        # a Galaxy model without its maker's name
        (
            "I installed Thunderbird on the s24 ultra but it does not sync",
            Facts("thunderbird", None, "android"),
        ),
        ("Thunderbird on my S23+ won't send", Facts("thunderbird", None, "android")),
        ("Thunderbird is now available for my S23", Facts("thunderbird", None, "android")),
        ("error S23 in Outlook 2016", Facts("outlook", "2016")),
        # programs and services the catalogue lacked
        ("But then in himalaya, I get the following error", Facts("himalaya")),
        ("Our Himalaya trip was great, but now Outlook 2016 won't send", Facts("outlook", "2016")),
        ("I use rambox for my Gmail and it won't log in", Facts("rambox")),
        ("My Posteo mail won't send from Thunderbird", Facts("thunderbird")),
        # devices: "my Apple desktop", "my PCs"
        ("My emails are not coming in to my Apple desktop", Facts(None, None, "mac")),
        ("It fails the same way on all 3 of my PCs", Facts(None, None, "windows")),
        # moves in Italian
        (
            "Come posso trasferire mail e cartelle da Windows Live Mail a Thunderbird?",
            Facts("thunderbird"),
        ),
        # "no longer able to <send>" before a device is trouble there, in its clause only
        ("I no longer am able to send a picture from my iPhone 14", Facts(None, None, "ios")),
        ("I am able to send from my iPhone, but the Mac fails", Facts(None, None, "mac")),
        (
            "Thunderbird on my Mac. I'm not able to send. My iPhone works fine.",
            Facts("thunderbird", None, "mac"),
        ),
        (
            "Outlook 2016 on my PC: I'm not able to send anymore. My Android phone works fine.",
            Facts("outlook", "2016", "windows"),
        ),
        # "Thunderbolt" is the port, never Thunderbird
        (
            "I use Thunderbolt to connect my monitor and Mail won't send",
            Facts("mail", None, "mac"),
        ),
        # a longer name said once says what its shorter form means later
        (
            "New Outlook for Mac Layout breaks my script ... Activate 'New Outlook' Layout",
            Facts("outlook-new", None, "mac"),
        ),
        ("The new Outlook won't send", Facts("outlook-new")),
        # a requirement's lower bound gives way to the customer's own number
        (
            "This interface is only supported by Outlook 2003 or higher. I'm on Outlook 2016.",
            Facts("outlook", "2016"),
        ),
        (
            "If you change the Subject in Outlook 2013 or newer it duplicates",
            Facts("outlook", "2013"),
        ),
        # Linux distributions by name (not "POP OS X": an account's protocol and a Mac)
        ("Thunderbird on Zorin OS won't send", Facts("thunderbird", None, "linux")),
        ("Apple Mail POP OS X 10.6 can't send", Facts("apple-mail", None, "mac", "macos-10.6")),
        # a service said to be the customer's mail server is the account
        ("I use AOL as my email server but setup can't find the server", Facts()),
        ("I use AOL as my email program and it can't send", Facts("aol")),
        # a program's file: known ones say the program and its system, unknown ones a program
        ("OUTLOOK.EXE crashes when I send", Facts("outlook", None, "windows")),
        ("Microsoft Outlook.app quits", Facts("outlook", None, "mac")),
        ("Thunderbird.exe uses 100% CPU", Facts("thunderbird", None, "windows")),
        ("msimn.exe error", Facts("outlook-express")),
        ("My default mail client is set to CTemplar.app", Facts("unknown-program")),
        ("EletronMail.exe opens but nothing else", Facts("unknown-program")),
        # ... only a mail program's file: not an installer, a system tool or an attachment
        ("Setup.exe fails", Facts()),
        ("The attachment Invoice.exe was blocked", Facts()),
        ("My emails won't send. I opened Terminal.app and ran telnet to port 587", Facts()),
        ("Since I installed AnyDesk.exe my mail doesn't send", Facts("mail")),
        # the desktop program and its phone edition compared: the edition, unless cues say
        (
            "In Thunderbird Desktop, these can be collapsed ... However in Thunderbird Android "
            "these are shown as one list",
            Facts("k9"),
        ),
        (
            "Thunderbird on my PC won't send, Thunderbird for Android works",
            Facts("thunderbird", None, "windows"),
        ),
        (
            "Thunderbird 128 on Linux won't send. I also have Thunderbird for Android",
            Facts("thunderbird", "128", "linux"),
        ),
        # ... and the desktop program said where it runs, unless the edition has the trouble
        (
            "Thunderbird on my PC has this issue. Is Thunderbird for Android affected too?",
            Facts("thunderbird", None, "windows"),
        ),
        (
            "I'm running Thunderbird at the desktop. Thunderbird for Android can't even see them",
            Facts("k9"),
        ),
        # the device said with the program has no trouble, a phone or tablet has: the phone
        (
            "In TB for PC they can be collapsed, but I am not able to set it in the android version",
            Facts("thunderbird", None, "android"),
        ),
        # ... not a phone only denied, nor a computer, nor one the program is not used on
        ("Thunderbird for PC, not Android", Facts("thunderbird", None, "windows")),
        ("I use Outlook for Windows, not for Mac", Facts("outlook", None, "windows")),
        (
            "Can't clear the inbox on T-bird 102.12.0 Mac ... Just returned from month long trip. "
            "I don't have T-bird on my iPad Pro (yet).",
            Facts("thunderbird", "102.12.0", "mac"),
        ),
        # ... nor when the computer has the trouble too
        (
            "Thunderbird on my PC cannot send, and my android phone cannot either",
            Facts("thunderbird", None, "windows"),
        ),
        # a program another one offers to install is not the one with the problem
        (
            "I have configured TB as default mail program. Word will not start Thunderbird, "
            "but wants to install Outlook 2016.",
            Facts("thunderbird"),
        ),
        ("Webmail works but Outlook 2016 doesn't", Facts("outlook", "2016")),
        # "mail" as a noun: after an article of another language, "E mail" spaced, after a domain
        (
            "Non riesco a scaricare la mail sul pc con windows 11",
            Facts(None, None, "windows", "windows-11"),
        ),
        (
            "I can no longer E mail my photographs, I have Windows 10",
            Facts(None, None, "windows", "windows-10"),
        ),
        ("outlook.com Mail imap is o.k., SMTP does not work", Facts()),
        ("Ik kan geen e mail meer openen op mijn pc", Facts(None, None, "windows")),
        # ... but a name stays the program ("e" is Italian "and")
        ("Mail on my Mac won't send", Facts("apple-mail", None, "mac")),
        ("Ho il Mac e Mail non invia più", Facts("mail", None, "mac")),
        # a wish to move is no move; a German participle negated is no move either
        ("I will move to Thunderbird if Outlook 2016 keeps failing", Facts("outlook", "2016")),
        (
            "Thunderbird läuft, aber die Mails von Outlook 2016 werden nicht übertragen",
            Facts("outlook", "2016"),
        ),
        # a one before a unit is a count; another number before it stays the release
        ("JAWS stops reading after 1 page in Thunderbird", Facts("thunderbird")),
        ("Thunderbird 2 message list is empty", Facts("thunderbird", "2")),
        ("Outlook 365 user, SMTP fails", Facts("outlook", "365")),
        # Tuta by its short name, said as a program (its website: "Tuta online")
        ("This happens in the mobile app and when I sign in to Tuta online", Facts("tutanota")),
        ("I bought a new tuta for the gym and Outlook 2016 won't send", Facts("outlook", "2016")),
        # a service read only in its own app, with a phone said elsewhere: the phone's Mail app
        (
            "I switched to Proton Mail last month and now the Mail app on my iPhone won't send",
            Facts("mail", None, "ios"),
        ),
    ],
)
def test_more_programs_devices_and_moves(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a name held on another program is the account it reads (stop 35)
        ("I cant seem to get Outlook on Thunderbird to send any emails.", Facts("thunderbird")),
        ("Gmail on Outlook 2016 won't send", Facts("outlook", "2016")),
        ("Outlook on my Mac won't send", Facts("outlook", None, "mac")),
        # case endings, a typo past the corrector, Mozilla's mail client
        ("Jak skonfigurować konto w Thunderbirdzie?", Facts("thunderbird")),
        ("Problem z Outlookiem 2016, nie wysyła", Facts("outlook", "2016")),
        ("Thunbird bağlantı eklemek", Facts("thunderbird")),
        ("I can't send from my Mozilla email client", Facts("thunderbird")),
        ("I use Mozilla Mail 1.7 and it won't send", Facts("mozilla-suite", "1.7")),
        # a pasted path of Outlook's file says its release and Windows; another program's none
        (
            r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE crashes on start",
            Facts("outlook", "2016", "windows"),
        ),
        (
            r"Faulting application path: C:\Program Files (x86)\Microsoft Office\Office12\OUTLOOK.EXE",
            Facts("outlook", "2007", "windows"),
        ),
        (
            r"'C:\\Program Files\\Microsoft Office\\Office11\\OUTLOOK.EXE'",
            Facts("outlook", "2003", "windows"),
        ),
        (
            r"C:\Program Files\Microsoft Office\Office16\WINWORD.EXE crashes",
            Facts(None, None, "windows"),
        ),
        # a misspelt account word, also after a quoted name; "Outlook Exchange" is the server
        ('When trying to add a "Gmail" or "outlook" accont, it always fails.', Facts()),
        ('I use "Outlook" and it cannot send', Facts("outlook")),
        (
            "Frequent problem connecting to Outlook Exchange ... Thunderbird is very slow to "
            "obtain a connection with my Outlook account.",
            Facts("thunderbird"),
        ),
        ("Outlook Exchange won't sync", Facts("outlook")),
    ],
)
def test_accounts_held_in_programs_paths_and_spellings(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # the release upgraded to is the one in use; one only planned is not
        (
            "I upgraded from Outlook 2003 to Outlook 2007 and now it won't send",
            Facts("outlook", "2007"),
        ),
        (
            "I upgraded my Outlook 2003 to Outlook 2007 and now it won't send",
            Facts("outlook", "2007"),
        ),
        ("I upgraded from Outlook 2007 to 2010 and it won't send", Facts("outlook", "2010")),
        ("I updated from Thunderbird 2.0 to 3.1 and it won't send", Facts("thunderbird", "3.1")),
        ("I want to upgrade from Outlook 2007 to 2010, it won't send", Facts("outlook", "2007")),
        (
            "thinking about upgrading my Outlook 2003 to Outlook 2007, it won't send",
            Facts("outlook", "2003"),
        ),
        ("I use Outlook 2003 to 2007 compatibility", Facts("outlook", "2003")),
        # Apple Mail by its preferences' domain and by a description of it
        (
            "defaults write com.apple.mail DisableInlineAttachmentViewing -bool yes",
            Facts("apple-mail", platform="mac"),
        ),
        (
            "Doch heute meldet das Mailprogramm von Apple, es könne keine Mails senden",
            Facts("apple-mail"),
        ),
        (
            "Das Mailprogramm von Apple auf meinem iPhone sendet nicht",
            Facts("apple-mail", None, "ios"),
        ),
        # no "Evo" for Evolution (an HTC phone, an Intel laptop, a Samsung SSD); a Mac build of
        # Outlook written as a version anywhere, not another name's number, a date or a time
        ("My HTC Evo won't sync my email", Facts()),
        ("My Samsung EVO SSD died and Outlook 2016 lost its PST", Facts("outlook", "2016")),
        ("Outlook won't connect. Thunderbird 15.1 works with the same account", Facts("outlook")),
        ("Outlook crashes, Exchange server 15.2.1118.7", Facts("outlook")),
        ("Outlook won't send since the update on 15.03.2024", Facts("outlook")),
        (
            "Just updated to v16.28 and get the password prompt. Not looking forward to "
            "reinstalling Outlook.",
            Facts("outlook", None, "mac"),
        ),
        ("Outlook keeps asking for my password, my PST is 16.5 GB", Facts("outlook")),
        # "how X works" is no saying that it works; "email application"; "Tb on ..."
        (
            "I Don't Understand How Rambox Works... I just installed Rambox 0.5.9 on my Windows 7 "
            "laptop and entered my Yahoo Mail account.",
            Facts("rambox", "0.5.9", "windows", "windows-7"),
        ),
        (
            "nvda is not reading emails when using the native windows 10 email application",
            Facts("mail", None, "windows", "windows-10"),
        ),
        ("tb on the server is full, mail won't send", Facts("mail")),
        ("I have 2 TB on my disk and Outlook 2016 is slow", Facts("outlook", "2016")),
    ],
)
def test_upgrades_apple_mail_names_and_short_names(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # "on" an account or a server is where Outlook sends through, not a program it is read in
        ("Outlook on Comcast won't send", Facts("outlook")),
        ("We run Outlook on Zimbra, sending fails since Monday", Facts("outlook")),
        ("Outlook on Gmail IMAP keeps asking for password", Facts("outlook")),
        ("Outlook on the mail server rejects my password", Facts("outlook")),
        # a path of a folder no release has is no release; a program named in words wins over a
        # path, and a release named in words over the path's
        (
            r"C:\Program Files\Microsoft Office\Office13\OUTLOOK.EXE crashes",
            Facts(None, None, "windows"),
        ),
        (
            r"Thunderbird is my default but mailto links open C:\Program Files\Microsoft Office\root"
            r"\Office16\OUTLOOK.EXE",
            Facts("thunderbird", None, "windows"),
        ),
        (
            r"Outlook 2019 crashes: C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE",
            Facts("outlook", "2019", "windows"),
        ),
        # an upgrade asked about, failed or only named moves nothing; an update is no move
        ("How do I upgrade Outlook 2007 to 2016? Mine won't send", Facts("outlook", "2007")),
        (
            "The upgrade from Outlook 2007 to 2016 failed, now Outlook won't open",
            Facts("outlook", "2007"),
        ),
        (
            "Is it worth upgrading Outlook 2007 to 2016? It won't send anymore",
            Facts("outlook", "2007"),
        ),
        (
            "After it updated I cannot send from Thunderbird, but Apple Mail works",
            Facts("thunderbird"),
        ),
        # "Exchange" after a program's own name is its account; "how X works" after "see"
        (
            "My Apple Mail Exchange account stopped syncing, Outlook on the web works",
            Facts("apple-mail"),
        ),
        ("See how Outlook works fine while Thunderbird fails to send", Facts("thunderbird")),
        ("The Mozilla mail program SeaMonkey won't send", Facts("mozilla-suite")),
    ],
)
def test_review_guards_of_stop_35(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,denied",
    [
        ("it's my iPhone, not outlook", ["outlook"]),
        ("it's Thunderbird, not Outlook", ["outlook"]),
        ("Outlook doesn't work on my iPhone", []),
    ],
)
def test_a_program_the_message_says_is_not_the_one_is_a_denied_entity(extractor, text, denied):
    entities = fact_entities(text, extractor)
    assert [e["value"] for e in entities if e["entity"] == "denied"] == denied


@pytest.mark.parametrize(
    "text,facts",
    [
        # Outlook's website named after a bare "Outlook" leaves the desktop program to be asked:
        # the site is where mail is seen, logged in or works (a tried rule that let the site win
        # a tie broke these; see the stop 36 note)
        (
            "Outlook stopped sending. In outlook.office.com I see the emails in Sent.",
            Facts("outlook"),
        ),
        ("Outlook does not send, but outlook online works fine", Facts("outlook")),
        ("Outlook keeps asking for my password, I changed it on outlook.com", Facts("outlook")),
        ("Outlook won't send mails from my outlook.com account", Facts("outlook")),
        # ... and a site's address after "in" is where the mail is, not the program
        (
            "In Thunderbird the folder is empty but in gmail.com I see 300 mails",
            Facts("thunderbird"),
        ),
        (
            "My emails are in outlook.com but not in my Mail app on the iPhone",
            Facts("mail", platform="ios"),
        ),
        # "Outlook Web Application" is Exchange's web access, not the desktop program
        ("Outlook 2013 and the Outlook Web Application show it", Facts("outlook", "2013")),
        ("I only use the Outlook Web Application", Facts("owa")),
        # a Mac's name written as one word, matched as written: no surname is a typo of it
        (
            "switched from an old Windows 10 machine to a new macmini, Outlook is not working",
            Facts("outlook", platform="mac", os="windows-10"),
        ),
        ("my macbookpro mail app wont send", Facts("mail", platform="mac")),
        ("Outlook won't send emails since this morning. Regards, Marco Martini", Facts("outlook")),
        ("Outlook 2016 non invia. Studio Rossi, Via Mazzini 12", Facts("outlook", "2016")),
        ("Outlook 2007 on my work machine won't send", Facts("outlook", "2007")),
    ],
)
def test_web_addresses_and_joined_mac_names(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a move said of the devices the programs are on: the program moved to is in use
        (
            "I am trying to import eml emails from my old computer with Windows Live Mail to "
            "my new computer with Thunderbird.",
            Facts("thunderbird"),
        ),
        (
            "I moved from my old PC with Outlook 2007 to a new PC with Thunderbird, it won't send",
            Facts("thunderbird", platform="windows"),
        ),
        (
            "I moved from my old machine with Windows Live Mail to my new machine with "
            "Thunderbird, it can't send",
            Facts("thunderbird"),
        ),
        # "a" is the English article there, not the Italian "to"
        (
            "I switched from a Mac with Apple Mail to a Windows PC with Outlook 2019",
            Facts("outlook", "2019", platform="windows"),
        ),
        (
            "I transferred my emails from a laptop with Thunderbird to Outlook 2016",
            Facts("outlook", "2016"),
        ),
        # ... not a program merely used on a device, nor a "from" that moves nothing
        ("My old computer with Outlook 2007 won't send", Facts("outlook", "2007")),
        (
            "The bounce came from my PC with Outlook 2013, Thunderbird on the same PC works fine",
            Facts("outlook", "2013", platform="windows"),
        ),
        # Windows' "Send to > Mail Recipient" menu is no mail program
        (
            "I get an error after right clicking a file through 'Send To' > 'Mail Recipient.' "
            "I have win 10",
            Facts(platform="windows", os="windows-10"),
        ),
        (
            "The Mail app on Windows 10 won't send",
            Facts("mail", platform="windows", os="windows-10"),
        ),
    ],
)
def test_moves_between_devices_and_the_send_to_menu(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "word,corrected",
    [
        ("mailwas", "mail"),  # "e-mailwas read": a missing space, not the plug-in MailTags
        ("thunderbirdis", "thunderbird"),
        ("mailto", "mailto"),  # no correction, so no split either
        ("thunderbrid", "thunderbird"),  # a typo is still corrected
    ],
)
def test_a_glued_word_is_corrected_to_its_first_word(extractor, word, corrected):
    assert extractor.correct(word) == corrected


@pytest.mark.parametrize(
    "text,facts",
    [
        # an account's name before "desktop" is a desktop app of it (no guide)
        (
            "Gmail Desktop Version: 2.9.2 ... OS Version: macOS Mojave 10.14.5",
            Facts("gmail", "2.9.2", platform="mac", os="macos-10.14"),
        ),
        ("Thunderbird won't send from my Gmail account on the desktop", Facts("thunderbird")),
    ],
)
def test_an_accounts_desktop_app(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a suite's name between the program and its release does not use up the reach
        ("Outlook MS Home and Business 2016 not detected", Facts("outlook", "2016")),
        ("Outlook from MS Office Home and Business 2019 won't send", Facts("outlook", "2019")),
        ("Outlook Home and Business 2016 can't send", Facts("outlook", "2016")),
        # other words still do
        ("Outlook and my three accounts since 2016", Facts("outlook")),
        ("Outlook with Word and Excel 2016", Facts("outlook")),
    ],
)
def test_a_suites_name_between_the_program_and_its_release(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a sentence's dot with no space after it does not hide the name or its release
        (
            "changed Xfinity password, now can't get Thunderbird emails ... I changed my Xfinity "
            "password on Xfinity website. Now I get error message on Thunderbird.saying my imap "
            "password is wrong",
            Facts("thunderbird"),
        ),
        ("I use Outlook 2016.It won't send", Facts("outlook", "2016")),
        ("My mail program is Eudora.i cannot send", Facts("eudora")),
        # domains, files and addresses stay whole
        ("I use outlook.com", Facts("outlook-web")),
        ("<email>@outlook.it won't send from Outlook 2010", Facts("outlook", "2010")),
        ("version 2016.pst file", Facts()),
    ],
)
def test_a_missing_space_after_a_dot(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a program's name at the end of a package's reference, or with its release joined
        ("nix run nixpkgs#kmail fails to launch", Facts("kmail")),
        ("gnome3.geary: The name org.freedesktop.secrets was not provided", Facts("geary")),
        ("pkgs.thunderbird 115 won't send", Facts("thunderbird", "115")),
        ("kmail-23.08.5 cannot send via port 587", Facts("kmail", "23.08.5")),
        (
            "The package thunderbird_115.10.1+build1-0ubuntu0.22.04.1_amd64.deb broke my mail",
            Facts("thunderbird"),
        ),
        ("my_thunderbird_2 profile", Facts()),
        # not a settings domain, a host or a file
        (
            "defaults write com.apple.mail DisableInlineAttachmentViewing -bool yes",
            Facts("apple-mail", platform="mac"),
        ),
        ("mail.thunderbird.net is down", Facts()),
    ],
)
def test_a_program_named_in_a_package_reference(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a service's server named by its kind is the account's side, not the program
        ("can't connect to outlook smtp server in thunderbird", Facts("thunderbird")),
        (
            "Connection to outlook imap-mail server has stopped working ... Thunderbird tries to "
            "connect to my Hotmail email account",
            Facts("thunderbird"),
        ),
        ("Outlook smtp settings are wrong", Facts("outlook")),
        # base forms of what a program does make an ordinary word the program
        ("Since the last version of clear : evolution freeze", Facts("evolution")),
        ("I downloaded and installed the SNAP for Prospect Mail.", Facts("prospect-mail")),
        ("Trying to freshly install jaromail.", Facts("jaromail")),
    ],
)
def test_servers_named_by_kind_and_more_programs(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # Thunderbird's release names, only before a release like Thunderbird's own
        (
            "Mozilla (Supernova) version 115.3.2 receiving emails but not sending.",
            Facts("thunderbird", "115.3.2"),
        ),
        ("Outlook SMTP Issue with Supernova (Ver 115.2.1)", Facts("thunderbird", "115.2.1")),
        ("Nebula 128.3 won't send", Facts("thunderbird", "128.3")),
        ("We use Zyxel Nebula 100 access points and mail fails", Facts("mail")),
        (
            "Supernova Inbox ... The upgrade to Supernova resulted in the Inbox showing a portion",
            Facts(),
        ),
        ("the supernova 1987A was bright", Facts()),
        # the program's address book is no book title ("a Eudora Welty novel" still is)
        ("Thunderbird address book won't open", Facts("thunderbird")),
        ("I can't find in mobile Thunderbird address book.", Facts("k9")),
        ("a Eudora Welty novel", Facts()),
        # a title's dash is no hyphen: "gmail - App Password" is no "gmail app"
        ("gmail - App Password is not usable ... Trying to setup a gmail account", Facts()),
        ("the gmail-app won't sync", Facts("gmail")),
        # an account's kind between the name and "account"
        ("cannot send messages - outlook personal account", Facts()),
        # a suite moved to is the account's service, not the program in use
        (
            "I was forced to migrate to Microsoft 365 for my website. Since then I have problems "
            "sending, but only in Thunderbird, the webmail still works fine.",
            Facts("thunderbird"),
        ),
        ("I switched from Thunderbird to Office 365 and now I can't send", Facts("outlook", "365")),
        # the service another program just named signs in to
        ("Thunderbird can't connect to outlook", Facts("thunderbird")),
        ("Thunderbird cannot authenticate with outlook", Facts("thunderbird")),
        ("Cannot connect with Microsoft outlook", Facts("outlook")),
        ("I try to connect my account to outlook 2013 via active sync", Facts("outlook", "2013")),
    ],
)
def test_release_names_address_books_dashes_and_services_signed_in_to(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # an Italian article elided onto "account" before a service's name
        ("ho un problema con l'account outlook su Thunderbird", Facts("thunderbird")),
        (
            "non riesco a mandare mail dall’account outlook. Thunderbird è configurato",
            Facts("thunderbird"),
        ),
        # the service chosen in another app's list of account kinds
        (
            "I been trying to log in using the Outlook option, however, I keep getting an error",
            Facts(),
        ),
        # the website installed as an app, the new look of Outlook
        ("Interactions with Outlook (PWA) in Ubuntu", Facts("outlook-web", platform="linux")),
        # Evolution with its trouble, its account or its server named after it
        ("Again...Evolution problems with sending mail", Facts("evolution")),
        ("evolution hotmail settings ... I can't get hotmail to work", Facts("evolution")),
        ("the evolution problem in biology is hard, and my email won't send", Facts()),
        # more programs in the catalogue
        (
            "Aerion Version 0.3.0-build2 ... I configured my two M365 business accounts",
            Facts("aerion", "0.3.0"),
        ),
        (
            "Sync stopped on my Nokia (Mail for Exchange) after the update",
            Facts("mail-for-exchange", platform="other-phone"),
        ),
        ("How can I add a mailbox to my Outlook 365 Web App service?", Facts("owa")),
    ],
)
def test_elided_articles_account_options_web_apps_and_evolution(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a release written with ".x" is that release
        (
            "I keep having an issue with Thunderbird 2.x in Ubuntu Gutsy",
            Facts("thunderbird", "2", platform="linux"),
        ),
        ("Thunderbird 115.x won't send", Facts("thunderbird", "115")),
        # "the version of X ... is N"
        (
            "The version of mozilla-thunderbird I seem to have is 1.0.7",
            Facts("thunderbird", "1.0.7"),
        ),
        # the system's "OS version", typed in lower case, is not the program's
        ("mail completely unusable os version 7.1", Facts("mail")),
        ("Outlook won't send, version 2016", Facts("outlook", "2016")),
    ],
)
def test_releases_written_with_x_or_asked_of_and_system_versions(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # "Outlook mail app" is Outlook's app, not Apple's Mail app
        ("Rendering Issue with Outlook mail app in iOS", Facts("outlook-app", platform="ios")),
        # the program's clause ends on the phone: the program's own app runs there
        ("Outlook doesn't work on my iPad", Facts("outlook", platform="ios")),
        (
            "I tried to login to thunderbird on the test flight app on ipados",
            Facts("thunderbird", platform="ios"),
        ),
        # ... not its mail read on the phone, nor a phone said after a contrast
        ("my outlook emails don't show on my iPhone", Facts(platform="ios")),
        (
            "the certificate is working in outlook and thunderbird but unfortunately not working on IOS",
            Facts(platform="ios"),
        ),
    ],
)
def test_a_programs_app_on_the_phone_it_is_said_to_run_on(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # an account reaches no server
        ("my yahoo account won't connect to outlook anymore", Facts("outlook")),
        ("Comcast email can't connect to Outlook", Facts("outlook")),
        # Outlook's own options
        ("Is there an Outlook option to delay sending?", Facts("outlook")),
        ("In the Mail app I log in with the Outlook option and it fails", Facts("mail")),
        ("How do I use the Outlook option to recall a message?", Facts("outlook")),
        # ordinary words that are also names
        ("I can't get mail for exchange on Outlook 2010", Facts("outlook", "2010")),
        ("HOW DO I GET MAIL FOR EXCHANGE IN OUTLOOK", Facts("outlook")),
        ("Mail for Exchange users can't send from Outlook", Facts("outlook")),
        ("Our prospect mail campaign bounces, we use Outlook", Facts("outlook")),
        ("Software evolution problems: my outlook keeps asking for password", Facts("outlook")),
        (
            "I'm running postfix in an alpine-3.19 container and relaying through your smtp fails",
            Facts(),
        ),
        # an address's mask is no release line; a typo of ".com" no sentence's dot
        ("Outlook via 10.10.10.x relay times out", Facts("outlook")),
        ("I can't log in to outlook.con since yesterday", Facts()),
        ("My program is Outlook 2016.Thanks.", Facts("outlook", "2016")),
        # a program's own server setting; a title's dash before anything but an app password
        ("the Thunderbird SMTP server setting keeps rejecting my password", Facts("thunderbird")),
        ("Outlook – Web won't load", Facts("outlook-web")),
        # a system named between "the version of X" and the number
        ("The version of Outlook on my Windows PC is 11", Facts("outlook", platform="windows")),
        ("The version of Outlook on this PC is 2016", Facts("outlook", "2016", platform="windows")),
        ("The version of Outlook; my OS is 10", Facts("outlook")),
        # a mail server's suite, a removed program or a program's data reach no service
        ("our Zimbra server won't connect to Outlook", Facts("outlook")),
        ("I removed Thunderbird, can't connect to Outlook", Facts("outlook")),
        ("Thunderbird can't connect to Office 365", Facts("thunderbird")),
        ("Outlook contacts missing on my iPhone", Facts(platform="ios")),
        # an app's password is the account's
        ("My outlook email app password doesn't work on my iPhone", Facts(platform="ios")),
        ("Gmail app password needed", Facts()),
        ("gmail - app-specific password needed", Facts()),
        # release lines and Thunderbird's release names with their suffixes
        ("Outlook on 10.x network fails", Facts("outlook")),
        ("Thunderbird v2.x won't send", Facts("thunderbird", "2")),
        ("I use Thunderbird 2.x.", Facts("thunderbird", "2")),
        ("Supernova 115.3.1esr won't send", Facts("thunderbird", "115.3.1")),
        ("I can't log in to outlook.coom", Facts()),
        ("Our company's evolution issues are not your problem but my email won't send", Facts()),
        ("the little icon (a pine) 5 times flashes and Thunderbird freezes", Facts("thunderbird")),
    ],
)
def test_accounts_options_ordinary_names_masks_and_servers(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, facts",
    [
        # a dash glued before a name is no part of it (a command's short flag stays a flag)
        (
            "I forgot my password to access Mozilla -Thunderburd on my macbook",
            Facts("thunderbird", platform="mac"),
        ),
        ("Mozilla -Thunderbird crashes on start", Facts("thunderbird")),
        ("thunderbird -safemode won't start", Facts("thunderbird")),
        # Evolution: a thread's title that is its name alone, what one updates or removes, the
        # service it is used with, said first (not the ordinary word, nor another firm or plan)
        ("Evolution ... After the upgrade some e-mails won't delete", Facts("evolution")),
        ("Can't update or remove evolution ... I have a big problem", Facts("evolution")),
        ("uninstall evolution ... I want to get rid of it", Facts("evolution")),
        ("Evolution and MS Exchange ... Mine has crashed 3 times", Facts("evolution")),
        ("[SOLVED] Evolution and hotmail problems.", Facts("evolution")),
        ("An update on the evolution of my problem: still can't send", Facts()),
        ("the evolution and exchange of ideas in our team, my mail won't send", Facts("mail")),
        ("Evolution and exchange of files through outlook fails", Facts("outlook")),
        ("Evolution - web hosting plan upgrade question", Facts()),
        ("upgrade evolution hosting plan - outlook settings?", Facts("outlook")),
        # a program just removed is not the one in use
        (
            "I uninstalled outlook and now use thunderbird, it cannot send",
            Facts("thunderbird"),
        ),
        (
            "I removed evolution and now use thunderbird, but it won't send",
            Facts("thunderbird"),
        ),
        # ... and those readings are Evolution's: Spark is also an ISP
        ("Spark - xtra email not working on my iphone", Facts(platform="ios")),
        ("we updated our spark plan and outlook stopped receiving", Facts("outlook")),
        # a browser named with a mail service's website is where mail is read; a program named
        # beside them, or the device's mail app called a program, is still the program
        ("Firefox & Gmail ... for some reason, Firefox no longer loads Gmail.", Facts("browser")),
        ("I use gmail and Thunderbird keeps opening links in Firefox", Facts("thunderbird")),
        (
            "我用的mac os x 10.8 和chrome浏览器，但是mac osx自带的mail程序不能正常发送邮件，我用的邮箱是gmail。",
            Facts("mail", platform="mac", os="macos-10.8"),
        ),
        ("on my mac I use a browser for mail", Facts("browser", platform="mac")),
        (
            "I run Postfix and my own web site; sending to a Hotmail account fails",
            Facts(),
        ),
        # a service's website's reading pane (not the recipients' service a message is shown in)
        ("raw HTML appears at top in Outlook.com reading pane", Facts("outlook-web")),
        ("when I send to gmail users the message displayed in gmail is blank", Facts()),
        # a release name after "with" is often a person, a firm or a place
        ("meeting with Sierra from accounts, outlook won't send", Facts("outlook")),
        # someone's mail on a device is still read there
        ("my wife's mail on her macbook won't send", Facts("mail", platform="mac")),
        # the bare word "mail" on a Windows PC, as someone's mail or an account's, is the
        # customer's mail (which program is asked); any other mention keeps Windows' Mail app
        (
            "xpcom ... I want my mail in Windows 11",
            Facts("mail-program", platform="windows", os="windows-11"),
        ),
        (
            "my wife's mail is missing on the new windows laptop",
            Facts("mail-program", platform="windows"),
        ),
        (
            "i use mail on windows 10 and it keeps crashing",
            Facts("mail", platform="windows", os="windows-10"),
        ),
        (
            "Microsoft's mail won't sync on windows 10",
            Facts("mail", platform="windows", os="windows-10"),
        ),
        (
            "Windows 8 Mail is just terrible, my Mail lags",
            Facts("mail", platform="windows", os="windows-8"),
        ),
        ("my mail won't send from my mac", Facts("mail", platform="mac")),
    ],
)
def test_glued_dashes_evolutions_readings_and_browsers_with_a_service(extractor, text, facts):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, facts",
    [
        # a service a program reaches is the service wherever it is named in the message
        (
            "Cannot authenticate to outlook ... in my office laptop, Thunderbird cannot "
            "authenticate with outlook and collect mails from it.",
            Facts("thunderbird"),
        ),
        (
            "Outlook 2016 keeps crashing ... and Thunderbird cannot connect to outlook either",
            Facts("outlook", "2016"),
        ),
        # elementary OS is Linux, its mail app a program of its own; "mailclient" calls a name
        # a program; "the app windows" are no operating system
        (
            "Mail Keeps Crashing ... When i open up the elementary mail app, it crashes",
            Facts("pantheon-mail"),
        ),
        (
            "When I am trying to login my gmail with elementary os 7 default mail. its failed",
            Facts("mail", platform="linux"),
        ),
        (
            "an elementary question: my mail app on the mac won't send",
            Facts("mail", platform="mac"),
        ),
        ("Spark mailclient by Readdle for iOS not sending push", Facts("spark", platform="ios")),
        (
            "I cannot close the Thunderbird email app on Samsung Galaxy S25 Ultra Android 16. "
            "The back arrow no longer closes the app windows.",
            Facts("thunderbird", platform="android"),
        ),
        # "I'm an X user" says which program is in use (not a program used before)
        (
            "Outlook Plugin for importing events.ics ... I'm an Outlook Web user. When I need to "
            "import an event I use the Import feature",
            Facts("outlook-web"),
        ),
        ("Thunderbird crashes. I'm a long-time Outlook user", Facts("thunderbird")),
        # names the catalogue did not know
        (
            "mac OSX 10.7.5 - google mail - Air Mail 1.3.2",
            Facts("airmail", "1.3.2", platform="mac", os="macos-10.7.5"),
        ),
        ("I sent the letter by air mail to my Mac friend", Facts("mail", platform="mac")),
        (
            "running Fastmate 1.9.0 on macOS Monterey 12.6.1 and share via email no longer works",
            Facts("fastmate", "1.9.0", platform="mac", os="macos-12"),
        ),
        ("Mailnag does not open default e-mail reader", Facts("mailnag")),
        (
            "Sync without install ... Hello, I use outlook on web and gmail too.",
            Facts("outlook-web"),
        ),
        # Outlook in a list of mail services is one of them (not the program with its account)
        (
            "No matter what email account I try to use (Mail.com, Outlook, Proton, etc...) it fails",
            Facts(),
        ),
        (
            "delete email from servers with POP3 settings in yahoo, outlook, and gmail using "
            "mozilla thunderbird",
            Facts("thunderbird"),
        ),
        ("I use Outlook and Gmail, outlook won't send", Facts("outlook")),
        ("Outlook and Thunderbird both fail to send via gmail", Facts("outlook")),
        # a manner, the program's address book, recipients named before a title's "..."
        (
            "Outlook-style Reply All behavior ... The most annoying behavior in Apple Mail is Reply All.",
            Facts("apple-mail"),
        ),
        (
            '"a program is trying to access your Outlook address book" How do I know which program',
            Facts("outlook"),
        ),
        ("my outlook address is wrong", Facts()),
        (
            "Reply All behavior (preserve To and CC recipients) ... The most annoying behavior in "
            "Apple Mail is Reply All.",
            Facts("apple-mail"),
        ),
        ("the recipient uses Outlook 2010 and sees garbage", Facts()),
        # a name that is also a service, named with its release elsewhere, is the program
        (
            "Sync Issues Outlook / NextCloud ... In Outlook (2013), I can see more calendar items "
            "than is showing in NextCloud 15.0.14.",
            Facts("outlook", "2013"),
        ),
        ("Outlook inbox not shown in Airmail, outlook 4 other accounts work", Facts("airmail")),
        ("redmine runs on the same host as the Outlook client", Facts("outlook")),
        # links opening in one program "instead of" another: the other is the one wanted
        (
            "Enlightenment chromium opens mailto links in mutt instead of Thunderbird",
            Facts("thunderbird"),
        ),
        ("I use mutt instead of Thunderbird and it won't send", Facts("mutt")),
        ("my nmail won't send", Facts()),  # a typo of "email"
        ("After allowing dejalu to access my account details", Facts("dejalu")),
        # the review's guards: a count, the Turkish question word or a typo is no mu; the
        # customer's own choice "instead of"; a pause "..." after recipients; a program said
        # as one; the address book another program reads; Windows' app; ordinary words
        ("Thunderbird'de SMTP ayarı doğru mu 465 portu mu 587 mi", Facts("thunderbird")),
        ("mail gidiyor mu 1.5 saat bekledim, thunderbird kullanıyorum", Facts("thunderbird")),
        ("mu index fails after update", Facts("mu4e")),
        ("I opened thunderbird instead of outlook and it crashes", Facts("thunderbird")),
        (
            "I now open my mail in Thunderbird instead of Outlook but it cannot send",
            Facts("thunderbird"),
        ),
        (
            "Recipients complain... they all use Outlook 2010, I use Thunderbird",
            Facts("thunderbird"),
        ),
        (
            "my outlook program is not sending. thunderbird also fails to log into outlook",
            Facts("outlook"),
        ),
        ("Thunderbird won't import my Outlook address book", Facts("thunderbird")),
        ("mail app windows doesn't send emails", Facts("mail", platform="windows")),
        ("basic elementary mail setup on my iPhone fails", Facts("mail", platform="ios")),
        ("sent by air mail 3 weeks ago, I never got the email confirmation", Facts("mail")),
        ("my Gmail/Outlook program keeps crashing", Facts("outlook")),
        ("Gmail, Outlook, keeps asking for password", Facts("outlook")),
        ("Outlook doesn't show new mail but I can see them on outlook.live.com", Facts("outlook")),
        (
            "outlook not sending mails. on https://outlook.live.com/mail/ they send fine",
            Facts("outlook"),
        ),
        # the second review's guards
        (
            "my recipients say ... outlook shows a security warning; I use thunderbird",
            Facts("thunderbird"),
        ),
        ("Skiff Mail in Thunderbird can't send", Facts("thunderbird")),
        ("we use nmail for our business and outlook won't send", Facts("outlook")),
        ("Outlook ayarları doğru mu bug var mı", Facts("outlook")),
        (
            "my wife opens her emails in Outlook instead of Thunderbird and it can't send",
            Facts("outlook"),
        ),
        (
            "Reply All behavior (preserve To and CC recipients) ... Apple Mail is slow",
            Facts("apple-mail"),
        ),
        # "the mail plugin" is the Mail program's
        ("the mail plugin doesn't load on my Mac", Facts("mail", platform="mac")),
    ],
)
def test_services_reached_or_listed_users_new_names_and_links_opened_instead(
    extractor, text, facts
):
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, facts",
    [
        # a service's screens, its compose window, a browser add-on for it: its website, the program
        ("the notifications do not show graphic elements properly in the gmail UI", Facts("gmail")),
        ("In Gmail, the button covers up text in the Gmail compose window", Facts("gmail")),
        ("the FlowCrypt plugin for Gmail stopped working", Facts("gmail")),
        # ... not a service named as where a message is shown or stopped: mostly the recipients' (the
        # second review's guards)
        ("New newsletter style is clipped by Gmail", Facts()),
        ("when I send to gmail users the message displayed in gmail is blank", Facts()),
        (
            "images in my signature are not displayed in gmail, I use Thunderbird",
            Facts("thunderbird"),
        ),
        ("it looks like my emails are being rejected by gmail", Facts()),
        (
            "I can't send from my Gmail account in Thunderbird, it looks fine in the web",
            Facts("thunderbird"),
        ),
        # an add-on's number, even with a template's label between, is its own; "Module" is an add-on
        (
            "Exchange server connection issue ... TbSync version: 0.7.5 Thunderbird version: 52.6.0 (64 bits)",
            Facts("thunderbird", version="52.6.0"),
        ),
        (
            "Apple Mail Module 3.0.0: signature no longer inserted into Composed messages",
            Facts("apple-mail"),
        ),
        # names: mutt-wizard (sets up mutt), Akonadi (KMail's store), Synology MailPlus, betterbird.exe
        ("how should i enter my fastmail account into mutt-wizard?", Facts("mutt")),
        (
            "Failed to read EWS request XML after upgrade to akonadi 16.12",
            Facts("kmail", version="16.12"),
        ),
        (
            "I have uploaded the certificate into my Synology Mail Plus Client to sign email",
            Facts("synology-mailplus"),
        ),
        (
            "unknown software exception ... betterbird.exe - Fehler in Anwendung",
            Facts("betterbird", platform="windows"),
        ),
        # Nextcloud's other apps are not its mail app
        (
            "Clickability of links in Nextcloud Talk invitation email ... I'm using Thunderbird 140.7.0esr",
            Facts("thunderbird", version="140.7.0"),
        ),
        ("How do i integrate the nextcloud calendar to thunderbird?", Facts("thunderbird")),
        ("Nextcloud mail does not sync the inbox", Facts("nextcloud-mail")),
        ("Can not access mail account in nextcloud after password change", Facts("nextcloud-mail")),
        # "MS Outlook Web" is the website, "Microsoft Outlook Web Access" its server's; "online" after
        # "Microsoft Outlook" may be an adverb
        ("Button Styling Looks Off In MS Outlook Web", Facts("outlook-web")),
        ("Microsoft Outlook Web Access won't load", Facts("owa")),
        (
            "I searched Microsoft Outlook online for the settings but still can't send",
            Facts("outlook"),
        ),
        # "Thunderbird version: 60.5.0" (a template's label) is named with its release, as sure as
        # "Outlook365"; not "thunderbird version 13.0", nor the generic "Mail app version: 5.5.15"
        (
            "Sync of shared calendars ... TbSync version:1.5 Thunderbird version: 60.5.0 ... I see a few tickets for shared calendars in relation to Outlook365",
            Facts("thunderbird", version="60.5.0"),
        ),
        (
            "New Mails are not shown in the inbox ... Mail app version 5.5.15 ... Nextcloud version 32.0.1",
            Facts("nextcloud-mail", version="32.0.1"),
        ),
        (
            "Mail app version: 5.5.15 Nextcloud version: 32.0.1 not sending",
            Facts("nextcloud-mail", version="32.0.1"),
        ),
        (
            "No folder available on thunderbird mobile ... Im on thunderbird version 13.0 and no matter what i do",
            Facts("k9"),
        ),
        # recipients' fields are the customer's program's ("recipient address suggestions"); not the
        # recipients' list or address
        (
            "Recipient address suggestions ... k9 is not suggesting recipient addresses from previous emails",
            Facts("k9"),
        ),
        ("the recipient uses Outlook 2010 and sees a blank message", Facts()),
        (
            "i send with thunderbird and the recipient list in their outlook 2010 shows nothing",
            Facts("thunderbird"),
        ),
        ("recipients address is yahoo and they use outlook 2013", Facts()),
        # a name in a list of mail services: "X, outlook and other providers", "accounts (Outlook, X)"
        ("the gmail, outlook and other providers move it to spam", Facts()),
        (
            "Microsoft accounts (Outlook, Hotmail) continue to send emails to the junk folder",
            Facts(),
        ),
        # ... not a name alone in brackets, a program listed with a device, nor a list said again
        ("cant save attached files in email (outlook) via drag & drop", Facts("outlook")),
        ("my work account (outlook, iphone) cant send", Facts("outlook", platform="ios")),
        ("I use Outlook, Gmail and Yahoo, and Outlook won't send", Facts("outlook")),
        # an unknown name "called" a mail program (not a person "named" so)
        ("a mail program called Zorblax keeps crashing", Facts("unknown-program")),
        ("a client named John cant send emails from his iphone", Facts(platform="ios")),
        # an Office suite named as what is reached is the account's server; not the suite said as the
        # program, moved to, subscribed to or updated, nor Outlook named with it
        ("Unable to send emails through Office365", Facts()),
        ("When trying to connect to my O365 I receive the error", Facts()),
        ("SMTP does not work for Office365", Facts()),
        # a bare Office 365 is the service, whatever the verbs around it (stop 42: in real
        # messages, 17 of 19 that made it Outlook were labelled otherwise): the bot asks
        ("Office 365 won't send", Facts()),
        ("we switched to Office 365 and cannot send", Facts()),
        ("my license for office 365 expired and now i cant send emails", Facts()),
        ("since the upgrade to o365 i cant send", Facts()),
        ("I tried to send through Outlook 365", Facts("outlook", version="365")),
    ],
)
def test_service_screens_add_on_labels_and_service_lists(extractor, text, facts):
    """Stop 40: a service's screens and add-ons, add-ons' labelled numbers, new names,
    Nextcloud's other apps, recipients' fields, lists of services and suites reached."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # old phones with their own mail apps are a platform of their own (not the iPhone, not
        # Android): what the article does not cover
        (
            "0009616: ActiveSync creates multiple Calendar on BB Q10 ... AS creates the same Calendar",
            Facts(platform="other-phone"),
        ),
        (
            "0002774: Mail body doesn't sync on Palm Pre ... the mail content does not show",
            Facts("mail", platform="other-phone"),
        ),
        ("0001974: Activesync with Nokia N900 not working", Facts(platform="other-phone")),
        ("my blackberry won't send email", Facts("blackberry")),
        # a title that is a program's bare name, said in full below: the longer name
        (
            "Outlook ... Outlook on the web is unusable. The mail preview window is missing",
            Facts("outlook-web"),
        ),
        (
            "Outlook: Add additional mailboxes ... How can I add a mailbox to my Outlook Web App?",
            Facts("owa"),
        ),
        (
            "Timer button in Outlook is misaligned ... Outlook (outlook.office.com)",
            Facts("outlook-web"),
        ),
        # ... not a program and the website set apart, said in a sentence, or with its release
        (
            "Outlook doesn't show new mail but I can see them on outlook.live.com",
            Facts("outlook"),
        ),
        (
            "Outlook stopped sending. In outlook.office.com I see the emails in Sent.",
            Facts("outlook"),
        ),
        ("Outlook 2016 ... Outlook on the web works fine", Facts("outlook", version="2016")),
        # a website's host with "www.", and a browser named with more services' websites
        ("www.outlook.com - site is not usable ... completely blank page", Facts("outlook-web")),
        ("cant log into aol with firefox, it asks for a code", Facts("aol")),
        ("gmx.de non-functional with Pale Moon ... you just get a white page", Facts("browser")),
        # a list's step number is no version: "Log in to outlook 2. Open any mail"
        (
            "I can't send. 1. Log in to outlook 2. Open any mail 3. Click send",
            Facts("outlook"),
        ),
        # a suite after a protocol and a slash is the account's server
        ("Authentication problem starting from today with IMAP/office365", Facts()),
        # names: ownCloud Mail, OE Classic (no Outlook Express), Evo with its release
        (
            "I use v 0.2.1 of the owncloud mail app and gmail rejects it",
            Facts("owncloud-mail", version="0.2.1"),
        ),
        ("I use OE Classic and it won't send", Facts("oe-classic")),
        ("Evo 1.5.2 firmware on my router, Outlook 2016 fails", Facts("outlook", version="2016")),
        # a Mac settings command, its calendar and its scripting say Mac
        (
            "Outlook doesn't work ... I ran defaults write com.microsoft.Outlook NSRequiresAquaSystemAppearance",
            Facts("outlook", platform="mac"),
        ),
        ("Cannot add attachments to events on iCal (Calendar.app, 11.0)", Facts(platform="mac")),
        # a program's name as the subject of more verbs, after "has been", and before its window
        ("Geary looks washed out with the Arc theme", Facts("geary")),
        ("Evolution message list has light background in dark mode", Facts("evolution")),
        ("Geary > Dark mode > Text in replies is barely visible", Facts("geary")),
        ("the evolution of mail has been slow", Facts()),
        # a macOS name after what software does with a release (not a person named so)
        ("Crashes with Mojave after opening an email", Facts(platform="mac", os="macos-10.14")),
        ("Please make this available for Big Sur", Facts(platform="mac", os="macos-11")),
        ("Doesn't work on BigSure", Facts(platform="mac", os="macos-11")),
        ("I went camping with Sierra and my mail stopped", Facts("mail")),
        # ... the reviews' guards: people, offices and firms named like a release
        ("I work with Sierra and she uses Outlook 2016", Facts("outlook", version="2016")),
        (
            "I have a problem with Catalina from billing; Outlook 2016 won't send",
            Facts("outlook", version="2016"),
        ),
        (
            "compatible with Sierra Wireless modem, Outlook 2016 fails",
            Facts("outlook", version="2016"),
        ),
        # ... the reviews' guards: the website said to work beside a failing program
        ("Outlook: error 0x800CCC0E. Outlook Web App is fine", Facts("outlook")),
        ("Outlook - cannot send, Outlook Express works fine", Facts("outlook")),
        ("Outlook ... emails arrive in outlook.live.com but not in the app", Facts("outlook")),
        ("Outlook ... outlook.office.com shows the mails, the app doesn't", Facts("outlook")),
        ("outlook.office.com works but outlook won't connect", Facts("outlook")),
        ("mail.google.com works, but Mail won't sync", Facts("mail", platform="mac")),
        # ... old phones' names beside a program, and other things named so
        ("Outlook on my Nokia phone cannot receive mail", Facts("outlook", platform="other-phone")),
        (
            "Thunderbird on my PC works, but my BlackBerry Q10 email client fails",
            Facts("blackberry"),
        ),
        ("my LG webOS TV can't open my email link", Facts()),
        ("I work on HTC servers, outlook keeps crashing", Facts("outlook")),
        ("Evolution Print Ltd can't send email from Outlook", Facts("outlook")),
        (
            "Outlook 2016 won't sync with my apple ical on the iPad",
            Facts("outlook", version="2016"),
        ),
    ],
)
def test_old_phones_bare_titles_websites_and_macos_names(extractor, text, facts):
    """Stop 41: old phones' own apps, a title's bare name said in full below, websites'
    hosts and browsers, list markers, new names, Mac cues, and macOS names after software."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, facts",
    [
        # a bare Office 365 is the mail service, not Outlook: the bot asks for the program
        ("O365 does not allow SMTP connections", Facts()),
        ("we could not get emails in office 365", Facts()),
        ("configuring mutt and office365 to use two factor authentication", Facts()),
        (
            "Office365 and default gateway: I use Office365 under Windows 10",
            Facts(platform="windows", os="windows-10"),
        ),
        # ... unless it is the programs installed, on or for a computer, moved to, or an answer
        ("Office 365", Facts("outlook", version="365")),
        ("office 365 i think", Facts("outlook", version="365")),
        (
            "Office 365 desktop app on my PC won't send",
            Facts("outlook", version="365", platform="windows"),
        ),
        ("Microsoft Office 365 x64 CTR 1708", Facts("outlook", version="365")),
        (
            "microsoft 365 on my work pc - how do I change the smtp port?",
            Facts("outlook", version="365", platform="windows"),
        ),
        (
            "office 365 on my Windows 10 laptop wont send",
            Facts("outlook", version="365", platform="windows", os="windows-10"),
        ),
        ("Office 365 auf meinem Laptop sendet nicht", Facts("outlook", version="365")),
        ("Office 365 for Mac cant send", Facts("outlook", version="365", platform="mac")),
        (
            "Office 365 Version 2308 (Build 16731.20234) asks for password",
            Facts("outlook", version="365"),
        ),
        (
            "I have Office 365 installed on my computer and mail is stuck",
            Facts("outlook", version="365"),
        ),
        ("Office 365 ProPlus cant send", Facts("outlook", version="365")),
        ("ich bin von Thunderbird zu Office 365 gewechselt", Facts("outlook", version="365")),
        ("Changed from GoDaddy Microsoft 365 to Gmail", Facts()),
        # a release's sentence dot with no space after it (not a date or an address before a name)
        ("I have evolution 2.12.1.I think I found bug", Facts("evolution", version="2.12.1")),
        ("Thunderbird 2.0.0.24.Cannot send", Facts("thunderbird", version="2.0.0.24")),
        ("Seit 12.03.2024.Outlook sendet nicht mehr", Facts()),
        ("my smtp is 10.0.0.25.Outlook cannot connect", Facts()),
        # a whole number glued by "+" to a word (not to a program's name)
        ("it loads fine in Thinderbird 10+Conv 2.24.", Facts("thunderbird", version="10")),
        ("12+Outlook clients cannot send", Facts()),
        (
            "thunderbird_115.10.1+build1-0ubuntu0.22.04.1_amd64.deb broke my mail",
            Facts("thunderbird"),
        ),
        # names: Yahoo! Mail, Inbox by Gmail's website, Outlook webmail, the Gmail app on iOS
        ("I can't compose mail in Yahoo! Mail on my PC", Facts(platform="windows")),
        ("inbox.google.com - infinite loading", Facts("inbox-by-gmail")),
        ("my emails are being removed from my inbox by Google", Facts()),
        ("Conditional comments are removed in Outlook webmail", Facts("outlook-web")),
        ("Gmail ios rendering issues", Facts("gmail")),
        ("the new gmail layout broke this extension", Facts("gmail")),
        ("i set up gmail look at my screenshot", Facts()),
        # a mail service alone in brackets after an account word is the account (not a program)
        ("For one of my email accounts (gmail) the inbox keeps spinning", Facts()),
        ("my email account (Outlook 2013) won't send", Facts("outlook", version="2013")),
        ("my work account (outlook, iphone) cant send", Facts("outlook", platform="ios")),
        # the second review's guards
        ("Compose Mail crashes on my Mac", Facts("mail", platform="mac")),
        ("Office 365 (desktop) can't connect", Facts("outlook", version="365")),
        ("my computer has Office 365 and emails are stuck", Facts("outlook", version="365")),
        ("Office 365 Home keeps asking for password", Facts("outlook", version="365")),
        # YAM is also a surname and a company
        ("Outlook won't send since Monday. Thanks, Peter YAM", Facts("outlook")),
    ],
)
def test_office_suites_glued_releases_and_webmail_names(extractor, text, facts):
    """Stop 42: a bare Office 365 is the service unless installed; a release's sentence dot,
    a number glued by "+"; Yahoo! Mail, Inbox by Gmail, Outlook webmail, Gmail iOS; a service
    in brackets after an account."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # Evolution: its menu bar, folder list, set-up; restored, recovered; "my", "l'", "amb"
        ("Evolution menu bar renders weirdly", Facts("evolution")),
        ("How do I restore evolution from a backup?", Facts("evolution")),
        ("my evolution setup lost the smtp server", Facts("evolution")),
        ("No puc enviar correu amb l'Evolution", Facts("evolution")),
        ("Evolution Mail 3.44.2 cannot send", Facts("evolution", version="3.44.2")),
        # ... the subject of "working" only after an auxiliary
        ("Evolution has been working fine until today", Facts("evolution")),
        ("Evolution not working after update", Facts("evolution")),
        ("the evolution working group meeting emails bounce", Facts()),
        ("Spark working hours notification", Facts()),
        ("Juno working on it, will send later", Facts()),
        ("Lotus working group", Facts()),
        ("a paper on evolution of spam", Facts()),
        # a Latin name beside Chinese or Japanese text is written as a name
        ("ibus无法在evolution的写邮件正常输入文字", Facts("evolution")),
        # "webclient", "webapp", "webui" after a service: its website
        ("decrypt an email in the Google Mail webclient", Facts("gmail")),
        # a year that names no release: right after the name only, not a date's or an event's
        ("Outlook 2018 won't send", Facts("outlook", version="2018")),
        ("my outlook 2020 cant send email", Facts("outlook", version="2020")),
        ("Outlook version 2017 asks for my password", Facts("outlook", version="2017")),
        ("Order 2017 - Outlook won't send", Facts("outlook")),
        ("Outlook - 2017-03-04 10:22:11 Error 0x800CCC0F", Facts("outlook")),
        ("Outlook: Sent 2022/05/01, bounced", Facts("outlook")),
        ("Outlook 2015 conference in Seattle", Facts("outlook")),
        ("Outlook - 2016 cant send", Facts("outlook", version="2016")),
        (
            "Windows Outlook desktop app versions (< 1903) fail",
            Facts("outlook", version="1903", platform="windows"),
        ),
        # "new Outlook" before a year that is no release of Outlook is the new app
        ("new Outlook 2023 won't send", Facts("outlook-new", version="2023")),
        ("the new Outlook 2016 assistant keeps popping up", Facts("outlook", version="2016")),
        # a lower-case "mail" after what is done to a store of mail is the noun
        ("exporting mail from Outlook for Mac", Facts("outlook", platform="mac")),
        (
            "OML archives are produced when exporting mail boxes from Outlook for Mac.",
            Facts("outlook", platform="mac"),
        ),
        ("Import into Mail from Thunderbird fails", Facts("mail", platform="mac")),
        # the review's guards: dates, forecasts, people, Linux images, "mail" as the subject
        ("Outlook 2017年3月から送信できません", Facts("outlook")),
        ("Outlook 2018 issue: can't send", Facts("outlook", version="2018")),
        ("Outlook 2018 Jan 5 error log: cannot send", Facts("outlook")),
        ("Economic Outlook 2018 newsletter won't send from our mail server", Facts("outlook")),
        ("In the new Outlook 2018 I can't find account settings", Facts("outlook", version="2018")),
        ("New Outlook 2022 can't add my IMAP account", Facts("outlook-new", version="2022")),
        (
            "Franz isn't working today so I'm asking for him: Thunderbird can't send",
            Facts("thunderbird"),
        ),
        (
            "Alpine has been working fine as our container base but postfix refuses to relay",
            Facts(),
        ),
        ("my evolution is not working", Facts("evolution")),
        ("spark作业告警邮件发送失败，smtp 535", Facts()),
        ("alpine镜像里用sendmail发邮件失败", Facts()),
        ("我用Spark发邮件失败", Facts("spark")),
        ("when I try to export mail freezes on my Mac", Facts("mail", platform="mac")),
        ("after backup mail stopped syncing iCloud on my Mac", Facts("mail", platform="mac")),
        ("Gracias, quedo atento al evolution del caso, Thunderbird no envía", Facts("thunderbird")),
        # two phone systems listed side by side, no program: neither phone's own app
        ("All users on both Android and iPhone gets access denied", Facts()),
        ("ios/android users cannot sync", Facts()),
        ("It works on Android, not on my iPhone", Facts(platform="ios")),
        ("Outlook on iOS and Android cant send", Facts("outlook", platform="ios")),
    ],
)
def test_evolution_words_cjk_names_and_years_between_releases(extractor, text, facts):
    """Stops 43 and 44: Evolution's words ("has been working", not "working group"); a name
    beside Chinese text; a service's webclient; a year that names no release only right after
    the name; "new Outlook 2023"; "exporting mail" is the noun; "both Android and iPhone"."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # a bare auxiliary after a name set against the clause before: it works there
        ("Thunderbird will not send email, but Outlook does.", Facts("thunderbird")),
        ("thunder bird will not send email but Outlook does", Facts("thunderbird")),
        ("Outlook won't send but Thunderbird does", Facts("outlook")),
        ("Outlook 2010 can't send while Thunderbird can.", Facts("outlook", "2010")),
        ("Outlook won't send but in Thunderbird it does", Facts("outlook")),
        # guards: the auxiliary goes on, or nothing is set against
        ("Outlook won't send but Thunderbird does not either", Facts("thunderbird")),
        # a title's parts: a capital after "|" is a sentence's first word, not Apple's Mail
        (
            "VPS | Mail bouncing to Hotmail ... Whenever I want to send an email to hotmail",
            Facts("mail"),
        ),
        ("Today, Mail went postal on my computer", Facts("mail", platform="mac")),
        # numbers that are not the program's release
        ("1. Thunderbird cannot import from Evolution backups.", Facts("thunderbird")),
        ("I can't send from Thunderbird to 2 hotmail accounts", Facts("thunderbird")),
        ("server does not support activesync v.2.5 in thunderbird", Facts("thunderbird")),
        ("These are folders brought over from Eudora to Thunderbird", Facts("thunderbird")),
        # guards: the release right beside the name stays
        ("Thunderbird 2. It does not send", Facts("thunderbird", "2")),
        ("2. Outlook 2007 fails", Facts("outlook", "2007")),
        ("2007 Outlook won't send", Facts("outlook", "2007")),
        ("I have Outlook 2010 with 2 gmail accounts", Facts("outlook", "2010")),
        # elementary OS's own Mail is not Apple's
        ("It would be awesome if this could be added to elementary Mail", Facts("pantheon-mail")),
        # a title naming the website in full, the post below it the bare name: the website
        ("outlook.live.com - site is not usable ... Outlook often crashes", Facts("outlook-web")),
        # guards: the site works, the post names the app, or the title is the account's domain
        ("outlook.live.com works ... Outlook won't send", Facts("outlook")),
        ("outlook.live.com - site is not usable ... Outlook app crashes", Facts("outlook-app")),
        ("outlook.com ... Outlook won't send anything", Facts("outlook")),
        # the review's guards
        ("Outlook sends fine but Thunderbird doesn't", Facts("thunderbird")),
        ("Thunderbird 2 loses emails after compacting", Facts("thunderbird", "2")),
        ("Outlook 98 sends emails twice", Facts("outlook", "98")),
        ("Mail 7 shows messages twice on my Mac", Facts("mail", "7", platform="mac")),
        (
            "The latest update brought a problem: emails from Thunderbird to Outlook arrive garbled",
            Facts("thunderbird"),
        ),
        ("Sorry for the elementary mail question: Thunderbird won't send", Facts("thunderbird")),
        # a range of releases whose guides differ: ask (one guide: keep it)
        ("Styles failing in Outlook 2007 and up?", Facts("outlook")),
        ("Outlook 2000 - 2003 Image Alignment", Facts("outlook")),
        ("Outlook 2013-2016 cellpadding ignored", Facts("outlook", "2013")),
        ("Outlook 2010 and up", Facts("outlook", "2010")),
        ("Hera Mail 1.08 - 15. Okt. 2018 crashes on my Mac", Facts("mail", "1.08", platform="mac")),
        # a named service with an app's release is its app
        ("Yahoo Mail (v7.65.1) on iOS 18.5", Facts("yahoo-mail", "7.65.1", "ios")),
        ("webmail Web-Mail-1.0.17 and Thunderbird", Facts("thunderbird")),
        # an add-on's own release is not the program's
        ('display area of "Thunderbird Conversations 2.14.7" is white', Facts("thunderbird")),
        # Mozilla's e-mail program today ("Mozilla Mail" stays the old suite)
        ("I have been using Mozilla email for years, now it won't send", Facts("thunderbird")),
        ("my mozilla mail won't send", Facts("mozilla-suite")),
        ("outlook.live.com IMAP settings ... Outlook keeps asking for password", Facts("outlook")),
        (
            "outlook.live.com smtp server ... Outlook on my Mac can't send",
            Facts("outlook", platform="mac"),
        ),
    ],
)
def test_echoed_auxiliary_and_title_separators(extractor, text, facts):
    """Stop 45: "X won't send but Y does" (Y works); "A | Mail ..." starts a title's part; a
    list's "1." opening a line, "2 hotmail accounts", "v.2.5 in thunderbird" are no releases;
    "brought over from" is a move; "elementary Mail"; a title's "outlook.live.com" over the
    post's bare "Outlook"."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text, facts",
    [
        # "<name> email program" calls the name a program, not its account
        (
            "My Thunderbird email program ran into problems getting mail from Google.",
            Facts("thunderbird"),
        ),
        ("I have recently installed Thunderbird email client", Facts("thunderbird")),
        # guards: the account stays the account
        ("my Outlook email account stopped in Thunderbird", Facts("thunderbird")),
        # a lower-case "mail" got or gotten is the noun (not Apple's "Cannot Get Mail" alert)
        ("Cannot Get Mail: the mail server is not responding", Facts("mail")),
        # a number after a capitalised name inside a sentence is that name's release
        (
            "Under ubuntu14.04,lightning 4.0.2+ EDS Calendar Integration 0.4.1 cause Thunderbird frozen",
            Facts("thunderbird"),
        ),
        # guards: a number opening the sentence, or after "version", is the program's
        ("After 115 Thunderbird crashes", Facts("thunderbird", "115")),
        ("I use version 2 Thunderbird", Facts("thunderbird", "2")),
        # a service's name said as an account (or its calendar) in another program, once: the
        # account throughout
        (
            "frustrating pair: Microsoft (Win11, Outlook) & TB ... Thunderbird cannot setup"
            " Outlook mailbox",
            Facts("thunderbird", platform="windows", os="windows-11"),
        ),
        ("Adding hotmail (live, outlook) accounts to Thunderbird", Facts("thunderbird")),
        ("How do I link my outlook calendar to Thunderbird", Facts("thunderbird")),
        # guards: with a release, or with no other program, Outlook stays
        (
            "Outlook 2016 won't send ... my Outlook account works in Thunderbird",
            Facts("outlook", "2016"),
        ),
        ("my Outlook calendar does not open", Facts("outlook")),
        # the bare name after its phone edition is the edition again
        (
            "i just tried Thunderbird for Android and I love it ... but it appears that TB does not",
            Facts("k9"),
        ),
        # guards: the bare name said on a desktop is the desktop program
        (
            "Thunderbird for Android works ... but TB on my PC won't send",
            Facts("thunderbird", platform="windows"),
        ),
        # a range down from a release whose guides differ asks; a service's protocol is its server
        ("Start Microsoft Outlook 2016 or older", Facts("outlook")),
        ("Outlook 2010 and earlier", Facts("outlook")),
        (
            "Loss of attachment when moving a message on Outlook.com IMAP ... Set up Mail with"
            " the account",
            Facts("mail", platform="mac"),
        ),
        ("Message lost on Gmail IMAP", Facts()),
        # guards: a range up to the latest within one guide, a release alone
        ("Outlook 2016 or newer", Facts("outlook", "2016")),
        ("Outlook 2016 or so", Facts("outlook", "2016")),
        # steps numbered 1, 2, 3 with no mark, as typed in a chat, are no releases
        (
            "1 open mozilla thunderbird 2 open any email folder 3 switch to threaded view",
            Facts("thunderbird"),
        ),
        ("thunderbird 2 wont send", Facts("thunderbird", "2")),
        # Geary typed in lower case (not a street of that name)
        ("sending smtp mails fails on geary", Facts("geary")),
        ("Our office is on geary street and outgoing email is blocked.", Facts()),
        ("hi this is tom geary from accounts, my outlook cant send emails", Facts("outlook")),
        ("hi tom geary here cant send email from my iphone", Facts(platform="ios")),
        ("messages not sent by geary on linux", Facts("geary", platform="linux")),
        # Evolution typed in lower case right after "for"/"on", the phrase ending there
        ("how do i specify the pop and smtp port numbers for evolution", Facts("evolution")),
        (
            "i've just configured a new account on evolution connecting to my site",
            Facts("evolution"),
        ),
        ("there is room for evolution in our mail setup", Facts("mail")),
        ("we had a talk on evolution and now outlook won't send", Facts("outlook")),
        ("i teach a course on evolution. my school email cannot send", Facts()),
        ("cant add my yahoo account on evolution", Facts("evolution")),
        # "there are 2" is a count, not a release
        ("On TB there are 2 tabs, Sent and Sent Mail", Facts("thunderbird")),
        ("with apple mail there are 2 smtp servers listed and neither works", Facts("apple-mail")),
        # "tb" in lower case stays a size, a word of Spanish ("también") or an illness
        ("yo tb tengo el mismo problema, no puedo enviar correos", Facts()),
        ("my 2 tb disk is full", Facts()),
        # "Thunderbolt" is the port, not a program
        ("installed thunderbolt drivers and now outlook cant send", Facts("outlook")),
        # the review's guards
        ("Thunderbird OAuth fails: Outlook email client ID not accepted.", Facts("thunderbird")),
        (
            "I can't get mail to work on my Mac, it won't send anything.",
            Facts("mail", platform="mac"),
        ),
        ("I have Microsoft 2010 Outlook and it asks for the password", Facts("outlook", "2010")),
        ("Seit dem Update 128 Thunderbird sendet keine E-Mails mehr.", Facts("thunderbird", "128")),
        (
            "Outlook won't send. I tried Thunderbird and it sends fine, so the Outlook account"
            " itself is OK.",
            Facts("outlook"),
        ),
        (
            "I just tried Thunderbird for Android and I love it ... but my desktop TB won't send.",
            Facts("thunderbird"),
        ),
        (
            "Thunderbird for Android works fine ... but TB keeps failing to send on my Linux box.",
            Facts("thunderbird", platform="linux"),
        ),
        ("Outlook 2016 and earlier this week it stopped sending.", Facts("outlook", "2016")),
    ],
)
def test_program_words_and_other_names_numbers(extractor, text, facts):
    """Stop 46: "Thunderbird email program" is the program; "getting mail" the noun; "EDS
    Calendar Integration 0.4.1 cause Thunderbird frozen" gives Thunderbird no release; a
    service said as an account in another program; the bare name after its phone edition;
    "Outlook 2016 or older" asks; "Gmail IMAP" is the server; typed steps; lower-case Geary."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # mail that arrives on a device, or that the customer is able to get there: it works
        # there, so the program with the trouble is the customer's
        (
            "Thunderbird stopped getting my mail today, while it all arrived on my iPhone.",
            Facts("thunderbird"),
        ),
        (
            "Thunderbird won't send. I am able to receive email on my phone though.",
            Facts("thunderbird"),
        ),
        (
            "Thunderbird shows nothing new, the emails are coming through on my iPhone though",
            Facts("thunderbird"),
        ),
        # guards: the device with the trouble stays the customer's (the review's)
        ("my emails never arrived on my iPhone", Facts(platform="ios")),
        ("Only half the mails arrive on my iPad", Facts(platform="ios")),
        ("email arrives on my iphone but then disappears from the inbox", Facts(platform="ios")),
        ("My emails don't show up in Thunderbird but do on my iPhone", Facts(platform="ios")),
        ("my iPhone and iPad which could receive emails until yesterday", Facts(platform="ios")),
        ("Thunderbird on my PC is fine but mail does not arrive on my iPad", Facts(platform="ios")),
        # Evolution's data server is Evolution
        ("evolution-data-server eats my CPU since the update", Facts("evolution")),
        # guard: trouble using it is no denial
        (
            "I can't use the Outlook app on my iPhone since yesterday",
            Facts("outlook-app", platform="ios"),
        ),
        # a program's own messages are the program's (no account), unless another program
        # is named on in the sentence (where they go)
        ("My Thunderbird emails only show links now. I used Outlook before.", Facts("thunderbird")),
        ("Can he switch his Outlook Express email over to Thunderbird?", Facts("thunderbird")),
        ("my Eudora emails are not showing in Thunderbird", Facts("thunderbird")),
        # a release in brackets right after the name is the program's; a count there is none
        (
            "I tried Outlook. Now trying out Thunderbird (version 115) and it won't send.",
            Facts("thunderbird", "115"),
        ),
        (
            "I tried Outlook. Now trying out Thunderbird (115) and it won't send.",
            Facts("thunderbird", "115"),
        ),
        ("Thunderbird (2 Gmail accounts) won't sync since Monday", Facts("thunderbird")),
        # a phone said to work (an echoed auxiliary, ", still works", a list of devices that
        # "can receive") is not the one with the trouble
        (
            "One of my accounts will not send email from Thunderbird, but will on my iPhone"
            " and iPad.",
            Facts("thunderbird"),
        ),
        (
            "My thunderbird on my computer stopped loading new messages. The email on my phone,"
            " through the mail app on iphone, still works perfectly.",
            Facts("thunderbird"),
        ),
        (
            "Thunderbird fails to log in. I changed the server to match my ipad and iphone which"
            " can receive emails.",
            Facts("thunderbird"),
        ),
        (
            "Not receiving emails in Thunderbird on my PC. Coming through on iphone though",
            Facts("thunderbird", platform="windows"),
        ),
        # guards: the device with the trouble stays
        (
            "having trouble logging in on macbook, no issues on my cell phone.",
            Facts(platform="mac"),
        ),
        ("Thunderbird on my PC works but my iPhone and iPad won't send", Facts(platform="ios")),
        # "my outlook 365 password" is the account's, read in the program named
        (
            "I can't receive my mail in Thunderbird. My outlook 365 password seems to fail.",
            Facts("thunderbird"),
        ),
        ("Outlook 365 keeps asking for my password", Facts("outlook", "365")),
        ("my Outlook 365 password prompt keeps coming back", Facts("outlook", "365")),
    ],
)
def test_mail_arriving_elsewhere_and_programs_not_used(extractor, text, facts):
    """Stop 47: a device mail arrives on is where it works; Evolution's data server; "I
    can't use the Outlook app" is trouble, no denial; "Thunderbird emails" are Thunderbird's;
    "Thunderbird (115)" is named with its release, "(2 Gmail accounts)" is a count; a phone
    said to work (also in a list of devices) is not where the trouble is."""
    assert extractor.facts(text) == facts


@pytest.mark.parametrize(
    "text,facts",
    [
        # Android's own app store and Galaxy Fold/Flip models are Android
        ("Running Thunderbird from F-Droid, it won't send", Facts("thunderbird", None, "android")),
        (
            "I can't move my thunderbird settings to my new Fold 7",
            Facts("thunderbird", None, "android"),
        ),
        ("my Z Flip6 will not send mail", Facts(None, None, "android")),
        ("the fold 3 of the page", Facts()),
        # the whole model is the device: no "5" release, and "gets mail fine" is said of it
        (
            "Thunderbird 24 on my PC, my Z Flip 5 gets mail fine.",
            Facts("thunderbird", "24", "windows"),
        ),
        ("a score, a store and a shore", Facts()),
        # ... not the Play Store: it sends receipts and has accounts (review of stop 48)
        (
            "Play Store purchase confirmations don't arrive in Thunderbird anymore.",
            Facts("thunderbird"),
        ),
        # Thunderbird 24 ESR was a desktop release: a phone said elsewhere keeps it (review)
        (
            "Thunderbird 24 on Windows 7 can't send. My Android phone can.",
            Facts("thunderbird", "24", "windows", "windows-7"),
        ),
        (
            "Help! Thunderbird 24 won't send since yesterday. I'm writing from my Android phone.",
            Facts("thunderbird", "24"),
        ),
        # "I'm using X" is no sign of the program with the trouble (withdrawn after the review)
        (
            "I'm using Gmail in Outlook 2013 and it won't send, error 0x800CCC0F.",
            Facts("outlook", "2013"),
        ),
        (
            "I'm using Thunderbird to test because Outlook 2016 won't connect to the server.",
            Facts("outlook", "2016"),
        ),
        # a small number between an owner and the things it counts
        (
            "Running Thunderbird on my 2 computer but have not received new mail",
            Facts("thunderbird"),
        ),
        ("her 2 inboxes in Thunderbird are empty", Facts("thunderbird")),
        ("Thunderbird 2 on my computer won't send", Facts("thunderbird", "2")),
        # a verb between a number and the name: the number is its subject's
        ("Mithchell 1 uses Thunderbird. I am unable to send emails", Facts("thunderbird")),
        ("Thunderbird 2 uses too much memory", Facts("thunderbird", "2")),
        ("my 2007 Outlook won't send", Facts("outlook", "2007")),
        # Thunderbird's profile folder pasted from an error dialog
        (
            "I received an error saying 'The Local Directory path "
            "C:\\Users\\me\\AppData\\Roaming\\Thunderbird\\Profiles\\q2h.default\\Mail\\Local "
            "Folders' is not suitable for message storage",
            Facts("thunderbird", None, "windows"),
        ),
        (
            "C:\\Documents and Settings\\me\\Application Data\\Thunderbird\\Profiles\\x.default is full",
            Facts("thunderbird", None, "windows"),
        ),
        (
            "the path /home/bob/.thunderbird/abc.default is full",
            Facts("thunderbird", None, "linux"),
        ),
        ("~/Library/Thunderbird/Profiles/abc.default is full", Facts("thunderbird", None, "mac")),
        (
            "my backup folder C:\\Users\\me\\Documents\\Profiles is full",
            Facts(None, None, "windows"),
        ),
    ],
)
def test_android_stores_counts_and_profile_paths(extractor, text, facts):
    """Stop 48: F-Droid and foldable Galaxy models are Android (the Play Store is not); "my 2
    computer" is a count; Thunderbird's pasted profile folder names the program; the review's
    guards of what was withdrawn ("I'm using X", Thunderbird 20-29 beside a phone)."""
    assert extractor.facts(text) == facts
