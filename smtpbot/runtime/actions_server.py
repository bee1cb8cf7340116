"""The action server (`python -m rasa_sdk`, same arguments) with its /metrics listener.

`python -m smtpbot.runtime.actions_server --actions actions --port 5055` serves the open-ticket
gauge and the hand-offs counted by the actions on SMTPBOT_METRICS_HOST (default 127.0.0.1),
port SMTPBOT_ACTIONS_METRICS_PORT (default 9106, 0 = off); see smtpbot/runtime/metrics.py.
"""

from smtpbot.runtime import metrics


def main() -> None:
    """Start /metrics, then run rasa_sdk's own command line."""
    metrics.count_open_tickets()
    metrics.serve("actions")
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
