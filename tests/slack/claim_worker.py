"""A separate process claiming Slack event keys (kept light: imports only the store)."""

from smtpbot.channels.slack.store import SlackStore


def claim_all(url, keys, results):
    """Claim each key; report the ones this process won."""
    store = SlackStore(url)
    results.put([key for key in keys if store.claim([key])])
