"""Which of a message's mentions describe the customer's set-up: scores and choices.

Real messages name several things: the program with the problem, the account it sends from
("my Gmail account"), another program that works, ports, error codes, build numbers, counts.
Each client mention gets a salience score from its neighbours (read by context.py, with the
words of cues.py); the highest wins (the first one on a tie: customers name the program with
the problem first). Which numbers are versions: versions.py and context.version_numbers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, Any, Dict, List, Optional, Set

from smtpbot.kb.knowledge import KnowledgeBase
from smtpbot.understanding.context import (
    account_word,
    after_last,
    app_password_at,
    as_works,
    bracketed_after_account,
    bracketed_after_address,
    called_a_program,
    can_do_there,
    clause_after,
    clause_before,
    closing_quote,
    compared,
    denied,
    just_the_name,
    listed_before_account,
    listed_cue,
    mail_noun,
    moved_by_device,
    named_release,
    next_clause,
    not_used_there,
    opened_instead,
    other_thing,
    previous_word,
    said_a_user_of,
    said_to_be_mine,
    said_with_phone,
    sent_by_way_of,
    something_else_used,
    tried_too,
    versioned,
    word_at,
    word_past_bracket,
    works_next,
)
from smtpbot.understanding.context_rules import FILLER
from smtpbot.understanding.cues import (
    ACCOUNT_BEFORE,
    ACCOUNT_FILLER,
    ACCOUNT_KINDS,
    ACCOUNT_WORDS,
    ADD_VERBS,
    ADDED_TO,
    APP_DEVICES,
    APP_PASSWORD,
    APP_SYSTEMS,
    AS_PROGRAM,
    BETWEEN_TWO,
    BROUGHT_ON,
    BROWSER_ADD_ONS,
    CJK_MAILBOX_APP,
    CJK_PROGRAM_WORDS,
    CLAUSE_ENDS,
    DELIVERY,
    DESKTOP_APP,
    DESKTOP_PLATFORMS,
    DESKTOPS,
    DEVICES,
    ECHOED,
    EMULATOR,
    GOES_ON,
    HELD_IN,
    HELD_ON,
    KNOWING,
    MESSAGES,
    MOVED,
    MOVED_FROM,
    MOVED_LAST,
    MOVED_TO,
    NOT_BEFORE,
    OF,
    OFFERS,
    OTHER,
    PROBLEM,
    PROGRAM_DETERMINERS,
    PROGRAM_WORDS,
    RECIPIENT_FIELDS,
    RECIPIENTS,
    REMOVED,
    SENDING,
    SENTENCE_ENDS,
    SERVER_KINDS,
    SERVICE_SAID,
    SERVICE_WORDS,
    SET_AGAINST,
    SIGN_IN,
    SITE_NAMES,
    SUBSCRIBED,
    SUITE_NUMBER,
    SUITE_REACHED_BY,
    SUITES,
    TITLE_ENDS,
    TROUBLE,
    UPGRADED,
    USED_ON,
    WORKS,
)
from smtpbot.understanding.versions import YEAR_RELEASE

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from smtpbot.understanding.mentions import Mention


def _score(
    kb: KnowledgeBase,
    doc: Optional["Doc"],
    mention: "Mention",
    named: AbstractSet[int] = frozenset(),
) -> int:
    """How surely this client mention is the customer's program (0: it is not).

    `named`: the token positions of the message's client mentions (an account's "app" may
    belong to the program named after it: "gmail in the mail app"). Kept per message (in the
    Doc): choose_client and alternative() score the same mentions.
    """
    if doc is None:
        return _salience(kb, doc, mention, named)
    key = ("salience", mention, frozenset(named))
    if key not in doc.user_data:
        doc.user_data[key] = _salience(kb, doc, mention, named)
    return doc.user_data[key]


def _salience(
    kb: KnowledgeBase,
    doc: Optional["Doc"],
    mention: "Mention",
    named: AbstractSet[int],
) -> int:
    """_score's work, uncached."""
    spec = kb.clients.get(mention.value, {})
    if mention.negated or (doc is not None and other_thing(doc, mention)):
        return 0
    if doc is not None and mention.token_end - mention.token_start > 1:
        if doc[mention.token_end - 1].lower_ == "app" and app_password_at(doc, mention.token_end):
            return 0  # "Gmail app password", "my outlook email app password": the account's
    score = 2 if mention.value == "unknown-program" else 3
    phrase = mention.alias.phrase if mention.alias else ""
    suite = _suite(mention)
    if suite:
        score = 2  # "Office 365 ... Apple Mail": the suite is often the account, not the program
        if "365" in phrase and "outlook" not in phrase and not _installed_suite(doc, mention):
            # "O365 does not allow SMTP connections", "configuring mutt and office365": the
            # service, most often, not Outlook
            return 0
    if mention.alias and (mention.alias.add_on or mention.alias.file_path):
        # "Enigmail with Postbox", "Thunderbird ... mailto opens ...\\OUTLOOK.EXE": a program
        # named beside it wins; "Mail" does not
        score = 2
    if (spec.get("generic") and not named_release(doc, mention)) or _serves_a_program(spec):
        score = 1  # a program named beside it wins: "the Bridge app ... the Apple Mail client"
    if doc is None:
        return score
    one_word = " " not in phrase
    proper = doc[mention.token_start].text[:1].isupper() and mention.token_start > 0
    if spec.get("generic") and one_word and mail_noun(doc, mention, proper):
        return 0
    after = {t.lower_ for t in doc[mention.token_end : mention.token_end + 2]}
    if spec.get("generic") and after & (ACCOUNT_WORDS | SERVICE_WORDS):
        return 0  # "my mail provider", "the mail server"
    # past a name's closing quote: 'add a "Gmail" or "outlook" account'
    next_word = word_at(doc, mention.token_end + closing_quote(doc, mention))
    said_next = word_at(doc, mention.token_end + 1)
    if (next_word in ("mail", "email") or SUITE_NUMBER.match(next_word)) and (
        account_word(said_next) or (SUITE_NUMBER.match(next_word) and said_next in APP_PASSWORD)
    ):
        # "my Outlook mail account", "my Outlook365 account", "my outlook 365 password": the
        # account
        next_word = said_next
    elif next_word in ACCOUNT_KINDS and account_word(word_at(doc, mention.token_end + 1)):
        next_word = word_at(doc, mention.token_end + 1)  # "outlook personal account"
    elif next_word in SERVER_KINDS and (spec.get("account") or spec.get("also_a_service")):
        # "the outlook smtp server", "outlook imap-mail server": the service's server (not
        # "the Thunderbird SMTP server": a program's outgoing server setting)
        past = mention.token_end + closing_quote(doc, mention)
        while past < mention.token_end + 3 and word_at(doc, past) in SERVER_KINDS:
            past += 1
        if word_at(doc, past) in ("server", "servers"):
            next_word = "server"
    if next_word in ("address", "adress") and word_at(doc, mention.token_end + 1) in BOOK:
        # "your Outlook address book": the program's data (not an address), said weakly:
        # "Thunderbird won't import my Outlook address book" is Thunderbird's trouble
        return 1
    previous = previous_word(doc, mention)
    before_previous = doc[mention.token_start - 2].lower_ if mention.token_start > 1 else ""
    service = spec.get("account") or spec.get("also_a_service") or suite
    if (
        (account_word(next_word) and service)
        or previous == "@"
        or (service and bracketed_after_address(doc, mention))
        or (spec.get("account") and bracketed_after_account(doc, mention))
        or (previous in ACCOUNT_BEFORE and service)
        or (service and listed_before_account(doc, mention, named))
    ):
        # "my iCloud account", "an address @hotmail", "Account office 365": the account (but
        # "add an account AirMail seems to ...": a program is no account)
        return 0
    if suite and "outlook" not in phrase and _suite_reached(doc, mention):
        return 0  # "send emails through Office365", "connect to my O365": the account's server
    if previous == "from" and before_previous in MESSAGES and (spec.get("account") or suite):
        return 0  # "a new email from office365", "mails from Gmail": where they come from
    if previous == "to" and service and set(clause_before(doc, mention)) & (SENDING | DELIVERY):
        return 0  # "I can't send mails to outlook mail", "delivery to outlook.com": recipients
    if (
        spec.get("also_a_service")
        and not versioned(doc, mention)
        and _listed_with_service(kb, doc, mention, named)
    ):
        return 0  # "my Outlook, Proton and Mailfence email", "providers (gmail, outlook)"
    if service and _reached_by_program(kb, doc, mention, named, previous):
        doc.user_data[("reached", mention)] = True
        return 0  # "Thunderbird cannot authenticate with outlook": the server it reaches
    if (
        service
        and next_word == "option"
        and previous in ("the", "an", "a")
        and set(clause_before(doc, mention, reach=OPTION_REACH)) & SIGN_IN
    ):
        # "log in using the Outlook option": a kind of account in another app's sign-in list
        # (not "use the Outlook option to recall a message": Outlook's own setting)
        return 0
    if previous in OF and before_previous in ACCOUNT_BEFORE and service:
        return 0  # "cuenta de Outlook", "compte d'Outlook": the account
    if previous in ("on", "at", "with") and before_previous in ACCOUNT_BEFORE:
        if spec.get("account") or suite:
            return 0  # "an IMAP account on Office365", "my account at Yahoo": where mail lives
    if spec.get("account") and next_word in MAIL_PROTOCOLS:
        return 0  # "moving a message on Outlook.com IMAP", "Gmail SMTP": the account's server
    if spec.get("account"):
        # the name's words, its brackets apart: "Outlook (PWA)" is "outlook", "pwa"
        phrase_words = set(phrase.replace("(", " ").replace(")", " ").split())
        near = set()
        for token in doc[mention.token_end : mention.token_end + 3]:
            if token.i in named and token.lower_ not in AS_PROGRAM:
                break  # "gmail in the mail app": the app is the other program (not "in Chrome")
            if token.lower_ == "app" and app_password_at(doc, token.i + 1):
                break  # "gmail - App Password is not usable": the account's app password
            near.add(token.lower_)
        if (
            (near | phrase_words) & AS_PROGRAM
            or phrase_words & SITE_NAMES  # "Outlook Online doesn't show": the website
            or next_word == "online"  # "when I sign in to Tuta online"
            or next_word in DESKTOP_APP  # "Gmail Desktop Version: 2.9.2": a desktop app of it
            # "Yahoo Mail (v7.65.1)": a named service's app (not "Web-Mail-1.0.17", an add-on)
            or (not spec.get("server_web") and app_release_after(doc, mention.token_end))
            or (previous in USED_ON and not sent_by_way_of(doc, mention))
            or next_word in APP_DEVICES  # "GMail iPad", "Yahoo iPhone": the app on the device
            # "ProtonMail for iOS", "Gmail for Android": the service's own app for the phone
            or (next_word == "for" and word_at(doc, mention.token_end + 1) in APP_SYSTEMS)
            or phrase_words & APP_SYSTEMS  # ... named by the KB: "gmail for android"
            # "Tuta Mail on iOS": a service read only in its own apps, named with a phone
            or (spec.get("app_only") and said_with_phone(doc, mention))
            # "mail.google.com": a website's host (no mail domain has two dots); not where mail
            # still works beside the program ("mail.yahoo.com works but my program won't send")
            or (phrase.count(".") >= 2 and not works_next(doc, mention))
            or CJK_MAILBOX_APP.match(next_word)  # "QQ邮箱客户端": the mailbox's app
            or (previous == "for" and before_previous in BROWSER_ADD_ONS)
        ):
            score = 3  # "the Gmail app", "I'm on outlook.com": the website or app is the program
        elif (
            previous in ADDED_TO
            and before_previous in ACCOUNT_BEFORE
            and {t.lower_ for t in doc[max(0, mention.token_start - 6) : mention.token_start]}
            & ADD_VERBS
        ):
            score = 3  # "adding an Exchange account in Gmail": the Gmail app
        elif just_the_name(doc, mention.token_start, mention.token_end, ACCOUNT_FILLER):
            score = 2  # "gmail", "it's yahoo": the answer to "which program?" is the website
        else:
            return 0  # where the mail lives; named in a sentence, the program is still to be asked
    elif spec.get("also_a_service") and _held_in_program(kb, doc, mention, named):
        return 0  # "my email is outlook in Thunderbird": the account, read in the program named
    elif not _called_a_mail_program(doc, mention) and (
        # (a program's own messages, no other program named on in the sentence, are no
        # account: "Thunderbird emails only show links"; but "can he switch his Outlook
        # Express email over to Thunderbird?")
        (
            next_word in ACCOUNT_WORDS
            and (service or next_word not in MESSAGES or _named_on(doc, mention, named))
        )
        or account_word(next_word)
        or next_word in ("outgoing", "incoming")
        # "connecting to Outlook Exchange": the service's server (not "Apple Mail Exchange
        # account": a program's)
        or (spec.get("also_a_service") and next_word == "exchange")
    ):
        # "sync outlook outgoing mail with thunderbird": the account's server side
        # "my Outlook address", "an Office 365 email": the account, not the program
        # "my Thunderbird account", "Foxmail账号": an account set up in that program
        if suite:
            return 0
        score = 1
    works_there = False  # said, right before or after the name, to work there
    before = as_works(
        [t.lower_ for t in doc[max(0, mention.token_start - 4) : mention.token_start]]
    )
    cut = max((i for i, w in enumerate(before) if w in CLAUSE_ENDS), default=-1)
    # "webmail works but outlook doesn't" (not "but wants to install Outlook 2016": the program
    # is what another program offers, not the one with the problem)
    contrast = cut >= 0 and before[cut] == "but" and not set(before[cut:]) & OFFERS
    set_against = cut >= 0 and before[cut] in SET_AGAINST
    before = before[cut + 1 :]  # the words of this clause only
    # the side of a move the name is on: "from Outlook to ...", "from my old PC with Outlook to
    # my new PC with ..."
    via_device = moved_by_device(doc, mention)
    moved_from = bool(set(before[-2:]) & MOVED_FROM) or via_device in MOVED_FROM
    moved_to = (bool(before) and before[-1] in MOVED_TO) or via_device in MOVED_TO
    # "cannot import any eml messages from Windows Mail": the verb may come a few words earlier
    clause = clause_before(doc, mention, reach=8)
    after = clause_after(doc, mention, reach=8)
    moved = (
        set(clause) & MOVED
        or brought_over(clause)
        or (set(after) & MOVED_LAST and not set(after) & NOT_BEFORE)
    )
    upgraded = bool(set(before[-3:]) & UPGRADED)  # "upgraded (from) my Outlook 2003 to ..."
    if moved_from and (moved or upgraded):
        score -= 2
    elif moved_to and (moved or set(clause) & UPGRADED) and not suite:
        # "transfer my emails from Outlook to Thunderbird": where they go is in use (not
        # "forced to migrate to Microsoft 365": a suite moved to is the account's service)
        score += 1
    if set(before) & OTHER or tried_too(before) or before[-1:] and before[-1] in REMOVED:
        score -= 1
    if opened_instead(doc, mention.token_start):
        score += 1  # "links open in Mail.app instead of MailMate.app": the one wanted
    if set(after_last(clause, {","})) & RECIPIENTS and not _recipients_apart(doc, mention):
        return 0  # "the recipient uses Outlook 2010": the other end's program
    if compared(before):
        return 0  # "I should get a popup, like in thunderbird": not the program in use
    if set_against and echoes_works(doc, mention.token_end):
        score -= 1  # "Thunderbird won't send but Outlook does": the one that works
        works_there = True
    elif contrast and not set(before) & WORKS:
        score += 1
    # (this clause's: not "Thunderbird on my PC won't send, Thunderbird for Android works")
    elif set(after_last(before, {","})[-3:]) & (TROUBLE | PROBLEM):
        score += 1  # "but not in Apple Mail", "problem with Outlook": the one with the problem
    elif (
        set(after_last(before, {","})[-3:]) & WORKS
        and not set(clause) & TROUBLE  # "it seems not to work on my Thunderbird"
        # "X works and Outlook fails" (not "works in X and Outlook": a list of programs)
        and not (before[-1:] == ["and"] and mention.token_start - 2 not in named)
    ):
        score -= 1  # "works in Thunderbird" (not "Outlook works, Mailspring fails")
        works_there = True
    if (
        called_a_program(doc, mention.token_end)
        or said_to_be_mine(doc, mention.token_start)
        or said_a_user_of(doc, mention.token_start, mention.token_end)
    ):
        # "Mozilla Thunderbird is my default mailer", "my email client is Evolution", "I'm an
        # Outlook Web user"
        score += 1
    window = doc[mention.token_end : mention.token_end + 7]
    following = as_works([t.lower_ for t in window])
    # "I don't understand how Rambox works": a question about it, not that it works (but "see
    # how Outlook works fine while Thunderbird fails" says it does)
    asked_how = before[-1:] == ["how"] and bool(set(before[:-1]) & KNOWING)
    for index, word in enumerate(following):
        if (
            word in WORKS
            and not asked_how
            and not set(following[max(0, index - 2) : index]) & TROUBLE
        ):
            score -= 1
            works_there = following[index - 1 : index] not in (["my"], ["our"], ["of"], ["at"])
            break  # (not "my work", "because of work": the job)
        after_and = window[index + 1].text if index + 1 < len(window) else ""
        goes_on = after_and.lower() in GOES_ON or after_and[:1].isupper()
        if word in (".", "but", ";") or (word == "and" and not goes_on):
            break
        if word == "," and window[index].i + 1 in named:
            break  # "Outlook 2016 fails, Mailspring works": the next clause is another program's
    if (
        own_webmail(kb, mention)
        and (works_there or can_do_there(doc, mention))
        and something_else_used(doc, mention)
    ):
        # "I can see them in webmail but not in the app", "webmail works fine but my email
        # client can't send": the mailbox's web access is where it works, the program is asked
        doc.user_data[("webmail works", mention)] = True
        return 0
    return max(score, 1)


