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
    note: Optional[str] = None

    @property
    def total(self) -> int:
        """Number of steps in the guide."""
        return len(self.steps)


@dataclass(frozen=True)
class Alias:
    """A phrase customers use, and the facts it states besides the client."""

    phrase: str
    kind: str  # "client", "platform" or "os"
    value: str
    version: Optional[str] = None
    platform: Optional[str] = None
    os: Optional[str] = None


@dataclass
class KnowledgeBase:
    """Everything the bot knows: guides, clients, platforms, OS tables, dialogue texts."""

    guides: Dict[str, Guide]
    clients: Dict[str, Dict[str, Any]]
    platforms: Dict[str, Dict[str, Any]]
    operating_systems: Dict[str, Dict[str, Any]]
    dialogue: Dict[str, Any]
    aliases: List[Alias] = field(default_factory=list)

    def guide(self, guide_id: str) -> Guide:
        """The guide with this id (KeyError if unknown)."""
        return self.guides[guide_id]

    def question(self, question_id: str) -> Dict[str, Any]:
        """A clarifying question with its choices."""
        return self.dialogue["questions"][question_id]


def _read(path: Path) -> Dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _aliases(clients: Dict, platforms: Dict, systems: Dict) -> List[Alias]:
    """Flatten every alias of the KB into one list the matcher is built from."""
    found: List[Alias] = []
    for client_id, client in clients.items():
        for entry in client.get("aliases", []):
            if isinstance(entry, str):
                found.append(Alias(entry.lower(), "client", client_id))
            else:
                found.append(
                    Alias(
                        entry["phrase"].lower(),
                        "client",
                        entry.get("client", client_id),
                        version=entry.get("version"),
                        platform=entry.get("platform"),
                        os=entry.get("os"),
                    )
                )
    for platform_id, platform in platforms.items():
        for phrase in platform.get("aliases", []):
            found.append(Alias(phrase.lower(), "platform", platform_id))
    for name, release in systems["macos"]["names"].items():
        found.append(Alias(name.lower(), "os", f"macos-{release}"))
    for name, release in systems["windows"]["names"].items():
        found.append(Alias(name.lower(), "os", f"windows-{release}"))
    return found


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
    return kb


@lru_cache(maxsize=4)
def get_kb(kb_dir: Optional[str] = None) -> KnowledgeBase:
    """Load the KB once per process (lazily, on first use, never at import)."""
    return load_kb(kb_dir or os.environ.get("SMTPBOT_KB_DIR") or None)
