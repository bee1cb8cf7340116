"""Which of a message's mentions describe the customer's set-up.

`MentionExtractor` (mentions.py) finds every program, version, device and OS a message names;
this module chooses among them (with the salience scores of salience.py, and the release from
the numbers with version_choice.py) the facts the resolver works from, and states them as Rasa
entities on the words that say them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, Dict, List, Optional, Sequence

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.resolver import build_platform, release_outcome
from smtpbot.understanding.context import (
    device_cue,
    listed_cue,
    versioned,
    word_at,
    works_in_clause,
    written_as_name,
)
from smtpbot.understanding.cues import (
    DESKTOPS,
    DEVICES,
    LIST_JOINERS,
    MESSAGES,
    PROGRAM_DATA,
    PROGRAM_DETERMINERS,
    SENTENCE_ENDS,
    WORKED,
    WORKS,
)
from smtpbot.understanding.salience import (
    alternative,
    choose_client,
    choose_platform,
    own_webmail,
)
from smtpbot.understanding.version_choice import (
    OS_X_NUMBER,
    channel_version,
    loose_unreleased_year,
    os_x,
    stated_version,
    updated_to,
    upgraded_to,
    version_for,
    versions_differ,
    versions_offered,
    written_as_version,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from smtpbot.understanding.mentions import Mention, MentionExtractor

# Before a capitalised "Mail", these make it a German noun ("eine Mail", "die Mail"), not a name
GERMAN_DETERMINERS = {"eine", "einer", "einen", "die", "der", "den", "diese", "dieser", "meine"}
GERMAN_DETERMINERS |= {"keine", "jede", "jeder", "ihre", "seine", "deine", "unsere"}
PHONES = {"ios", "android", "phone"}


def mac_mail_named(doc: Doc, mention: Mention) -> bool:
    """ "crashes Mail every time", "remove the account from Mail!": a bare "Mail" written as a
    name inside a sentence is Apple's Mail; the Windows and phone apps are named with their
    device ("the Mail app on Windows 10"). Not "Sent Mail" or "Yahoo Mail" (part of a longer
    name) and not the German noun ("eine Mail")."""
    if mention.token_end - mention.token_start != 1 or doc[mention.token_start].text != "Mail":
        return False
    previous = doc[mention.token_start - 1] if mention.token_start else None
    if previous is not None and (
        previous.text[:1].isupper() or previous.lower_ in GERMAN_DETERMINERS
    ):
        return False
    return written_as_name(doc, doc[mention.token_start : mention.token_end])


def _same_or_longer(mention: Mention, chosen: Mention) -> bool:
    """The chosen client, or a longer name that begins with the chosen one's name, whatever
    client that name is filed under: "New Outlook for Mac" (Outlook, on a Mac) says what a later
    "New Outlook" (the new Outlook, kb `outlook-new`) means, and its platform then resolves it."""
    if mention.value == chosen.value:
        return True
    if mention.alias is None or chosen.alias is None:
        return False
    return mention.alias.phrase.startswith(chosen.alias.phrase + " ")


def facts_from(mentions: Sequence[Mention], kb: KnowledgeBase, doc: Optional[Doc] = None) -> Facts:
    """Choose, among the mentions of one message, the facts about the customer's set-up."""
    clients = short_names_dropped([m for m in mentions if m.kind == "client"], doc)
    # "MacOS email client "Mail" version 9.3": a name says which program (kb `yields`)
    clients = [m for m in clients if not kb.clients.get(m.value, {}).get("yields")] or clients
    devices = {m.token_end for m in mentions if m.kind in ("platform", "os")}
    chosen = choose_client(kb, clients, doc, devices)
    platforms = [m for m in mentions if m.kind == "platform"]
    if chosen is not None and _web_client_beside_phone(kb, chosen, clients, platforms):
        chosen = None  # the phone's own mail app is the customer's program
    # "Outlook for Mac ... Outlook for PC": the device said with the chosen program wins.
    # Any mention of it counts: "Outlook 2016 no autodiscover ... Outlook 2016 for mac".
    said_with = [m for m in clients if chosen and m.value == chosen.value]
    attached = [m for m in platforms if _said_beside(m, said_with, after=2, doc=doc)]
    platform = choose_platform(platforms, attached, doc, kb.mobile_platforms)
    if chosen is None and _phones_listed_together(platforms, doc, kb.mobile_platforms):
        platform = None  # "users on both Android and iPhone": neither phone's own app; ask
    if (
        platform == "ios"
        and chosen is not None
        and _device_app_instead(kb, chosen, said_with, platforms, doc)
    ):
        chosen, said_with = None, []  # "Thunderbird on my PC ... my iPhone won't": iPhone Mail
    if platform is None and chosen is not None and _app_on_a_phone(kb, said_with, doc):
        platform = "phone"  # "the Thunderbird app ... on my smartphone": its phone app
    systems = [m for m in mentions if m.kind == "os"]
    # "since updating to macOS Sierra ... worked under El Capitan": the release updated to
    updated = [m for m in systems if updated_to(doc, m)]
    os_id = next((m.value for m in reversed(updated or systems)), None)
    version = path_version = None
    if chosen is not None:
        # "Office 365 outlook": every mention of the chosen client may add what its alias says
        # ... and so may a longer name of it said elsewhere: "New Outlook for Mac ... New Outlook"
        for alias in (m.alias for m in clients if m.alias and _same_or_longer(m, chosen)):
            if alias.file_path:
                path_version = path_version or alias.version  # read last: words say it surer
            else:
                version = alias.version or version
            platform = alias.platform or platform
            os_id = alias.os or os_id
    length = len(doc) if doc is not None else 0
    # a number after any of the program's mentions, before one just before it: in
    # "Regression in 3.5.373: Outlook ... Outlook 2021", the 2021 is Outlook's
    named = [chosen] + [m for m in clients if chosen and _same(kb, m, chosen)]
    for mention in named:
        version = version or version_for(mentions, mention, length, doc, before_too=False)
    for mention in named:
        version = version or version_for(mentions, mention, length, doc)
    if chosen is not None and doc is not None:
        for mention in named:  # "... from Outlook to CRM ... Outlook Client Version used: 2016"
            version = version or stated_version(mentions, mention, doc)
        # "Outlook crashes. ... Current Channel Version 2206 (Build 15330.20196)"
        version = version or channel_version(kb, mentions, chosen, doc)
    version = version or path_version
    if version and chosen is not None:
        version = upgraded_to(mentions, chosen, version, doc) or version
        if loose_unreleased_year(kb, chosen, version, named, mentions, doc):
            version = None  # "Order 2017 - Outlook won't send": no release, so no version
    if version and chosen is not None and versions_differ(kb, mentions, chosen, version, doc):
        version = None  # "Outlook 2007 and 2010": which one is the customer's? Ask.
    if platform in PHONES and version and chosen is not None:
        # "Android Thunderbird 115", "Outlook 2013 on my iPhone": the device said with the
        # program (a little wider than `attached`: before it, or after its version)
        beside = any(
            _said_beside(m, [program], 3, 1, doc) and not _listed_apart(doc, m, program)
            for m in platforms
            for program in said_with
        )
        if not beside and _desktop_release(kb, chosen, version, clients, platform):
            platform = None  # "Outlook 2013 ... my iPhone": a desktop release, another device
    if chosen is not None and chosen.value == "mail" and not platform and not os_id and doc:
        if any(mac_mail_named(doc, m) for m in clients if m.value == "mail"):
            platform = "mac"
    if chosen is not None and not platform:
        # "MSOutlook2016 version 16.16.18101500": the build after the year says the Mac edition;
        # with no version, so does one written as a version anywhere ("just updated to v16.28
        # ... reinstalling Outlook"; not "Thunderbird 15.1", "since 15.03.2024", "at 16.05")
        spec = kb.clients.get(chosen.value, {})
        builds = [
            m.value
            for m in mentions
            if m.kind == "version"
            and m.value != version
            and (version or written_as_version(doc, m, mentions))
        ]
        if any(build_platform(spec, build) == "mac" for build in builds):
            platform = "mac"
    if not os_id and (platform == "mac" or (chosen and chosen.value == "apple-mail")):
        # "since the update to 10.8.5" on a Mac: a bare 10.x is the Mac's OS X release
        os_id = next((f"macos-{m.group(1)}" for m in map(os_x, mentions) if m), None)
    number = OS_X_NUMBER.match(version or "")
    if number and os_id == f"macos-{number.group(1)}":
        version = None  # "Mail on 10.6.8": the system's number, not Mail's (Mail 10.6 never was)
    if os_id and not platform:
        platform = platform_of(os_id)
    client = chosen.value if chosen else None
    if chosen is not None and doc is not None:
        client = _said_as_a_word(kb, doc, said_with, platform, devices) or client
    return Facts(client=client, version=version, platform=platform, os=os_id)


