"""The one reader of the YAML knowledge base (kb/): plain, read-only Python objects.

Every module that needs the KB (dialogue texts, guides, clients, hand-off texts and hours, mail
header patterns) goes through here, so all of them read the same folder: the `kb_dir` given,
else SMTPBOT_KB_DIR, else the project's kb/. Each folder is read once per process, on first use
(never at import); a support lead's edit takes effect when the servers restart.
"""

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Tuple, Union

import yaml

from smtpbot import settings

DEFAULT_KB_DIR = Path(__file__).resolve().parents[2] / "kb"
KbDir = Union[str, os.PathLike, None]


@dataclass(frozen=True)
class Guide:
    """One section of the article: its verbatim steps and the SSL step."""

    id: str
    title: str
    heading: str
    steps: Tuple[str, ...]
    security_step: int
    note: Optional[str] = None  # the article's own note
    notes: Tuple[Tuple[int, str], ...] = ()  # ours, per step: (step number, text)

    def notes_for(self, number: int) -> Tuple[str, ...]:
        """Our notes on step `number` (not the article's: shown marked as ours)."""
        return tuple(text for step, text in self.notes if step == number)

    @property
    def total(self) -> int:
        """Number of steps in the guide."""
        return len(self.steps)

    @property
    def saving_step(self) -> Optional[int]:
        """The last step that saves: its text says "save" or clicks OK ("Click OK to save your
        changes", "... and click OK"); None when none does (Apple Mail 10+, classic Eudora)."""
        return next((n for n in range(self.total, 0, -1) if SAVES.search(self.steps[n - 1])), None)


# A step that saves the settings: "to save your changes", "and click "OK""
SAVES = re.compile(r"\bsave|\bclick\s+\W?ok\b", re.IGNORECASE)


@dataclass(frozen=True)
class Alias:
    """A phrase customers use, the facts it states besides the client, and its context rule.

    `context` names a rule of `context_rules` in kb/clients.yml: the phrase is also an ordinary
    word or another product ("office", "Sierra") and counts only where that rule holds.
    """

    phrase: str
    kind: str  # "client", "platform", "os" or "family" (macOS, Windows, iOS as such)
    value: str
    version: Optional[str] = None
    platform: Optional[str] = None
    os: Optional[str] = None
    context: Optional[str] = None
    add_on: bool = False  # an add-on's name: it says the program, its number is its own
    # a pasted path of the program's file ("...\\Office16\\OUTLOOK.EXE"): it says the program
    # and a release, less surely than words do (a program or release named in words wins)
    file_path: bool = False
    exact: bool = False  # matched as written only, never a spelling target ("macmini")


@dataclass
class KnowledgeBase:
    """Everything the bot knows: guides, clients, platforms, OS tables, dialogue texts."""

    guides: Dict[str, Guide]
    clients: Dict[str, Dict[str, Any]]
    platforms: Dict[str, Dict[str, Any]]
    operating_systems: Dict[str, Dict[str, Any]]
    dialogue: Dict[str, Any]
    aliases: List[Alias] = field(default_factory=list)
    families: List[Alias] = field(default_factory=list)
    context_rules: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    not_typos: FrozenSet[str] = frozenset()  # everyday words the spelling corrector leaves alone
    # one-word names of a phone of no named kind ("phone", "Handy", "telefoon"): kb platform
    # `phone`, read once here for the understanding code
    phone_words: FrozenSet[str] = frozenset()
    # the platforms that are phones or tablets (kb `mobile: true`: ios, android, phone)
    mobile_platforms: FrozenSet[str] = frozenset()
    # first words of the names of programs only: not of an account, a service, a mail server's
    # suite or a gateway's name, nor a generic word ("Thunderbird", not "Gmail", "Office",
    # "Zimbra", "mail")
    program_words: FrozenSet[str] = frozenset()

    def guide(self, guide_id: str) -> Guide:
        """The guide with this id (KeyError if unknown)."""
        return self.guides[guide_id]

    def has_guide(self, client_id: Optional[str]) -> bool:
        """Whether the article covers this client: its outcome is no `uncovered/...` answer (a
        client resolved by version or platform, and anything that is no client, counts)."""
        spec = self.clients.get(client_id or "", {})
        return not str(spec.get("guide", "")).startswith("uncovered/")

    def question(self, question_id: str) -> Dict[str, Any]:
        """A clarifying question with its choices."""
        return self.dialogue["questions"][question_id]


