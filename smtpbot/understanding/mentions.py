"""Find mail clients, versions, devices and operating systems in free text with spaCy.

The matcher is built from the KB's aliases (kb/clients.yml): a PhraseMatcher over each
token's NORM, where NORM is the lower-cased token corrected for typos against the KB's
own vocabulary ("thunderbrid" -> "thunderbird"). Version numbers come from a token regex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Set, Tuple

from smtpbot.kb.facts import LATEST, Facts
from smtpbot.kb.knowledge import Alias, KnowledgeBase
from smtpbot.understanding.context import (
    app_password_at,
    negated,
    version_numbers,
    word_at,
)
from smtpbot.understanding.context_rules import (
    in_context,
    listed_after,
)
from smtpbot.understanding.cues import (
    EMULATOR,
    PROGRAM_WORDS,
    TYPED_NOT,
)
from smtpbot.understanding.normalise import CJK_SCRIPTS, align, normalise
from smtpbot.understanding.selection import facts_from
from smtpbot.understanding.variants import spelling_variants
from smtpbot.understanding.versions import (
    FEATURE_UPDATE,
    STEP_WORDS,
    UNIT_GLUED,
    VERSION,
    VERSION_WORDS,
    YEAR_RELEASE,
    add_on_number,
    counts,
    lower_bound,
    past_version_label,
    release_written,
)

if TYPE_CHECKING:  # spaCy is imported where a matcher is built, see MentionExtractor.
    import spacy
    from spacy.tokens import Doc, Span, Token

# a program's file: a Mac app's bundle or a Windows executable, written as a name (not an
# installer's: "Setup.exe fails"); a mail program's when its name says mail or a program word
# stands before it ("mail client set to CTemplar.app"), not "I opened Terminal.app"
INSTALLERS = {"setup", "install", "installer", "uninstall", "uninstaller", "update", "updater"}
PROGRAM_FILE = re.compile(r"^([A-Z][\w-]*)\.(?i:app|exe)$")
# "my Mac runs 10.6.8", "iPhone updated to 17.4": the device's system follows, not its model
RUNS = {"runs", "running", "run", "updated", "upgraded"}
NEGATIONS = {"not", "n't", TYPED_NOT, "never", "nor", "instead", "rather"}
# "the latest", "newest one": the newest release, in an answer of a few words
# (not "current", "last": "the current step", "dernière étape")
LATEST_WORDS = {"latest", "newest", "neueste", "nieuwste"}
LATEST_WORDS_AT_MOST = 6
# The kb context rule of a phone of no named kind said right with a program ("Outlook on my
# phone"): its words, like the virtual machines' (EMULATOR), are no typo targets.
PROGRAM_DEVICE = "program-device"
# ... nor are the everyday words that say "the device's own app" ("came with", "built in")
OWN_APP = "own-app"
NOT_TYPO_TARGETS = {EMULATOR, PROGRAM_DEVICE, OWN_APP}
# A program's one-word name typed as two words ("Thunder bird") counts in this context only
SPLIT_NAME = "program"
# Before a lower-case "windows", these make them a building's: "opened all the windows".
HOUSE_WINDOWS = {"the", "all", "those", "these", "open", "opened", "close", "closed", "clean"}
# ... and these make them a program's: "I do not see my inbox windows", "two compose windows"
HOUSE_WINDOWS |= {"inbox", "message", "compose", "browser", "popup", "pop-up", "dialog", "chat"}
HOUSE_WINDOWS |= {"multiple", "several", "two", "many", "new", "separate", "reply", "mail"}
HOUSE_WINDOWS |= {"viewer", "editor", "finder", "preview"}  # "multiple Message Viewer windows"
HOUSE_WINDOWS |= {"reminder", "reminders", "messages", "composition", "dialogue", "reading"}
# ... and after these, with an article before: "closes the app windows"
APP_WORDS = {"app", "apps", "application"}
NOT_A_NAME = {"the", "my", "mail", "email", "e-mail", "desktop", "mobile", "web", "native"}
NOT_A_NAME |= {"default", "new", "old", "same", "other", "this", "that", "an", "a", "smtp", "imap"}
NOT_A_NAME |= {"pop", "pop3", "microsoft", "apple", "google", "linux", "ubuntu", "your", "our"}
NOT_A_NAME |= {"their", "his", "her", "exchange", "gnome", "kde", "any", "every", "each", "one"}
NOT_A_NAME |= {"official", "stock", "standard", "built", "first", "second", "windows", "phone"}
NOT_A_NAME |= {"local", "separate", "different", "another", "which", "what", "some", "no"}
# A customer glues the version to the name: "outlook2013", "thunderbird115".
TWO_K = re.compile(r"(?i)\b2k(\d\d?)?\b")  # "2k13" -> "2013", "2k7" -> "2007", "2K" -> "2000"
# A year shortened with an apostrophe after the name: "MS Office '11" is Office 2011 (not
# Outlook 11, Outlook 2003's internal number), "Outlook '98" is Outlook 98
SHORT_YEAR = re.compile(r"(?i)\b(outlook|office|entourage|eudora|windows)\s*['‘’](\d\d)\b")
GLUED = re.compile(
    r"(?i)\b(?:ms)?(outlook|thunderbird|eudora|entourage|office|macos|osx|ios|windows|mail|oe|tbird|iphone|ipad"
    r"|tb)-?(\d)"
)
# "Thunderbird:115.5.1" (a full-width colon made plain): spaCy keeps it one word. Only after a
# covered program's name ("TbSync version:2.22" stays the add-on's number)
COLON_GLUED = re.compile(r"(?i)\b(outlook|thunderbird|eudora|entourage):(\d)")
# ... and after a label in Chinese, Japanese or Korean ("操作系統版本：10.10.1", "バージョン：16.8")
CJK_COLON = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]):(?=\d)")
# "Office(Outlook) 365", "Mail(iPhone)": brackets glued to words, which spaCy keeps in the word
PAREN_GLUED = re.compile(r"(?<=[^\W_])([()])(?=[^\W_])")
# "Win10", "W11", "win7": Windows and its release, as customers shorten them
WINDOWS_SHORT = re.compile(
    r"\b(?:(?:W|[Ww][Ii][Nn])-?(7|8\.1|8|10|11|XP|xp)|w-?(10|11)|[Ww]indow (10|11|XP|xp))\b"
)  # "window 10" is a typo ("a window 7 times" is not); typed in lower case, "w11" (not "w7")
# "thunderbird-2.0.0.21.tar.gz": a download's name; the extension is not part of the version
PACKAGE_TYPES = r"tar\.gz|tar\.bz2|tar\.xz|tgz|zip|exe|dmg|msi|pkg|deb|rpm"
PACKAGE = re.compile(rf"(?i)(\d)\.({PACKAGE_TYPES})\b")
# Names that a number glued before them is no release of (a date, an address, a count: "Seit
# 12.03.2024.Outlook", "12+Outlook clients"): the number stays glued, the name unread.
NAMED_AFTER = "outlook|thunderbird|eudora|entourage|mail|windows|office|macos|ios"
# "on Thunderbird.saying", "Outlook 2016.It won't": a sentence's dot with no space after it
# (spaCy keeps such a word whole), after a covered program's name (as GLUED) or a year. Not a
# domain, a file or an object ("outlook.com", "Mail.app", "Outlook.pst", "outlook.office.com",
# "<email>@outlook.it"), nor ".com" mistyped ("outlook.con", see _spaced_sentence): the word
# after must end there (or end the message's sentence), be "i" or have three letters or more,
# and not be one of these.
NOT_A_SENTENCE = (
    "com|net|org|edu|gov|info|biz|app|ini|pst|ost|dbx|eml|mbox|msf|dll|log|txt|xml|json|plist"
    f"|live|office|office365|mail|application|mailitem|namespace|interop|lnk|{PACKAGE_TYPES}"
)
MISSING_SPACE = re.compile(
    rf"(?i)(?:(?<![@.\w])(?P<name>outlook|thunderbird|eudora|entourage|tbird)"
    rf"\.(?!(?:{NOT_A_SENTENCE})\b)(?P<word>i|[a-z]{{3,}})"
    rf"|(?<![\w.])(?P<year>(?:19|20)\d\d)\.(?!(?:{NOT_A_SENTENCE})\b)(?P<after_year>[a-z]{{2,}})"
    # ... or a release of two to four parts before a capitalised word ("evolution 2.12.1.I think",
    # "Thunderbird 2.0.0.24.Cannot send"; not "1.2.3.tar", "3.0.beta", nor a date or an address
    # before a name: "Seit 12.03.2024.Outlook", "10.0.0.25.Outlook")
    rf"|(?<![\w.])(?P<release>\d+(?:\.\d+){{1,3}})\.(?!(?:{NOT_A_SENTENCE}|{NAMED_AFTER})\b)"
    rf"(?P<after_release>(?-i:[A-Z][a-z]+|I)))"
    rf"(?=[\s,;:!?]|\.(?:\s|$)|$)"  # (a year is no domain: "Outlook 2016.It won't send")
)
# "Thunderbird 2.x", "Mail 4.x", "v2.x": a release line; the number before is the release (not
# an address's mask: "10.10.10.x", "172.16.x.x", "the 10.x network")
RELEASE_LINE = re.compile(
    r"(?<![\w.])(v?\d{1,4}(?:\.\d+)?)\.[xX](?![\w]|\.\w)"
    r"(?!\s+(?:network|networks|net|lan|vlan|subnet|subnets|range|addresses|address|ips?)\b)",
    re.IGNORECASE,
)
# Names in languages written without spaces, found inside the text around them
CJK_CHARS = re.compile(f"[{CJK_SCRIPTS}]")
# "OL2019", "OL 2016": Outlook, as admins write it (only before a year: "ol" alone is a word).
OL_YEAR = re.compile(r"(?i)\bol(?= ?(?:19|20)\d\d\b)")
# "2013-One", "7.2/1874", "Outlook 2013- some", "Thunderbird 10+Conv 2.24": split so that the
# number is a token of its own (a "+" only after a whole number: "1.0+build1" is one release).
PLUS_WORD = rf"(?=[A-Za-z])(?!(?i:{NAMED_AFTER})\b)"  # "10+Conv" (not "12+Outlook clients")
NUMBER_JOINS = re.compile(
    rf"(\d)([-/]|(?<=(?<![\w.])\d)\+{PLUS_WORD}|(?<=(?<![\w.])\d\d)\+{PLUS_WORD})(?=[A-Za-z\d\s]|$)"
    r"|([A-Za-z])(/)(?=[A-Za-z])"
)


def _package_names(kb: KnowledgeBase) -> Optional["re.Pattern"]:
    """A program's name at the end of a package's reference ("nixpkgs#kmail", "gnome3.geary")
    or joined to its release by a hyphen ("kmail-5.2"): the mark joining it, to be made a
    space (see _unjoined). One-word names of clients that are neither accounts (an account's
    name ends many hosts: "imap.gmail", "login.live") nor generic ("com.apple.mail" is a
    settings domain); joined to a release, only names that need no context ("alpine-3.19" is
    a container image, not the Alpine mail program)."""
    names, plain = set(), set()
    for alias in kb.aliases:
        spec = kb.clients.get(alias.value, {}) if alias.kind == "client" else {}
        if not (
            spec
            and alias.phrase.isascii()
            and alias.phrase.isalpha()
            and len(alias.phrase) >= 4
            and not spec.get("account")
            and not spec.get("also_a_service")
            and not spec.get("generic")
            and not spec.get("gateway")  # "browser", "website": no package's name
        ):
            continue
        names.add(alias.phrase)
        if alias.context is None:
            plain.add(alias.phrase)
    if not names:
        return None

    def either(words: set) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    return re.compile(
        rf"(?i)(?<=[a-z0-9])[.#](?=(?:{either(names)})(?![\w.]))"
        rf"|(?<!\w)(?P<joined>{either(plain)})[-_](?=\d)"
    )


# A letter or digit joined to a word by "." or "#", or a word joined to a number by "-" or "_"
JOINED_WORDS = re.compile(r"[a-z0-9][.#][a-z]|[a-z][-_]\d", re.IGNORECASE)


def _unjoined(match: "re.Match") -> str:
    """The program's name apart from what it was joined to (see _package_names)."""
    return f"{match.group('joined') or ''} "