def _someones(doc: Doc, start: int, rule: Dict) -> bool:
    """Whether a possessive comes right before `start` (kb `as_a_word.after`: "my", "our";
    "'s" of a person, not of the system or its maker: "my wife's", not "Microsoft's", "windows
    10's")."""
    previous = word_at(doc, start - 1)
    if previous in ("'s", "’s"):
        owner = doc[start - 2] if start >= 2 else None
        return (
            owner is not None
            and owner.is_alpha
            and owner.text.islower()
            and owner.lower_ not in rule["not_after"]
            and owner.lower_ not in DEVICES | DESKTOPS
        )
    return previous in rule["after"]


def _said_as_a_word(
    kb: KnowledgeBase,
    doc: Doc,
    said: Sequence[Mention],
    platform: Optional[str],
    device_ends: AbstractSet[int],
) -> Optional[str]:
    """The client a generic name stands for on this platform when every mention of it is the
    customer's mail (kb `as_a_word`): someone's ("I want my mail in Windows 11", "my wife's
    mail") or an account's ("Mail account windows"), not Windows' Mail app. Written as the
    app's name keeps the app: capitalised inside a sentence ("my Mail keeps crashing"), right
    after the system ("my windows 10 mail"), called an app ("my mail app")."""
    rule = kb.clients.get(said[0].value, {}).get("as_a_word") if said else None
    if not rule or platform not in rule["platforms"]:
        return None
    for mention in said:
        token = doc[mention.token_start]
        following = doc[mention.token_end].norm_ if mention.token_end < len(doc) else ""
        if (
            mention.token_end - mention.token_start > 1
            or mention.alias is None
            or mention.alias.phrase not in rule["words"]
            or token.lower_ not in rule["words"]
            or mention.token_start in device_ends
            or (token.text[:1].isupper() and token.i > 0)
            or not (_someones(doc, mention.token_start, rule) or following in rule["before"])
        ):
            return None
    return rule["client"]


