"""Parse the KB article text into (heading, steps, notes) sections.

Used by the tests to prove that kb/guides.yml serves the article's steps
verbatim (up to straight quotes and whitespace) and in order.
"""

import re
from typing import List, NamedTuple

HEADING = re.compile(r"^(For |On |iPhone/iPad:|Eudora OSE:)")
STEP = re.compile(r"^(\d+)\)\s*(.*)$")


class Section(NamedTuple):
    """One article section: its heading line, its numbered steps and notes."""

    heading: str
    steps: List[str]
    notes: List[str]


def normalise(text: str) -> str:
    """Straighten quotes and collapse whitespace, the only edits allowed."""
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u2013", "-")
    text = re.sub(r'"(?=[A-Za-z])(?<=[a-z]")', '" ', text)
    return re.sub(r"\s+", " ", text).strip()


def parse_article(text: str) -> List[Section]:
    """Split the article into its sections, in article order."""
    sections: List[Section] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if HEADING.match(line):
            sections.append(Section(line, [], []))
        elif sections and line.startswith("Was this article helpful"):
            break
        elif sections:
            match = STEP.match(line)
            if match:
                assert int(match.group(1)) == len(sections[-1].steps) + 1, line
                sections[-1].steps.append(match.group(2))
            else:
                sections[-1].notes.append(line)
    return sections