def _spaced_dash(span: "Span") -> bool:
    """Whether a name's hyphen is a title's dash before the account's app password ("gmail -
    App Password is not usable" is no "gmail app", as "gmail-app" is; "Outlook – Web won't
    load" is still Outlook's website)."""
    doc = span.doc
    return app_password_at(doc, span.end) and any(
        t.text in ("-", "–", "—") and (doc[t.i - 1].whitespace_ or t.whitespace_)
        for t in span[1:-1]
    )


def _spaced_sentence(match: "re.Match") -> str:
    """A sentence's dot with the space after it that the customer left out (not ".com"
    mistyped: "outlook.con", "outlook.cmo", "outlook.coom")."""
    if match.group("name") and damerau(match.group("word").lower(), "com", 1) <= 1:
        return match.group(0)
    if match.group("name"):
        return f"{match.group('name')}. {match.group('word')}"
    if match.group("year"):
        return f"{match.group('year')}. {match.group('after_year')}"
    return f"{match.group('release')}. {match.group('after_release')}"


def _windows(match: "re.Match") -> str:
    """'Win10', 'window 10' -> 'windows 10'."""
    return "windows " + next(group for group in match.groups() if group)


def _short_year(match: "re.Match") -> str:
    """ "Office '11" -> "Office 2011", "Outlook '98" -> "Outlook 1998"."""
    century = "19" if match.group(2) >= "90" else "20"
    return f"{match.group(1)} {century}{match.group(2)}"


