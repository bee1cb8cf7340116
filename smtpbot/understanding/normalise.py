"""Normalise customer text before matching: the same words however they were typed or pasted."""

import re
import unicodedata

# Zero-width and other invisible format characters (Unicode category Cf) that pasted text
# carries ("Outlook 2007\u200b"); the soft hyphen is Cf too.
_FORMAT = {"Cf"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Chinese, Japanese and Korean are written without spaces: "Outlook客户端" must still part the
# program's name from the words around it.
CJK_SCRIPTS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"  # kana, Han, Hangul
_CJK = CJK_SCRIPTS + "\u3001-\u303f\uff01-\uff60"  # and CJK punctuation, full-width forms
_CJK_JOIN = re.compile(f"(?<=[A-Za-z0-9])(?=[{_CJK}])|(?<=[{_CJK}])(?=[A-Za-z0-9])")


# A Markdown link, as issue trackers and chat widgets carry them: "[Thunderbird](https://...)"
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,100})\]\((?:https?://|mailto:)[^()\s]*\)")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits, ligatures), format characters removed.

    Typographic quotes and dashes become ASCII so that "Outlook’s" and "Outlook's" tokenise alike.
    A Markdown link keeps its words only: its address names no program.
    """
    text = text.translate(_APOSTROPHES)
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r" \1 ", text)
    if text.isascii():  # most messages: NFKC, format characters and CJK cannot apply
        return _SPACES.sub(" ", _name_endings(text))
    text = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(c) in _FORMAT for c in text):
        text = "".join(c for c in text if unicodedata.category(c) not in _FORMAT)
    text = _CJK_JOIN.sub(" ", text.translate(_ASCII))
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
# Typed for an apostrophe ("doesn`t", "doesn´t"): before NFKC, which splits the acute accent.
_APOSTROPHES = str.maketrans({"`": "'", "\u00b4": "'"})
