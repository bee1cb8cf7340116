"""Which step of a guide names what the customer can't find: "I don't see the Server Settings
tab" at step 2 of a guide whose step 3 says 'Click on the "Server Settings" tab'.

Pure Python over the guide's verbatim steps; the words that name no place (kb/dialogue.yml
`step_terms.ignore`) are data.
"""

from __future__ import annotations

import re
from typing import AbstractSet, List, Optional, Sequence, Tuple

WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
LONGEST_TERM = 3  # "outgoing server port": the longest run of words looked for in the steps


def words_of(text: str) -> List[str]:
    """Lower-case words, quotes and punctuation dropped."""
    return WORD.findall(text.lower().replace("’", "'"))


def _terms(question: str, ignore: AbstractSet[str]) -> List[Tuple[str, ...]]:
    """Runs of 1 to LONGEST_TERM words of the question with no ignored word, longest first."""
    runs: List[List[str]] = [[]]
    for word in words_of(question):
        if word in ignore:
            runs.append([])
        else:
            runs[-1].append(word)
    terms = {
        tuple(run[start : start + size])
        for run in runs
        for size in range(1, LONGEST_TERM + 1)
        for start in range(len(run) - size + 1)
    }
    return sorted(terms, key=len, reverse=True)


def _names(step: str, term: Tuple[str, ...]) -> bool:
    """Whether the step's words contain the term's words in a row."""
    words = words_of(step)
    size = len(term)
    return any(tuple(words[i : i + size]) == term for i in range(len(words) - size + 1))


def step_naming(
    steps: Sequence[str], question: str, current: int, ignore: AbstractSet[str]
) -> Optional[int]:
    """The number of another step that names what the question asks about, when the current
    step does not: the longest term wins; between steps naming it, the next one after the
    current step, else the nearest before it. None when the current step names it too or no
    step does."""
    for term in _terms(question, ignore):
        naming = [number for number, step in enumerate(steps, 1) if _names(step, term)]
        if not naming:
            continue
        if current in naming:
            return None  # "I don't see Account Settings" at that very step: the step again
        later = [number for number in naming if number > current]
        return later[0] if later else naming[-1]
    return None
