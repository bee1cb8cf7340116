"""Which of a message's mentions describe the customer's set-up.

`MentionExtractor` (mentions.py) finds every program, version, device and OS a message names;
this module chooses among them (with the salience scores of salience.py) the facts the resolver
works from, and states them as Rasa entities on the words that say them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, Dict, List, Optional, Sequence

from smtpbot.kb.facts import LATEST, Facts
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.resolver import build_platform, release_outcome, resolve_guide
from smtpbot.understanding.context import (
    device_cue,
    only_filler,
    versioned,
    word_at,
    written_as_name,
)
from smtpbot.understanding.cues import (
    DESKTOPS,
    DEVICES,
    LIST_JOINERS,
    MESSAGES,
    SAYING,
    UPGRADED,
    WORKED,
    WORKS,
)
from smtpbot.understanding.salience import (
    alternative,
    choose_client,
    choose_platform,
    own_webmail,
)
from smtpbot.understanding.versions import VERSION_NAMES

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from smtpbot.understanding.mentions import Mention, MentionExtractor

# Before a capitalised "Mail", these make it a German noun ("eine Mail", "die Mail"), not a name
GERMAN_DETERMINERS = {"eine", "einer", "einen", "die", "der", "den", "diese", "dieser", "meine"}
GERMAN_DETERMINERS |= {"keine", "jede", "jeder", "ihre", "seine", "deine", "unsere"}
PHONES = {"ios", "android", "phone"}
SENTENCE_ENDS = {".", ";", "!", "?"}


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
    updated = [m for m in systems if _updated_to(doc, m)]
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
        version = version or _version_for(mentions, mention, length, doc, before_too=False)
    for mention in named:
        version = version or _version_for(mentions, mention, length, doc)
    if chosen is not None and doc is not None:
        for mention in named:  # "... from Outlook to CRM ... Outlook Client Version used: 2016"
            version = version or _stated_version(mentions, mention, doc)
        # "Outlook crashes. ... Current Channel Version 2206 (Build 15330.20196)"
        version = version or _channel_version(kb, mentions, chosen, doc)
    version = version or path_version
    if version and chosen is not None:
        version = _upgraded_to(mentions, chosen, version, doc) or version
    if version and chosen is not None and _versions_differ(kb, mentions, chosen, version, doc):
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
            and (version or _written_as_version(doc, m, mentions))
        ]
        if any(build_platform(spec, build) == "mac" for build in builds):
            platform = "mac"
    if not os_id and (platform == "mac" or (chosen and chosen.value == "apple-mail")):
        # "since the update to 10.8.5" on a Mac: a bare 10.x is the Mac's OS X release
        os_id = next((f"macos-{m.group(1)}" for m in map(_os_x, mentions) if m), None)
    number = OS_X_NUMBER.match(version or "")
    if number and os_id == f"macos-{number.group(1)}":
        version = None  # "Mail on 10.6.8": the system's number, not Mail's (Mail 10.6 never was)
    if os_id and not platform:
        platform = platform_of(os_id)
    return Facts(
        client=chosen.value if chosen else None, version=version, platform=platform, os=os_id
    )


OS_PLATFORMS = (("macos-", "mac"), ("windows-", "windows"))


def platform_of(os_id: str) -> Optional[str]:
    """The platform an OS id says: "macos-14" -> "mac", "windows-10" -> "windows"."""
    return next((p for prefix, p in OS_PLATFORMS if os_id.startswith(prefix)), None)


# Words around a bare number given as the answer to "which version?"
ANSWER_FILLER = SAYING | {"think", "one", "from", "version", "ver", "maybe", "probably", "believe"}
ANSWER_FILLER |= {"guess", "pretty", "sure", "says", "shows", "about", "like", "um", "hmm", "yeah"}
ANSWER_FILLER |= {"edition", "on", "have", "got", "running", "currently", "now", "this"}
ANSWER_FILLER |= {"we", "we're", "'re", "are"}  # "I'm on version 2", "we're using 2010 now"
# ... and a correction: "sorry, it's actually 2007", "oh wait, it's 2010", "no, 2013" (not
# "not": "it's not 2013" names the wrong one)
ANSWER_FILLER |= {"sorry", "oops", "wait", "oh", "ah", "actually", "no", "nope", "mean", "meant"}
ANSWER_FILLER |= {"instead", "rather", "really", "correction", "mistake", "bad"}


# ... and between two or more numbers offered as a choice: "2010 or 2013", "either 2007 or 2010"
ANSWER_CHOICE = {"or", "either", "and", "between"}
# "not" only in "not sure": "it's not 2013" names the wrong one
NOT_SURE = {"sure", "certain", "positive"}


def _answer_of_numbers(doc: Optional[Doc], numbers: Sequence[Mention]) -> bool:
    """A message that is these numbers and words an answer is made of: "it's the one from 2016
    I think", "version 2013 I believe", "2010 or 2013, not sure" (not "I have 3 accounts")."""
    if doc is None:
        return False
    skip = {i for m in numbers for i in range(m.token_start, m.token_end)}
    skip |= {t.i for t in doc if t.lower_ == "not" and word_at(doc, t.i + 1) in NOT_SURE}
    return only_filler(doc, skip, ANSWER_FILLER | (ANSWER_CHOICE if len(numbers) > 1 else set()))


