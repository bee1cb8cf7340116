"""Load the YAML knowledge base (kb/) into plain, read-only Python objects."""

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

DEFAULT_KB_DIR = Path(__file__).resolve().parents[2] / "kb"


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

    def guide(self, guide_id: str) -> Guide:
        """The guide with this id (KeyError if unknown)."""
        return self.guides[guide_id]

    def question(self, question_id: str) -> Dict[str, Any]:
        """A clarifying question with its choices."""
        return self.dialogue["questions"][question_id]


def _read(path: Path) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _entry(entry: Any) -> Dict[str, Any]:
    """An alias entry as a mapping: a bare string is {"phrase": it}."""
    return {"phrase": entry} if isinstance(entry, str) else entry


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
                )
            )
    for platform_id, platform in platforms.items():
        for entry in map(_entry, platform.get("aliases", [])):
            found.append(
                Alias(
                    entry["phrase"].lower(), "platform", platform_id, context=entry.get("context")
                )
            )
    for family in ("macos", "windows"):
        table = systems[family]
        for name, release in table["names"].items():
            # one-word names are ordinary words ("Sierra", "seven"): they need context
            context = table.get("name_context") if " " not in name else None
            found.append(Alias(name.lower(), "os", f"{family}-{release}", context=context))
    return found


def _families(systems: Dict) -> List[Alias]:
    """The OS family words ("macOS", "Windows", "iOS"), each maybe with its context rule."""
    return [
        Alias(entry["phrase"].lower(), "family", family, context=entry.get("context"))
        for family in ("macos", "windows", "ios")
        for entry in map(_entry, systems[family]["aliases"])
    ]


def load_kb(kb_dir: Optional[os.PathLike] = None) -> KnowledgeBase:
    """Read kb/guides.yml, kb/clients.yml and kb/dialogue.yml."""
    base = Path(kb_dir) if kb_dir else DEFAULT_KB_DIR
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
    kb.context_rules = clients_file.get("context_rules", {})
    return kb


@lru_cache(maxsize=4)
def get_kb(kb_dir: Optional[str] = None) -> KnowledgeBase:
    """Load the KB once per process (lazily, on first use, never at import)."""
    return load_kb(kb_dir or os.environ.get("SMTPBOT_KB_DIR") or None)