def _named_on(doc: "Doc", mention: "Mention", named: AbstractSet[int]) -> bool:
    """Whether another client is named after the mention in its sentence (a new line ends
    one: a title's)."""
    for i in range(mention.token_end, len(doc)):
        if doc[i].lower_ in SENTENCE_ENDS or "\n" in doc[i].text:
            return False
        if i in named:
            return True
    return False


def app_release_after(doc: "Doc", end: int) -> bool:
    """Whether a dotted release follows a mail service's name, bare or in brackets, maybe after
    "v"/"version": "Yahoo Mail (v7.65.1)", "Gmail version 2023.10.1" (a website has none: its
    app has)."""
    i = end
    while i < len(doc) and doc[i].lower_ in ("(", "v", "v.", "version", ":"):
        i += 1
    return i < len(doc) and bool(APP_RELEASE.match(doc[i].lower_))


def brought_over(words: List[str]) -> bool:
    """ "folders brought over from Eudora": "brought" + over/across/in/from, a move."""
    return any(
        word == "brought" and words[i + 1 : i + 2] and words[i + 1] in BROUGHT_ON
        for i, word in enumerate(words)
    )


def echoes_works(doc: "Doc", end: int) -> bool:
    """Whether the name ending at token `end` is followed by a bare auxiliary ending its clause
    ("but Outlook does.", "but in Mail it can"), repeating the verb before without its "not"."""
    i = end + (word_at(doc, end) == "it")
    if word_at(doc, i + 1) in NOT_BEFORE:
        return False  # "but Thunderbird doesn't": the trouble, not an echo of "works"
    return word_at(doc, i) in ECHOED and (i + 1 >= len(doc) or not doc[i + 1].is_alpha)


