"""`python -m smtpbot.tickets list|show|reply|resolve|handback` (see smtpbot/tickets/cli.py)."""

import sys

from smtpbot.tickets.cli import main

if __name__ == "__main__":
    sys.exit(main())
