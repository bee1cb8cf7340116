"""`make eval`: guide accuracy of the trained model on the held-out first-message set.

Each message goes through the real NLU model (classifier + spaCy KB matcher), and its
entities through the same resolver the actions use. Outcome: a guide id, `ask` or `uncovered`.
"""

import argparse
import asyncio
import collections
import sys
from pathlib import Path
from typing import Any, Dict

import yaml

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import get_kb
from smtpbot.kb.resolver import resolve_guide

# Before a guide is chosen, the actions for these intents end by asking which program it is
# (actions/state.py resume_prompt); FAQ answers and "I'm stuck" answer first, then ask.
ASKING_INTENTS = {
    "greet",
    "dont_know",
    "other_client",
    "stuck",
    "done",
    "deny",
    "repeat_step",
    "go_back",
    "start_over",
    "faq_incoming_port",
    "faq_why_587",
    "faq_ssl",
}


def outcome_of(parsed: Dict[str, Any]) -> str:
    """What the bot does with a first message, as a guide id, 'ask', 'uncovered' or 'intent:X'."""
    intent = (parsed.get("intent") or {}).get("name")
    if intent in ASKING_INTENTS:
        return "ask"
    if intent != "inform":
        return f"intent:{intent}"
    facts = Facts(
        **{
            e["entity"]: e["value"]
            for e in parsed.get("entities", [])
            if e["entity"] in ("client", "version", "platform", "os")
        }
    )
    resolution = resolve_guide(get_kb(), facts)
    return resolution.target if resolution.kind == "guide" else resolution.kind


async def evaluate(model: str, dataset: Path, verbose: bool) -> float:
    """Parse every message with the model; print the errors and the accuracy."""
    import logging

    from rasa.core.agent import Agent

    logging.getLogger().setLevel(logging.WARNING)

    agent = Agent.load(model)
    items = yaml.safe_load(dataset.read_text(encoding="utf-8"))
    per_label = collections.defaultdict(lambda: [0, 0])
    errors = []
    for item in items:
        got = outcome_of(await agent.parse_message(item["text"]))
        per_label[item["expect"]][1] += 1
        if got == item["expect"]:
            per_label[item["expect"]][0] += 1
        else:
            errors.append((item["expect"], got, item["text"]))
    for expect, got, text in errors:
        print(f"MISS expected {expect:<20} got {got:<22} {text!r}")
    if verbose:
        for label, (right, total) in sorted(per_label.items()):
            print(f"  {label:<22} {right}/{total}")
    right = sum(r for r, _ in per_label.values())
    accuracy = right / len(items)
    print(f"guide accuracy: {right}/{len(items)} = {accuracy:.1%}")
    return accuracy


def main() -> int:
    """Command line: python -m smtpbot.tools.evaluate [--model M] [--data D] [--min 0.98]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models")
    parser.add_argument("--data", default="tests/eval/first_messages.yml", type=Path)
    parser.add_argument("--min", type=float, default=0.0, help="exit 1 below this accuracy")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    accuracy = asyncio.run(evaluate(args.model, args.data, args.verbose))
    return 0 if accuracy >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
