"""Resolve what the customer told us (client, version, platform, OS) to a guide or a question.

Pure Python over kb/clients.yml: no Rasa, no spaCy. See the outcome grammar at the top of
that file.
"""

import re
from dataclasses import dataclass, replace
from typing import Any, Dict, Optional, Tuple

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import RELEASE_YEAR, KnowledgeBase, release_years

MAX_REDIRECTS = 4
MACOS_TEN = re.compile(r"^10\.(\d{1,2})")


@dataclass(frozen=True)
class Resolution:
    """Where the facts lead: a guide, a question to ask, or an honest "not covered"."""

    kind: str  # guide | ask | uncovered
    target: str  # guide id, question id or uncovered key
    client: Optional[str] = None
    # One line said with the guide: how to switch when it was assumed (`switch`), or why this
    # guide fits a release the article does not name (a range's note); kb/clients.yml.
    note: Optional[str] = None

    @property
    def guide(self) -> Optional[str]:
        """The guide id when this resolution is a guide."""
        return self.target if self.kind == "guide" else None


def _major(version: str) -> Optional[float]:
    """The leading number of a version string ("115.3.1" -> 115.0, "8.5" -> 8.5)."""
    match = re.match(r"^(\d+(?:\.\d+)?)", version)
    return float(match.group(1)) if match else None


def mail_version_for_macos(kb: KnowledgeBase, release: str) -> Optional[int]:
    """Apple Mail's major version on a macOS release ("10.6" -> 4, "13" -> 16+)."""
    table = kb.operating_systems["macos"]
    parts = release.split(".")
    key = ".".join(parts[:2])
    if key in table["mail_versions"]:
        return table["mail_versions"][key]
    if parts[0].isdigit() and int(parts[0]) >= 11:
        return table["later_mail_version"]
    return None


def _outcome(kb: KnowledgeBase, outcome: str, facts: Facts, depth: int) -> Resolution:
    """Turn an outcome string of the KB into a Resolution, following client/ redirects."""
    kind, _, rest = outcome.partition("/")
    if not rest:
        return Resolution("guide", outcome, facts.client)
    if kind == "client":
        redirected = Facts(client=rest, version=facts.version, platform=facts.platform, os=facts.os)
        return _resolve(kb, redirected, depth + 1)
    return Resolution(kind, rest, facts.client)


def _build_number(client: Dict[str, Any], version: str) -> Tuple[Optional[str], Optional[str]]:
    """A dotted build number as (release, platform): "16.0.4266" -> ("2016", None).

    Windows editions show a minor of 0 (14.0.x, 16.0.x); the Mac edition shows another minor
    (14.7.7, 15.41, 16.78), which says the platform rather than the release.
    """
    builds = client.get("build_numbers")
    parts = version.split(".")
    if not builds or len(parts) < 2 or not parts[0].isdigit():
        return None, None
    release = builds.get("windows", {}).get(".".join(parts[:2]))
    if release:
        return release, None
    if int(parts[0]) in builds.get("mac_majors", []) and parts[1].strip("0"):
        return None, "mac"
    return None, None


def build_platform(client: Dict[str, Any], version: str) -> Optional[str]:
    """The platform a build number says ("16.16.18101500": Outlook for Mac), or None."""
    return _build_number(client, version)[1]


def release_outcome(client: Dict[str, Any], version: str) -> Optional[str]:
    """The outcome a version of this client selects on its own, before any platform."""
    return _by_version(client, version)


def _by_version(client: Dict[str, Any], version: str) -> Optional[str]:
    """The outcome a version selects: exact versions, build numbers, channel versions, ranges."""
    return _by_version_noted(client, version)[0]


def _by_version_noted(client: Dict[str, Any], version: str) -> Tuple[Optional[str], Optional[str]]:
    """As `_by_version`, with the note of the range that placed the version (if any)."""
    aliases = client.get("version_aliases", {})
    versions = client.get("versions", {})
    release, _ = _build_number(client, version)
    candidates = [release] if release else []
    candidates += [version, ".".join(version.split(".")[:2]), version.split(".")[0]]
    for candidate in candidates:
        key = aliases.get(candidate, candidate)
        if key in versions:
            return versions[key], None
    for channel in client.get("channel_versions", []):
        if re.match(channel["match"], version) and channel["version"] in versions:
            return versions[channel["version"]], None
    between = _between_releases(versions, version)
    if between:
        return between, None
    major = _major(version)
    if major is None:
        return None, None
    for low, high, outcome, *note in client.get("ranges", []):
        if major >= low and (high is None or int(major) <= high):
            return outcome, (note[0] if note else None)
    return None, None


