"""Which release the chosen program is, from the numbers of a message.

A number after (or before) the program's name, a version stated in an issue form ("Outlook
Client Version used: 2016"), a Microsoft 365 channel build, the release upgraded to, an answer of
numbers to "which version?"; none when two releases of the program are named and the message
does not say which is the customer's. selection.facts_from asks these once the program is chosen.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, List, Optional, Sequence

from smtpbot.kb.facts import LATEST, Facts
from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.kb.resolver import names_no_release, resolve_guide
from smtpbot.understanding.context import (
    only_filler,
    word_at,
)
from smtpbot.understanding.cues import (
    DATE_PARTS,
    EVENT_WORDS,
    FORECASTS,
    LIST_JOINERS,
    MONTHS,
    OPEN_ENDS,
    PLACED_IN,
    RANGE_JOINERS,
    SAYING,
    SENTENCE_ENDS,
    TITLE_ENDS,
    UPGRADED,
    USED_BY_VERBS,
)
from smtpbot.understanding.versions import VERSION_NAMES, past_version_label

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from smtpbot.understanding.mentions import Mention


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


# Words of an update to a new release: "since updating to Sierra", "upgraded to iOS 17"
UPDATES = {"update", "updated", "updating", "updates", "upgrade", "upgraded", "upgrading"}


def updated_to(doc: Optional[Doc], mention: Mention) -> bool:
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


def written_as_version(doc: Optional[Doc], number: Mention, mentions: Sequence[Mention]) -> bool:
    """ "v16.28", "version 16.28": a number written as a release, not said after another name
    ("Exchange server 15.2", "Thunderbird 15.1")."""
    if doc is None:
        return False
    start = number.token_start
    marked = doc[start].lower_.startswith("v") or word_at(doc, start - 1) in VERSION_NAMES
    return marked and not any(
        m.kind != "version" and 0 <= start - m.token_end <= 2 for m in mentions
    )


def upgraded_to(
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


def versions_differ(
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
    if _open_range(doc, first.token_end):
        # "Outlook 2007 and up", "2007+": every release from it on, the latest too
        ends = {resolve_guide(kb, Facts(chosen.value, v)).target for v in (version, LATEST)}
        return len(ends) > 1
    if _open_range(doc, first.token_end, downwards=True):
        # "Outlook 2016 or older": every release of the version map up to it
        releases = kb.clients.get(chosen.value, {}).get("versions") or {}
        earlier = [str(v) for v in releases if _lower(str(v), version)]
        ends = {resolve_guide(kb, Facts(chosen.value, v)).target for v in [version] + earlier}
        return len(ends) > 1
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
        if not between or not set(between) <= LIST_JOINERS | RANGE_JOINERS | {"|"}:
            break
        if set(between) & RANGE_JOINERS and not _a_range(listed[-1].value, number.value):
            break  # "Mail 1.08 - 15. Okt. 2018": a date after a dash, no range
        listed.append(number)
    if len(listed) < 2:
        return False
    outcomes = {resolve_guide(kb, Facts(chosen.value, m.value)).target for m in listed}
    return len(outcomes) > 1


def _a_range(low: str, high: str) -> bool:
    """Whether two numbers joined by a dash are a range of releases: whole numbers of as many
    digits, rising ("2000 - 2003", "2007-2010")."""
    return low.isdigit() and high.isdigit() and len(low) == len(high) and int(low) < int(high)


# Words after "or"/"and" that open a range downwards: "Outlook 2016 or older"
OPEN_DOWNWARDS = {"older", "earlier", "below", "prior"}
# ... not before a time: "Outlook 2016 and earlier this week it stopped sending"
NOT_A_RANGE_AFTER = {"this", "last", "today", "yesterday", "that", "in", "than"}


def _open_range(doc: Doc, end: int, downwards: bool = False) -> bool:
    """Whether the number ending at token `end` opens a range with no end: "2007 and up",
    "2007 or later", "2007+" (or, `downwards`, no start: "2016 or older")."""
    words = [t.lower_ for t in doc[end : end + 3]]
    if words[:1] == ["+"]:
        return not downwards
    return (
        len(words) >= 2
        and words[0] in ("and", "or")
        and words[1] in (OPEN_DOWNWARDS if downwards else OPEN_ENDS)
        and (len(words) < 3 or words[2] not in NOT_A_RANGE_AFTER)
    )


def _lower(release: str, than: str) -> bool:
    """Whether one release number is below another ("2007" < "2016"; "16.2" < "16.10")."""
    try:
        return [int(p) for p in release.split(".")] < [int(p) for p in than.split(".")]
    except ValueError:
        return False


# Before "version", these make the number the system's: "OS Version 7.x" (typed in lower
# case, "os" is no OS mention)
SYSTEM_WORDS = {"os", "system", "firmware", "kernel", "android", "ios", "ipados", "macos", "osx"}
# How many words "the version of X" may have before "is N": "... I seem to have is 1.0.7"
ASKED_OF_REACH = 6
ASKED_OF_IS = {"is", "was", ":", "="}
# Whole numbers below this, said after a system, may be its release ("Windows ... is 11")
SYSTEM_RELEASES = 30


def _asked_of_version(
    span: "Span",
    words: Sequence[str],
    mentions: Sequence[Mention],
    chosen: Mention,
    number: Mention,
) -> bool:
    """ "The version of X ... is N": N is X's, within ASKED_OF_REACH words and one clause,
    unless a system is named between and N could be its release ("The version of Outlook on my
    Windows PC is 11"; not "... on my Mac is 16.78", "... on this PC is 2016")."""
    doc = span.doc
    if len(span) > ASKED_OF_REACH or word_at(doc, number.token_start - 1) not in ASKED_OF_IS:
        return False
    if any(t.text in (",", ";") for t in span) or set(words) & SYSTEM_WORDS:
        return False  # "The version of Outlook; my OS is 10"
    system_between = any(
        m.kind == "platform" and chosen.token_end <= m.token_start < number.token_start
        for m in mentions
    )
    return not (system_between and number.value.isdigit() and int(number.value) < SYSTEM_RELEASES)


def stated_version(mentions: Sequence[Mention], chosen: Mention, doc: Doc) -> Optional[str]:
    """ "Outlook on Windows (version 2403, build ...)": a number after the word "version",
    later in the same sentence as the program, with no other program or system in between."""
    device = any(m.kind == "platform" and m.token_start >= chosen.token_end for m in mentions)
    asked_of = word_at(doc, chosen.token_start - 1) == "of" and (
        word_at(doc, chosen.token_start - 2) in VERSION_NAMES
    )
    for mention in mentions:
        if mention.kind != "version" or mention.token_start <= chosen.token_end:
            continue
        span = doc[chosen.token_end : mention.token_start]
        if any(t.text in ".!?" for t in span) or any(
            m.kind in ("client", "os") and chosen.token_end <= m.token_start < mention.token_start
            for m in mentions
        ):
            return None
        words = [t.lower_ for t in span if not t.is_punct and t.lower_ not in STATED]
        if asked_of and _asked_of_version(span, words, mentions, chosen, mention):
            return mention.value  # "The version of mozilla-thunderbird I seem to have is 1.0.7"
        # "Version used: 2016", "version is 2016": a verb may come between
        if device and OS_X_NUMBER.match(mention.value):
            return None  # "Thunderbird on my Mac version 10.14": the Mac's system
        if words[-2:-1] and words[-2] in SYSTEM_WORDS:
            return None  # "mail unusable os version 7.1": the system's version, not Mail's
        if words[-1:] and words[-1] in VERSION_NAMES:
            return mention.value
    return None


def channel_version(
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


STATED = {"used", "is", "was", "installed", "number"}
# 10.4 to 10.15, or 10.0 to 10.3 with a third part: Mail 10.0 to 10.3 (Sierra) were numbered
# with two, so "Mail.app on 10.2.8" is Jaguar's
OS_X_NUMBER = re.compile(r"^(10\.(?:[4-9]|1[0-5])|10\.[0-3](?=\.\d))(?:\.\d+)?$")


def os_x(mention: Mention) -> Optional["re.Match"]:
    """A bare number that can only be an OS X release (10.4 to 10.15)."""
    return OS_X_NUMBER.match(mention.value) if mention.kind == "version" else None


def version_for(
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
        if 0 <= _distance(doc, client.token_end, m.token_start) <= RELEASE_REACH
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
        and not _placed_in(doc, m.token_end, client.token_start)
        and not _named_thing_before(doc, m.token_start)
    ]
    if after:
        return after[0].value
    if before and before_too:
        return before[-1].value
    return None


# Before a release and the program's name, these still name the program's release: "Microsoft
# 2010 Outlook", "Seit dem Update 128 Thunderbird"
MAKERS_AND_UPDATES = {"microsoft", "ms", "mozilla", "apple", "office", "update", "upgrade"}


def _named_thing_before(doc: Optional[Doc], number: int) -> bool:
    """Whether the number follows a capitalised word inside a sentence: that name's release,
    not the program's named after it ("EDS Calendar Integration 0.4.1 cause Thunderbird
    frozen"; not "After 115 Thunderbird crashes", "version 2 Thunderbird")."""
    if doc is None or number < 2:
        return False
    name, before = doc[number - 1], doc[number - 2]
    return (
        _another_name(name)
        and name.lower_ not in MAKERS_AND_UPDATES
        and before.text not in SENTENCE_ENDS | TITLE_ENDS | {"-", ":", "(", '"', "'"}
    )


# Between a number and the name after it, a preposition or a verb of use makes the number
# another thing's (see _placed_in)
NOT_ITS_NUMBER = PLACED_IN | USED_BY_VERBS


def _placed_in(doc: Optional[Doc], start: int, end: int) -> bool:
    """Whether a preposition or a verb of use stands between a number and the name after it:
    the number is another thing's, used in the program ("activesync v.2.5 in thunderbird",
    "KeePass 2 with Outlook") or using it ("Mitchell 1 uses Thunderbird"; not "2010 MS
    Outlook")."""
    return doc is not None and any(t.lower_ in NOT_ITS_NUMBER for t in doc[start:end])


def _other_things_number(doc: Optional[Doc], start: int, number: int) -> bool:
    """Whether the number after a program belongs to another name joined to it: "Thunderbird
    and KeePass 2", "Thunderbird with KeePass 2" (not "Thunderbird version 2")."""
    if doc is None or number - start < 2:
        return False
    joined = any(t.lower_ in ("and", "with", "&", "+") for t in doc[start : number - 1])
    return joined and _another_name(doc[number - 1])


def _another_name(token: "Token") -> bool:
    """Whether the word right before a number names another thing, whose release it is: a
    capitalised word, not "Version" or an edition ("KeePass 2"; not "Version 2", "Pro 2016")."""
    return (
        token.is_alpha and token.text[:1].isupper() and token.lower_ not in VERSION_NAMES | EDITIONS
    )


# An edition's name before the release: "Outlook Home and Business 2024"
EDITIONS = {"business", "professional", "pro", "plus", "standard", "home", "enterprise", "student"}
# Words of a suite's name that do not count towards the reach of the release after a
# program: "Outlook MS Home and Business 2016" is as near as "Outlook Home and Business 2016".
SUITE_NAME = EDITIONS | {"ms", "microsoft", "office", "and", "&"}


# How many tokens after the program its release may come: "Outlook Home and Business 2016"
RELEASE_REACH = 3


def _distance(doc: Optional[Doc], start: int, end: int) -> int:
    """Tokens from `start` to `end`, not counting a suite's name words past RELEASE_REACH."""
    if doc is None or end - start <= RELEASE_REACH:
        return end - start
    past = doc[start + RELEASE_REACH : end]
    return RELEASE_REACH + sum(1 for t in past if t.lower_ not in SUITE_NAME)


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


def loose_unreleased_year(
    kb: KnowledgeBase,
    chosen: "Mention",
    version: str,
    named: Sequence["Mention"],
    mentions: Sequence["Mention"],
    doc: Optional[Doc],
) -> bool:
    """A year that names no release of the program, said other than right after its name, or
    as a date's or an event's year: not the program's.

    The resolver places "Outlook 2018" between two releases with one guide; a customer writes
    such a year right after the name. "Order 2017 - Outlook", "Outlook - 2017-03-04 10:22",
    "Outlook 2018 Jan 5", "Outlook 2015 conference", "Economic Outlook 2018" are no releases (a
    real release's year stays: "Outlook - 2016").
    """
    if doc is None or not names_no_release(kb.clients.get(chosen.value, {}), version):
        return False
    named = [n for n in named if not (n.token_start and doc[n.token_start - 1].lower_ in FORECASTS)]
    starts = {n.token_end for n in named} | {past_version_label(doc, n.token_end) for n in named}
    for number in (m for m in mentions if m.kind == "version" and m.value == version):
        if number.token_start in starts and not _dated_or_event(doc, number.token_end):
            return False
    return True


def _dated_or_event(doc: Doc, end: int) -> bool:
    """Whether the words at `end`, right after a year, make it a date's or an event's."""
    after = doc[end : end + 2]
    if after and after[0].text[:1] == "年":
        return True  # "2017年3月" (spaCy may keep the rest of the text in one token)
    if len(after) == 2 and after[0].text in DATE_PARTS and after[1].text[:1].isdigit():
        return True
    return len(after) > 0 and (after[0].lower_ in EVENT_WORDS or after[0].lower_ in MONTHS)
