"""Hand-off tickets from the command line, through the running bot's agents' API.

    python -m smtpbot.tickets list [--all | --status resolved]
    python -m smtpbot.tickets show HD-00042
    python -m smtpbot.tickets reply HD-00042 "Hi, I'm Sam. Which tabs do you see?"
    python -m smtpbot.tickets resolve HD-00042
    python -m smtpbot.tickets handback HD-00042 [--guide outlook-2007 [--step 4] | --text "X-Mailer: ..." | --text-file -]

Environment: SMTPBOT_API_URL (the Rasa server, default http://localhost:5005) and
AGENT_API_TOKEN (the agents' token the server was started with).
Exit codes: 0 done; 1 the API refused the request (unknown ticket, not open, bad guide/step);
2 wrong command line; 3 no token or token refused; 4 the bot cannot be reached.
"""

import argparse
import getpass
import json
import re
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from smtpbot import settings
from smtpbot.tickets.api_client import AgentApiClient, ApiError
from smtpbot.tickets.printable import terminal_safe

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_AUTH, EXIT_UNREACHABLE = 0, 1, 2, 3, 4
EXIT_FOR = {
    ApiError.REJECTED: EXIT_REJECTED,
    ApiError.NOT_CONFIGURED: EXIT_AUTH,
    ApiError.REFUSED: EXIT_AUTH,
    ApiError.UNREACHABLE: EXIT_UNREACHABLE,
}
# Same forms the server accepts (store.parse_reference): HD-00042, hd-42, 42.
REFERENCE = re.compile(r"^(?:HD-)?(\d{1,9})$", re.IGNORECASE)
STATUSES = ("open", "resolved", "handed_back", "all")
MAX_PASTE = 200_000  # the API's limit for hand-back text
# Customer text is printed: C1 controls (\x9b is a one-byte CSI), bidi overrides and lone
# surrogates would be acted on by the agent's terminal (or fail to print) - shown as escapes.
TERMINAL_UNSAFE_IN_JSON = re.compile(
    r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


class UsageError(Exception):
    """A command line the API would refuse anyway; told before any request."""


def reference(value: str) -> str:
    """The canonical reference ("HD-00042") for what the agent typed."""
    match = REFERENCE.match(value.strip())
    if not match:
        raise UsageError(f"{value!r} is not a ticket reference (like HD-00042)")
    return f"HD-{int(match.group(1)):05d}"


def when(timestamp: Optional[float]) -> str:
    """Local date and time of a Unix timestamp, '-' when unknown."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp)) if timestamp else "-"


def first_line(text: Optional[str], width: int) -> str:
    """The first line of `text`, cut to `width` characters."""
    line = (text or "").split("\n", 1)[0]
    return line if len(line) <= width else line[: width - 1] + "…"


def format_list(tickets: List[Dict[str, Any]]) -> str:
    """One line per ticket: reference, status, created, channel, the summary's first line."""
    if not tickets:
        return "No tickets."
    rows = [f"{'REF':<9} {'STATUS':<11} {'CREATED':<16} {'CHANNEL':<8} SUMMARY"]
    for ticket in tickets:
        rows.append(
            f"{ticket.get('reference', '?'):<9} {ticket.get('status', '?'):<11} "
            f"{when(ticket.get('created_at')):<16} {str(ticket.get('channel') or '-'):<8} "
            f"{first_line(ticket.get('summary'), 90)}"
        )
    return "\n".join(rows)


def format_ticket(ticket: Dict[str, Any]) -> str:
    """Summary, fields, then the transcript, for `show`."""
    step = ticket.get("step")
    if step and ticket.get("total_steps"):
        step = f"{step} of {ticket['total_steps']}"
    fields = [
        ("Status", ticket.get("status")),
        ("Reason", ticket.get("reason")),
        ("Client", " ".join(str(v) for v in (ticket.get("client"), ticket.get("version")) if v)),
        ("Guide", ticket.get("guide")),
        ("Step", step),
        ("Stuck on", ticket.get("stuck_text")),
        ("Channel", ticket.get("channel")),
        ("Conversation", ticket.get("conversation_id")),
        ("Created", when(ticket.get("created_at"))),
        ("Updated", when(ticket.get("updated_at"))),
    ]
    lines = [
        f"{ticket.get('reference', '?')}",
        *(f"  {line}" for line in (ticket.get("summary") or "").split("\n")),
        "",
    ]
    lines += [f"{name + ':':<14}{value}" for name, value in fields if value not in (None, "")]
    lines += ["", "Transcript:"]
    transcript = ticket.get("transcript") or []
    if not transcript:
        lines.append("  (empty)")
    for message in transcript:
        who = message.get("role", "?")
        if who == "agent" and message.get("author"):
            who = f"agent {message['author']}"
        text = str(message.get("text", "")).replace("\n", "\n" + " " * 27)
        lines.append(
            f"  {time.strftime('%H:%M:%S', time.localtime(message.get('at') or 0))} {who:<16} {text}"
        )
    return "\n".join(lines)


def delivery_note(delivery: Optional[str]) -> str:
    """What 'sent'/'queued' means for the agent."""
    if delivery == "queued":
        return "queued: the customer gets it with their next message (REST)"
    return "sent to the customer's channel" if delivery == "sent" else f"delivery: {delivery}"


Result = Tuple[Dict[str, Any], str]  # the API's answer (for --json) and the text for people


def run_list(client: AgentApiClient, args: argparse.Namespace) -> Result:
    """`list`: open tickets, or --all / --status."""
    answer = client.list_tickets("all" if args.all else args.status)
    return answer, format_list(answer["tickets"])


def run_show(client: AgentApiClient, args: argparse.Namespace) -> Result:
    """`show REF`."""
    answer = client.show(reference(args.ref))
    return answer, format_ticket(answer)


def run_reply(client: AgentApiClient, args: argparse.Namespace) -> Result:
    """`reply REF TEXT...`: TEXT '-' reads the message from standard input."""
    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    if not text.strip():
        raise UsageError("the reply is empty")
    answer = client.reply(reference(args.ref), text.strip(), args.agent)
    return answer, f"Replied on {answer['reference']}, {delivery_note(answer.get('delivery'))}."


def run_resolve(client: AgentApiClient, args: argparse.Namespace) -> Result:
    """`resolve REF`."""
    answer = client.resolve(reference(args.ref))
    return answer, f"{answer['reference']} resolved."


def run_handback(client: AgentApiClient, args: argparse.Namespace) -> Result:
    """`handback REF`: at --guide/--step, from pasted --text/--text-file, else where the customer was."""
    if args.step is not None and args.guide is None:
        raise UsageError("--step needs --guide")
    text = args.text
    if args.text_file is not None:
        text = read_paste(args.text_file)
    answer = client.handback(reference(args.ref), guide=args.guide, step=args.step, text=text)
    slots = answer.get("slots") or {}
    if slots.get("guide"):
        where = f"at step {int(slots.get('step') or 1)} of {slots['guide']}"
    elif slots.get("client"):
        found = " ".join(str(slots[k]) for k in ("client", "version") if slots.get(k))
        where = f"with {found} read from the text; the bot starts its guide"
    elif text is not None:
        where = "(no mail program found in the text: the bot asks the customer)"
    else:
        where = "where the customer was"
    return answer, f"{answer['reference']} handed back to the bot {where}."


def read_paste(path: str) -> str:
    """Pasted headers from a file, '-' = standard input."""
    try:
        if path == "-":
            text = sys.stdin.read(MAX_PASTE + 1)
        else:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(MAX_PASTE + 1)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if len(text) > MAX_PASTE:
        raise UsageError(f"{path} is longer than {MAX_PASTE} characters")
    return text


def positive(value: str) -> int:
    """argparse type: an integer >= 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a step number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("steps start at 1")
    return number


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(
        prog="python -m smtpbot.tickets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument(
        "--url",
        default=settings.SMTPBOT_API_URL.get(),
        help="the Rasa server (env SMTPBOT_API_URL, default %(default)s)",
    )
    top.add_argument(
        "--token",
        default=None,
        help="agents' token (default: env AGENT_API_TOKEN; "
        "prefer the environment, command lines are visible to others)",
    )
    top.add_argument("--json", action="store_true", help="print the API's JSON answer instead")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", help="list tickets (open ones by default)")
    listing.add_argument("--all", action="store_true", help="every status")
    listing.add_argument("--status", choices=STATUSES, default="open")
    listing.set_defaults(run=run_list)

    show = commands.add_parser("show", help="a ticket: summary, fields and transcript")
    show.add_argument("ref", help="ticket reference, e.g. HD-00042")
    show.set_defaults(run=run_show)

    reply = commands.add_parser("reply", help="write to the customer in their conversation")
    reply.add_argument("ref")
    reply.add_argument("text", nargs="+", help="the message ('-' reads it from standard input)")
    reply.add_argument(
        "--agent",
        default=settings.SMTPBOT_AGENT_NAME.get() or getpass.getuser(),
        help="your name in the transcript (env SMTPBOT_AGENT_NAME, default: login name)",
    )
    reply.set_defaults(run=run_reply)

    resolve = commands.add_parser(
        "resolve", help="close the ticket; the bot quietly listens again if the customer returns"
    )
    resolve.add_argument("ref")
    resolve.set_defaults(run=run_resolve)

    handback = commands.add_parser("handback", help="resume the bot for the customer")
    handback.add_argument("ref")
    handback.add_argument("--guide", help="guide id to continue with (e.g. outlook-2007)")
    handback.add_argument("--step", type=positive, help="step of --guide (default 1)")
    pasted = handback.add_mutually_exclusive_group()
    pasted.add_argument(
        "--text", help="ticket text or pasted mail headers (X-Mailer:, User-Agent:)"
    )
    pasted.add_argument(
        "--text-file", metavar="PATH", help="the same from a file, '-' = standard input"
    )
    handback.set_defaults(run=run_handback)
    return top


def check_handback_args(args: argparse.Namespace, top: argparse.ArgumentParser) -> None:
    """--guide and --text are alternatives (argparse cannot group them with --text-file too)."""
    if (
        args.command == "handback"
        and args.guide is not None
        and (args.text is not None or args.text_file)
    ):
        top.error("give either --guide/--step or --text/--text-file, not both")


def json_for_terminal(answer: Any) -> str:
    """The API's answer as JSON, with characters a terminal would act on as \\u escapes."""
    dumped = json.dumps(answer, indent=2, ensure_ascii=False)  # C0 controls escaped by json
    return TERMINAL_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> int:
    """Run one command; the exit code."""
    top = parser()
    args = top.parse_args(argv)
    check_handback_args(args, top)
    token = args.token if args.token is not None else settings.AGENT_API_TOKEN.get() or ""
    client = AgentApiClient(args.url, token)
    try:
        answer, text = args.run(client, args)
        out(json_for_terminal(answer) if args.json else terminal_safe(text))
    except UsageError as error:
        print(f"error: {terminal_safe(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except ApiError as error:
        print(f"error: {terminal_safe(error.message)}", file=sys.stderr)
        return EXIT_FOR[error.kind]
    except KeyboardInterrupt:
        return 130
    return EXIT_OK
