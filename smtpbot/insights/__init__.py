"""Insights for the support lead: where customers succeed, get stuck and drop off.

broker.py (Rasa's SQL event broker, written off the turn), facts.py (events -> a conversation's
facts, pure), store.py (the incremental ingest and the retention), report.py (aggregates for a
date range and channel), service.py (ingest + report, for the CLI and the agents' API), cli.py
(`python -m smtpbot.insights report`), bench.py (100,000 synthetic conversations).
"""
