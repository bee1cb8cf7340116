"""Custom actions of the SMTP port help-desk bot, split by concern."""