def _held_in_program(
    kb: KnowledgeBase, doc: "Doc", mention: "Mention", named: AbstractSet[int]
) -> bool:
    """Whether another program is named right after "in": "outlook in Thunderbird", "my
    Outlook mail in the Mail app" (a name of both a program and a mail service is then the
    account the other program reads); after "on", only a program: "Outlook on Thunderbird"
    (not "Outlook on Comcast", "Outlook on our Kerio server")."""
    i = mention.token_end
    if i < len(doc) and doc[i].lower_ in MESSAGES:
        i += 1
    if i >= len(doc) or doc[i].lower_ not in HELD_IN | HELD_ON:
        return False
    held_on = doc[i].lower_ in HELD_ON
    i += 1
    if i < len(doc) and doc[i].lower_ in PROGRAM_DETERMINERS:
        i += 1
    return i in named and (not held_on or _program_named_at(kb, doc, i))


def _program_named_at(kb: KnowledgeBase, doc: "Doc", i: int) -> bool:
    """Whether every client the name at token `i` can be is a mail program: not an account
    (Gmail, Comcast), a server's suite or gateway (Zimbra), a mailbox's web access or the
    generic "mail"."""
    values = _clients_named_at(kb, doc, i)
    return bool(values) and all(_a_program(kb.clients.get(value, {})) for value in values)