def _between_releases(versions: Dict[str, str], version: str) -> Optional[str]:
    """A year that names no release, between two releases with the same outcome: that outcome.

    "Outlook 2018" does not exist, but 2016 and 2019 have one guide, so it is that guide; the
    guides differ around "Outlook 2005" (2004 is Entourage, 2007 its own), so that one asks.
    """
    if not RELEASE_YEAR.match(version):
        return None
    years = sorted(int(v) for v in versions if RELEASE_YEAR.match(v))
    below = [y for y in years if y < int(version)]
    above = [y for y in years if y > int(version)]
    if not below or not above:
        return None
    outcome = versions[str(below[-1])]
    return outcome if versions[str(above[0])] == outcome else None


def names_no_release(client: Dict[str, Any], version: str) -> bool:
    """Whether `version` is a year that names no release of the client and no channel build:
    "Outlook 2018" (placed by `_between_releases`, if anywhere), not "2016", not "1903"."""
    if not RELEASE_YEAR.match(version) or version in release_years(client):
        return False
    return not any(re.match(c["match"], version) for c in client.get("channel_versions", []))


def _other_platform(client: Dict[str, Any], outcome: str, platform: str) -> bool:
    """Whether `outcome` is what the client gives on a platform other than `platform`."""
    others = {p: o for p, o in client.get("platforms", {}).items() if p != platform}
    return outcome in others.values() and client.get("platforms", {}).get(platform) != outcome


def _resolve(kb: KnowledgeBase, facts: Facts, depth: int) -> Resolution:
    if depth > MAX_REDIRECTS:
        raise ValueError(f"client redirects loop in kb/clients.yml at {facts.client}")
    platform = facts.platform
    if facts.client is None or facts.client not in kb.clients:
        spec = kb.platforms.get(platform or "", {})
        if spec.get("client"):
            return _resolve(kb, Facts(spec["client"], facts.version, platform, facts.os), depth + 1)
        if spec.get("outcome"):
            return _outcome(kb, spec["outcome"], facts, depth)
        return Resolution("ask", spec.get("ask", "client"))
    client = kb.clients[facts.client]
    version = facts.version.lower().lstrip("v") if facts.version else None
    if version:
        named = _by_version(client, version)
        if named and named.startswith("client/"):  # "Office 2008" is Entourage, on any device
            return _outcome(kb, named, facts, depth)
        if not platform:
            platform = _build_number(client, version)[1]  # "16.78" is Outlook for Mac
        elif named and _other_platform(client, named, platform) and client.get("ask"):
            # "Outlook 2011 on Windows": that release exists only on another platform
            return Resolution("ask", client["ask"], facts.client)
    if platform and platform in client.get("platforms", {}):
        return _outcome(kb, client["platforms"][platform], facts, depth)
    if facts.os and facts.os in client.get("os", {}):
        return _outcome(kb, client["os"][facts.os], facts, depth)
    if client.get("version_from_macos"):
        os_release = (
            facts.os[len("macos-") :] if facts.os and facts.os.startswith("macos-") else None
        )
        ten = MACOS_TEN.match(version or "")
        if os_release:  # the OS is the surer evidence: "Mail on Jaguar (10.2)"
            version = None
        elif version and ten and int(ten.group(1)) >= 4:  # "Mail 10.6" is Mac OS X 10.6
            os_release, version = version, None
        if version is None and os_release:
            mail_version = mail_version_for_macos(kb, os_release)
            version = str(mail_version) if mail_version is not None else None
    if version:
        outcome, note = _by_version_noted(client, version)
        outcome = outcome or client.get("with_version")
        if outcome:
            resolution = _outcome(kb, outcome, facts, depth)
            return replace(resolution, note=note) if note and resolution.guide else resolution
    if client.get("guide"):
        resolution = _outcome(kb, client["guide"], facts, depth)
        if client.get("switch") and resolution.kind == "guide" and not facts.version:
            return replace(resolution, note=client["switch"])
        return resolution
    return Resolution("ask", client.get("ask", "client"), facts.client)


def resolve_guide(kb: KnowledgeBase, facts: Facts) -> Resolution:
    """The guide for these facts, or the question to ask, or why it is not covered."""
    return _resolve(kb, facts, 0)
