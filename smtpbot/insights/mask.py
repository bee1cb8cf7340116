"""Mask personal data in customers' example messages before they are stored or shown."""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone number: an optional +, then digits with spaces, dots, dashes or brackets, 8+ digits.
PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]*\d){7,}(?![\w.])")
# Any other run of 5+ digits (account, order or card numbers); versions like 2013 or 115.3 stay.
DIGITS = re.compile(r"\d{5,}")
MAX_LENGTH = 300


def mask(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and long digit runs replaced by [email],
    [phone] and [number], whitespace collapsed, cut at 300 characters."""
    text = EMAIL.sub("[email]", text or "")
    text = PHONE.sub("[phone]", text)
    text = DIGITS.sub("[number]", text)
    return " ".join(text.split())[:MAX_LENGTH]