OS_PLATFORMS = (("macos-", "mac"), ("windows-", "windows"))


def platform_of(os_id: str) -> Optional[str]:
    """The platform an OS id says: "macos-14" -> "mac", "windows-10" -> "windows"."""
    return next((p for prefix, p in OS_PLATFORMS if os_id.startswith(prefix)), None)


def _said_beside(
    device: Mention,
    programs: Sequence[Mention],
    after: int,
    before: int = -1,
    doc: Optional[Doc] = None,
) -> bool:
    """Whether the device is said right with one of the programs: at most `after` tokens after
    its end ("Outlook for Mac", "Thunderbird 115 on Android") or `before` tokens before its start
    ("Android Thunderbird"), in the same sentence ("... Outlook 2013. With iOS 7 it works" is
    another). mentions.beside_client is the same for aliases, with the words allowed between."""
    return any(
        (
            0 <= device.token_start - program.token_end <= after
            and not _sentence_ends(doc, program.token_end, device.token_start)
        )
        or (
            0 <= program.token_start - device.token_end <= before
            and not _sentence_ends(doc, device.token_end, program.token_start)
        )
        for program in programs
    )


def _phones_listed_together(
    platforms: Sequence[Mention], doc: Optional[Doc], mobile: AbstractSet[str]
) -> bool:
    """Whether two different phone systems are listed side by side: "on both Android and
    iPhone", "iOS / Android" (each is some people's phone; not "my iPhone, not the Android")."""
    if doc is None:
        return False
    phones = [m for m in platforms if m.value in mobile]
    return any(
        a.value != b.value
        and b.token_start > a.token_end
        and all(t.lower_ in LIST_JOINERS for t in doc[a.token_end : b.token_start])
        for a, b in zip(phones, phones[1:])
    )


