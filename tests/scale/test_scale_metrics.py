"""Every process of the scale-out profile serves its own /metrics (prometheus_client)."""

import uuid

import requests
from prometheus_client.parser import text_string_to_metric_families


def rest_messages_in(port):
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "smtpbot_messages_in_total" and sample.labels == {"channel": "rest"}:
                return sample.value
    return 0.0


def test_each_process_serves_metrics_and_the_servers_share_the_messages(cluster):
    before = [rest_messages_in(port) for port in cluster.rasa_metrics_ports]
    sender = "metrics-" + uuid.uuid4().hex[:8]
    for text in ("I use Outlook 2013", "done", "done", "repeat please"):
        response = requests.post(
            f"http://127.0.0.1:{cluster.port}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=60,
        )
        assert response.status_code == 200 and response.json()
    after = [rest_messages_in(port) for port in cluster.rasa_metrics_ports]
    # nginx spreads the messages over the Rasa servers; each counts its own.
    assert sum(after) - sum(before) == 4
    assert all(a > b for a, b in zip(after, before))
    for port in cluster.action_metrics_ports:
        page = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert "smtpbot_tickets_open" in page and "smtpbot_handoffs_total" in page
