"""SMTP port help-desk bot: knowledge base, client resolution and NLU helpers."""
