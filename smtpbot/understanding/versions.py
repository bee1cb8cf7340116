"""Which numbers in a message are versions, and how a release is written.

A number is a version when it follows (or just precedes) a program's name and nothing marks it
as a step, a count, a size, a feature update or an add-in's own version (context.version_numbers
rules out ports, error codes, counts, dates and TLS versions by the words around them).
mentions.py reads numbers with these; the words are language, the releases and their builds are
in kb.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, Sequence

from smtpbot.kb.facts import PRERELEASE_MARK

if TYPE_CHECKING:  # spaCy is imported where a matcher is built, see MentionExtractor.
    from spacy.tokens import Doc


# The word "version" as customers write it ("office版本 2016", "Outlook バージョン 2016")
VERSION_NAMES = {"version", "ver", "v", "v.", "versión", "versione", "versão", "wersja", "versie"}
VERSION_NAMES |= {"版本", "バージョン", "버전", "версия"}
# "115.3.1", "v8", "3.0b2", "115.0esr", "128.6.1-1": the version is the leading dotted number.
VERSION = re.compile(
    r"^v?\.?(\d{1,4}(?:\.\d+){0,3})(?:[a-z]{1,5}\d{0,3}|-\d{1,3})?$", re.IGNORECASE
)
# Numbers that count the guide's steps, not versions: "I'm on step 9" (a version 9 would switch guide).
STEP_WORDS = {"step", "steps"}
# "supported by Outlook 2003 or higher", "Thunderbird 60.0 and up": a requirement's lower bound
AT_LEAST = {"higher", "later", "newer", "above", "up", "greater"}
YEAR_RELEASE = re.compile(r"^(?:19|20)\d\d$")
# "8.0b1", "3.0beta2", "8 beta": a pre-release keeps its mark (Eudora 8's betas are Eudora OSE)
PRERELEASE = re.compile(rf"(?i)^{PRERELEASE_MARK}\d*$")
# "2fa", "4k", "5g", "8gb": a number with a unit or an acronym glued on is not a version
UNIT_GLUED = re.compile(
    r"(?i)^\d+(?:fa|g|k|gb|tb|mb|kb|ghz|mhz|mp|px|x|fps|mbps|gbps|bit|st|nd|rd|th)$"
)
# "22H2", "21h1": a Windows feature update's name, never a program's version
FEATURE_UPDATE = re.compile(r"(?i)^\d\dh[12]$")
# Words that introduce a version number: "version 10.14", "build 1909", "release 2"
VERSION_WORDS = {"version", "v", "ver", "build", "release", "update", "os", "sp"}
# An add-on's name ends with one of these (spaCy splits "add-in" into three tokens)
ADD_ONS = ("add-in", "addin", "plug-in", "plugin", "add-on", "addon", "extension", "module")


def release_written(
    doc: Doc, i: int, match: "re.Match", builds: Sequence["re.Pattern"] = ()
) -> str:
    """The version a number token states, with its pre-release mark: "8.0b1", "8 beta" ->
    "8beta" (not "115.0esr", a release channel); or the build right after a year-like number
    that names no year ("Version 2010 (Build 13328.20356)": `builds`, kb `channel_versions`
    marked `build`)."""
    build = build_after(doc, i, builds) if AMBIGUOUS_YEAR_MONTH.match(doc[i].text) else None
    if build:
        return build
    mark = doc[i].text[match.end(1) :].lower()
    if not PRERELEASE.match(mark) and i + 1 < len(doc) and doc[i + 1].lower_ in ("beta", "alpha"):
        mark = doc[i + 1].lower_
    return match.group(1) + mark if PRERELEASE.match(mark) else match.group(1)


# Microsoft 365's year-and-month versions of 2020 read as years of Outlook releases: "Version
# 2010 (Build 13328.20356)" is the October 2020 update, not Outlook 2010; the build says which
AMBIGUOUS_YEAR_MONTH = re.compile(r"^20(?:0[1-9]|1[0-2])$")


def build_after(doc: Doc, i: int, builds: Sequence["re.Pattern"]) -> Optional[str]:
    """The build right after version token i ("2010 (Build 13328.20356)") when one of `builds`
    matches it."""
    words = [t.text for t in doc[i + 1 : i + 4] if t.text != "("]
    if len(words) >= 2 and words[0].lower() == "build":
        if any(pattern.match(words[1]) for pattern in builds):
            return words[1]
    return None


def version_follows(doc: Doc, start: int, name_start: Optional[int] = None) -> bool:
    """Whether a release number comes at `start` (see following_version)."""
    return following_version(doc, start, name_start) is not None


def following_version(doc: Doc, start: int, name_start: Optional[int] = None) -> Optional[str]:
    """The release number at `start`, or None: "TB 115", "office version 2016" ("版本",
    "バージョン"), "TB (115.7.0)", "tb (147.0.1 (64-bit))", "Airmail Beta 1.4", "Airmail with
    version 1.4.2", "Supernova (Ver 115.2.1)", "Mozilla (Supernova) version 115.3.2" (a name
    in brackets: `name_start`, where the name begins, follows an opening bracket)."""
    if start < len(doc) and doc[start].lower_ == "beta":
        start += 1  # "Airmail Beta Version 1.4", "Spark Beta 3.1"
    elif (
        start + 1 < len(doc) and doc[start].lower_ == "with" and doc[start + 1].lower_ == "version"
    ):
        start += 1  # "Airmail with version 1.4.2"
    elif (
        start < len(doc)
        and doc[start].text == ")"
        and name_start is not None
        and name_start > 0
        and doc[name_start - 1].text == "("
    ):
        start += 1  # "Mozilla (Supernova) version 115.3.2": the name was in brackets
    tokens = [t.text for t in doc[start : start + 3]]
    if tokens[:1] == ["("]:
        tokens = tokens[1:]  # "TB (115.7.0)", "Supernova (Ver 115.2.1)"
    if tokens and tokens[0].lower() in VERSION_NAMES:
        tokens = tokens[1:]
    return tokens[0] if tokens and VERSION.match(tokens[0]) else None


def version_precedes(doc: Doc, start: int) -> bool:
    """Whether a release number and "version of" come right before `start`: "the 2024 version
    of Office"."""
    words = doc[max(0, start - 3) : start]
    return (
        len(words) == 3
        and bool(VERSION.match(words[0].text))
        and words[1].lower_ in {"version", "edition", "release"}
        and words[2].lower_ == "of"
    )


