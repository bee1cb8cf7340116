"""`python -m smtpbot.insights`: see smtpbot/insights/cli.py."""

import sys

from smtpbot.insights.cli import main

sys.exit(main())
