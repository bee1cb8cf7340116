"""Read the mail program and version from pasted mail headers (X-Mailer / User-Agent lines).

Headers are the most exact evidence of what a customer uses: "X-Mailer: Microsoft Outlook 15.0"
is Outlook 2013 whatever the customer calls it. Patterns and version tables live in
kb/headers.yml; the facts found go through smtpbot/kb/resolver.py like anything a customer says.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import KnowledgeBase, kb_file, kb_path
from smtpbot.kb.resolver import Resolution, resolve_guide

HEADER_LINE = re.compile(
    r"^\s*(?:>\s*)*(x-mailer|user-agent|x-newsreader|mime-version)\s*:\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
QUOTE = re.compile(r"^(?:> ?)*")  # a ticket's quoting of the pasted message
MAX_TEXT = 200_000  # pasted tickets can be long; never scan more than this


def unfold(text: str) -> str:
    """Join folded header lines (RFC 5322 2.2.3) so a version on a continuation line is kept.

    A continuation line starts with white space, after the ticket's quote marks if any ("> ").
    """
    lines: List[str] = []
    for line in text.splitlines():
        rest = line[QUOTE.match(line).end() :]
        if lines and rest[:1] in (" ", "\t") and rest.strip():
            lines[-1] += " " + rest.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class HeaderFinding:
    """One header line understood: the raw line and the facts it states."""

    line: str
    facts: Facts


@dataclass(frozen=True)
class _Pattern:
    """One compiled pattern of kb/headers.yml and its entry."""

    regex: "re.Pattern[str]"
    spec: Dict[str, Any]


def _table(kb_dir: Optional[Path] = None) -> Dict[str, Any]:
    """kb/headers.yml of the KB folder (smtpbot/kb/knowledge.py reads and caches it)."""
    return kb_file("headers.yml", kb_dir)


@lru_cache(maxsize=4)
def _compiled(folder: Path) -> Tuple[_Pattern, ...]:
    """The patterns of the folder's headers.yml, compiled (cached per folder)."""
    table = kb_file("headers.yml", folder)
    return tuple(_Pattern(re.compile(p["match"], re.IGNORECASE), p) for p in table["patterns"])


def _patterns(kb_dir: Optional[Path] = None) -> Tuple[_Pattern, ...]:
    """The table's patterns, compiled once per KB folder."""
    return _compiled(kb_path(kb_dir))


def _apple_mail_version(table: Dict[str, Any], number: int) -> Optional[str]:
    """Apple Mail's major version for a build number (3654 -> "14")."""
    for low, high, version in table["apple_mail_builds"]:
        if low <= number <= high:
            return str(version)
    return None


def _ios_version(table: Dict[str, Any], build: str) -> str:
    """ "20G75" -> "16"; from build 23 on, iOS jumped to 26 ("23A355" -> "26")."""
    prefix = re.match(r"\d+", build).group(0)
    later = table.get("ios_builds_from_26", {})
    if prefix in later:
        return str(later[prefix])
    return str(int(prefix) - table["ios_build_offset"])


def _mac_outlook(table: Dict[str, Any], raw: str) -> str:
    """Outlook for Mac 2016 and later wrote hexadecimal versions: "f.1f.0.170216" -> "15.31"."""
    parts = raw.split(".")
    if parts[0].lower() in table.get("mac_outlook_hex_majors", []) and len(parts) > 1:
        try:
            return f"{int(parts[0], 16)}.{int(parts[1], 16)}"
        except ValueError:
            return raw
    return raw


def _version(
    kb: KnowledgeBase, table: Dict[str, Any], spec: Dict[str, Any], raw: Optional[str]
) -> Optional[str]:
    """The version as kb/clients.yml knows it (a year for Outlook, a major for Apple Mail)."""
    if not raw:
        return spec.get("version")
    how = spec.get("version_map")
    if how == "outlook_build":
        windows = kb.clients[spec["client"]].get("build_numbers", {}).get("windows", {})
        return windows.get(raw) or raw
    if how == "mac_outlook":
        return _mac_outlook(table, raw)
    if how == "apple_mail_build":
        return _apple_mail_version(table, int(raw.split(".")[1]))
    if how == "apple_build":
        return _apple_mail_version(table, int(raw))
    if how == "ios_build":
        return _ios_version(table, raw)
    return raw


def parse_header_value(
    kb: KnowledgeBase, value: str, kb_dir: Optional[Path] = None
) -> Optional[Facts]:
    """Facts stated by one X-Mailer/User-Agent value, or None when no pattern knows it."""
    table = _table(kb_dir)
    for pattern in _patterns(kb_dir):
        match = pattern.regex.search(value)
        if not match:
            continue
        spec = pattern.spec
        raw = match.groupdict().get("version")
        os_id = None
        for prefix, os_value in (spec.get("os_by_version") or {}).items():
            if raw and raw.startswith(prefix):
                os_id = os_value
        return Facts(
            client=spec["client"],
            version=_version(kb, table, spec, raw),
            platform=spec.get("platform"),
            os=os_id,
        )
    return None


def find_headers(
    kb: KnowledgeBase, text: str, kb_dir: Optional[Path] = None
) -> List[HeaderFinding]:
    """Every X-Mailer / User-Agent line of the text that names a known program, in order."""
    found = []
    for match in HEADER_LINE.finditer(unfold(text[:MAX_TEXT])):
        facts = parse_header_value(kb, match.group("value"), kb_dir)
        if facts is not None:
            found.append(HeaderFinding(match.group(0).strip(), facts))
    return found


def facts_from_headers(kb: KnowledgeBase, text: str) -> Optional[Facts]:
    """The facts of the last header line found (the customer's latest message is usually last)."""
    findings = find_headers(kb, text)
    return findings[-1].facts if findings else None


def resolve_headers(kb: KnowledgeBase, text: str) -> Optional[Resolution]:
    """The guide (or question, or "not covered") the pasted headers lead to; None without headers."""
    facts = facts_from_headers(kb, text)
    return resolve_guide(kb, facts) if facts else None
