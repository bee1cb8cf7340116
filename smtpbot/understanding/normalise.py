"""Normalise customer text before matching: the same words however they were typed or pasted."""

import re
import unicodedata
from typing import List, Tuple

# Zero-width and other invisible format characters (Unicode category Cf) that pasted text
# carries ("Outlook 2007\u200b"); the soft hyphen is Cf too.
_FORMAT = {"Cf"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Chinese, Japanese and Korean are written without spaces: "Outlook客户端" must still part the
# program's name from the words around it.
CJK_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"  # kana, Han, Hangul
_CJK = CJK_SCRIPTS + "\u3001-\u303f\uff01-\uff60"  # and CJK punctuation, full-width forms
_CJK_JOIN = re.compile(f"(?<=[A-Za-z0-9])(?=[{_CJK}])|(?<=[{_CJK}])(?=[A-Za-z0-9])")


# HTML formatting pasted from a web page or an e-mail ("<b>Outlook 2010</b> won't send"): the tag
# glued to the release would hide it
_HTML_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|br|p|div|span|font|a|small|big|code|pre|li|ul|ol|h[1-6])\b[^<>]{0,200}>",
    re.IGNORECASE,
)
# A Markdown link, as issue trackers and chat widgets carry them: "[Thunderbird](https://...)"
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,100})\]\((?:https?://|mailto:)[^()\s]*\)")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits, ligatures), format characters removed.

    Typographic quotes and dashes become ASCII so that "Outlook’s" and "Outlook's" tokenise alike.
    A Markdown link keeps its words only: its address names no program; HTML tags go.
    """
    text = text.translate(_APOSTROPHES)
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r" \1 ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "[" in text:
        text = _FORM_CHOICES.sub(_form_answer, text)
    if "://" in text:
        text = _URL.sub(r" \1 ", text)
    if "." in text:
        text = _GLUED_DOT.sub(r"\1 ", text)
    if "," in text:
        text = _GLUED_YEARS.sub(", ", text)
    if text.isascii():  # most messages: NFKC, format characters and CJK cannot apply
        return _SPACES.sub(" ", _name_endings(text))
    text = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(c) in _FORMAT for c in text):
        text = "".join(c for c in text if unicodedata.category(c) not in _FORMAT)
    text = _CJK_JOIN.sub(" ", text.translate(_ASCII))
    if "\u0307" in text:  # "İ" lowered by a program: "i" and a combining dot ("thunderbi̇rd")
        text = text.replace("i\u0307", "i")
    return _SPACES.sub(" ", _name_endings(text))


def _name_endings(text: str) -> str:
    """A name's case ending after an apostrophe dropped ("z iPhone'a" -> "z iPhone"), and an
    elided article parted from the name after it ("de l'iPhone" -> "de l' iPhone")."""
    if "'" not in text:
        return text
    return _ELIDED.sub(r"\1' ", _NAME_ENDING.sub(r"\1", text))


_ASCII = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    # "Microsoft® Outlook® 2021": trademark signs pasted from an About box say nothing
    | {"\u00ae": " ", "\u2122": " ", "\u00a9": " "}
    # Turkish keyboards' dotted capital and dotless small i: "THUNDERBİRD", "thunderbırd"
    | {"\u0130": "I", "\u0131": "i"}
)
# A name's (or release's) case ending after an apostrophe (Polish "z iPhone'a", Turkish "2016'da",
# "Thunderbird'ün"): the name alone. Not the English endings ("Outlook's", "Mail'd", "OE'll"),
# nor a short name's own apostrophe ("T'bird").
_NAME_ENDING = re.compile(
    r"\b((?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{3,}|\d{2,4})'(?!(?:s|t|d|ll|re|ve|m)\b)"
    r"([a-zçğıöşü]{1,4})\b"
)
# French and Italian elide an article into the name after it: "l'iPhone", "d'Outlook",
# "dell'iPad" (not "l'application", "dell'app": the app words stay one word, see kb app-words)
_ELIDED = re.compile(r"\b((?i:l|d|qu|dell|nell|sull|all|dall))'(?=i?[A-Z])(?!App)")
# An issue form's choices before the customer's answer: "Platform [PC desktop, Mac, iOS, Office
# on the web]: Mac" names the Mac only (the answer is one of the choices, or the list ends in
# "etc."), not "My setup [Outlook 2016, Windows 10]: sending fails"
_FORM_CHOICES = re.compile(r"\[([^\[\]\n]{1,120},[^\[\]\n]{1,120})\](\s*:\s*[_\s]*)([^\n]{0,40})")
# A web address says where by its host alone: "I'm using https://outlook.live.com/mail/inbox"
# (the webmail), not by its path ("/mail/", "/outlook-2016-help")
_URL = re.compile(r"(?i)\bhttps?://(?:www\.)?([\w.-]+)[^\s()<>\[\]\"']*")


def _form_answer(match: "re.Match") -> str:
    """The form's answer without its choices, or the whole text when the bracket is no list of
    choices (see _FORM_CHOICES)."""
    choices = [c.strip().lower() for c in match.group(1).split(",")]
    answer = match.group(3).lower()
    if choices[-1].startswith("etc") or any(c and answer.startswith(c) for c in choices):
        return " " + match.group(2) + match.group(3)
    return match.group(0)


# A dot glued to the word after it where a list's number or "ver." ends: "2.Outlook Version
# 2016" (a form's second answer), "(ver.2406, ...)"; not "Mail.app", "outlook.com", "10.5"
_GLUED_DOT = re.compile(r"(?<![\w.])(\d\.(?=[A-Z][a-z]{2,})|(?i:ver|v)\.(?=\d))")
# Releases listed without spaces: "Outlook (tried 2013,2016,2024)" (not "1,500", "3,14")
_GLUED_YEARS = re.compile(r"(?<=\b(?:19|20)\d\d),(?=(?:19|20)\d\d\b)")
# Typed for an apostrophe ("doesn`t", "doesn´t"): before NFKC, which splits the acute accent.
_APOSTROPHES = str.maketrans({"`": "'", "\u00b4": "'"})


ALIGN_RUN = 3  # characters that must agree again after an edit
ALIGN_EDIT = 12  # characters an edit may insert and delete together ("win10" -> "windows 10")
ALIGN_DELETED = 2000  # characters a deletion may drop (a link's address; texts are cut at 2000)
ALIGN_STRETCH = 32  # characters compared at once where the texts are alike


def align(original: str, rewritten: str) -> List[int]:
    """For each character of `rewritten` (normalise() and the matcher's rewrites applied to
    `original`: spaces collapsed or added, "win10" -> "windows 10", a link's address dropped),
    the position in `original` it stands for; an added character stands for the position where
    it was added. Case and full-width forms do not count as edits."""
    mapping = [0] * len(rewritten)
    i = j = 0
    while i < len(rewritten):
        stretch = rewritten[i : i + ALIGN_STRETCH]
        if len(stretch) == ALIGN_STRETCH and stretch == original[j : j + ALIGN_STRETCH]:
            mapping[i : i + ALIGN_STRETCH] = range(j, j + ALIGN_STRETCH)  # most of the text
            i, j = i + ALIGN_STRETCH, j + ALIGN_STRETCH
            continue
        if j < len(original) and _same(rewritten[i], original[j]):
            mapping[i] = j
            i, j = i + 1, j + 1
            continue
        added, dropped = _next_run(original, rewritten, i, j)
        for k in range(i, min(i + added, len(rewritten))):
            mapping[k] = min(j, len(original) - 1) if original else 0
        i, j = i + added, j + dropped
    return mapping


def _same(a: str, b: str) -> bool:
    if b in "\u0130\u0131":
        b = b.translate(_ASCII)
    return a == b or a.lower() == b.lower() or a.lower() == unicodedata.normalize("NFKC", b).lower()


def _agree(original: str, rewritten: str, i: int, j: int) -> bool:
    """Whether the texts agree again from rewritten[i] and original[j]: ALIGN_RUN characters
    alike, or, where fewer are left, both ending alike."""
    run = min(ALIGN_RUN, len(rewritten) - i)
    if run < ALIGN_RUN and len(original) - j != run:
        return False  # a few last characters agree by chance too easily ("w" of a link)
    return j + run <= len(original) and all(
        _same(rewritten[i + k], original[j + k]) for k in range(run)
    )


def _next_run(original: str, rewritten: str, i: int, j: int) -> Tuple[int, int]:
    """(characters added, characters dropped) at this edit: the smallest edit after which the
    texts agree again; all the rest added if they never do."""
    for total in range(1, ALIGN_EDIT + 1):
        for added in range(total + 1):
            if _agree(original, rewritten, i + added, j + total - added):
                return added, total - added
    for dropped in range(ALIGN_EDIT + 1, ALIGN_DELETED):  # " [Thunderbird](https://...) "
        for added in range(ALIGN_RUN):
            if _agree(original, rewritten, i + added, j + dropped):
                return added, dropped
    return len(rewritten) - i, 0