def _two_k(match: "re.Match") -> str:
    """'2k13' -> '2013', '2k7' -> '2007', '2K' -> '2000' ("Outlook 2K": Outlook 2000)."""
    return "20" + (match.group(1) or "").rjust(2, "0")


def _spaced(match: "re.Match") -> str:
    """'2013-One' -> '2013 - One', 'ProtonBridge/Evolution' -> 'ProtonBridge / Evolution'."""
    if match.group(1):
        return f"{match.group(1)} {match.group(2)} "
    return f"{match.group(3)} {match.group(4)} "


@dataclass(frozen=True)
class Mention:
    """One thing found in the text: a client, platform, OS or bare version number."""

    kind: str  # client | platform | os | version
    value: str
    start: int  # character offsets in the original text
    end: int
    token_start: int
    token_end: int
    negated: bool = False
    alias: Optional[Alias] = None


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def deletions(word: str, most: int) -> Set[str]:
    """The word and what is left of it after deleting up to `most` of its letters."""
    found, last = {word}, {word}
    for _ in range(most):
        last = {w[:i] + w[i + 1 :] for w in last for i in range(len(w))}
        found |= last
    return found


class MentionExtractor:
    """spaCy tokeniser + PhraseMatcher over the KB's aliases, with typo tolerance."""

    def __init__(self, kb: KnowledgeBase, nlp: Optional["spacy.language.Language"] = None):
        """Build the matcher from the KB (cheap: a few hundred short phrases)."""
        # Imported here, not at module level: the action server imports this module for
        # `Facts` only, and spaCy (through thinc) imports TensorFlow, ~0.5 GB per process.
        import spacy
        from spacy.matcher import PhraseMatcher

        self.kb = kb
        self.nlp = nlp or spacy.blank("en")
        self.aliases: Dict[str, Alias] = {}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        words = set()
        phrases = {alias.phrase for alias in list(kb.aliases) + list(kb.families)}
        for index, alias in enumerate(kb.aliases):
            key = f"alias{index}"
            self.aliases[key] = alias
            self.matcher.add(key, [self._pattern(alias.phrase)])
            words.update(alias.phrase.split())
            spec = kb.clients.get(alias.value, {}) if alias.kind == "client" else {}
            if not spec or spec.get("generic"):
                # systems and devices are listed in the spellings they are meant in, and the
                # generic "mail client" run together is not a name ("kv.dox Mailclient 4.6")
                continue
            # "Delta-Chat", "k-9mail", "Thunder bird": a program's name respelled
            respelled = [v for v in spelling_variants(alias.phrase) if v not in phrases]
            joined = [v for v in respelled if " " not in v or " " in alias.phrase]
            # A one-word name split in two only for the programs the guides cover ("thunder
            # bird", "out look"): other names split into everyday words ("Cannot Get Mail")
            covered = kb.has_guide(alias.value)
            split = [v for v in respelled if v not in joined] if covered else []
            if joined:
                self.matcher.add(key, [self._pattern(v) for v in joined])
            if split:  # two words of their own ("out look"): only where they act as a program
                self.aliases[f"{key}s"] = replace(alias, context=alias.context or SPLIT_NAME)
                self.matcher.add(f"{key}s", [self._pattern(v) for v in split])
        for index, alias in enumerate(kb.families):
            key = f"family{index}"
            self.aliases[key] = alias
            self.matcher.add(key, [self._pattern(alias.phrase)])
            words.update(alias.phrase.split())
        self.known = {w for w in words if w.isalpha()}
        self.builds = [  # "Build 13328.20356": kb `channel_versions` marked `build`
            re.compile(channel["match"])
            for spec in kb.clients.values()
            for channel in spec.get("channel_versions", [])
            if channel.get("build")
        ]
        # Typos are corrected towards the words of the programs the guides cover, the devices
        # and the systems only: an unknown word is far likelier a typo of "Thunderbird" than of
        # a niche client's name, and fewer targets keep the NLU within its time budget.
        # Not towards ordinary words that name a device only beside a program, or a virtual
        # machine ("candy" is no typo of "handy", "fashion" none of "fusion").
        covered = set()
        for alias in list(kb.aliases) + list(kb.families):
            if alias.context in NOT_TYPO_TARGETS or alias.exact:
                continue
            if kb.has_guide(alias.value if alias.kind == "client" else None):
                covered.update(alias.phrase.split())
        fuzzy = sorted(w for w in self.known & covered if len(w) >= 5 and w.isascii())
        self.typo_targets: Tuple[str, ...] = tuple(fuzzy)
        # The targets by what is left of them after up to two letters are deleted: a word
        # within distance d of a target leaves, after at most d deletions of its own, something
        # the target leaves too (a substitution or a transposition is one deletion on each
        # side), so only the targets found there need the distance computed
        self._near: Dict[str, Set[str]] = {}
        for target in fuzzy:
            for rest in deletions(target, 2):
                self._near.setdefault(rest, set()).add(target)
        # 4-letter words by their letters: a transposition keeps them ("mial" -> "mail")
        self.short_targets: Dict[str, List[str]] = {}
        for word in sorted(w for w in self.known if len(w) == 4):
            self.short_targets.setdefault("".join(sorted(word)), []).append(word)
        self._corrections: Dict[str, str] = {}  # per word; bounded, see tokenise()
        self._function_words = frozenset(self.nlp.Defaults.stop_words)  # see _glued()
        self._package_names = _package_names(kb)
        unspaced = sorted({a.phrase for a in kb.aliases if CJK_CHARS.search(a.phrase)}, key=len)
        self._unspaced = (
            # case-blind: "メールApp" is the alias "メールapp"
            re.compile("|".join(map(re.escape, reversed(unspaced))), re.IGNORECASE)
            if unspaced
            else None
        )
        self._device_patterns = [
            (name, re.compile(pattern))
            for name, spec in kb.platforms.items()
            for pattern in [*spec.get("paths", ()), *spec.get("models", ())]
        ]
        self._file_paths = [
            (key, re.compile(path["pattern"]), path)
            for key, spec in kb.clients.items()
            for path in spec.get("file_paths", ())
        ]

    def _pattern(self, phrase: str) -> Doc:
        """A phrase as the matcher compares it: lower-case NORMs, like tokenise() sets."""
        doc = self.nlp.make_doc(phrase)
        for token in doc:
            token.norm_ = token.lower_
        return doc

    # -- token normalisation -------------------------------------------------
    def _glued(self, word: str) -> str:
        """The KB word at the start of a token that has an English function word glued on, or
        "". Asked only of a word the corrector would change (a missing space is likelier than
        a typo there: "e-mailwas read" is "mail was", not the Apple Mail plug-in MailTags)."""
        for cut in range(len(word) - 2, 3, -1):  # the longest KB word first
            if word[:cut] in self.known and word[cut:] in self._function_words:
                return word[:cut]
        return ""

    def correct(self, word: str) -> str:
        """The KB word this token was meant to be, or the word itself."""
        if word in self.known or word in self.kb.not_typos or not word.isalpha() or len(word) < 4:
            return word
        if len(word) == 4:  # transposed letters only: "mial" -> "mail"
            for target in self.short_targets.get("".join(sorted(word)), ()):
                if damerau(word, target, 1) == 1:
                    return target
            return word
        best = self.nearest_target(word, 1 if len(word) < 7 else 2)
        if best == word:
            return word  # no KB word is near: it stays, glued or not ("mailto")
        # a word with a function word glued on is its first word ("mailwas" is no "mailtags")
        return self._glued(word) or best

    def nearest_target(self, word: str, limit: int) -> str:
        """The typo target nearest the word within `limit` edits (on a tie, the first in
        alphabetical order; two edits only with the same first letter), or the word itself."""
        near = self._near
        candidates = {t for rest in deletions(word, limit) for t in near.get(rest, ())}
        best, best_distance = word, limit + 1
        for target in candidates:
            distance = damerau(word, target, limit)
            if distance > 1 and word[0] != target[0]:
                continue  # two edits and another first letter: "imapmail" is no "macmail"
            if distance <= limit and (distance, target) < (best_distance, best):
                best, best_distance = target, distance
        return best

    def tokenise(self, text: str) -> Doc:
        """Tokenise and set each token's NORM to its corrected lower-case form."""
        text = WINDOWS_SHORT.sub(_windows, OL_YEAR.sub("outlook ", normalise(text)))
        text = RELEASE_LINE.sub(r"\1", MISSING_SPACE.sub(_spaced_sentence, text))
        # "nixpkgs#kmail", "gnome3.geary", "kmail-5.2" (looked for only where such a join is:
        # the names' pattern is long, and most messages have none)
        if self._package_names is not None and JOINED_WORDS.search(text):
            text = self._package_names.sub(_unjoined, text)
        text = PACKAGE.sub(r"\1 \2", GLUED.sub(r"\1 \2", PAREN_GLUED.sub(r" \1 ", text)))
        text = CJK_COLON.sub(": ", COLON_GLUED.sub(r"\1: \2", text))
        text = NUMBER_JOINS.sub(_spaced, TWO_K.sub(_two_k, SHORT_YEAR.sub(_short_year, text)))
        # "Mac自带邮件应用": part the name from the words around it (such names are never ASCII)
        if self._unspaced is not None and not text.isascii():
            text = self._unspaced.sub(lambda m: f" {m.group(0)} ", text)
        doc = self.nlp.make_doc(text)
        corrections = self._corrections
        for token in doc:
            word = token.lower_
            norm = corrections.get(word)
            if norm is None:
                norm = self.correct(word)
                # "Mozilla -Thunderburd": a dash glued before a name is no part of it (spaCy
                # keeps it on the word); short words stay ("-mail" may be a command's flag)
                if norm == word and word[:1] == "-" and len(word) > 5 and word[1:].isalpha():
                    unglued = self.correct(word[1:])
                    norm = unglued if unglued in self.known else word
                if len(corrections) < 50_000:  # customers' words repeat; memory stays small
                    corrections[word] = norm
            token.norm_ = norm
        return doc

    # -- matching ------------------------------------------------------------
    def mentions(self, text: str) -> List[Mention]:
        """Every client, platform, OS and version mentioned, in text order."""
        return self.analyse(text)[0]

    def analyse(self, text: str) -> Tuple[List[Mention], Doc]:
        """The mentions, in text order, and the tokens they were found in."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        doc = self.tokenise(text)
        matched = [Span(doc, start, end, label=key) for key, start, end in self.matcher(doc)]
        matched = [
            s for s in matched if doc.vocab.strings[s.label] is not None and not _spaced_dash(s)
        ]
        # A longer name out of context gives way to the names inside it: in "the new Outlook
        # 2016 assistant" (not the new Outlook app) there is still Outlook 2016.
        refused: set = set()
        while True:
            spans = [s for s in matched if (s.start, s.end, s.label) not in refused]
            spans = sorted(filter_spans(spans), key=lambda s: s.start)
            found, taken, out = self._accepted(doc, text, spans)
            inner = {
                (s.start, s.end, s.label)
                for s in matched
                for o in out
                if o.start <= s.start and s.end <= o.end and (s.start, s.end) != (o.start, o.end)
            }
            if not inner - refused:
                break
            refused |= {(o.start, o.end, o.label) for o in out}
        found += self._unknown_programs(doc, text, taken)
        # (a program's path first: its platform comes with it, and "C:\Users\me\AppData\Roaming\
        # Thunderbird" may be one token)
        found += self._program_paths(doc, text, taken)
        found += self._pattern_platforms(doc, text, taken)
        numbers = [
            t.i
            for t in doc
            if t.i not in taken
            and VERSION.match(t.text)
            and not UNIT_GLUED.match(t.text)
            and not FEATURE_UPDATE.match(t.text)
        ]
        # "Outlook 2010 emails stuck": a year right after the program is its release, not a count
        named = {m.token_end for m in found if m.kind == "client"}
        releases = {i for i in numbers if i in named and YEAR_RELEASE.match(doc[i].text)}
        versions = version_numbers(doc, numbers) | releases
        for token in doc:
            match = VERSION.match(token.text)
            if token.i not in versions or not match:
                continue
            if counts(doc, token.i + 1, after_name=token.i in named):
                if token.i not in releases:
                    continue
            previous = next((t for t in reversed(doc[: token.i]) if not t.is_punct), None)
            if previous is not None and previous.lower_ in STEP_WORDS:
                continue
            if add_on_number(doc, token.i):
                continue
            char_start, char_end = self._chars(doc, text, token.i, token.i + 1)
            found.append(
                Mention(
                    "version",
                    release_written(doc, token.i, match, self.builds),
                    char_start,
                    char_end,
                    token.i,
                    token.i + 1,
                )
            )
        found += latest_release(doc, text, found, self._chars)
        # "only supported by Outlook 2003 or higher. I'm on Outlook 2016": a requirement's lower
        # bound gives way to a number said without one (alone, it still says the guide:
        # "in Outlook 2013 or newer")
        numbered = [m for m in found if m.kind == "version"]
        bounds = [m for m in numbered if lower_bound(doc, m.token_start)]
        if bounds and len(bounds) < len(numbered):
            found = [m for m in found if m not in bounds]
        return sorted(found, key=lambda m: m.token_start), doc

    def _pattern_platforms(self, doc: Doc, text: str, taken: set) -> List[Mention]:
        """A pasted file path or a model's name says the device: "C:\\Users\\...",
        "/Users/me/Library/...", "the s24 ultra".

        kb/clients.yml `platforms.<name>.paths` and `.models`, searched in the text as written
        (tokenise() spaces out slashes); the mention is the match's first token.
        """
        found = []
        for name, pattern in self._device_patterns:
            for match in pattern.finditer(text):
                first = text[match.start()]
                # tokenise() only inserts spaces: the path starts at or after the same offset
                token = next(
                    (t for t in doc if t.idx >= match.start() and t.text[0] == first), None
                )
                if token is not None and token.i not in taken:
                    start, end = match.span()  # the path as written is the entity's text
                    # every token of the match is the device's ("Z Flip 5": the 5 is no release,
                    # and "gets mail fine" is said right after the device)
                    last = token.i
                    while (
                        last + 1 < len(doc)
                        and last + 1 not in taken
                        and self._chars(doc, text, last + 1, last + 2)[0] < end
                    ):
                        last += 1
                    found.append(Mention("platform", name, start, end, token.i, last + 1))
                    taken.update(range(token.i, last + 1))
                    break  # one mention per device is enough
        return found

    def _program_paths(self, doc: Doc, text: str, taken: set) -> List[Mention]:
        """A pasted path of a program's file says the program and its release:
        "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" is Outlook 2016 on
        Windows (kb/clients.yml `file_paths`; the mention is the token holding the file's name).
        A path with no `folder` group says the program only: "AppData\\Roaming\\Thunderbird\\
        Profiles" is Thunderbird's profile.
        """
        found = []
        for key, pattern, path in self._file_paths:
            for match in pattern.finditer(text):
                folder = match.groupdict().get("folder")
                release = path["releases"].get(folder) if folder is not None else None
                token = self._token_at(doc, text, match.start("file"))
                if (folder is not None and release is None) or token is None or token.i in taken:
                    continue  # a folder no release has ("Office13"), or a name already read
                alias = Alias(
                    match.group(0),
                    "client",
                    key,
                    version=release,
                    platform=path.get("platform"),
                    file_path=True,
                )
                start, end = match.span()
                found.append(Mention("client", key, start, end, token.i, token.i + 1, alias=alias))
                taken.add(token.i)
        return found

    def _token_at(self, doc: Doc, text: str, char: int) -> Optional[Token]:
        """The token holding the original text's character `char` (tokenise() may add spaces)."""
        for token in doc:
            start, end = self._chars(doc, text, token.i, token.i + 1)
            if start <= char < end:
                return token
        return None

    def _accepted(
        self, doc: Doc, text: str, spans: List["Span"]
    ) -> Tuple[List[Mention], set, list]:
        """The mentions of these (non-overlapping) spans that count where they stand, the token
        positions they take, and the spans refused for want of their context."""
        candidates = []
        starts = {span.start for span in spans}
        for span in spans:
            alias = self.aliases[doc.vocab.strings[span.label]]
            end = span.end
            if alias.kind == "family":
                mention, end = self._os_family(doc, span, alias.value)
            else:
                mention = Mention(alias.kind, alias.value, 0, 0, span.start, span.end)
                if alias.add_on:
                    # "TbSync version: 0.7.5": the add-on's own release, its label between
                    labelled = past_version_label(doc, end)
                    if end < labelled < len(doc) and VERSION.match(doc[labelled].text):
                        end = labelled
                if alias.kind == "platform" or alias.add_on:
                    # "iPhone 12", "TbSync 2.22": the device's model, the add-on's own release
                    end = self._model_end(doc, end, starts)
            if mention is not None:
                candidates.append((replace(mention, alias=alias), span, end))
        plain = [m for m, _, _ in candidates if not m.alias.context]
        found: List[Mention] = []
        taken = set()
        refused = []
        listed = set()  # (rule, token end) of each ordinary-word name accepted so far
        for mention, span, end in candidates:
            rule = mention.alias.context
            if (
                rule
                and not listed_after(doc, span, rule, listed)
                and not in_context(doc, span, self.kb.context_rules[rule], plain)
            ):
                refused.append(span)
                continue
            if rule:
                listed.add((rule, end))
            if mention.alias.kind == "family":
                mention = replace(mention, alias=None)
            char_start, char_end = self._chars(doc, text, span.start, end)
            found.append(
                replace(
                    mention,
                    start=char_start,
                    end=char_end,
                    token_end=end,
                    negated=negated(doc, span.start),
                )
            )
            taken.update(range(span.start, end))
        return found, taken, refused

    def _unknown_programs(self, doc: Doc, text: str, taken: set) -> List[Mention]:
        """'the Foo app', 'Foo mail client', 'my mail client is Foo': a program the catalogue
        does not know."""
        found = []
        for token in doc:
            if token.i not in taken and self._mail_program_file(doc, token):
                # "CTemplar.app", "EletronMail.exe": a Mac app's bundle or a Windows program's file
                start, end = self._chars(doc, text, token.i, token.i + 1)
                found.append(Mention("client", "unknown-program", start, end, token.i, token.i + 1))
                continue
            if (
                token.i in taken
                or not token.is_alpha
                or not token.text[:1].isupper()
                or token.lower_ in NOT_A_NAME
                or token.norm_ in self.known
            ):
                continue  # only a capitalised word the catalogue does not know can be a name
            following = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            if following in ("mail", "email") and token.i + 2 < len(doc):
                following = doc[token.i + 2].lower_
            # "my mail client is Foo", "an Android mail client called Nine" (not "a client
            # named John", "the app called Settings")
            said, program, kind = (word_at(doc, token.i - k) for k in (1, 2, 3))
            named_as = program in PROGRAM_WORDS and (
                said == "is" or (said in ("called", "named") and kind in ("mail", "email"))
            )
            if following in PROGRAM_WORDS or named_as:
                start, end = self._chars(doc, text, token.i, token.i + 1)
                found.append(Mention("client", "unknown-program", start, end, token.i, token.i + 1))
        return found

    def _mail_program_file(self, doc: Doc, token: Token) -> bool:
        """ "CTemplar.app", "EletronMail.exe" (PROGRAM_FILE): an unknown program's file, said as
        a mail program's."""
        bundle = PROGRAM_FILE.match(token.text)
        if bundle is None:
            return False
        name = bundle.group(1).lower()
        if name in self.known or name in INSTALLERS:
            return False
        before = {t.lower_ for t in doc[max(0, token.i - 4) : token.i]}
        return "mail" in name or bool(before & (PROGRAM_WORDS | {"mailer"}))

    @staticmethod
    def _model_end(doc: Doc, end: int, starts: set) -> int:
        """Where a device's model or release number ends: "iPhone 12", "MacBook 2019", "Ubuntu
        Hardy 8.04", "iPad Air 2" are the device's, not the app's version."""
        if end < len(doc) and VERSION.match(doc[end].text):
            return end + 1
        if (
            end + 1 < len(doc)
            and doc[end].is_alpha
            and not doc[end].is_stop
            and doc[end].lower_ not in VERSION_WORDS  # "my Mac version 10.14": the system's
            and doc[end].lower_ not in RUNS  # "my Mac runs 10.6.8": its system, not a model
            and end not in starts  # "Android Thunderbird 115": the number is the program's
            and VERSION.match(doc[end + 1].text)
        ):
            return end + 2
        return end

    def _os_family(self, doc: Doc, span: Span, family: str):
        """ "macOS 13", "Windows 10", "OS X 10.6": an OS family, maybe with its number."""
        end = past_version_label(doc, span.end)
        number = VERSION.match(doc[end].text) if end < len(doc) else None
        word = doc[end].lower_ if end < len(doc) else ""
        if family == "windows":
            versions = self.kb.operating_systems["windows"]["versions"]
            names = self.kb.operating_systems["windows"]["names"]
            release = number.group(1) if number else (word if word in versions else names.get(word))
            update = self.kb.operating_systems["windows"].get("feature_updates")
            if (
                release
                and release not in versions
                and update
                and re.match(update["match"], release)
            ):
                release = update["release"]  # "Windows 10 1909", "Windows build 2004"
            if release and release in versions:
                return Mention("os", f"windows-{release}", 0, 0, span.start, end + 1), end + 1
            previous = doc[span.start - 1].lower_ if span.start else ""
            program_for_mac = (
                previous == "mac" and span.start > 1 and doc[span.start - 2].lower_ == "for"
            )
            # "closes the app windows" (not "the mail app windows doesn't send": Windows')
            app_windows = (
                previous in APP_WORDS
                and span.start > 1
                and doc[span.start - 2].lower_ in ("the", "all", "its", "both")
            )
            if doc[span.start].text == "windows" and (
                previous in HOUSE_WINDOWS or program_for_mac or app_windows
            ):
                # "I opened all the windows", "Outlook for Mac windows": not the OS (but "my mac
                # windows partition" is Boot Camp's)
                return None, span.end
            return Mention("platform", "windows", 0, 0, span.start, span.end), span.end
        if family == "ios":
            return Mention("platform", "ios", 0, 0, span.start, span.end + (1 if number else 0)), (
                end + 1 if number else span.end
            )
        if number:
            return Mention("os", f"macos-{number.group(1)}", 0, 0, span.start, end + 1), end + 1
        return Mention("platform", "mac", 0, 0, span.start, span.end), span.end

    @staticmethod
    def _chars(doc: Doc, text: str, start: int, end: int):
        """Character offsets of tokens [start, end) in the original text."""
        span = doc[start:end]
        # len(doc.text) without building the text (once per mention adds up on long messages)
        length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
        if length == len(text):  # only characters replaced one for one (most messages)
            return span.start_char, span.end_char
        # Spaces collapsed or added, "win10" -> "windows 10", a link's address dropped: map
        # each character back (once per message)
        if "char_map" not in doc.user_data:
            doc.user_data["char_map"] = align(text, doc.text)
        mapping = doc.user_data["char_map"]
        if span.end_char <= span.start_char:
            return mapping[span.start_char], mapping[span.start_char]
        return mapping[span.start_char], mapping[span.end_char - 1] + 1

    # -- facts ---------------------------------------------------------------
    def facts(self, text: str) -> Facts:
        """The client, version, platform and OS the customer states in this message."""
        mentions, doc = self.analyse(text)
        return facts_from(mentions, self.kb, doc)


def latest_release(
    doc: Doc,
    text: str,
    found: Sequence[Mention],
    chars: Callable[[Doc, str, int, int], Tuple[int, int]],
) -> List[Mention]:
    """ "the latest", "newest one", "latest Outlook": in a short answer (to "which version?"),
    the newest release, as the version LATEST (kb `version_aliases` says which one it is).

    Only in a message of a few words with no number: in a longer story "the latest Outlook"
    may be any release ("I'm on the latest Outlook as of today, 64 bit add-in"). `chars` maps
    tokens to the text's character offsets (MentionExtractor._chars).
    """
    if len(doc) > 2 * LATEST_WORDS_AT_MOST:  # most messages: too long to be such an answer
        return []
    words = [t for t in doc if not t.is_punct]
    if len(words) > LATEST_WORDS_AT_MOST or any(m.kind == "version" for m in found):
        return []
    for token in words:
        if token.lower_ in LATEST_WORDS or (
            token.lower_ == "recent" and token.i > 0 and doc[token.i - 1].lower_ == "most"
        ):
            start, end = chars(doc, text, token.i, token.i + 1)
            return [Mention("version", LATEST, start, end, token.i, token.i + 1)]
    return []
