"""A mention's neighbourhood in a message: pure token logic over a spaCy Doc, no KB.

Clauses before and after a mention, negation, quotes and brackets, lists, what a name is said
to be (mine, a program, an account's address, compared with or tried beside another) and
whether it is said to work or fail. salience.py weighs these readings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, AbstractSet, List, Optional, Sequence, Set

from smtpbot.understanding.cues import (
    ADDRESS,
    APP_PASSWORD,
    APP_SYSTEMS,
    ARRIVED,
    ARTICLES,
    CAN,
    CAN_DO,
    CJK_ACCOUNT,
    CJK_MAILBOX_APP,
    CJK_TEXT,
    CJK_UNIT,
    CLAUSE_ENDS,
    COME_THROUGH,
    COMPARED,
    CONTRAST,
    COUNT_AFTER,
    COUNTED_BY,
    COUNTED_THINGS,
    COUNTED_THINGS_ONE,
    DAY,
    DENIAL_SKIPS,
    DESKTOPS,
    DEVICE_PLACE,
    DEVICES,
    ECHOED_DOING,
    ELSEWHERE,
    FORMERLY,
    GET_VERBS,
    LAST_VERB_CLAUSE_ENDS,
    LIST_JOINERS,
    LIST_LINKS,
    LISTS_OF_PEOPLE,
    LONG_USE,
    MAIL_NOUNS,
    MAIL_VERBS,
    MAIL_WORK,
    MESSAGES,
    MOVED_DEVICE_FILLER,
    MOVED_DEVICE_REACH,
    MOVED_DEVICES,
    MOVED_FROM,
    MOVED_FROM_REACH,
    MOVED_ON_TO,
    MOVED_ON_TO_REACH,
    MOVED_TO,
    MOVED_WITH,
    NOT_BEFORE,
    NOT_USED,
    NOT_VERSION_AFTER,
    ONE_UNITS,
    ONLY_ACCOUNT,
    OPENED,
    OPENED_THINGS,
    OWNED_COUNT,
    PLUG_INS,
    PROBLEM,
    PROGRAM_WORDS,
    PROSPECTS_OF,
    QUOTES,
    RECIPIENTS,
    SENDING,
    SENTENCE_ENDS,
    SET_AGAINST,
    SMTP_CODE,
    SOME_ONLY,
    STATUS,
    STILL,
    STORE_PLACES,
    STORE_VERBS,
    THOUGH,
    TITLE_ENDS,
    TITLE_SEPARATORS,
    TRIED,
    TROUBLE,
    TURNS,
    UNITS,
    USE,
    VERSIONISH,
    WORKED,
    WORKS,
    WORKS_OF_ART,
    WRITE_VERBS,
    YEAR,
)
from smtpbot.understanding.versions import past_version_label

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from smtpbot.understanding.mentions import Mention


def account_word(word: str) -> bool:
    """Whether `word` (the word after a name) makes the name the account: "my iCloud
    account", "outlook邮箱无法同步" (not "QQ邮箱客户端", the mailbox's app)."""
    if CJK_MAILBOX_APP.match(word):
        return False
    return word in ONLY_ACCOUNT or bool(CJK_ACCOUNT.match(word) and not word.isascii())


def version_numbers(doc: "Doc", numbers: Sequence[int]) -> Set[int]:
    """The token indices, among `numbers` (tokens that look like versions), that may be versions."""
    skipped: Set[int] = set()
    number_set = set(numbers)
    for i in numbers:
        prev = doc[i - 1].lower_ if i > 0 else ""
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        text = doc[i].text
        if prev in NOT_VERSION_AFTER or nxt in UNITS or CJK_UNIT.match(nxt):
            skipped.add(i)
        elif text == "1" and nxt in ONE_UNITS:
            skipped.add(i)
        elif prev in ("(", "/", "[") and i > 1 and VERSIONISH.match(doc[i - 2].text):
            skipped.add(i)  # "Mail 7.2 (1874)", "7.2/1874": a build number
        elif nxt == "/" and DAY.match(text) and (i + 2) in number_set:
            skipped.add(i)  # "3/24": a date
        elif SMTP_CODE.match(text):
            skipped.add(i)  # "535 authentication failed": no covered program has a release 400-599
        elif STATUS.match(text) and SMTP_CODE.match(prev):
            skipped.add(i)  # "550 5.7.1": an SMTP status
        elif prev in ("and", "or", ",", "-", "to") and (i - 2) in skipped:
            skipped.add(i)  # "TLS 1.1 and 1.2", "ports 465, 587"
        elif list_marker(doc, i):
            skipped.add(i)  # "1. open the mail app 2. pull down": a numbered list
        elif nxt in COUNTED_BY and text.isdigit() and len(text) <= 2:
            skipped.add(i)  # "4 emails in Thunderbird, 2 are gmail", "3 of them": a count
        elif (
            text.isdigit()
            and len(text) <= 2
            and prev in OWNED_COUNT
            and nxt in COUNTED_THINGS | COUNTED_THINGS_ONE
        ):
            skipped.add(i)  # "Thunderbird on my 2 computer", "both 2 accounts": a count
        elif counted_after_a_word(doc, i):
            skipped.add(i)  # "from Thunderbird to 2 hotmail accounts": a count
        elif text.isdigit() and len(text) <= 2 and i > 1 and doc[i - 2].lower_ == "there":
            skipped.add(i)  # "On TB there are 2 tabs", "there were 3 of them": a count
    return number_set - skipped