def _clients_named_at(kb: KnowledgeBase, doc: "Doc", i: int) -> Set[str]:
    """The clients a name starting at token `i` can be (every alias that matches there)."""
    values = set()
    for alias in kb.aliases:
        words = alias.phrase.split()
        if alias.kind == "client" and [t.norm_ for t in doc[i : i + len(words)]] == words:
            values.add(alias.value)
    return values


def _said_as_target(doc: "Doc", mention: "Mention") -> bool:
    """Named, without a release, where a server is reached (REACHED_BY: "authenticate to
    outlook"), as _reached_by_program reads it."""
    return not versioned(doc, mention) and word_at(doc, mention.token_start - 1) in REACHED_BY


def _recipients_apart(doc: "Doc", mention: "Mention") -> bool:
    """Whether the last word for recipients before the name says nothing of their program: it
    stands in brackets that close before the name ("Reply All behavior (preserve To and CC
    recipients) ... The most annoying behavior in Apple Mail": an aside), or names a field of
    the customer's own program ("Recipient address suggestions ... k9 is not suggesting")."""
    start = mention.token_start
    last = max(
        (i for i in range(max(0, start - 8), start) if doc[i].lower_ in RECIPIENTS), default=None
    )
    if last is None:
        return False
    field = last + 1 + (word_at(doc, last + 1) in ("address", "addresses"))
    if word_at(doc, field) in RECIPIENT_FIELDS:
        return True  # "recipient address suggestions", "the recipients field"
    opened = any(doc[i].text == "(" for i in range(max(0, last - 6), last))
    return opened and any(doc[i].text == ")" for i in range(last + 1, start))


def _listed_with_service(
    kb: KnowledgeBase, doc: "Doc", mention: "Mention", named: AbstractSet[int]
) -> bool:
    """Whether the name stands in a list of mail services, beside one that is never a program
    (kb `account`): "yahoo, outlook, and gmail", "(Mail.com, Outlook, Proton)": commas on both
    sides, a name after (not "I use Outlook and Gmail", "Outlook/Hotmail won't connect", "Gmail,
    Outlook, keeps asking": the program and its account)."""
    after, before = mention.token_end, mention.token_start - 1
    if word_at(doc, before) == "," and _and_other_services(doc, after):
        return True  # "the gmail, outlook and other providers"
    if word_at(doc, before) == "(" and word_at(doc, before - 1) in ACCOUNT_WORDS | SERVICE_WORDS:
        # "Microsoft accounts (Outlook, Hotmail)": a list of services (not "my account
        # (outlook, iphone)": the program and the device)
        return word_at(doc, after) == "," and _service_named_at(kb, doc, after + 1)
    if word_at(doc, after) != "," or word_at(doc, before) != ",":
        return False
    following = after + 1 + (word_at(doc, after + 1) in ("and", "or"))
    if following not in named and not (following < len(doc) and doc[following].text[:1].isupper()):
        return False
    start = before - 1
    while start - 1 in named and start > before - 3:
        start -= 1  # back to the start of the name before ("google mail")
    return _service_named_at(kb, doc, following) or (
        start in named and _service_named_at(kb, doc, start)
    )


def _and_other_services(doc: "Doc", i: int) -> bool:
    """Whether the words from `i` end a list as one of mail services: "and other providers",
    "and other email services"."""
    words = [word_at(doc, j) for j in range(i, i + 4)]
    if words[:2] != ["and", "other"]:
        return False
    kind = words[3] if words[2] in ("mail", "email", "e-mail") else words[2]
    return kind in SERVICE_WORDS


def _service_named_at(kb: KnowledgeBase, doc: "Doc", i: int) -> bool:
    """Whether every client a name starting at token `i` can be is a mail service (kb
    `account`): Gmail, Yahoo, GMX (not Outlook, which is a program too)."""
    values = _clients_named_at(kb, doc, i)
    return bool(values) and all(kb.clients.get(value, {}).get("account") for value in values)


# A mailbox's protocols, said after a mail service's name: its server, not its website or app
MAIL_PROTOCOLS = {"imap", "pop", "pop3", "smtp"}
MAILBOX_WORDS = {"account", "accounts", "mailbox", "mailboxes"}
# ... and what such an account keeps besides mail: "link my outlook calendar to Thunderbird"
MAILBOX_WORDS |= {"calendar", "calendars", "agenda", "contacts", "kalender", "calendario"}


def _accounts_in_programs(kb: KnowledgeBase, doc: "Doc", clients: List["Mention"]) -> Set[str]:
    """The names that are also a mail service (kb `also_a_service`), said as an account
    ("Outlook mailbox", "outlook accounts") while a program of its own is named too, never with
    a version, every other mention an item of a list: the account, read in that program."""
    accounts = set()
    for value in {m.value for m in clients if kb.clients.get(m.value, {}).get("also_a_service")}:
        same = [m for m in clients if m.value == value]
        if any(versioned(doc, m) for m in same):
            continue
        # ... past a list's closing bracket too: "Adding hotmail (live, outlook) accounts"
        said_as_account = [
            word_at(doc, m.token_end + (word_at(doc, m.token_end) == ")")) in MAILBOX_WORDS
            for m in same
        ]
        # every other mention an item of a list ("Microsoft (Win11, Outlook) & TB"), never said
        # as the program ("Outlook won't send ... the Outlook account itself is OK")
        listed = [
            word_at(doc, m.token_end) == ")"
            or (word_at(doc, m.token_start - 1) in ("(", ",") and word_at(doc, m.token_end) == ",")
            for m in same
        ]
        if (
            any(said_as_account)
            and all(a or b for a, b in zip(said_as_account, listed))
            and any(_program(kb, m) and m.value != value for m in clients)
        ):
            accounts.add(value)
    return accounts


