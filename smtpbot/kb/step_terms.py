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


def _terms(
    question: str, ignore: AbstractSet[str], stop: AbstractSet[str]
) -> List[Tuple[str, ...]]:
    """Runs of 1 to LONGEST_TERM words of the question with no ignored word, longest first,
    then in the question's order; the question is read up to a word of `stop` ("I don't see
    the Advanced tab, only General and Outgoing Server": what is seen is no place asked for)."""
    runs: List[List[str]] = [[]]
    for word in words_of(question):
        if word in stop:
            break
        if word in ignore:
            runs.append([])
        else:
            runs[-1].append(word)
    found: dict = {}
    position = 0
    for run in runs:
        for start in range(len(run)):
            for size in range(1, min(LONGEST_TERM, len(run) - start) + 1):
                found.setdefault(tuple(run[start : start + size]), position + start)
        position += len(run) + 1
    return sorted(found, key=lambda term: (-len(term), found[term]))


def _names(words: Sequence[str], term: Tuple[str, ...]) -> bool:
    """Whether a step's words contain the term's words in a row."""
    size = len(term)
    return any(tuple(words[i : i + size]) == term for i in range(len(words) - size + 1))


def step_naming(
    steps: Sequence[str],
    question: str,
    current: int,
    ignore: AbstractSet[str],
    stop: AbstractSet[str] = frozenset(),
) -> Optional[int]:
    """The number of another step that names what the question asks about, when the current
    step does not: the longest term any step names wins (the current step keeps it on a tie
    of length); between steps naming it, the next one after the current step, else the
    nearest before it. None when the current step names it too or no step does."""
    best = None
    step_words = [words_of(step) for step in steps]  # once, not per term
    for term in _terms(question, ignore, stop):
        if best is not None and len(term) < len(best[0]):
            break  # only terms as long as the first one any step names
        naming = [number for number, words in enumerate(step_words, 1) if _names(words, term)]
        if current in naming:
            return None  # "I don't see Account Settings" at that very step: the step again
        if naming and best is None:
            best = (term, naming)
    if best is None:
        return None
    later = [number for number in best[1] if number > current]
    return later[0] if later else best[1][-1]


NOTE_WORDS = 2  # words of the question a note must name to be about it


def note_naming(
    steps: Sequence[str],
    notes: Sequence[Tuple[int, str]],
    question: str,
    current: int,
    ignore: AbstractSet[str],
    stop: AbstractSet[str] = frozenset(),
) -> Optional[Tuple[int, str]]:
    """(step number, note) of a note on another step that is about the question: it names at
    least NOTE_WORDS of its words, more than any step names in a row ("I don't see Settings,
    only Preferences" at step 2 of Apple Mail 10+: step 1's note says "Settings" is the newer
    name of "Preferences"; step 3 names "Settings" only). The whole question counts, what is
    seen too. None when the current step names one of its words, or no note is about it."""
    asked = {word for word in words_of(question) if word not in ignore}
    if asked & set(words_of(steps[current - 1])):
        return None  # "I can't find the port, ... only Preferences" at the port step
    step_words = [words_of(step) for step in steps]
    named = max(
        (len(t) for t in _terms(question, ignore, stop) if any(_names(w, t) for w in step_words)),
        default=0,
    )
    for number, note in notes:
        shared = asked & set(words_of(note))
        if number != current and len(shared) >= NOTE_WORDS and len(shared) > named:
            return number, note
    return None