def _listed_apart(doc: Optional[Doc], device: Mention, program: Mention) -> bool:
    """Whether the device is named as a second thing beside the program, not as where it runs:
    "Outlook 2016 and my iPhone", "Outlook 2016, iPhone and iPad" (not "Outlook 2013 on my
    iPhone", "on my iPhone, Outlook 2013 won't send")."""
    first_end = min(program.token_end, device.token_end)
    second_start = max(program.token_start, device.token_start)
    if doc is None:
        return False
    # a comma lists a device said after the program ("Outlook 2016, iPhone and iPad all
    # fail"), not one that sets the scene before it ("on my iPhone, Outlook 2013 won't send")
    joiners = LIST_JOINERS if device.token_start > program.token_start else JOINED
    return any(t.lower_ in joiners for t in doc[first_end:second_start])


JOINED = LIST_JOINERS - {","}


def _sentence_ends(doc: Optional[Doc], start: int, end: int) -> bool:
    """Whether a sentence ends in tokens [start, end)."""
    return doc is not None and any(token.text in SENTENCE_ENDS for token in doc[start:end])


def _desktop_release(
    kb: KnowledgeBase, chosen: Mention, version: str, clients: Sequence[Mention], phone: str
) -> bool:
    """Whether the program's stated number names a release with a guide, where the program
    has none on the `phone` named: "Outlook 2013" is a desktop program (not "Office365", a
    suite that is also the account, not "Mail 9": Apple's Mail has a phone guide too, and not
    a number the phone app has too, kb `phone_releases`: "Thunderbird 10.0" beside Android)."""
    spec = kb.clients.get(chosen.value, {})
    if any(
        m.alias and (m.alias.version or m.alias.platform)
        for m in clients
        if m.value == chosen.value
    ):
        return False  # the name says it: "Office365", "Thunderbird for Android"
    if version in spec.get("service_releases", ()):
        return False
    if spec.get("phone_releases") and re.match(spec["phone_releases"], version):
        return False  # "Thunderbird 10.0 ... Android 11": Thunderbird for Android's number
    on_phone = spec.get("platforms", {}).get(phone, "")
    return on_phone not in kb.guides and release_outcome(spec, version) in kb.guides


def _device_app_instead(
    kb: KnowledgeBase,
    chosen: Mention,
    said_with: Sequence[Mention],
    platforms: List[Mention],
    doc: Optional[Doc],
) -> bool:
    """Whether an iPhone or iPad with the problem uses its own Mail app, not the program named
    (kb `ios_own_app: false`: a desktop program whose iPhone app few customers send with): "my
    Thunderbird email on my iPhone", "Outlook on the PC is fine, my iPad gets no mail".
    Not when the device is said with the program ("Thunderbird on my iPhone"), nor when the
    program is named with its release and nothing says the device has the trouble ("does not
    render in Outlook 2013 ... looks good in iOS")."""
    if kb.clients.get(chosen.value, {}).get("ios_own_app", True):
        return False
    phones = [m for m in platforms if m.value == "ios"]
    if doc is not None:
        # "... to match my iPad and iPhone which can receive emails": said to work there
        phones = [m for m in phones if listed_cue(doc, m, platforms) >= 0]
        if not phones:
            return False
    if any(versioned(doc, program) for program in said_with) and not (
        doc is not None and any(device_cue(doc, phone) > 0 for phone in phones)
    ):
        return False  # "Outlook 2013 ... looks good in iOS": the desktop release has the trouble
    for phone in phones:
        for program in said_with:
            if not (_said_beside(phone, [program], 3, 1, doc) or _runs_on(doc, program, phone)):
                continue
            between = doc[program.token_end : phone.token_start] if doc is not None else []
            if not {t.lower_ for t in between} & MESSAGES:  # "Thunderbird email on my iPhone"
                return False
    return True


# Before a phone, these are skipped to find "on"/"in": "Outlook doesn't work on my iPad"
DETERMINERS = PROGRAM_DETERMINERS | {"his", "her", "their"}
# How many words a program's clause may have before ending on the phone (see _runs_on)
RUNS_ON_REACH = 6


