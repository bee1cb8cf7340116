"""Two Rasa servers on one PostgreSQL + Redis: alternate messages of the same conversations.

20 concurrent conversations walk real guides (kb/guides.yml), every message going to the other
server than the one before; midway, two "done"s of a conversation hit both servers at the same
moment. RedisLockStore must serialise them: every conversation shows each step once, in order,
and its tracker records every message exactly once.
"""

import statistics
import threading
import time
import uuid

from scale_support import (
    GUIDES,
    OPENERS,
    SCALE_TOKEN,
    Server,
    joined,
    shown_step,
    step_events,
    user_events,
)

CONVERSATIONS = 20


def walk(servers, sender: str, guide_id: str, errors: list, latencies: list) -> None:
    """Walk a whole guide alternating servers; one concurrent pair of "done"s at step 2."""
    total = len(GUIDES[guide_id]["steps"])
    try:
        replies, seconds = servers[0].say(sender, OPENERS[guide_id])
        latencies.append(seconds)
        assert shown_step(replies) == 1, joined(replies)
        sent, step = 1, 1
        while step < total:
            if step == 2 and total >= 4:
                results = [None, None]

                def send(index):
                    results[index], seconds = servers[index].say(sender, "done")  # noqa: B023 (joined below)
                    latencies.append(seconds)

                threads = [threading.Thread(target=send, args=(i,)) for i in (0, 1)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                assert sorted(shown_step(r) for r in results) == [3, 4], [
                    joined(r) for r in results
                ]
                sent, step = sent + 2, 4
                continue
            replies, seconds = servers[sent % 2].say(sender, "done")
            latencies.append(seconds)
            sent += 1
            assert shown_step(replies) == step + 1, (step, joined(replies))
            step += 1
        replies, _ = servers[sent % 2].say(sender, "done")
        sent += 1
        assert "send a test email" in joined(replies)
        tracker = servers[sent % 2].tracker(sender)
        assert len(user_events(tracker)) == sent, "a message was lost or recorded twice"
        assert step_events(tracker) == list(range(1, total + 1)), step_events(tracker)
        assert tracker["slots"]["guide"] == guide_id and tracker["slots"]["step"] == total
        assert tracker["slots"]["asked"] == "outcome"
    except Exception as error:  # collected: assertion errors in threads must fail the test
        errors.append(f"{sender} ({guide_id}): {error!r}")


def test_twenty_conversations_alternating_between_two_servers(cluster):
    servers = [Server(port, SCALE_TOKEN) for port in cluster.rasa_ports]
    guide_ids = sorted(OPENERS)
    errors: list = []
    latencies: list = []
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=walk,
            args=(
                servers,
                f"scale-{i}-{uuid.uuid4().hex[:8]}",
                guide_ids[i % len(guide_ids)],
                errors,
                latencies,
            ),
            daemon=True,
        )
        for i in range(CONVERSATIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, start + 600 - time.monotonic()))
    elapsed = time.monotonic() - start
    latencies.sort()
    print(
        f"\n{CONVERSATIONS} concurrent conversations on 2 Rasa servers: {len(latencies)} messages in "
        f"{elapsed:.1f}s, p50 {statistics.median(latencies):.2f}s, "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.2f}s, max {latencies[-1]:.2f}s"
    )
    assert not any(t.is_alive() for t in threads), "a conversation is still waiting after 600 s"
    assert not errors, "\n".join(errors)


def test_one_address_in_front_of_the_servers(cluster):
    """Through nginx (the profile's one address) a conversation works and lands on both servers."""
    proxy = Server(cluster.port, SCALE_TOKEN)
    sender = "proxy-" + uuid.uuid4().hex[:8]
    assert shown_step(proxy.say(sender, "outlook 2007")[0]) == 1
    for step in range(2, 6):
        assert shown_step(proxy.say(sender, "done")[0]) == step
    # Both servers read the same PostgreSQL conversation.
    for port in cluster.rasa_ports:
        assert Server(port, SCALE_TOKEN).tracker(sender)["slots"]["step"] == 5