def versions_offered(
    mentions: Sequence[Mention], client: Optional[Mention], doc: Optional[Doc]
) -> List[str]:
    """The releases of an answer that offers a choice, with no program: "2010 or 2013, not
    sure" -> ["2010", "2013"] (whether they share a guide is for the program asked about)."""
    numbers = [m for m in mentions if m.kind == "version"]
    if client is not None or len(numbers) < 2 or len(numbers) != len(mentions):
        return []
    if not _answer_of_numbers(doc, numbers):
        return []
    return list(dict.fromkeys(m.value for m in numbers))


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


# Words of an update to a new release: "since updating to Sierra", "upgraded to iOS 17"
UPDATES = {"update", "updated", "updating", "updates", "upgrade", "upgraded", "upgrading"}


def _updated_to(doc: Optional[Doc], mention: Mention) -> bool:
    """Whether the system is named as the release updated to: "updating to macos Sierra",
    "upgraded my Mac to Mojave" (not "worked under El Capitan")."""
    if doc is None or mention.token_start < 2:
        return False
    words = [t.lower_ for t in doc[max(0, mention.token_start - 5) : mention.token_start]]
    return "to" in words[-2:] and _update_done(doc, mention.token_start, UPDATES)


def _update_done(doc: Doc, start: int, verbs: AbstractSet[str]) -> bool:
    """Whether one of `verbs` comes within 5 words before `start`, not as an update to come,
    not done or asked about: "I want to update to Windows 11", "I haven't upgraded to Sierra
    yet", "should I upgrade to Sierra?", "thinking about upgrading"."""
    first = max(0, start - 5)
    words = [t.lower_ for t in doc[first:start]]
    update = next((i for i, w in enumerate(words) if w in verbs), None)
    if update is None:
        return False
    return not {t.lower_ for t in doc[max(0, first + update - 4) : first + update]} & INTENDED


def _written_as_version(doc: Optional[Doc], number: Mention, mentions: Sequence[Mention]) -> bool:
    """ "v16.28", "version 16.28": a number written as a release, not said after another name
    ("Exchange server 15.2", "Thunderbird 15.1")."""
    if doc is None:
        return False
    start = number.token_start
    marked = doc[start].lower_.startswith("v") or word_at(doc, start - 1) in VERSION_NAMES
    return marked and not any(
        m.kind != "version" and 0 <= start - m.token_end <= 2 for m in mentions
    )


def _upgraded_to(
    mentions: Sequence[Mention], chosen: Mention, version: str, doc: Optional[Doc]
) -> Optional[str]:
    """ "I upgraded from Outlook 2007 to 2010": the number right after the program's, after
    "to", is the release in use (not "I want to upgrade from Outlook 2007 to 2010", "How do I
    upgrade Outlook 2007 to 2016?", "The upgrade from Outlook 2007 to 2016 failed": still 2007)."""
    if doc is None:
        return None
    numbers = [m for m in mentions if m.kind == "version"]
    first = next((m for m in numbers if m.token_start == chosen.token_end), None)
    if first is None or first.value != version or word_at(doc, first.token_end) != "to":
        return None
    target = next((m for m in numbers if m.token_start == first.token_end + 1), None)
    if target is None or not _update_done(doc, chosen.token_start, UPGRADED):  # done ones only
        return None
    return target.value


