"""When a name that is also an ordinary word counts: the rules of kb/clients.yml `context_rules`.

"Evolution", "Spark", "Sierra", "Mail" are programs and systems only in some contexts: next to a
version, before "app" or "mail", after a verb of using, written as a name, said where it fails,
alone as an answer. MentionExtractor asks in_context() of every such alias it matches.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List, Sequence

from smtpbot.understanding.context import (
    beside_cjk,
    bracketed_after_program,
    called_a_program,
    glued_hyphen,
    just_the_name,
    title_case,
    written_as_name,
)
from smtpbot.understanding.cues import (
    CLAUSE_ENDS,
    LIST_JOINERS,
    SAYING,
    TROUBLE,
    TYPED_NOT,
)
from smtpbot.understanding.versions import (
    following_version,
    version_follows,
    version_precedes,
)

if TYPE_CHECKING:  # spaCy is imported where a matcher is built, see MentionExtractor.
    from spacy.tokens import Doc, Span

    from smtpbot.understanding.mentions import Mention


# Units after a number: a name among them is a size or a count ("a 2 TB disk"), not the
# program (in_context). Which numbers they rule out as versions: cues.UNITS.
UNIT_WORDS = {"tb", "gb", "mb", "kb", "times", "minutes", "hours", "days", "weeks", "months"}
UNIT_WORDS |= {"years", "emails", "messages", "mails", "%", "percent"}


BESIDE_CLIENT_REACH = 3  # words between the program and its device: "Outlook app on my phone"
# Words around a name that leave the message "just the name" (context rule `alone`).
FILLER = SAYING | {"on", "an", "version", "running", "have", "got", "just"}
FILLER |= {"one"}  # "the Microsoft one"


def followed_by(doc: Doc, start: int, words: str) -> bool:
    """Whether the tokens from `start` are `words` (one word or several: "di windows")."""
    wanted = words.split()
    return [t.lower_ for t in doc[start : start + len(wanted)]] == wanted


def preceded_by(doc: Doc, end: int, words: str) -> bool:
    """Whether the tokens right before `end` are `words` ("crashes with", "available for")."""
    wanted = words.split()
    return end >= len(wanted) and [t.lower_ for t in doc[end - len(wanted) : end]] == wanted


# Words between a subject and its verb: "evolution has suddenly stopped", "it won't send".
AUXILIARIES = {"has", "have", "had", "is", "was", "does", "did", "do", "will", "wo", "ca", "can"}
AUXILIARIES |= {"n't", TYPED_NOT, "not", "just", "suddenly", "then", "also", "still", "no"}
AUXILIARIES |= {"longer", "never", "been"}  # "evolution has been working for ages"
AUXILIARIES |= {"now", "always", "sometimes", "often", "constantly", "randomly", "simply"}
AUXILIARIES |= {"only", "keeps"}
AUXILIARIES |= {"could", "would", "should", "might", "must", "may"}  # "TB could not connect"


def acts(doc: Doc, start: int, verbs: Sequence[str], after_auxiliary: Sequence[str] = ()) -> bool:
    """Whether the words from `start` are one of `verbs`, maybe after auxiliaries and adverbs,
    or one of `after_auxiliary` after at least one ("Evolution has been working", "Evolution
    not working"; not "the evolution working group")."""
    for n, token in enumerate(doc[start : start + 4]):
        if token.lower_ in verbs or (n and token.lower_ in after_auxiliary):
            return True
        if token.lower_ not in AUXILIARIES:
            return False
    return False


def beside_client(doc: Doc, span: Span, others: Sequence[Mention], between: Sequence[str]) -> bool:
    """Whether a program is named right before or after the span, with at most
    BESIDE_CLIENT_REACH tokens between, each one of `between`: "Outlook on my phone", "my
    phone's Outlook" (not "Outlook and my phone")."""
    allowed = set(between)
    for mention in others:
        if mention.kind != "client":
            continue
        if 0 <= span.start - mention.token_end <= BESIDE_CLIENT_REACH:
            gap = doc[mention.token_end : span.start]
        elif 0 <= mention.token_start - span.end <= BESIDE_CLIENT_REACH:
            gap = doc[span.end : mention.token_start]
        else:
            continue
        if all(t.lower_ in allowed for t in gap):
            return True
    return False


# Words that say something fails, in the device's own clause: "I'm unable to send from my
# mobile device", "my mobile app stopped sending", "not able to set it in the android version"
# (a verb that fails, not a noun: "after those problems on mobile I tested my desktop")
FAILS = (TROUBLE - {"no"}) | {"unable", "fail", "failing"}
DEVICE_CLAUSE_ENDS = CLAUSE_ENDS | {",", "however"}
FAILS_REACH = 8  # words of the clause before the device
FAILS_AFTER = 3  # words after it: "my mobile app stopped sending"
DEVICE_WORDS = {"app", "application", "client", "device", "devices", "version"}


def where_it_fails(
    doc: Doc, span: Span, others: Sequence[Mention], programs: Sequence[str]
) -> bool:
    """Whether one of `programs` is named anywhere in the message and the span's clause says
    that something fails there: "I have Thunderbird on my laptop ... I can't send from my
    mobile" (not "it works on my phone", not "my phone can't send mail": no program named)."""
    if not any(m.kind == "client" and m.value in programs for m in others):
        return False
    before: List[str] = []
    for token in reversed(doc[max(0, span.start - FAILS_REACH) : span.start]):
        if token.lower_ in DEVICE_CLAUSE_ENDS:
            break
        before.append(token.lower_)
    if FAILS & set(before):
        return True
    for token in doc[span.end : span.end + FAILS_AFTER]:  # "my mobile app has stopped"
        if token.lower_ in FAILS:
            return True
        if token.lower_ not in AUXILIARIES and token.lower_ not in DEVICE_WORDS:
            return False  # "Outlook and my phone both stopped": both devices
    return False


def listed_after(doc: Doc, span: Span, rule: str, listed: set) -> bool:
    """'Catalina & Big Sur': a name listed right after an accepted name of the same rule."""
    joiner = span.start - 1
    return joiner > 0 and doc[joiner].lower_ in LIST_JOINERS and (rule, joiner) in listed


# Before a name that `next_when_leading` words follow, these leave it the program's name ("my
# Evolution problems"); any other word (an article, a noun, a possessive: "the evolution
# problem", "software evolution issues", "Darwin's evolution problems") makes it the ordinary
# word. No word before (the message's or a clause's start: "Again...Evolution problems") is as
# good.
LEAD_WORDS = {"my", "with", "in", "on", "at", "using", "use", "about", "re", "again"}


def leading(doc: Doc, span: Span) -> bool:
    """Whether a name comes first in its clause, or after one of LEAD_WORDS."""
    if span.start == 0:
        return True
    previous = doc[span.start - 1]
    if previous.lower_ in LEAD_WORDS:
        return True
    return not previous.is_alpha and previous.lower_ not in ("'s", "’s")


def written_in_capitals(doc: Doc, span: Span) -> bool:
    """ "(Mail for Exchange)", "the SNAP for Prospect Mail": every longer word of the name
    capitalised, as a name is written, inside a sentence (after a word, a bracket or a quote,
    not first in it) of a message that is not in ALL CAPS or Title Case (see
    context.written_as_name)."""
    words = [t for t in span if t.is_alpha and len(t.text) > 3]
    if not words or not all(t.text[:1].isupper() and not t.text.isupper() for t in words):
        return False
    previous = doc[span.start - 1] if span.start else None
    if previous is None or (previous.is_punct and previous.text not in ("(", '"', "“", "'")):
        return False
    return not title_case(doc, span)


def name_cased(doc: Doc, span: Span) -> bool:
    """ "elementary Mail": a lower-case first word and a capitalised last one, as the brand
    writes itself (not "an elementary mail question"), in a message not in Title Case."""
    first, last = span[0].text, span[-1].text
    return (
        len(span) > 1
        and first.islower()
        and last[:1].isupper()
        and not last.isupper()
        and not title_case(doc, span)
    )


# After a name, words that carry a phrase on: "room for evolution in our setup" (see `just_after`)
PHRASE_GOES_ON = {"in", "and", "of", "at", "to", "within", "among", "or", "with", "as", "over"}


# How far after a lone name a word of `not_before` rules it out: "geary and fillmore"
LONE_REACH = 5


def _lone_client(doc: Doc, span: Span, lone: Dict, others: Sequence[Mention]) -> bool:
    """Whether no other program (but the `besides` ones) is named, nor, with `no_device`, a
    device or system (but the `devices_besides` ones); none of `not_before` among the LONE_REACH
    words after the alias, none of `not_after` right before it (kb `lone_client`)."""
    after = {t.lower_ for t in doc[span.end : span.end + LONE_REACH]}
    previous = doc[span.start - 1].lower_ if span.start else ""
    devices = [m for m in others if m.kind in ("platform", "os")] if lone.get("no_device") else []
    return (
        not after & set(lone.get("not_before", ()))
        and previous not in lone.get("not_after", ())
        and not any(m.kind == "client" and m.value not in lone.get("besides", ()) for m in others)
        and all(m.value in lone.get("devices_besides", ()) for m in devices)
    )


def in_context(doc: Doc, span: Span, rule: Dict, others: Sequence[Mention]) -> bool:
    """Whether an ordinary-word alias counts here: kb/clients.yml `context_rules`."""

    def said(specs) -> bool:
        return any(
            f"{m.kind}:{m.value}".startswith(spec)
            if spec.endswith("-")
            else (
                f"{m.kind}:{m.value}" == spec[:-1]
                and written_as_name(doc, doc[m.token_start : m.token_end])
                if spec.endswith("^")  # "in Mail": not "some mail", not "Mail from Ventura"
                else f"{m.kind}:{m.value}" == spec
            )
            for spec in specs or ()
            for m in others
        )

    following = doc[span.end] if span.end < len(doc) else None
    after = following
    if glued_hyphen(doc, span.end):
        after = doc[span.end + 1]  # "Outlook-Konto": the compound's next word
    if after is not None and after.lower_ in rule.get("not_followed_by", ()):
        return False
    if span.start and doc[span.start - 1].like_num and span.text.lower() in UNIT_WORDS:
        return False  # "my 2 TB (1.5) disk": a size
    if following is not None and following.text in rule.get("not_before_year", ()):
        return False  # "the new Outlook 2016 assistant": a release, not the new app
    previous = doc[span.start - 1].lower_ if span.start else ""
    if said(rule.get("veto")) and previous not in rule.get("near", ()):
        return False  # ("Mail in OS X Mavericks ... in iOS 7": named as the system's release)
    if rule.get("always"):
        return True
    if rule.get("lone_client") and _lone_client(doc, span, rule["lone_client"], others):
        return True  # "fails on geary" typed (not "tom geary here, my outlook cant send")
    if rule.get("capitalised") and written_in_capitals(doc, span):
        return True  # "Kalender Sync nicht möglich (Mail for Exchange)"
    if rule.get("name_cased") and name_cased(doc, span):
        return True  # "added to elementary Mail": the brand's own casing
    if span.start == 0 and following is not None and following.text in rule.get("title", ()):
        if span.text.lower() not in rule.get("not_in_title", ()):
            return True  # "Ventura - cannot select the encrypt icon": a title's first word
    release_rule = rule.get("version_after")
    if release_rule is True and (
        version_follows(doc, span.end, span.start) or version_precedes(doc, span.start)
    ):
        return True
    if isinstance(release_rule, str) and re.match(
        release_rule, following_version(doc, span.end, span.start) or ""
    ):
        return True  # a release like the program's own: "Supernova (Ver 115.2.1)"
    if any(followed_by(doc, span.end, words) for words in rule.get("next", ())):
        return True
    if leading(doc, span) and any(
        followed_by(doc, span.end, words) for words in rule.get("next_when_leading", ())
    ):
        return True
    if span.text[:1].isupper() and any(
        followed_by(doc, span.end, words) for words in rule.get("next_as_name", ())
    ):
        return True  # "Sparrow for Mac"
    if rule.get("as_program") and (
        called_a_program(doc, span.end) or bracketed_after_program(doc, span.start, span.end)
    ):
        return True
    model = rule.get("model_after")
    if following is not None and model and re.match(model, following.lower_):
        return True
    neighbours = {previous, following.lower_ if following is not None else ""}
    if neighbours & set(rule.get("near", ())):
        return True
    window = rule.get("window", 3)
    before = {t.lower_ for t in doc[max(0, span.start - window) : span.start]}
    if before & set(rule.get("after_words", ())):
        return True
    if any(preceded_by(doc, span.start, words) for words in rule.get("after_phrases", ())):
        return True
    if previous in rule.get("just_after", ()) and (
        following is None or following.lower_ not in PHRASE_GOES_ON
    ):
        return True
    if said(rule.get("signals")):
        return True
    if rule.get("beside_client") and beside_client(doc, span, others, rule["beside_client"]):
        return True
    if rule.get("where_it_fails") and where_it_fails(doc, span, others, rule["where_it_fails"]):
        return True
    # "evolution won't send" (not "the theory of evolution does not work")
    after_auxiliary = rule.get("acts_after_auxiliary", ()) if previous != "the" else ()
    if rule.get("acts") and previous != "of" and acts(doc, span.end, rule["acts"], after_auxiliary):
        return True
    if rule.get("proper_name") and written_as_name(doc, span):
        return True
    if rule.get("beside_cjk") and beside_cjk(doc, span):
        return True
    if rule.get("capitals") and len(span.text) > 1 and span.text.isupper():
        return True  # "Mail marked as Junk by TB": written as the program's initials
    # `alone_with`: more words that may stand around it ("whatever came with my computer")
    filler = FILLER | set(rule.get("alone_with", ())) if rule.get("alone_with") else FILLER
    return bool(rule.get("alone")) and just_the_name(doc, span.start, span.end, filler)