def kb_path(kb_dir: KbDir = None) -> Path:
    """The knowledge base folder: `kb_dir`, else SMTPBOT_KB_DIR, else the project's kb/."""
    return Path(kb_dir or settings.SMTPBOT_KB_DIR.get() or DEFAULT_KB_DIR).resolve()


def _read(path: Path) -> Dict[str, Any]:
    """Parse one YAML file of the KB (the only place that opens them)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _entry(entry: Any) -> Dict[str, Any]:
    """An alias entry as a mapping: a bare string is {"phrase": it}."""
    return {"phrase": entry} if isinstance(entry, str) else entry


@lru_cache(maxsize=32)
def _cached_file(folder: Path, name: str) -> Dict[str, Any]:
    """One parsed file, cached per (resolved folder, name)."""
    return _read(folder / name)


def kb_file(name: str, kb_dir: KbDir = None) -> Dict[str, Any]:
    """One YAML file of the KB folder (e.g. "handoff.yml"), read once per folder and process.

    The same dict is returned to every caller: read it, never change it.
    """
    return _cached_file(kb_path(kb_dir), name)


def handoff_config(kb_dir: KbDir = None) -> Dict[str, Any]:
    """kb/handoff.yml: business hours, hand-off messages, summary templates."""
    return kb_file("handoff.yml", kb_dir)


def _aliases(clients: Dict, platforms: Dict, systems: Dict) -> List[Alias]:
    """Flatten every alias of the KB into one list the matcher is built from."""
    found: List[Alias] = []
    for client_id, client in clients.items():
        for entry in map(_entry, client.get("aliases", [])):
            found.append(
                Alias(
                    entry["phrase"].lower(),
                    "client",
                    entry.get("client", client_id),
                    version=entry.get("version"),
                    platform=entry.get("platform"),
                    os=entry.get("os"),
                    context=entry.get("context"),
                    add_on=bool(entry.get("add_on")),
                    exact=bool(entry.get("exact")),
                )
            )
    for platform_id, platform in platforms.items():
        for entry in map(_entry, platform.get("aliases", [])):
            found.append(
                Alias(
                    entry["phrase"].lower(),
                    "platform",
                    platform_id,
                    context=entry.get("context"),
                    exact=bool(entry.get("exact")),
                )
            )
    for family in ("macos", "windows"):
        table = systems[family]
        for name, release in table["names"].items():
            # the names are ordinary words and places ("Sierra", "Big Sur", "seven"): context,
            # unless the family is said in the name itself ("Windows Vista")
            context = None if name.lower().startswith(family) else table.get("name_context")
            found.append(Alias(name.lower(), "os", f"{family}-{release}", context=context))
    return found


def _families(systems: Dict) -> List[Alias]:
    """The OS family words ("macOS", "Windows", "iOS"), each maybe with its context rule."""
    return [
        Alias(entry["phrase"].lower(), "family", family, context=entry.get("context"))
        for family in ("macos", "windows", "ios")
        for entry in map(_entry, systems[family]["aliases"])
    ]


def load_kb(kb_dir: KbDir = None) -> KnowledgeBase:
    """Read guides.yml, clients.yml and dialogue.yml afresh (see kb_path for the folder)."""
    base = kb_path(kb_dir)
    raw_guides = _read(base / "guides.yml")["guides"]
    guides = {
        gid: Guide(
            id=gid,
            title=g["title"],
            heading=g["heading"],
            steps=tuple(g["steps"]),
            security_step=g["security_step"],
            note=g.get("note"),
            notes=tuple((n["step"], n["text"]) for n in g.get("notes", [])),
        )
        for gid, g in raw_guides.items()
    }
    clients_file = _read(base / "clients.yml")
    kb = KnowledgeBase(
        guides=guides,
        clients=clients_file["clients"],
        platforms=clients_file["platforms"],
        operating_systems=clients_file["operating_systems"],
        dialogue=_read(base / "dialogue.yml"),
    )
    kb.aliases = _aliases(kb.clients, kb.platforms, kb.operating_systems)
    kb.families = _families(kb.operating_systems)
    kb.context_rules = _context_rules(clients_file.get("context_rules", {}), kb.clients)
    kb.not_typos = frozenset(str(word) for word in clients_file.get("not_typos", []))
    kb.phone_words = frozenset(
        a.phrase for a in kb.aliases if a.kind == "platform" and a.value == "phone"
    )
    kb.mobile_platforms = frozenset(
        name for name, spec in kb.platforms.items() if (spec or {}).get("mobile")
    )
    kb.program_words = _program_words(kb)
    return kb


def _context_rules(
    raw: Dict[str, Dict[str, Any]], clients: Dict[str, Dict[str, Any]]
) -> Dict[str, Dict[str, Any]]:
    """The context rules with `extends` resolved: a rule is its base rule plus its own tests,
    a list of its own added to the base's list of the same test (one list to edit: Evolution's
    rule has named-program's words and a few more); `not_before_year` is read as the years of
    its client's releases and the years up to `until`."""

    def resolved(name: str) -> Dict[str, Any]:
        rule = dict(raw[name])
        base_name = rule.pop("extends", None)
        if base_name is None:
            return rule
        merged = resolved(base_name)
        for test, value in rule.items():
            base = merged.get(test)
            merged[test] = (
                base + value if isinstance(base, list) and isinstance(value, list) else value
            )
        return merged

    rules = {name: resolved(name) for name in raw}
    for rule in rules.values():
        years = rule.get("not_before_year")
        if years:
            early = {str(year) for year in range(FIRST_YEAR, years["until"] + 1)}
            rule["not_before_year"] = release_years(clients[years["releases_of"]]) | early
    return rules