def counted_after_a_word(doc: "Doc", i: int) -> bool:
    """Whether a small whole number counts the things named one word after it: "to 2 hotmail
    accounts", "my 3 gmail addresses" (a service or kind between the number and the unit; after
    a word that opens a count, not after a program's name: "Outlook 98 sends emails twice")."""
    text = doc[i].text
    return (
        text.isdigit()
        and len(text) <= 2
        and 0 < i < len(doc) - 2
        and doc[i - 1].lower_ in COUNT_AFTER  # (not "Thunderbird 2 loses emails")
        and doc[i + 1].is_alpha
        and doc[i + 2].lower_ in COUNTED_THINGS
    )


def list_marker(doc: "Doc", i: int) -> bool:
    """Whether token i numbers a list item: "1." (or "1)") with a "2." after it, or "2."
    after a "1."; or "2)" that closes no bracket ("... 2)POP settings are elsewhere")."""
    text = doc[i].text
    if not text.isdigit() or len(text) > 2:
        return False
    if i + 1 >= len(doc) or doc[i + 1].text not in ".)":
        return i in _unmarked_steps(doc)
    mark = doc[i + 1].text
    if mark == ")" and _opened(doc[:i]) == 0:
        return True
    opens = i == 0 or (text == "1" and (doc[i - 1].is_space or doc[i - 1].text in TITLE_ENDS))
    if opens and i + 2 < len(doc) and doc[i + 2].text[:1].isupper():
        return True  # "1. Thunderbird cannot import ...": a list's first item, opening a line

    def marks(number: str, tokens) -> bool:
        return any(
            t.text == number and t.i + 1 < len(doc) and doc[t.i + 1].text == mark for t in tokens
        )

    return marks(str(int(text) - 1), doc[:i]) or marks(str(int(text) + 1), doc[i + 2 :])


def _unmarked_steps(doc: "Doc") -> List[int]:
    """The tokens of steps numbered 1, 2, 3 ... in order with no mark, as typed in a chat ("1
    open mozilla thunderbird 2 open any email folder 3 switch to threaded"): at least three,
    else none. Read once per message (asked of each of its numbers)."""
    if "unmarked_steps" in doc.user_data:
        return doc.user_data["unmarked_steps"]
    steps, expected = [], 1
    for token in doc:
        if token.text == str(expected) and (
            token.i + 1 >= len(doc) or doc[token.i + 1].text not in ".)"
        ):
            steps.append(token.i)
            expected += 1
    doc.user_data["unmarked_steps"] = steps if len(steps) >= 3 else []
    return doc.user_data["unmarked_steps"]


def _opened(tokens) -> int:
    """How many round brackets the tokens leave open."""
    depth = 0
    for t in tokens:
        depth = depth + 1 if t.text == "(" else max(depth - 1, 0) if t.text == ")" else depth
    return depth


def mail_noun(doc: "Doc", mention: "Mention", proper: bool) -> bool:
    """Whether a one-word generic name ("mail") is the noun, not the program."""
    previous = doc[mention.token_start - 1] if mention.token_start else None
    if word_at(doc, mention.token_end) in PLUG_INS:
        return False  # "the mail plugin", "an mail plug-in": the Mail program's
    if not proper and previous_word(doc, mention) in ARTICLES:
        return True  # "send a mail", "no mail goes out"
    if previous is not None and previous.lower_ in MAIL_VERBS:
        if not proper or previous.text[:1].isupper():
            return True  # "can't receive mail", "Send Mail Fails": the noun after its verb
    if previous is not None and previous.lower_ in WRITE_VERBS and not proper:
        # "I can't compose mail on my PC" (not "I can't get mail to work on my Mac": the app)
        return not (previous.lower_ in GET_VERBS and word_at(doc, mention.token_end) == "to")
    if previous is not None and previous.lower_ in STORE_VERBS and not proper:
        if word_at(doc, mention.token_end) in STORE_PLACES:
            return True  # "exporting mail from Outlook for Mac"
    if previous is not None and _domain(previous.text):
        return True  # "outlook.com Mail", "gmx.de Mail": the service's mail, not the Mail app
    if _e_mail(doc, mention.token_start):
        return True  # "I can receive e-mail" (spaCy splits "e-mail" into three), "E mail"
    if word_at(doc, mention.token_end) in RECIPIENTS:
        return True  # Windows' "Send to > Mail Recipient" menu, "mail recipients"
    # "lost many mail folders": the noun before another noun
    return not proper and word_at(doc, mention.token_end) in MAIL_NOUNS