def _called_a_service(kb: KnowledgeBase, doc: "Doc", mention: "Mention") -> bool:
    """ "Yandex as my email provider", "AOL as my email server": a mail service (kb `account`
    or `also_a_service`) said to be the customer's service."""
    spec = kb.clients.get(mention.value, {})
    if not (spec.get("account") or spec.get("also_a_service")):
        return False
    words = [t.lower_ for t in doc[mention.token_end : mention.token_end + 5]]
    if words[:1] != ["as"]:
        return False
    rest = [
        w for w in words[1:] if w not in ("a", "an", "the", "my", "our", "mail", "email", "e-mail")
    ]
    return bool(rest) and rest[0] in SERVICE_SAID


def choose_client(
    kb: KnowledgeBase,
    clients: List["Mention"],
    doc: Optional["Doc"],
    device_ends: AbstractSet[int] = frozenset(),
) -> Optional["Mention"]:
    """The client mention with the highest salience; on a tie, the first one named with its
    version ("SOGo with Outlook 2010"), a program over a mailbox's site, the name a generic
    one's number means, or a program's phone edition named apart from it (`_edition`); else
    the first one.

    `device_ends`: where the message's device and OS mentions end. A generic name right after
    one is that device's app ("the Mavericks mail app", "iPhone mail"), as sure as a name.

    A name that is also a mail service (kb `also_a_service`: "Outlook" is Outlook.com too),
    said without a version, yields to a program the guides do not cover named as surely or
    nearly so: "my Outlook account in Mailspring", "Outlook inbox not shown in Airmail".
    """
    best, best_score = None, 0
    named = _named(clients)
    scores = [(mention, _score(kb, doc, mention, named)) for mention in clients]
    scores = [
        (m, max(score, 3) if score and m.token_start in device_ends and _generic(kb, m) else score)
        for m, score in scores
    ]
    # "Cannot use Yandex ... I'm using Yandex as my email provider": said to be the service
    # once, the name is the service throughout the message
    services = {m.value for m in clients if doc is not None and _called_a_service(kb, doc, m)}
    # "Microsoft (Win11, Outlook) & TB ... Thunderbird cannot setup Outlook mailbox": said as an
    # account set up in another program once, the name is that account throughout
    if doc is not None:
        services |= _accounts_in_programs(kb, doc, clients)
    scores = [(m, 0 if m.value in services else score) for m, score in scores]
    # "Cannot authenticate to outlook ... Thunderbird cannot authenticate with outlook": the
    # title's target is the same server (not "my outlook program is not sending. thunderbird also
    # fails to log into outlook": said as a program there)
    reached = {m.value for m in clients if doc is not None and doc.user_data.get(("reached", m))}
    scores = [
        (m, 0 if m.value in reached and _said_as_target(doc, m) else score) for m, score in scores
    ]
    for mention, score in scores:
        if score > best_score or (
            score == best_score > 0
            and (
                (versioned(doc, mention) and not versioned(doc, best))
                or (_mailbox_site(kb, best) and _program(kb, mention))
                or _numbered_as(kb, best, mention)  # "Mail 8.2: ... Mail.app does not"
                or _edition(kb, doc, best, mention)  # "Thunderbird ... Thunderbird for Android"
                # "Outlook ... outlook.live.com": the website (not "Outlook or Outlook Express")
                or (_mailbox_site(kb, mention) and _said_in_full(doc, best, mention, clients))
                # "chrome浏览器 ... mac osx自带的mail程序": the device's mail app, called a program,
                # over a browser (not "I use a browser for mail": the messages)
                or (
                    _serves_a_program(kb.clients.get(best.value, {}))
                    and _generic(kb, mention)
                    and _program_word(word_at(doc, mention.token_end))
                )
            )
        ):
            best, best_score = mention, score
    if best is not None and not _device_beside(best, device_ends):
        # "outlook.live.com - site is not usable ... Outlook often crashes": the title's site
        # (not with a device: "... Outlook on my Mac can't send" is a program there)
        titled = [
            m
            for m, score in scores
            if score > 0
            and _mailbox_site(kb, m)
            and m.token_end <= best.token_start
            and _said_in_full(doc, best, m, clients)
        ]
        best = titled[0] if titled else best
    if best is not None and doc is not None and not versioned(doc, best):
        # "i just tried Thunderbird for Android ... TB does not let me": the bare name after its
        # phone edition is that edition again (not "... TB on my PC": the desktop program)
        editions = [
            m
            for m, score in scores
            if score > 0
            and m.token_end <= best.token_start
            and kb.clients.get(m.value, {}).get("edition_of") == best.value
        ]
        if editions and not any(
            _device_beside(m, device_ends) or set(_said_around(doc, m)) & (DEVICES | DESKTOPS)
            for m in clients
            if m.value == best.value and m.token_start > editions[0].token_start
        ):
            best = editions[0]
    if best is None and clients and all(_own_webmail_in_use(kb, doc, m) for m in clients):
        # "cannot send email from webmail", "my Roundcube account": with no other program
        # named, the mailbox's web access is where the customer reads and sends
        return clients[0]
    if (
        best is not None
        and doc is not None
        and _service_name(kb, doc, best)
        # (not when named with a release elsewhere: "Outlook / NextCloud ... In Outlook (2013)")
        and not any(_with_release(doc, m) for m in clients if m.value == best.value)
    ):
        dedicated = [
            (m, score)
            for m, score in scores
            if score >= best_score - 1 and score > 0 and _dedicated_program(kb, m)
        ]
        if dedicated:
            return max(dedicated, key=lambda pair: pair[1])[0]
    return best


# How far into a message its title may name a program ("Timer button in Outlook ... ")
TITLE_REACH = 12
# Words for the desktop program, said beside the website: the other side
OTHER_SIDE = {"app", "program", "desktop", "client", "software", "pc", "computer", "not"}
# Words that set two names apart: "Outlook fails but outlook online works" (the words that end
# a clause, and "however")
SET_APART = (CLAUSE_ENDS - SENTENCE_ENDS) | {"however"}
# An app's dotted release ("v7.65.1", "2023.10.1"): a website is not numbered so
APP_RELEASE = re.compile(r"^v?\d+\.\d+(?:\.\d+)*$")
# Words of a program's set-up: with them, a site's host in a title is the account's server
# ("outlook.live.com IMAP settings ... Outlook keeps asking for the password")
PROGRAM_SET_UP = {"imap", "smtp", "pop3", "server", "settings", "password", "passwords"}
PROGRAM_SET_UP |= {"prompting", "prompts", "profile", "desktop", "add-in", "addin", "install"}