# A release named by its year: "2016", "1998"; the first year a customer may write after a name
RELEASE_YEAR = re.compile(r"^(?:19[89]\d|20[0-3]\d)$")
FIRST_YEAR = 1990


def release_years(client: Dict[str, Any]) -> FrozenSet[str]:
    """The years that name a release of the client, in its version map or as an alias of one
    ("2016", "1998" for Outlook 98); "2018" names none (the resolver places such a year)."""
    written = list(client.get("versions", {})) + list(client.get("version_aliases", {}))
    return frozenset(str(v) for v in written if RELEASE_YEAR.match(str(v)))


NOT_A_PROGRAM = ("account", "also_a_service", "generic", "gateway", "server_suite")


def _program_words(kb: "KnowledgeBase") -> FrozenSet[str]:
    """First words of client names that only ever name a program (see program_words)."""
    programs, others = set(), set()
    for alias in kb.aliases:
        if alias.kind != "client" or alias.value not in kb.clients:
            continue
        spec = kb.clients[alias.value] or {}
        first = alias.phrase.split()[0]
        (others if any(spec.get(flag) for flag in NOT_A_PROGRAM) else programs).add(first)
    return frozenset(programs - others)


@lru_cache(maxsize=4)
def _cached_kb(folder: Path) -> KnowledgeBase:
    """The knowledge base of one resolved folder, cached."""
    return load_kb(folder)


def get_kb(kb_dir: KbDir = None) -> KnowledgeBase:
    """The KB of the folder (see kb_path), loaded once per folder and process, on first use."""
    return _cached_kb(kb_path(kb_dir))