def _runs_on(doc: Optional[Doc], program: Mention, phone: Mention) -> bool:
    """ "Outlook doesn't work on my iPad", "Outlook keeps crashing on iPad": the program's
    clause ends on the device (up to RUNS_ON_REACH words after it; no comma, sentence end or
    "but" between: "works in thunderbird but not working on IOS"; and no data of the program's
    between: "Outlook contacts missing on my iPhone" are synced to the phone's own apps)."""
    if doc is None or not 0 < phone.token_start - program.token_end <= RUNS_ON_REACH:
        return False
    between = doc[program.token_end : phone.token_start]
    if any(t.text in SENTENCE_ENDS or t.lower_ in (",", "but") for t in between):
        return False
    if {t.lower_ for t in between} & PROGRAM_DATA:
        return False
    words = [t.lower_ for t in between if t.lower_ not in DETERMINERS]
    return words[-1:] in (["on"], ["in"])


# Words of a computer: with one of them, "the Thunderbird app" may be the desktop program
COMPUTER_WORDS = (DEVICES - {"iphone", "ipad", "android"}) | DESKTOPS


def _app_on_a_phone(kb: KnowledgeBase, said_with: Sequence[Mention], doc: Optional[Doc]) -> bool:
    """ "entering my address into the Thunderbird app ... Smartphone SMTP", "sullo smartphone
    ... tramite l'app tunderbird", "von Thunderbird ... am Handy": a program with a phone app
    of its own (kb `phone_app`), in a message that speaks of a phone (kb platform `phone`
    words, one-word ones) and of no computer, called an app or said with the customer's own
    phone (_own_phone): its phone app."""
    if doc is None or not said_with or not kb.clients.get(said_with[0].value, {}).get("phone_app"):
        return False
    words = {t.lower_ for t in doc}
    phone_words = kb.phone_words
    if not words & phone_words or words & COMPUTER_WORDS:
        return False
    called_app = any(
        word_at(doc, m.token_end) == "app"
        or word_at(doc, m.token_start - 1) in ("app", "l'app", "l’app")
        for m in said_with
    )
    # ... or the customer's own phone in the program's sentence: "Thunderbird ... am Handy",
    # "Vanaf mijn telefoon: thunderbird ..." (not "from phone coop", not "works on my phone")
    return called_app or any(t.lower_ in phone_words and _own_phone(kb, doc, t.i) for t in doc)


# Before a phone word, these say mail went to it, not that the program runs there
FORWARDED = {
    "forward",
    "forwards",
    "forwarded",
    "forwarding",
    "redirect",
    "redirects",
    "sync",
    "syncs",
}
# Before a phone word, these make it the customer's own phone ("my phone", "am Handy", "op mijn
# smartphone"); a bare preposition does not ("on the phone with your support")
OWN_PHONE = {"my", "mein", "meinem", "meinen", "mijn", "mio", "mia", "mi", "mon", "ma", "meu"}
OWN_PHONE |= {"minha", "mój", "moim", "am", "sul", "sullo"}


def _own_phone(kb: KnowledgeBase, doc: Doc, i: int) -> bool:
    """Whether token i is the customer's own phone (kb platform `phone` words: "my phone", "am
    Handy", "to my cell phone"): not said to work there ("works on my phone"), not a phone's
    data, line or plan (kb `program-device` `not_followed_by`), not something sent to it
    ("forwards my mail to my phone"). Anywhere in the message: the matcher's pipeline sets no
    sentence boundaries."""
    phone_rule = kb.context_rules["program-device"]
    before = [t.lower_ for t in doc[max(0, i - 4) : i]]
    after = [t.lower_ for t in doc[i + 1 : i + 5]]
    if not set(before[-2:]) & OWN_PHONE or word_at(doc, i + 1) in phone_rule["not_followed_by"]:
        return False  # (one word may come between: "my work phone", "mein neues Handy")
    if set(before[:-1]) & WORKS or set(before[-1:]) & WORKED or set(after) & WORKS:
        return False  # "to work on my phone", "on my phone it works" (not "my work phone")
    if works_in_clause(doc, i, i + 1):
        return False  # "I am able to receive email on my phone"
    return not {t.lower_ for t in doc[max(0, i - 8) : i]} & FORWARDED


