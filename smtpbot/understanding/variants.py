"""How customers respell a program's name: split, hyphenated or run together.

"Thunder bird", "Delta-Chat", "k9 mail", "Mail-bird": the same name with its parts joined
differently. The matcher adds these spellings to every program alias, so that the KB lists a
name once and each new name gets its respellings for free.
"""

from itertools import product
from typing import List

JOINERS = ("", "-", " ")
MAX_PARTS = 4  # 3 ** 3 joinings at most: "k-9 mail" has three parts
MIN_PART = 3  # a one-word name splits only into parts of 3+ letters ("thunder bird")


def spelling_variants(phrase: str) -> List[str]:
    """The other joinings of `phrase`'s parts (spaces and hyphens both separate parts).

    A one-word name of 6+ letters is also split once, into two parts of 3+ letters: most of
    those splits are never typed, and the ones that are ("thunder bird") are the respelling.
    Names with other characters ("mail.app", "the bat!", CJK) are left as they are.
    """
    parts = phrase.replace("-", " ").split()
    if not parts or not all(p.isascii() and p.isalnum() for p in parts):
        return []
    if len(parts) == 1:
        word = parts[0]
        if len(word) < 2 * MIN_PART or not word.isalpha():
            return []
        splits = [(word[:i], word[i:]) for i in range(MIN_PART, len(word) - MIN_PART + 1)]
        return sorted({joiner.join(pair) for pair in splits for joiner in JOINERS[1:]})
    if len(parts) > MAX_PARTS:
        return []
    variants = set()
    for joiners in product(JOINERS, repeat=len(parts) - 1):
        variants.add(parts[0] + "".join(j + p for j, p in zip(joiners, parts[1:])))
    variants.discard(phrase)
    return sorted(variants)