INTENDED = {"to", "will", "want", "wanna", "going", "plan", "planning", "should", "can", "could"}
INTENDED |= {"would", "might", "shall", "may", "'ll", "about", "thinking", "n't", "not", "never"}
INTENDED |= {"havent", "hasnt", "if", "whether"}


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
    if any(versioned(doc, program) for program in said_with) and not (
        doc is not None and any(device_cue(doc, phone) > 0 for phone in phones)
    ):
        return False  # "Outlook 2013 ... looks good in iOS": the desktop release has the trouble
    for phone in phones:
        for program in said_with:
            if not _said_beside(phone, [program], 3, 1, doc):
                continue
            between = doc[program.token_end : phone.token_start] if doc is not None else []
            if not {t.lower_ for t in between} & MESSAGES:  # "Thunderbird email on my iPhone"
                return False
    return True


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


def _versions_differ(
    kb: KnowledgeBase,
    mentions: Sequence[Mention],
    chosen: Mention,
    version: str,
    doc: Optional[Doc],
) -> bool:
    """ "Outlook 2007 and 2010", "Outlook 2003, 2007, 2010": the program's number is one of a
    list of numbers whose guides differ, so the message does not say which one is the
    customer's ("Outlook 2010 and 2013" share a guide: either will do)."""
    if doc is None:
        return False
    numbers = [m for m in mentions if m.kind == "version"]
    first = next(
        (m for m in numbers if m.value == version and m.token_start >= chosen.token_end), None
    )
    if first is None:
        return False
    # "Outlook 2007 and outlook 2010": the name may be said again within the list
    named = {
        i
        for m in mentions
        if m.kind == "client" and m.value == chosen.value
        for i in range(m.token_start, m.token_end)
    }
    later = numbers[numbers.index(first) + 1 :]
    if not later:
        return False  # the common case: one number, nothing to compare
    listed = [first]
    for number in later:
        between = [
            t.text.lower()
            for t in doc[listed[-1].token_end : number.token_start]
            if t.i not in named
        ]
        if not between or not set(between) <= LIST_JOINERS | {"|"}:
            break
        listed.append(number)
    if len(listed) < 2:
        return False
    outcomes = {resolve_guide(kb, Facts(chosen.value, m.value)).target for m in listed}
    return len(outcomes) > 1


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


def _stated_version(mentions: Sequence[Mention], chosen: Mention, doc: Doc) -> Optional[str]:
    """ "Outlook on Windows (version 2403, build ...)": a number after the word "version",
    later in the same sentence as the program, with no other program or system in between."""
    device = any(m.kind == "platform" and m.token_start >= chosen.token_end for m in mentions)
    for mention in mentions:
        if mention.kind != "version" or mention.token_start <= chosen.token_end:
            continue
        span = doc[chosen.token_end : mention.token_start]
        if any(t.text in ".!?" for t in span) or any(
            m.kind in ("client", "os") and chosen.token_end <= m.token_start < mention.token_start
            for m in mentions
        ):
            return None
        # "Version used: 2016", "version is 2016": a verb may come between
        words = [t.lower_ for t in span if not t.is_punct and t.lower_ not in STATED]
        if device and OS_X_NUMBER.match(mention.value):
            return None  # "Thunderbird on my Mac version 10.14": the Mac's system
        if words[-1:] and words[-1] in VERSION_NAMES:
            return mention.value
    return None


def _channel_version(
    kb: KnowledgeBase, mentions: Sequence[Mention], chosen: Mention, doc: Doc
) -> Optional[str]:
    """A number that only the program's release channels use (kb `channel_versions`:
    Microsoft 365's "2206", a Click-to-Run build), later in the message than the program and
    said as a channel's ("Current Channel Version 2206", "Version 2206 (Build 15330.20196)"):
    its version wherever it is said (not "Windows 10 Enterprise LTSC version 1809")."""
    channels = kb.clients.get(chosen.value, {}).get("channel_versions", [])
    for mention in mentions:
        if mention.kind != "version" or mention.token_start <= chosen.token_end:
            continue
        start = mention.token_start
        if word_at(doc, start - 1) not in VERSION_NAMES:
            continue
        before = {word_at(doc, start - k) for k in range(2, 5)}
        if not (
            before & CHANNEL_WORDS or "build" in {word_at(doc, start + 1), word_at(doc, start + 2)}
        ):
            continue
        if any(m.kind == "os" and 0 <= start - m.token_end <= 4 for m in mentions):
            continue  # the system's number said after its name ("Windows 10 Pro Version 2004")
        if any(re.match(channel["match"], mention.value) for channel in channels):
            return mention.value
    return None