def said_with_phone(doc: "Doc", mention: "Mention") -> bool:
    """A phone or tablet named within 6 words of the name, in its sentence ("On iOS Tuta Mail",
    "iOS and iPadOS, Tutanota version 3.98"; not "I switched to Proton Mail last month and now
    the Mail app on my iPhone won't send")."""
    ends = {".", "!", "?", ";"}
    before = doc[max(0, mention.token_start - 6) : mention.token_start]
    after = doc[mention.token_end : mention.token_end + 6]
    words = after_last([t.lower_ for t in before], ends)
    words += next_clause([t.lower_ for t in after], ends)
    return bool(set(words) & APP_SYSTEMS)


def next_clause(words: List[str], ends: AbstractSet[str]) -> List[str]:
    """The words before the first of `ends` (the mirror of after_last)."""
    return words[: next((i for i, w in enumerate(words) if w in ends), len(words))]


BRACKET_REACH = 6  # words after a name in brackets to its closing bracket


def bracketed_after_address(doc: "Doc", mention: "Mention") -> bool:
    """ "my @live.de (Outlook) email account": a service's name in brackets right after an
    address or a mail domain says whose the address is."""
    start = mention.token_start
    return start >= 2 and doc[start - 1].text == "(" and bool(ADDRESS.search(doc[start - 2].text))


def bracketed_after_account(doc: "Doc", mention: "Mention") -> bool:
    """ "my email accounts (gmail)", "accounts (gmail, yahoo)": a name in brackets right after an
    account word, with nothing but names in the brackets (not "account (gmail, iphone)": its
    device). Asked of mail services only ("my account (Outlook 2016)" names the program)."""
    start = mention.token_start
    if start < 2 or doc[start - 1].text != "(" or not account_word(doc[start - 2].lower_):
        return False
    inside = []
    for token in doc[mention.token_end : mention.token_end + BRACKET_REACH]:
        if token.text == ")":
            return not set(inside) & (DEVICES | DESKTOPS)
        inside.append(token.lower_)
    return False


def listed_before_account(doc: "Doc", mention: "Mention", named: AbstractSet[int]) -> bool:
    """ "Outlook/Hotmail accounts", "Gmail and Outlook accounts": listed before another name
    that the account word follows, the name is an account too."""
    end = mention.token_end
    if word_at(doc, end) not in LIST_JOINERS or end + 1 not in named:
        return False
    following = end + 1
    while following in named:
        following += 1  # past the next name ("outlook.com", "office 365")
    return account_word(word_at(doc, following))


def works_next(doc: "Doc", mention: "Mention") -> bool:
    """Whether the name is followed, within three words, by one saying it works ("works fine")."""
    return any(word_at(doc, mention.token_end + k) in WORKS for k in range(3))


def sent_by_way_of(doc: "Doc", mention: "Mention") -> bool:
    """ "won't send through Comcast", "sending via Gmail", "SMTP through Yahoo", "can't send
    email through att.net": the account's server carries the mail; the program is another ("I
    read it via Gmail" is still the website)."""
    previous, before = word_at(doc, mention.token_start - 1), word_at(doc, mention.token_start - 2)
    if previous not in ("through", "via"):
        return False
    if before in MESSAGES:  # "send email through": the verb is a word earlier
        before = word_at(doc, mention.token_start - 3)
    return before in SENDING | {"smtp", "outgoing"}


def named_release(doc: Optional["Doc"], mention: "Mention") -> bool:
    """ "Mail 5 in Lion", "Mail 7.0 (1822)": a generic name written as a name, with its release
    number right after it, names the program (not "mail 2 days ago": lower case)."""
    return (
        doc is not None
        and doc[mention.token_start].text[:1].isupper()
        and not doc[mention.token_start].text.isupper()
        and versioned(doc, mention)
    )


def clause_before(doc: "Doc", mention: "Mention", reach: int = 6) -> List[str]:
    """The lower-case words of the name's clause before it, up to `reach` words."""
    words = [t.lower_ for t in doc[max(0, mention.token_start - reach) : mention.token_start]]
    return after_last(words, CLAUSE_ENDS)


def clause_after(doc: "Doc", mention: "Mention", reach: int = 6) -> List[str]:
    """The lower-case words of the name's clause after it, up to `reach` words (the mirror of
    clause_before; German and Dutch, whose participles come last, end clauses with theirs)."""
    words = [t.lower_ for t in doc[mention.token_end : mention.token_end + reach]]
    return next_clause(words, CLAUSE_ENDS | LAST_VERB_CLAUSE_ENDS)


