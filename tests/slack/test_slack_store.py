"""The handled-requests database: exactly one claim wins across processes; settings from the environment."""

import multiprocessing

from claim_worker import claim_all

from smtpbot.channels.slack.store import SlackStore, database_url


def test_each_event_is_claimed_by_exactly_one_process(tmp_path):
    """Four processes race for the same 60 event ids in one SQLite file: every id is won exactly once."""
    url = database_url(str(tmp_path / "handled.db"))
    keys = [f"event:Ev{n:04d}" for n in range(60)]
    results = multiprocessing.get_context("spawn").Queue()
    workers = [
        multiprocessing.get_context("spawn").Process(target=claim_all, args=(url, keys, results))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    won = [key for _ in workers for key in results.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(won) == sorted(keys)


def test_a_claim_is_all_or_nothing(tmp_path):
    """A message claimed under its event id blocks a second event for the same message, and vice versa."""
    store = SlackStore(database_url(str(tmp_path / "handled.db")))
    assert store.claim(["event:Ev1", "message:C1:1.000001"])
    assert not store.claim(
        ["event:Ev2", "message:C1:1.000001"]
    )  # app_mention + message for one post
    assert store.claim(["event:Ev2", "message:C1:1.000002"])  # the failed claim left nothing behind
    store.join_thread("C1:1.000001")
    assert store.in_thread("C1:1.000001") and not store.in_thread("C1:1.000009")


def test_settings_and_ids():
    """Defaults, URLs and conversation ids."""
    from smtpbot.channels.slack.channel import conversation_id, slack_settings

    settings = slack_settings(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_CHANNEL": "C1, C2"}
    )
    assert settings["api_url"] == "https://slack.com/api/"
    assert settings["listen_channels"] == ["C1", "C2"]
    assert settings["dedup_db"] == "sqlite:///slack-events.db"
    assert slack_settings({})["token"] is None
    assert database_url("postgresql://bot@db/slack") == "postgresql://bot@db/slack"
    assert conversation_id("D123", None, True) == "D123"
    assert conversation_id("C123", "1.5", False) == "C123:1.5"
