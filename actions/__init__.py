"""Custom actions of the SMTP port help-desk bot, split by concern."""

import os

# Listen on loopback only, unless configured otherwise: rasa_sdk binds the address in
# SANIC_HOST (its default is 0.0.0.0, every interface) and reads it after importing this
# package, so a plain `rasa run actions` is not reachable from the network (README "Security").
os.environ.setdefault("SANIC_HOST", "127.0.0.1")
