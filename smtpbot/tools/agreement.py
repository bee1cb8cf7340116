"""How often independent labellers agree with the evaluation labels (tests/eval/label_agreement.yml).

    python -m smtpbot.tools.agreement

A bot's accuracy means little above the rate at which careful people agree on the same labels:
this prints that rate per split, for each labeller against the file's label and for the two
labellers against each other.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from smtpbot.tools.evaluate import EVAL_DIR, REAL, load

STUDY = EVAL_DIR / "label_agreement.yml"


def load_study(path: Path = STUDY) -> List[Dict[str, str]]:
    """The study's items: sha1, split, expect (the label then), r1, r2."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def current_labels(path: Path = REAL) -> Dict[str, str]:
    """SHA-1 of each real message's text -> its label now (labels may be corrected later)."""
    return {hashlib.sha1(i.text.encode("utf-8")).hexdigest(): i.expect for i in load(path)}


def agreement(items: Sequence[Dict[str, str]], first: str, second: str) -> Dict[str, tuple]:
    """Per split (and "all"): (items where `first` == `second`, items)."""
    counts: Dict[str, List[int]] = {}
    for item in items:
        for split in (item["split"], "all"):
            same, total = counts.setdefault(split, [0, 0])
            counts[split] = [same + (item[first] == item[second]), total + 1]
    return {split: tuple(pair) for split, pair in counts.items()}


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Print the agreement table and the pairs of labels the labellers differ on."""
    items = load_study()
    now = current_labels()
    missing = [i["sha1"] for i in items if i["sha1"] not in now]
    if missing:
        print(f"{len(missing)} study items are no longer in {REAL.name}")
    print(f"label agreement, {len(items)} items ({STUDY.name})")
    for first, second, title in (
        ("r1", "expect", "labeller 1 vs the file"),
        ("r2", "expect", "labeller 2 vs the file"),
        ("r1", "r2", "labeller 1 vs labeller 2"),
    ):
        cells = "  ".join(
            f"{split} {same}/{total} = {same / total:.1%}"
            for split, (same, total) in sorted(agreement(items, first, second).items())
        )
        print(f"  {title:<26} {cells}")
    differ = Counter(
        (i["expect"], label) for i in items for label in (i["r1"], i["r2"]) if label != i["expect"]
    )
    for (expect, label), n in differ.most_common():
        print(f"  file {expect} / labeller {label}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