# Words that say a version number is a release channel's: "Current Channel Version 2206"
CHANNEL_WORDS = {"channel", "office", "365", "outlook", "microsoft", "click-to-run", "m365", "o365"}


def _same(kb: KnowledgeBase, mention: Mention, chosen: Mention) -> bool:
    """Whether `mention` names the chosen program: the same client, or a generic name whose
    version means that client ("Mail 8.2: ... Mail.app": kb `with_version: client/apple-mail`)."""
    if mention.value == chosen.value:
        return True
    with_version = str(kb.clients.get(mention.value, {}).get("with_version", ""))
    return with_version == f"client/{chosen.value}"


STATED = {"used", "is", "was", "installed", "number"}
# 10.4 to 10.15, or 10.0 to 10.3 with a third part: Mail 10.0 to 10.3 (Sierra) were numbered
# with two, so "Mail.app on 10.2.8" is Jaguar's
OS_X_NUMBER = re.compile(r"^(10\.(?:[4-9]|1[0-5])|10\.[0-3](?=\.\d))(?:\.\d+)?$")


def _os_x(mention: Mention) -> Optional["re.Match"]:
    """A bare number that can only be an OS X release (10.4 to 10.15)."""
    return OS_X_NUMBER.match(mention.value) if mention.kind == "version" else None


def _version_for(
    mentions: Sequence[Mention],
    client: Optional[Mention],
    length: int,
    doc: Optional[Doc] = None,
    before_too: bool = True,
) -> Optional[str]:
    """The number that belongs to the client: right after it in the same clause, else
    (`before_too`) just before it.

    With no client, a number is a version only in a message that is little more than it
    ("2013", "version 115": the answer to "which version?").
    """
    numbers = [m for m in mentions if m.kind == "version"]
    if not numbers:
        return None
    if client is None:
        if len(numbers) == 1 and (
            length <= 4
            or numbers[0].value == LATEST
            or _answer_of_numbers(doc, numbers)  # "it's the one from 2016 I think"
        ):
            return numbers[0].value
        offered = versions_offered(mentions, client, doc)  # "2010 or 2013": the first, and
        return offered[0] if offered else None  # the others as `other_version` entities
    between = [m for m in mentions if m.kind in ("client", "platform", "os")]

    def clear(start: int, end: int) -> bool:
        return not any(start <= m.token_start < end for m in between)

    after = [
        m
        for m in numbers
        if 0 <= m.token_start - client.token_end <= 3
        and clear(client.token_end, m.token_start)
        and not _clause_ends(doc, client.token_end, m.token_start)
        and not _other_things_number(doc, client.token_end, m.token_start)
    ]
    owned = {m.token_end for m in between if m is not client}  # "Outlook 2016 works, Mailspring"
    before = [
        m
        for m in numbers
        if 0 <= client.token_start - m.token_end <= 2
        and clear(m.token_end, client.token_start)
        and m.token_start not in owned
    ]
    if after:
        return after[0].value
    if before and before_too:
        return before[-1].value
    return None


def _other_things_number(doc: Optional[Doc], start: int, number: int) -> bool:
    """Whether the number after a program belongs to another name joined to it: "Thunderbird
    and KeePass 2", "Thunderbird with KeePass 2" (not "Thunderbird version 2")."""
    if doc is None or number - start < 2:
        return False
    joined = any(t.lower_ in ("and", "with", "&", "+") for t in doc[start : number - 1])
    name = doc[number - 1]
    return (
        joined
        and name.is_alpha
        and name.text[:1].isupper()
        and name.lower_ not in VERSION_NAMES | EDITIONS
    )


# An edition's name before the release: "Outlook Home and Business 2024"
EDITIONS = {"business", "professional", "pro", "plus", "standard", "home", "enterprise", "student"}


def _clause_ends(doc: Optional[Doc], start: int, end: int) -> bool:
    """Whether a clause ends in tokens [start, end): "On TB, there are 2 tabs" (not "TB,
    version 115", "Thunderbird, 115")."""
    if doc is None:
        return False
    for token in doc[start:end]:
        if token.text in SENTENCE_ENDS and not (
            token.i and doc[token.i - 1].lower_ in VERSION_NAMES
        ):
            return True  # (not the dot of "ver. 2406")
        if token.text == "," and token.i + 1 < end and doc[token.i + 1].lower_ not in VERSION_NAMES:
            return True
    return False


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