def _web_client_beside_phone(
    kb: KnowledgeBase, chosen: Mention, clients: Sequence[Mention], platforms: List[Mention]
) -> bool:
    """ "ActiveSync on my iPhone ... SOGo web access okay", "setup on my iPhone ... can login via
    roundcube": a web client on the mail server (kb guide `uncovered/webmail`; not a mail
    service, but a plain "webmail", kb `server_web`) named beside an iPhone or iPad is where
    mail is checked or still works; the customer's program is the device's Mail app. Not when
    the device is said with the web client itself, wherever it is named ("Roundcube on my
    iPhone", "can't connect via OWA ... I get my mail via OWA on my iPhone")."""
    if not own_webmail(kb, chosen):
        return False
    phones = [m for m in platforms if m.value == "ios"]
    same = [m for m in clients if m.value == chosen.value]
    return bool(phones) and not any(_said_beside(m, same, after=2) for m in phones)


def short_names_dropped(clients: List[Mention], doc: Optional[Doc]) -> List[Mention]:
    """Without the later bare first words of a program named in full: in "Outlook Express
    keeps mail in dbx files ... no access to outlook", the second name is Outlook Express
    (but "Outlook Express works, Outlook 2002 fails" names two programs)."""
    full = []
    kept = []
    for mention in clients:
        phrase = mention.alias.phrase if mention.alias else ""
        if phrase and " " not in phrase and not versioned(doc, mention):
            if any(value != mention.value and first == phrase for value, first in full):
                continue
        if " " in phrase:
            full.append((mention.value, phrase.split()[0]))
        kept.append(mention)
    return kept


def _same(kb: KnowledgeBase, mention: Mention, chosen: Mention) -> bool:
    """Whether `mention` names the chosen program: the same client, or a generic name whose
    version means that client ("Mail 8.2: ... Mail.app": kb `with_version: client/apple-mail`)."""
    if mention.value == chosen.value:
        return True
    with_version = str(kb.clients.get(mention.value, {}).get("with_version", ""))
    return with_version == f"client/{chosen.value}"


def _states(mention: Mention, fact: str, value: str) -> bool:
    """Whether the mention states this fact's value: "on Windows 10" states the platform
    Windows as well as the OS."""
    if fact == "platform" and mention.kind == "os":
        return platform_of(mention.value) == value
    return mention.value == value


def fact_entities(text: str, extractor: MentionExtractor) -> List[Dict[str, object]]:
    """The message's facts as Rasa entities (one per fact), each on the span that states it."""
    mentions, doc = extractor.analyse(text)
    facts = facts_from(mentions, extractor.kb, doc)
    entities = []
    for name in ("client", "version", "platform", "os"):
        value = getattr(facts, name)
        if value is None:
            continue
        kinds = {
            "client": ("client",),
            "version": ("version",),
            "platform": ("platform", "os"),
            "os": ("os",),
        }[name]
        stating = [m for kind in kinds for m in reversed(mentions) if m.kind == kind]
        source = next((m for m in stating if _states(m, name, value)), None)
        source = source or next(
            (m for m in reversed(mentions) if m.kind == "client" and m.value == facts.client), None
        )
        start, end = (source.start, source.end) if source else (0, len(text))
        entities.append(_entity(text, name, value, start, end))
    clients = [m for m in mentions if m.kind == "client"]
    chosen = next((m for m in clients if m.value == facts.client), None)
    other = alternative(extractor.kb, clients, doc, chosen)
    if other is not None:  # "Thunderbird or Apple Mail": the bot asks which one
        entities.append(_entity(text, "alternative", other.value, other.start, other.end))
    for mention in clients:  # "it's my iPhone, not Outlook": mid-guide, not Outlook's guide
        if mention.negated and mention.value != facts.client:
            entities.append(_entity(text, "denied", mention.value, mention.start, mention.end))
    for value in versions_offered(mentions, chosen, doc)[1:]:  # "2010 or 2013": the bot
        number = next(m for m in mentions if m.value == value)  # checks they share a guide
        entities.append(_entity(text, "other_version", value, number.start, number.end))
    return entities


def _entity(text: str, name: str, value: object, start: int, end: int) -> Dict[str, object]:
    """A Rasa entity of the extractor's, on text[start:end]."""
    return {
        "entity": name,
        "value": value,
        "start": start,
        "end": end,
        "text": text[start:end],
        "confidence_entity": 1.0,
    }
