"""Recognise error messages customers paste (kb/errors.yml) and the step of a guide that fixes them.

Pure Python over the KB: no Rasa, no spaCy.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Pattern, Tuple

from smtpbot.kb.knowledge import Guide, KbDir, kb_file, kb_path


@dataclass(frozen=True)
class KnownError:
    """One error message: how it reads, what it means here, and which kind of step fixes it."""

    id: str
    patterns: Tuple[Pattern, ...]
    name: str
    means: str
    fix: str  # port | auth | ssl | person (no step fixes it)


@dataclass(frozen=True)
class ErrorCatalogue:
    """The errors of kb/errors.yml, in file order, and how to find the fixing step."""

    errors: Tuple[KnownError, ...]
    fixes: Dict[str, Tuple[str, ...]]

    def find(self, text: str) -> Optional[KnownError]:
        """The first known error quoted anywhere in `text`, or None."""
        lower = text.lower()
        return next((e for e in self.errors if any(p.search(lower) for p in e.patterns)), None)

    def fixing_step(self, guide: Guide, error: KnownError) -> Optional[int]:
        """The 1-based step of `guide` that fixes `error`, or None when no step says so."""
        if error.fix == "ssl":
            return guide.security_step
        # the words in their order of preference: "authenticat" before "password", which the
        # iPhone guide's step 1 also has ("Accounts and Passwords")
        for word in self.fixes.get(error.fix, ()):
            for number, step in enumerate(guide.steps, 1):
                if word in step.lower():
                    return number
        return None


def load_errors(kb_dir: KbDir = None) -> ErrorCatalogue:
    """Read kb/errors.yml of the KB folder (smtpbot.kb.knowledge.kb_path) and compile it."""
    raw = kb_file("errors.yml", kb_dir)
    errors: List[KnownError] = []
    for error_id, spec in raw["errors"].items():
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in spec["match"])
        errors.append(KnownError(error_id, patterns, spec["name"], spec["means"], spec["fix"]))
    fixes = {k: tuple(w.lower() for w in v) for k, v in raw.get("fixes", {}).items()}
    return ErrorCatalogue(tuple(errors), fixes)


def get_errors(kb_dir: KbDir = None) -> ErrorCatalogue:
    """The catalogue of the KB folder, compiled once per folder and process, on first use."""
    return _cached(kb_path(kb_dir))


@lru_cache(maxsize=4)
def _cached(folder: Path) -> ErrorCatalogue:
    return load_errors(folder)
