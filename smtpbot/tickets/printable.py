"""Customer text made safe to print where people read it (terminals, agents' alerts).

Pure Python (no Rasa import): used by the agents' CLI and by the action server's Slack alerts.
"""

import re

# C0/C1 controls except tab and newline (ESC starts ANSI sequences, \x9b is a one-byte CSI, \r
# rewrites the line), line/paragraph separators, bidi overrides and isolates (they reorder what
# is shown), lone surrogates (they cannot even be printed).
UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def terminal_safe(text: str) -> str:
    """`text` with every UNSAFE character shown as its escape (ESC -> \\x1b), never acted on."""
    return UNSAFE.sub(
        lambda match: match.group().encode("unicode_escape", "backslashreplace").decode("ascii"),
        text,
    )
