"""Rasa input channels of the project (custom channels named in credentials.yml)."""