def _said_in_full(
    doc: Optional["Doc"], bare: Optional["Mention"], full: "Mention", clients: List["Mention"]
) -> bool:
    """Whether `full` is a longer name of the program `bare` names, where that program is
    only ever named with its one word and no release: "Outlook" and "Outlook on the web",
    "outlook.live.com" (as sure: the longer name says which Outlook; not "Outlook for Mac ...
    its OWA account", "the OWA or Outlook 2013"), said in brackets right after it or below a
    title, and not as the other side of the message ("..., the app doesn't")."""
    if doc is None or bare is None or full.alias is None or bare.value == full.value:
        return False
    for mention in clients:
        if mention.value == bare.value and (
            mention.alias is None
            or " " in mention.alias.phrase
            or versioned(doc, mention)
            or word_at(doc, mention.token_end) == "for"  # "outlook for Mac"
        ):
            return False
    if full.token_end <= bare.token_start:
        return _titled_in_full(doc, bare, full)
    between = [t.text for t in doc[bare.token_end : full.token_start]]
    if {word.lower() for word in between} & SET_APART or works_next(doc, full):
        return False  # "Outlook doesn't show new mail but I can see them on outlook.live.com"
    rest = next_clause([t.lower_ for t in doc[full.token_end :]], SENTENCE_ENDS | TITLE_ENDS)
    if set(rest) & (SET_APART | WORKS | OTHER_SIDE):
        return False  # "outlook.office.com shows the mails, the app doesn't": two sides
    # the full name in brackets right after ("Outlook (outlook.office.com)"), or below a title
    # that names the program alone ("outlook? ... Is there ... Outlook online")
    if between != ["("] and not (bare.token_start < TITLE_REACH and set(between) & TITLE_ENDS):
        return False
    return _longer_name(bare, full)


def _longer_name(bare: "Mention", full: "Mention") -> bool:
    """Whether `full`'s alias is a longer name of `bare`'s: "Outlook on the web", or a host
    with two dots, "outlook.live.com" (not "outlook.com", an account's domain)."""
    short, long = bare.alias.phrase, full.alias.phrase.removeprefix("www.")
    return long.startswith(short + " ") or (long.count(".") >= 2 and long.startswith(short + "."))


def _device_beside(mention: "Mention", device_ends: AbstractSet[int]) -> bool:
    """Whether a device or OS is named within a few words after the name ("Outlook on my Mac")."""
    return any(mention.token_end < end <= mention.token_end + 4 for end in device_ends)


def _titled_in_full(doc: "Doc", bare: "Mention", full: "Mention") -> bool:
    """Whether a title names the website in full and the post below it the bare name:
    "outlook.live.com - site is not usable ... Outlook often crashes" (the website's own
    title; not where the site works or the post sets the program apart: "..., the app")."""
    if full.token_start >= TITLE_REACH or works_next(doc, full):
        return False
    # "outlook.live.com smtp server ... Outlook asks for the password": a program's set-up
    if any(t.lower_ in PROGRAM_SET_UP for t in doc):
        return False
    between = {t.lower_ for t in doc[full.token_end : bare.token_start]}
    if not between & TITLE_ENDS or between & (SET_APART | WORKS):
        return False
    rest = next_clause([t.lower_ for t in doc[bare.token_end :]], SENTENCE_ENDS | TITLE_ENDS)
    if set(rest) & (SET_APART | WORKS | OTHER_SIDE):
        return False
    return _longer_name(bare, full)


# After "<name> email client": the client of an account's sign-in, or another program it is
CLIENT_NOT_PROGRAM = {"id", "ids", "secret", "secrets", "key", "keys", "is", "was", "=", ":"}


def _called_a_mail_program(doc: "Doc", mention: "Mention") -> bool:
    """Whether the name is followed by "email program", "mail client": the program, not the
    account its "email" would otherwise make it ("My Thunderbird email program ...")."""
    return (
        word_at(doc, mention.token_end) in ("email", "e-mail", "mail")
        and _program_word(word_at(doc, mention.token_end + 1))
        # (not "Outlook email client ID", "my Outlook email client is Thunderbird")
        and word_at(doc, mention.token_end + 2) not in CLIENT_NOT_PROGRAM
    )


def _program_word(word: str) -> bool:
    """Whether the word after a name calls it a program: "mail app", "mail程序不能..." (one
    word; context.called_a_program reads "as my mail client" after it)."""
    return word in PROGRAM_WORDS or word.startswith(CJK_PROGRAM_WORDS)


def _numbered_as(kb: KnowledgeBase, generic: Optional["Mention"], named: "Mention") -> bool:
    """The program a generic name with a number is (kb `with_version`: "Mail 8.2" is Apple
    Mail), named too: the name says it better."""
    spec = kb.clients.get(generic.value, {}) if generic is not None else {}
    return spec.get("with_version") == f"client/{named.value}"


def _edition(
    kb: KnowledgeBase, doc: Optional["Doc"], program: Optional["Mention"], named: "Mention"
) -> bool:
    """The program's edition for another device (kb `edition_of`), named apart from it too:
    "Thunderbird blocked ... Thunderbird for Android is blocked" is about the Android app, and
    so is "In Thunderbird Desktop they collapse ... in Thunderbird Android they don't" (the
    desktop edition by its name: the phone's is compared with it), while "only with Thunderbird
    and K9" names two programs, "Thunderbird 128 ... Thunderbird for Android" the release and
    "Thunderbird on my PC" the desktop program, said where it runs (unless the trouble is said
    of the edition: "Thunderbird at the desktop ... Thunderbird for Android can't see them")."""
    if program is None or kb.clients.get(named.value, {}).get("edition_of") != program.value:
        return False
    if doc is None or versioned(doc, program):
        return False
    after = [t.lower_ for t in doc[program.token_end : program.token_end + 3]]
    if set(after) & (DEVICES | DESKTOPS) and after[:1] != ["desktop"]:
        if not set(clause_after(doc, named)) & (TROUBLE | PROBLEM):
            return False  # "Thunderbird on my PC has this issue. Is Thunderbird for Android too?"
    first, second = sorted((program, named), key=lambda m: m.token_start)
    between = {t.lower_ for t in doc[first.token_end : second.token_start]}
    return not between <= BETWEEN_TWO