def said_to_be_mine(doc: "Doc", start: int) -> bool:
    """ "my default email client is Evolution", "our mail program is Eudora": said, before the
    name, to be the customer's program."""
    words = [t.lower_ for t in doc[max(0, start - 6) : start]]
    if words[-1:] not in (["is"], ["was"]):
        return False
    rest = [w for w in words[:-1] if w not in ("default", "mail", "email", "e-mail", "usual")]
    return len(rest) >= 2 and rest[-2] in ("my", "our") and rest[-1] in PROGRAM_WORDS | {"mailer"}


def said_a_user_of(doc: "Doc", start: int, end: int) -> bool:
    """ "I'm an Outlook Web user", "as a long-time Thunderbird user": the customer says they
    use the program named at tokens [start, end)."""
    if word_at(doc, end) not in ("user", "users"):
        return False
    words = [t.lower_ for t in doc[max(0, start - 4) : start]]
    if not set(words) & {"a", "an"}:
        return False
    article = max(i for i, w in enumerate(words) if w in ("a", "an"))
    return article > 0 and words[article - 1] in ("am", "'m", "as", "im", "i'm")


def called_a_program(doc: "Doc", start: int) -> bool:
    """ "evolution as my mail client", "Mutt as an email program", "Thunderbird is my default
    mailer": said to be the program."""
    words = [t.lower_ for t in doc[start : start + 5]]
    if words[:1] not in (["as"], ["is"]):
        return False
    rest = [w for w in words[1:] if w not in ("a", "an", "the", "default")]
    owned = rest[:1] in (["my"], ["our"])  # "as my client", not "as a program of change"
    rest = rest[1:] if owned else rest
    mail = rest[:1] and rest[0] in ("mail", "email", "e-mail")
    rest = rest[1:] if mail else rest
    # "my default mailer" (not "the Foo mailer": "Universal Mailer" is a plug-in)
    return bool(owned or mail) and bool(rest) and rest[0] in PROGRAM_WORDS | {"mailer"}


