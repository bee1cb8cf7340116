"""Custom actions of the SMTP port help-desk bot (the rasa_sdk action server), split by concern.

Importing this package has no side effects. The action server's listening address (loopback by
default) is set by the rasa_sdk plugin in rasa_sdk_plugins/, not here.
"""