def lower_bound(doc: Doc, i: int) -> bool:
    """The number is the lowest release something needs, not the customer's own."""
    words = [t.lower_ for t in doc[i + 1 : i + 3]]
    return len(words) == 2 and words[0] in ("or", "and") and words[1] in AT_LEAST


def past_version_label(doc: Doc, end: int) -> int:
    """Past a version's label after a name, if any: "Windows version: 11" (a bug template's),
    "TbSync v 0.7.5"."""
    if end < len(doc) and doc[end].lower_ in {"version", "v", "v.", "build"}:
        end += 1
        if end + 1 < len(doc) and doc[end].text == ":":
            end += 1
    return end


def add_on_number(doc: Doc, i: int) -> bool:
    """ "Outlook Add-In v3.0.9.8", "the plug-in version 2.1": the add-on's number, not the
    program's."""
    words = [t.lower_ for t in doc[max(0, i - 4) : i]]
    if words[-1:] and words[-1] in VERSION_WORDS:
        words = words[:-1]
    joined = "".join(words[-3:])
    return joined.endswith(ADD_ONS)


def counts(doc: Doc, start: int, after_name: bool = False) -> bool:
    """Whether the words from `start` say what a number counts, beyond the units that
    context.version_numbers already rules out ("3 times", "2 TB"): "1 e-mail" (spaCy splits
    "e-mail" into "e", "-", "mail"), "2 mails". Right after a program's name, "mail" is the
    program's again: "Apple Mail 2 mail won't send"."""
    words = [t.lower_ for t in doc[start : start + 3]]
    if words[:2] == ["e", "-"]:
        words = words[2:]
    return not after_name and words[:1] in (["mail"], ["mails"])
