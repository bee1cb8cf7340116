"""What a customer's short reply says about the outcome of the fix: not tried yet, still
failing, or working. Pure text rules over kb/dialogue.yml `closing_check` (no Rasa)."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

# The SMTP reply codes a failed send shows ("550", "535"); not the ports 465 and 587
SMTP_REPLY = re.compile(r"(?<![\w.])(?:421|45[0-4]|50[0-4]|53[0-8]|55[0-7])(?![\w.])")
# A word that says the mail goes out now ("it works", "that fixed it")
SUCCESS_WORDS = {"work", "works", "worked", "working", "fixed", "solved", "resolved"}
SENDING = {"send", "sends", "sending", "sent", "go", "going"}  # "still isn't sending"
# "it's not working", "still isn't sending": a negation ("n't" is parted from its verb first,
# so "isn't" is "is" + "n't"; typed without the apostrophe it is whole)
NEGATIONS = {"not", "n't", "never", "cannot", "isnt", "doesnt", "didnt", "wont", "cant", "dont"}
NEGATIONS |= {"havent", "hasnt", "wasnt", "werent", "arent", "couldnt", "wouldnt", "shouldnt"}
# Success said of the past: "it worked until yesterday", "used to work", "worked before"
PAST = {"until", "till", "before", "used", "yesterday", "ago", "earlier", "previously"}
# ... or in a condition or a question: "it works if...", "does it work?"
NOT_NOW = NEGATIONS | PAST | {"but", "if", "when", "whether", "?"}
# One step named by its number: "what's step 5?", "go back to step 2" (not "steps 1 to 4", not
# "step 2 or 3")
STEP_NAMED = re.compile(r"\bstep\s*#?\s*(\d{1,2})\b(?!\s*(?:-|to|and|or|,)\s*\d)")
# ... said as where the customer is or goes: "skip to step 5", "I'm at step 4"
STEP_REACHED = re.compile(r"\b(?:to|at|on)\s+step\s*#?\s*(\d{1,2})\b(?!\s*(?:-|to|and|or|,)\s*\d)")
# Steps said to be done: "done with step 3", "steps 1 and 2 done", "I did steps 2 through 5"
# (the numbers listed, then the highest is the last one done; not "step 2 or 3 is done?")
_STEP_LIST = r"steps?\s*#?\s*(\d{1,2}(?:\s*(?:-|to|through|thru|and|&|,)\s*\d{1,2})*)\b"
STEP_FINISHED = re.compile(
    r"\b(?:done|finished|completed|did|through|past)\s+(?:with\s+)?(?:the\s+)?"
    + _STEP_LIST
    + r"|\b"
    + _STEP_LIST
    + r"\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:all\s+|also\s+)?"
    r"(?:done|finished|completed?)\b"
)


def _tokens(text: str) -> List[str]:
    """The reply's words with "n't" parted from its verb ("isn't" -> "is", "n't") and "?" kept:
    how NEGATIONS and NOT_NOW read them. read_outcome() keeps words whole instead, because kb
    `failure_words` lists "can't", "isn't" as written."""
    plain = text.lower().replace("\u2019", "'")  # "haven’t" as typed on a phone
    return re.findall(r"[\w']+|\?", plain.replace("n't", " n't"))


def read_outcome(words: Dict[str, List[str]], text: str) -> Optional[str]:
    """What a reply says besides its yes or no: "wait" (not tried yet: "not yet, let me
    try"), "failed" (an SMTP reply code or a failure word: "yes, it says 550", "still stuck in
    the outbox"; not "no errors") or None (its intent decides). `words`: kb `closing_check`."""
    lowered = text.lower()
    if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in words["wait_words"]):
        return "wait"
    if SMTP_REPLY.search(lowered):
        return "failed"
    tokens = re.findall(r"[\w']+", lowered)
    failures = set(words["failure_words"])
    for i, token in enumerate(tokens):
        if token in failures and (i == 0 or tokens[i - 1] not in ("no", "without")):
            return "failed"
    return None