def _said_around(doc: "Doc", mention: "Mention") -> List[str]:
    """The words of the mention's clause around it: three before, eight after ("my desktop
    TB won't send", "TB keeps failing to send on my Linux box")."""
    return clause_before(doc, mention, reach=3) + clause_after(doc, mention, reach=8)


def _generic(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A generic name ("mail", "the mail app"): which program depends on the device."""
    return bool(kb.clients.get(mention.value, {}).get("generic"))


def own_webmail(kb: KnowledgeBase, mention: "Mention") -> bool:
    """The web access of the customer's own mail server ("webmail", Roundcube, SOGo), not a
    provider's website (Gmail, Outlook.com)."""
    spec = kb.clients.get(mention.value, {})
    return bool(spec.get("server_web")) or (
        spec.get("guide") == "uncovered/webmail" and not spec.get("account")
    )


def _own_webmail_in_use(kb: KnowledgeBase, doc: Optional["Doc"], mention: "Mention") -> bool:
    """The customer's own webmail, not negated and not only said to work ("webmail works")."""
    said_to_work = doc is not None and doc.user_data.get(("webmail works", mention), False)
    return own_webmail(kb, mention) and not mention.negated and not said_to_work


def _mailbox_site(kb: KnowledgeBase, mention: Optional["Mention"]) -> bool:
    """A mail service's website or app (kb `account`): "the webmail", "on Gmail"."""
    return mention is not None and bool(kb.clients.get(mention.value, {}).get("account"))


def _program(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A mail program of its own: no service, no generic name, no unknown name, no mail
    server's suite or gateway (kb `server_suite`, `gateway`: "outlook ... synced to zimbra")."""
    return mention.value != "unknown-program" and _a_program(kb.clients.get(mention.value, {}))


def _a_program(spec: Dict[str, Any]) -> bool:
    """Whether a client of the catalogue is a mail program of its own: no service (kb
    `account`, which every mailbox's web access is too), no generic name, no server's suite or
    gateway."""
    return not (spec.get("account") or spec.get("generic") or _serves_a_program(spec))


def _serves_a_program(spec: Dict[str, Any]) -> bool:
    """A helper between a mail program and the server (kb `gateway`: a bridge, a proxy) or a
    mail server's suite (kb `server_suite`: SOGo, Zimbra): no program of its own."""
    return bool(spec.get("gateway") or spec.get("server_suite"))


def _with_release(doc: "Doc", mention: "Mention") -> bool:
    """Named with a release of the program, perhaps in brackets: "Outlook 2013", "Outlook
    (2016)", "Outlook 16.0.1" (not "Office 365", a suite; not "outlook 4 other accounts")."""
    if _suite(mention):
        return False
    if mention.alias and mention.alias.version:
        return True
    word = word_past_bracket(doc, mention.token_end)
    return bool(YEAR_RELEASE.match(word) or DOTTED_RELEASE.match(word))


# A release written as a dotted number ("16.0.1"; not "4"); a year: versions.YEAR_RELEASE
DOTTED_RELEASE = re.compile(r"^\d+\.\d+(?:\.\d+)*$")


def _service_name(kb: KnowledgeBase, doc: "Doc", mention: "Mention") -> bool:
    """The brand of a mail service too, said without a version ("Outlook", not "Outlook 2016"),
    or a suite that is the service as well ("Office 365", "M365")."""
    spec = kb.clients.get(mention.value, {})
    return bool(spec.get("also_a_service")) and (_suite(mention) or not versioned(doc, mention))


def _suite_reached(doc: "Doc", mention: "Mention") -> bool:
    """ "send through Office365", "connect to my O365", "SMTP does not work for Office365": an
    Office suite named as what is reached is the account's server (not "switched to Office 365",
    "my subscription to Office 365", "since the update to o365": what the customer uses)."""
    start = mention.token_start
    if word_at(doc, start - 1) in ("my", "our", "the", "an", "a", "your"):
        start -= 1
    by = word_at(doc, start - 1)
    if by == "/" and word_at(doc, start - 2) in SERVER_KINDS:
        return True  # "trouble with IMAP/office365": the protocol's server
    clause = set(clause_before(doc, mention))
    if by not in SUITE_REACHED_BY or clause & (MOVED | UPGRADED | SUBSCRIBED):
        return False
    if by in ("through", "via"):
        return True
    if by == "to":  # "connect to my O365", "unable to send to Office365"
        return bool(clause & (SIGN_IN | SENDING))  # (SIGN_IN has "log", "login")
    return word_at(doc, start - 2) in WORKS  # "SMTP does not work for Office365"


# After an Office suite's name, these make it the programs installed: "Office 365 desktop app",
# "Office 365 ProPlus", "Microsoft 365 Apps", "Office 365 Version 2308 (Build ...)", "64-bit"
INSTALLED_SUITE = {"desktop", "client", "program", "programs", "x64", "x86", "64", "32"}
INSTALLED_SUITE |= {"64-bit", "32-bit", "proplus", "pro", "apps", "version", "build", "home"}
INSTALLED_SUITE |= {"personal"}  # the plans for homes, which bring the programs
# ... and so does a computer it is on or for, a few words on ("Office 365 on main computer",
# "M365 on my work PC", "auf meinem Laptop", "Office 365 for Mac")
COMPUTERS = {"computer", "computers", "laptop", "desktop", "notebook", "pc", "pcs", "machine"}
COMPUTERS |= {"mac", "macs", "macbook", "imac", "rechner", "ordinateur", "ordenador"}
COMPUTERS |= {"computadora", "computador", "portatile", "portátil", "portable", "surface"}
ON_COMPUTER = {"on", "for", "auf", "sur", "en", "no", "na", "op", "sul", "su", "am"}
COMPUTER_REACH = 4  # words from "on" to the computer: "on my Windows 10 laptop"
# ... and said installed: "Office 365 installed on my computer", "Office 365 installiert"
INSTALLED = {"installed", "install", "installiert", "installé", "installée", "instalado"}
INSTALLED |= {"installato", "geïnstalleerd", "installing", "reinstalled", "uninstalled"}
# ... and answers: "office 365 i think", "ich nutze Office 365", "j'utilise office 365"
ANSWER_FILLER = FILLER | {"think", "guess", "ich", "nutze", "benutze", "verwende", "j'utilise"}
ANSWER_FILLER |= {"utilise", "uso", "utilizo", "gebruik", "je", "yo", "eu"}


def _installed_suite(doc: Optional["Doc"], mention: "Mention") -> bool:
    """An Office 365 suite as the programs installed, Outlook among them: said as such ("Office
    365 desktop app", "Office 365 x64", "installed"), with a computer, moved to from another
    program, or the whole message (an answer to "which program?")."""
    if doc is None:
        return True
    if word_past_bracket(doc, mention.token_end) in INSTALLED_SUITE:
        return True  # "Office 365 x64", "Office 365 (desktop)"
    if word_at(doc, mention.token_end) in ON_COMPUTER:
        where = next_clause(
            [t.lower_ for t in doc[mention.token_end + 1 : mention.token_end + 1 + COMPUTER_REACH]],
            CLAUSE_ENDS,
        )
        if set(where) & COMPUTERS:
            return True
    before, after = set(clause_before(doc, mention)), set(clause_after(doc, mention))
    if (before | after) & INSTALLED or before & COMPUTERS:
        return True  # "installed", "my computer has Office 365"
    if previous_word(doc, mention) in MOVED_TO and before & MOVED_FROM and (before | after) & MOVED:
        # "I switched from Thunderbird to Office 365", "ich bin von Thunderbird zu Office 365
        # gewechselt": the programs moved to
        return True
    return just_the_name(doc, mention.token_start, mention.token_end, ANSWER_FILLER)


def _suite(mention: "Mention") -> bool:
    """Named as an Office suite ("Office 365", "MS Office", "M365"), often the account."""
    phrase = mention.alias.phrase if mention.alias else ""
    return phrase.startswith(SUITES) or "365" in phrase


def _dedicated_program(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A program the guides do not cover: no mail service, generic name, server's suite or
    gateway (`_program`)."""
    return not kb.has_guide(mention.value) and _program(kb, mention)


# "address book": after "address", the program's data, not an account's address
BOOK = ("book", "books")
# How far before "the Outlook option" a sign-in verb may be: "When I logging in the
# organization account from the outlook option"
OPTION_REACH = 8
# How far before a service's name the verb of reaching it and the program that reaches it
# may be: "Thunderbird cannot authenticate with outlook", "Windows Live Mail can't connect to"
SIGN_IN_REACH = 4
REACHER_REACH = 8
# The words right before a server's name that a program reaches: "connect to", "log in with"
REACHED_BY = ("to", "with", "into")
# Before the program, these say it is not the one in use: "Without Thunderbird I can't connect"
NOT_IN_USE = REMOVED | {"without", "not", "no"}


def _reached_by_program(
    kb: KnowledgeBase, doc: "Doc", mention: "Mention", named: AbstractSet[int], previous: str
) -> bool:
    """Whether a service's name is the server a program named just before connects, signs
    in or authenticates to: "Thunderbird can't connect to outlook" (not "Cannot connect with
    Microsoft outlook", "my yahoo account won't connect to outlook": an account reaches no
    server, "connect my account to outlook 2013": a release is the program's)."""
    start = mention.token_start
    if previous not in REACHED_BY:
        return False
    if versioned(doc, mention) and not _suite(mention):  # ("Office 365" is the service)
        return False
    if word_at(doc, mention.token_end) in AS_PROGRAM | SITE_NAMES:
        return False
    if not {t.lower_ for t in doc[max(0, start - SIGN_IN_REACH) : start - 1]} & SIGN_IN:
        return False
    for i in range(max(0, start - REACHER_REACH), start):
        # a program's name begins here (not inside another name: "The Gmail app")
        if i in named and i - 1 not in named and doc[i].norm_ in kb.program_words:
            between = doc[i:start]
            return word_at(doc, i - 1) not in NOT_IN_USE and not any(
                t.text in SENTENCE_ENDS or t.text in (",", ";") for t in between
            )
    return False


def _named(clients: List["Mention"]) -> Set[int]:
    """The token positions the client mentions cover."""
    return {i for m in clients for i in range(m.token_start, m.token_end)}


def alternative(
    kb: KnowledgeBase, clients: List["Mention"], doc: Optional["Doc"], chosen: Optional["Mention"]
) -> Optional["Mention"]:
    """A second program named in the same breath as the chosen one, just as salient: the
    message does not say which has the problem ("Thunderbird or Apple Mail", "in Outlook and
    Thunderbird"). None when one of them stands out."""
    if doc is None or chosen is None:
        return None
    named = _named(clients)
    best = _score(kb, doc, chosen, named)
    for mention in clients:
        if mention.value == chosen.value or best < 3 or _score(kb, doc, mention, named) != best:
            continue
        first, second = sorted((chosen, mention), key=lambda m: m.token_start)
        between = [t.lower_ for t in doc[first.token_end : second.token_start]]
        if not (between and set(between) <= BETWEEN_TWO and set(between) & {"or", "and", "/", "&"}):
            continue
        later = {m.value for m in clients if m.token_start >= second.token_end}
        if chosen.value in later and mention.value not in later:
            continue  # "via Outlook or Outlook Express ... Outlook takes minutes": Outlook's
        return mention
    return None


def choose_platform(
    platforms: List["Mention"],
    attached: List["Mention"],
    doc: Optional["Doc"],
    mobile: AbstractSet[str] = frozenset(),
) -> Optional[str]:
    """The device said with the chosen program; else the one with the problem; else the last.

    None when every device is only said to work ("it works on my Android phones, but not in
    Outlook 2013": the Outlook on the computer has the problem; "email works on ipad, phone,
    but not on desk top computer": the program is still to be asked).
    """
    if not platforms:
        return None
    if doc is None:
        return attached[0].value if attached else platforms[-1].value
    cues = {m: listed_cue(doc, m, platforms) for m in platforms}
    emulated = [
        m for m in platforms if m.alias is not None and m.alias.context == EMULATOR and cues[m] >= 0
    ]
    named_for = attached and doc[attached[0].token_start - 1].lower_ == "for"
    if emulated and not named_for:  # not "Outlook for Mac ... the one in Parallels works"
        return emulated[0].value  # "Eudora in Wine on Ubuntu": the program runs in Windows
    if attached and cues[attached[0]] == 0 and attached[0].value in DESKTOP_PLATFORMS:
        # "In TB for PC they collapse, but in Android I am not able to": a phone or tablet
        # with the trouble, not only denied ("Thunderbird for PC, not Android")
        troubled = [
            m
            for m in platforms
            if m.value in mobile
            and cues[m] > 0
            and not denied(doc, m)
            and not not_used_there(doc, m)
        ]
        if troubled:
            return troubled[-1].value
    if attached and not (cues[attached[0]] < 0 and max(cues.values()) > 0):
        return attached[0].value  # unless it works there and another device has the trouble
    if max(cues.values()) < 0:
        return None
    # max() keeps the first of equals: reversed, so the last mention wins a tie as before
    return max(reversed(platforms), key=cues.__getitem__).value