def bracketed_after_program(doc: "Doc", start: int, end: int) -> bool:
    """ "the mail client on my Mac (Sparrow)": tokens [start, end) in brackets, right after a
    clause that speaks of a program."""
    if not (0 < start and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"):
        return False
    return any(t.lower_ in PROGRAM_WORDS | {"mailer"} for t in doc[max(0, start - 6) : start - 1])


def closing_quote(doc: "Doc", mention: "Mention") -> int:
    """How many tokens close the quotes a name stands in: 1 ('the "outlook" account'), or 0."""
    return int(
        word_at(doc, mention.token_start - 1) in QUOTES
        and word_at(doc, mention.token_end) in QUOTES
    )


def app_password_at(doc: "Doc", i: int) -> bool:
    """Whether an app's password begins at token i ("password", "-specific password"): said
    after "app", it is the account's password for apps, not an app."""
    if word_at(doc, i) == "-" and word_at(doc, i + 1) == "specific":
        return True
    return word_at(doc, i) in APP_PASSWORD


def word_at(doc: "Doc", i: int) -> str:
    """The lower-case word at `i`, or "" outside the message."""
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def word_past_bracket(doc: "Doc", i: int) -> str:
    """The lower-case word at `i`, or after it if `i` opens a bracket: "Outlook (2016)"."""
    return word_at(doc, i + (word_at(doc, i) == "("))


def tried_too(before: List[str]) -> bool:
    """ "I use Evolution, but also tried Thunderbird": a program tried beside the one in use."""
    return bool(set(before[-3:]) & {"also", "too"}) and bool(set(before[-2:]) & TRIED)


def compared(before: List[str]) -> bool:
    """Whether the words right before a name compare it with the program in trouble."""
    return any(before[-len(words) :] == words for words in COMPARED)


def glued_hyphen(doc: "Doc", i: int) -> bool:
    """Whether token `i` is a hyphen joining two words with no spaces ("e-mail", "Outlook-Konto")."""
    return (
        0 < i < len(doc) - 1
        and doc[i].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def _domain(word: str) -> bool:
    """A mail domain or address written as a word: "outlook.com", "web.de" (not "Mail.app", a
    program)."""
    return bool(ADDRESS.search(word)) and not word.lower().endswith((".app", ".exe"))


def _e_mail(doc: "Doc", start: int) -> bool:
    """Whether the token at `start` ends an "e-mail" typed with a hyphen or a space."""
    if start >= 1 and doc[start - 1].lower_ == "e" and doc[start - 1].whitespace_:
        # "E mail my photographs", "geen e mail meer" (not "il Mac e Mail": Italian "and")
        return doc[start - 1].text == "E" or doc[start].text.islower()
    return start >= 2 and glued_hyphen(doc, start - 1) and doc[start - 2].lower_ == "e"


def beside_cjk(doc: "Doc", span: "Span") -> bool:
    """Whether the span stands right beside Chinese or Japanese text: "在evolution的写邮件"."""
    previous = doc[span.start - 1] if span.start else None
    following = doc[span.end] if span.end < len(doc) else None
    return any(t is not None and CJK_TEXT.search(t.text) for t in (previous, following))


def written_as_name(doc: "Doc", span: "Span") -> bool:
    """ "fails on Geary", "I use Mutt": capitalised inside a sentence of an ordinary message.

    Not at a sentence start, not in ALL CAPS, and not in a Title Case Headline, where every
    word is capitalised and a capital says nothing.
    """
    first = doc[span.start]
    if not first.text[:1].isupper() or first.text.isupper():
        return False
    if beside_cjk(doc, span):
        return True  # a capital in Chinese or Japanese text, which has none: "使用 Himalaya 连接"
    previous = doc[span.start - 1] if span.start else None
    if (
        previous is None
        or previous.is_space
        or (previous.is_punct and previous.text not in ",;")
        or previous.text in TITLE_SEPARATORS  # "VPS | Mail bouncing to Hotmail"
    ):
        return False  # a capital after a comma is the name's: "Today, Mail went postal"
    if span.end < len(doc) and doc[span.end].lower_ == "of":  # "the Evolution of email"
        return False
    return not title_case(doc, span)


def title_case(doc: "Doc", span: "Span") -> bool:
    """Whether the message around a name is a Title Case Headline (or German, which capitalises
    every noun): at least half its longer words capitalised, so a capital says nothing."""
    words = [t for t in doc if t.is_alpha and len(t) > 3 and not span.start <= t.i < span.end]
    return sum(t.text[:1].isupper() for t in words) * 2 >= len(words)


def just_the_name(doc: "Doc", start: int, end: int, filler: Set[str]) -> bool:
    """Whether the message is tokens [start, end) and only `filler` words around them."""
    return only_filler(doc, set(range(start, end)), filler)


def only_filler(doc: "Doc", skip: AbstractSet[int], filler: AbstractSet[str]) -> bool:
    """Whether every token but those at `skip` (and punctuation) is a `filler` word."""
    return all(t.lower_ in filler for t in doc if not t.is_punct and t.i not in skip)


def previous_word(doc: "Doc", mention: "Mention") -> str:
    return doc[mention.token_start - 1].lower_ if mention.token_start else ""


def other_thing(doc: "Doc", mention: "Mention") -> bool:
    """The name names something else: "the singer's entourage" (someone else's), "a 1962 Ford
    Thunderbird" (model year + make), "a Eudora Welty novel" (part of a work's title)."""
    start, end = mention.token_start, mention.token_end
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    if (
        len(before) >= 2
        and before[-1] == "'s"
        and before[-3:-2] != []
        and before[-3] in ("the", "a")
    ):
        return True
    if start >= 2 and YEAR.match(doc[start - 2].text) and doc[start - 1].text[:1].isupper():
        # ... but "Windows build 1909 Microsoft Mail": the number is the system's, not a model year
        if start < 3 or doc[start - 3].lower_ not in ("build", "version", "windows", "win"):
            return True
    after = [t.lower_ for t in doc[end : end + 3]]
    if after[:1] in (["style"], ["styled"]) or (
        after[:1] == ["-"] and after[1:2] in (["style"], ["like"], ["type"])
    ):
        return True  # "Outlook-style Reply All", "an Outlook-like calendar": a manner
    if len(after) >= 2 and after[1] in WORKS_OF_ART and after[0] not in LISTS_OF_PEOPLE:
        return True  # (not "the Thunderbird address book": the program's)
    phrase = mention.alias.phrase if mention.alias else ""
    # "the outlook for our business": the prospects, not the program ("the Outlook for Mac"
    # is an alias of its own; "the outlook for the Mac" names the device after the article)
    return (
        phrase == "outlook"
        and before[-1:] in (["the"], ["an"])
        and after[:1] == ["for"]
        and len(after) == 3
        and after[1] in PROSPECTS_OF
        and after[2] not in DEVICES
    )


def negated(doc: "Doc", start: int) -> bool:
    """'it's not Outlook', "I don't use Outlook", 'instead of Outlook', 'rather than Outlook'.

    Trouble is not negation: "can't use Mail.app", "doesn't work with Thunderbird".
    """
    words = [t.lower_ for t in doc[max(0, start - 3) : start]]
    while len(words) < 3:
        words.insert(0, "")
    w3, w2, w1 = words
    if w1 in NOT_BEFORE and w2 not in CAN and w2 not in CONTRAST:
        return True
    if w1 in ("the", "a", "an") and w2 in NOT_BEFORE and w3 not in CAN | CONTRAST:
        return True  # "Outlook 365 (classic, not the new Outlook)", "it's not the Outlook app"
    if w1 in USE and w2 in NOT_BEFORE and w3 in ("do", "did", "does", "'m", "am", "i"):
        return True
    if (w2, w1) == ("instead", "of") and opened_instead(doc, start):
        return False  # "links open in mutt instead of Thunderbird": the one wanted
    if (w2, w1) in (("instead", "of"), ("rather", "than"), ("no", "longer")):
        return True
    return w1 == "instead"


def opened_instead(doc: "Doc", start: int) -> bool:
    """Whether the name at `start` follows "instead of" in a clause that says something opened
    in another program: "mailto links open in mutt instead of Thunderbird"."""
    if start < 2 or [t.lower_ for t in doc[start - 2 : start]] != ["instead", "of"]:
        return False
    words = after_last([t.lower_ for t in doc[max(0, start - 10) : start - 2]], CLAUSE_ENDS)
    opened = [i for i, w in enumerate(words) if w in OPENED]
    # ... links or files, by themselves, in another program: "mailto links open in mutt
    # instead of" (not "I opened Apple Mail instead of", "my wife opens her emails in Outlook
    # instead of": someone's choice)
    return (
        bool(opened)
        and bool(set(words[opened[-1] :]) & {"in", "with", "using", "via"})
        and bool(set(words) & OPENED_THINGS)
        and not set(words) & {"i", "we", "i'm", "i've", "you"}
    )


def after_last(words: List[str], ends: AbstractSet[str]) -> List[str]:
    """The words after the last of `ends` (all of them when there is none): the clause."""
    return words[max((i for i, w in enumerate(words) if w in ends), default=-1) + 1 :]


def something_else_used(doc: "Doc", mention: "Mention") -> bool:
    """Whether the message names something else to read mail with besides the name ("I can
    log in on webmail, but I can't send" is about the webmail itself)."""
    return any(
        t.lower_ in ELSEWHERE for t in doc if not mention.token_start <= t.i < mention.token_end
    )


def can_do_there(doc: "Doc", mention: "Mention") -> bool:
    """ "... but I can see them in webmail": the name's clause says the customer can do it
    there (a wider reach than the words right before the name)."""
    words = as_works(clause_before(doc, mention, reach=8))
    return "works" in words and not set(words) & TROUBLE


def versioned(doc: Optional["Doc"], mention: Optional["Mention"]) -> bool:
    """A program named with its version ("Outlook 2010", "Thunderbird 140.0.1")."""
    if mention is None or doc is None:
        return False
    # "Thunderbird version: 60.5.0": a bug template's label between (not "Mail app version
    # 3.6.1", "Mail app version: 5.5.15" in another app's template: that app's release, said
    # under the generic name)
    end = past_version_label(doc, mention.token_end)
    if end - mention.token_end != 2 or mention.value in ("mail", "mail-program"):
        end = mention.token_end
    if word_at(doc, end) == "(" and mention.value not in ("mail", "mail-program"):
        # "Thunderbird (115)", "Thunderbird (version 115)" (not "Thunderbird (2 Gmail accounts)")
        inside = past_version_label(doc, end + 1)
        end = inside if word_at(doc, inside + 1) == ")" else end
    following = doc[end].text if end < len(doc) else ""
    if end < len(doc) and list_marker(doc, end):
        following = ""  # "1. Log in to outlook 2. Open any mail": the next step's number
    return bool(mention.alias and mention.alias.version) or bool(VERSIONISH.match(following))


def device_cue(doc: "Doc", mention: "Mention") -> int:
    """+1 where the trouble is ("not on my Mac"), -1 where it works ("my iPhone works fine",
    "it works very well with my Android phone", "no problem from my iPhone")."""
    words = words_before(doc, mention.token_start)
    after = without_no_problem(
        as_works([t.lower_ for t in doc[mention.token_end : mention.token_end + 4]])
    )
    if set(after_last(words, CLAUSE_ENDS | {","})) & (TROUBLE | PROBLEM):
        return 1  # "I can't send from my phone": not "can't send from my iPad, my Mac works"
    if _not_able(doc, mention) and not set(after[:3]) & WORKS:
        return 1
    clause = after_last(words, CLAUSE_ENDS)
    if works_in_clause(doc, mention.token_start, mention.token_end):
        return -1
    for index, word in enumerate(after):
        if word in WORKS and not set(after[max(0, index - 2) : index]) & TROUBLE:
            later = [t.lower_ for t in doc[mention.token_end : mention.token_end + 8]]
            later = later[: later.index("but")] if "but" in later else later
            # "worked", "... fine for years", "used to send fine", "was working fine until"
            long_ago = word == "worked" or set(later) & (LONG_USE | FORMERLY)
            if long_ago and _fails_now(doc, mention.token_end + index + 1):
                return 1  # "my iPhone worked for years but now it won't send"
            if set(later[index + 1 :]) & {"until", "till"}:
                return 1  # "my iPad which could receive emails until yesterday": no more
            return -1
        if word in TROUBLE:
            return 1  # "the iPhone won't", "my Mac fails"
        said_next = [w for w in after[index + 1 :] if w not in STILL]
        if word == "," and said_next[:1] and said_next[0] in ("works", "working", "worked"):
            return -1  # "through the mail app on iphone, still works perfectly"
        if word in (".", "but", ";", ","):
            break
    # "used thunderbird on pc for years no probs", "I've used my Mac for years, now the iPhone
    # won't send": where it has long worked (this clause only; trouble said of it came first)
    ahead = next((after[:i] for i, w in enumerate(after) if w in CLAUSE_ENDS | {","}), after)
    if set(after_last(clause, {","})[-4:]) & LONG_USE or set(ahead) & LONG_USE:
        return 0 if _fails_now(doc, mention.token_end) else -1
    return 0


def listed_cue(doc: "Doc", device: "Mention", platforms: Sequence["Mention"]) -> int:
    """The device's cue (device_cue); in a list of devices, without one of its own, the list's:
    its last one's ("my iPad and iPhone which can receive emails") or its first one's ("but
    will on my iPhone and iPad")."""
    own = device_cue(doc, device)
    if own:
        return own
    starts = {m.token_start: m for m in platforms}
    ends = {m.token_end: m for m in platforms}
    last = first = device
    while word_at(doc, last.token_end) in LIST_LINKS and last.token_end + 1 in starts:
        last = starts[last.token_end + 1]
    while word_at(doc, first.token_start - 1) in LIST_LINKS and first.token_start - 1 in ends:
        first = ends[first.token_start - 1]
    return (last is not device and device_cue(doc, last)) or (
        first is not device and device_cue(doc, first)
    )


def works_in_clause(doc: "Doc", start: int, end: int) -> bool:
    """Whether the clause before the device at start..end says it works there: "I am able to
    receive email on my iPhone" (not "My iPhone still works, the Mac stopped sending"); mail
    that arrives there, said against the trouble ("while they arrived on my iPhone 8", "coming
    through on iphone though"; not "only half the mails arrive on my iPad"); an echoed "will"
    (_echoed_there)."""
    words = words_before(doc, start)
    clause = after_last(words, CLAUSE_ENDS)
    said = after_last(clause, {","})
    if set(said) & WORKED and not set(clause) & TROUBLE:
        return True
    opener = words[-len(clause) - 1] if len(clause) < len(words) else ""
    came = any(
        w == "through" and said[i - 1 : i] and said[i - 1] in COME_THROUGH
        for i, w in enumerate(said)
    )
    set_against = opener in SET_AGAINST or word_at(doc, end) in THOUGH
    if (set(said) & ARRIVED or came) and set_against and not set(clause) & (TROUBLE | SOME_ONLY):
        return True
    return _echoed_there(doc, start, words)


def _echoed_there(doc: "Doc", start: int, words: List[str]) -> bool:
    """ "will not send from Thunderbird, but will on my iPhone": a bare auxiliary set against a
    clause that could not send, receive, connect ... (the mail's work, not a symptom: "don't
    show up in Thunderbird but do on my iPhone") echoes that verb without its "not"."""
    against = after_last(words, SET_AGAINST)
    rest = [w for w in against if w not in ("it", "they")]
    if not (
        len(against) < len(words)
        and len(rest) >= 2
        and rest[0] in ECHOED_DOING
        and set(rest[1:]) <= DEVICE_PLACE
    ):
        return False
    cut = start - len(against) - 1  # the "but"
    before = after_last([t.lower_ for t in doc[max(0, cut - 10) : cut]], SENTENCE_ENDS)
    return any(
        w in NOT_BEFORE and set(before[i + 1 : i + 3]) & MAIL_WORK for i, w in enumerate(before)
    )


def words_before(doc: "Doc", start: int) -> List[str]:
    """The 7 words before `start` (a device's clause), "no problem" read as "fine"."""
    return without_no_problem([t.lower_ for t in doc[max(0, start - 7) : start]])


def denied(doc: "Doc", mention: "Mention") -> bool:
    """ "Thunderbird for PC, not Android", "..., not on my iPhone": a "not" of no verb of its
    own right before the device (skipping "for", "on", "my"), after a comma or clause start."""
    i = mention.token_start - 1
    while i >= 0 and doc[i].lower_ in DENIAL_SKIPS:
        i -= 1
    if i < 0 or doc[i].lower_ not in ("not", "nicht", "non", "no"):
        return False
    return (
        i == 0
        or doc[i - 1].text in (",", ";", "(", "-", ".")
        or doc[i - 1].lower_ in ("and", "but")
    )


def not_used_there(doc: "Doc", mention: "Mention") -> bool:
    """ "I don't have T-bird on my iPad (yet)": the program is not used on the device at all,
    which is no trouble there."""
    words = after_last(
        [t.lower_ for t in doc[max(0, mention.token_start - 7) : mention.token_start]], CLAUSE_ENDS
    )
    return any(
        w in NOT_USED and set(words[max(0, i - 2) : i]) & NOT_BEFORE for i, w in enumerate(words)
    )


def _not_able(doc: "Doc", mention: "Mention") -> bool:
    """ "I am no longer able to send a picture from my iPhone": in the device's clause (7 words
    before it), "able to" + a mail verb, negated up to 3 words before "able" (further back than
    device_cue's own check reads); not "not able to afford an iPhone"."""
    start = max(0, mention.token_start - 7)
    clause = after_last([t.lower_ for t in doc[start : mention.token_start]], CLAUSE_ENDS | {","})
    for i, word in enumerate(clause):
        if word == "able" and set(clause[i + 1 : i + 4]) & CAN_DO:
            able = mention.token_start - len(clause) + i
            negation = {t.lower_ for t in doc[max(0, able - 3) : able]}
            return bool(negation & (TROUBLE | {"longer"}))
    return False


def _fails_now(doc: "Doc", start: int) -> bool:
    """Whether the sentence from `start` goes on to say that it fails now: "(worked for years)
    but now it won't send", "until yesterday, now it fails", "(for years) and it suddenly
    stopped sending" (not another device's trouble)."""
    words = []
    for token in doc[start : start + 12]:
        if token.text in (".", "!", "?", ";"):
            break
        words.append(token.lower_)
    turn = next((i for i, w in enumerate(words) if w in TURNS), None)
    if turn is None:
        return False
    rest = words[turn:]
    trouble = next((i for i, w in enumerate(rest) if w in TROUBLE), None)
    # (not another device's trouble: "my iPhone worked fine, but the Mac won't send")
    return trouble is not None and not set(rest[:trouble]) & (DEVICES | DESKTOPS)


def as_works(words: List[str]) -> List[str]:
    """ "I can send", "could connect" become "works" (not after a negation: "can't send")."""
    out = list(words)
    for index in range(len(out) - 1):
        if out[index] in ("can", "could") and out[index + 1] in CAN_DO:
            out[index] = "works"
    return out


def without_no_problem(words: List[str]) -> List[str]:
    """ "no problem", "without any issues": said where it works, so "fine", not trouble."""
    out: List[str] = []
    for word in words:
        if word in PROBLEM and out and out[-1] in ("no", "without", "any"):
            while out and out[-1] in ("no", "without", "any"):
                out.pop()
            word = "fine"
        out.append(word)
    return out


def moved_by_device(doc: "Doc", mention: "Mention") -> str:
    """The "from" or "to" of a move said of the devices the programs are on, when the move has
    its other end: "from my old computer with Windows Live Mail to my new computer with
    Thunderbird" ("" otherwise: "the bounce came from my PC with Outlook 2013" moves nothing)."""
    i = mention.token_start - 1
    if i < 1 or doc[i].lower_ not in MOVED_WITH:
        return ""
    device = False
    for j in range(i - 1, max(-1, i - 1 - MOVED_DEVICE_REACH), -1):
        word = doc[j].lower_
        if word in MOVED_DEVICES:
            device = True
        elif word in MOVED_DEVICE_FILLER:
            continue
        elif device and word in MOVED_FROM:
            return word if _moved_on_to(doc, mention.token_end) else ""
        elif device and word in MOVED_TO:
            return word if _moved_from_before(doc, j) else ""
        else:
            return ""
    return ""


def _moved_on_to(doc: "Doc", start: int) -> bool:
    """Whether the sentence goes on "to" a device or a name: "... to my new computer",
    "... to Outlook 2016" (not "... and I want to fix it")."""
    for k in range(start, min(len(doc), start + MOVED_ON_TO_REACH)):
        if doc[k].lower_ in SENTENCE_ENDS:
            return False
        if doc[k].lower_ in MOVED_ON_TO:
            ahead = doc[k + 1 : k + 5]
            return any(t.lower_ in MOVED_DEVICES or t.text[:1].isupper() for t in ahead)
    return False


def _moved_from_before(doc: "Doc", end: int) -> bool:
    """Whether the sentence has said where the move came from before `end`."""
    for k in range(end - 1, max(-1, end - 1 - MOVED_FROM_REACH), -1):
        if doc[k].lower_ in SENTENCE_ENDS:
            return False
        if doc[k].lower_ in MOVED_FROM:
            return True
    return False