def states_success(words: Dict[str, List[str]], text: str) -> bool:
    """Whether a reply says the mail goes out now: "I changed the port to 587 and it works",
    "it worked, no errors" (not "it worked until yesterday", "does it work?", "it works in
    webmail but not in Outlook", "it works, but 550 again")."""
    tokens = _tokens(text)
    if not set(tokens) & SUCCESS_WORDS or set(tokens) & NOT_NOW:
        return False
    return read_outcome(words, text) is None


def named_step(text: str, reached: bool = False) -> Optional[int]:
    """The one step a message names by its number ("what's step 5?" -> 5), or None (no step,
    or several: "step 2 or step 3"). With `reached`, only a step said as where the customer
    is or goes ("skip to step 5", "I'm at step 4"; not "done with step 3")."""
    found = set((STEP_REACHED if reached else STEP_NAMED).findall(text.lower()))
    return int(found.pop()) if len(found) == 1 else None


# A step named by what it does: "I'm at the port step already", "skip to the password step"
STEP_BY_TERM = re.compile(r"\bthe\s+((?:[\w-]+\s+){0,2}?[\w-]+)\s+step\b")
# ... but not by its place or order: "what's the next step?", "repeat the same step", "show
# the last step again" (the previous one), "the second step"
ORDER_WORDS = {"next", "same", "previous", "prior", "this", "that", "current", "wrong", "whole"}
ORDER_WORDS |= {"other", "last", "final", "following", "earlier", "later", "second", "third"}
ORDER_WORDS |= {"1st", "very"}
# ... said as a step not reached yet, or done: not where the customer is
NOT_THERE_YET = {"yet", "when", "finished", "done", "did", "completed", "before", "after"}
# ... or the guide's start: "can we go back to the beginning?", "start again from the start"
# (not "I went to the start menu", "it never worked from the start")
STEP_START = re.compile(
    r"\b(?:back\s+to|(?:start|begin|again|over)\s+(?:from|at))\s+the\s+(?:very\s+)?"
    r"(?:beginning|begining|start)\b(?!\s+(?:menu|button|screen|page|bar)\b)"
)


def step_term(text: str) -> Optional[str]:
    """The words that name a step by what it does ("I'm at the port step" -> "port"), "first"
    for the guide's start ("back to the beginning"), or None (no step named by a term; not by
    its order: "the next step")."""
    lowered = text.lower()
    if STEP_START.search(lowered):
        return "first"
    if set(_tokens(text)) & (NEGATIONS | NOT_THERE_YET):
        return None  # "I haven't got to the port step yet", "I finished the port step"
    found = STEP_BY_TERM.search(lowered)
    term = found.group(1) if found else None
    if term is not None and set(term.split()) <= {"very", "first", "1st"}:
        return "first"  # "go back to the very first step"
    if term is None or term.isdigit() or set(term.split()) & ORDER_WORDS:
        return None
    return term


def finished_step(text: str) -> Optional[int]:
    """The last step a message says is done ("done with step 4 too" -> 4, "steps 1 and 2 done"
    -> 2, "I did steps 2 through 5" -> 5), or None (no step named as done)."""
    if set(_tokens(text)) & (NEGATIONS | {"but", "yet", "still"}):
        return None  # "I'm not done with step 4 yet", "I did step 3 but it still fails"
    numbers = [
        int(number)
        for match in STEP_FINISHED.finditer(text.lower())
        for listed in match.groups()
        if listed
        for number in re.findall(r"\d+", listed)
    ]
    return max(numbers) if numbers else None


def success_denied(text: str) -> bool:
    """Whether a reply's word of success is negated ("it's not working", "still isn't sending")
    or said of the past ("it worked before the update"): the mail still does not go out."""
    tokens = _tokens(text)
    if set(tokens) & PAST and set(tokens) & SUCCESS_WORDS:
        return True
    return any(
        token in SUCCESS_WORDS | SENDING and NEGATIONS & set(tokens[max(0, i - 2) : i])
        for i, token in enumerate(tokens)
    )
