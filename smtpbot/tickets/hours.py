"""Business hours of the support team (kb/handoff.yml): are we open, and when do we open next."""

from datetime import datetime, timedelta
from typing import Any, Dict, Optional
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def is_open(hours: Dict[str, Any], now: Optional[datetime] = None) -> bool:
    """True when `now` (default: the current time) falls within the opening hours."""
    local = (now or datetime.now(tz=ZoneInfo("UTC"))).astimezone(ZoneInfo(hours["timezone"]))
    if DAYS[local.weekday()] not in hours["days"]:
        return False
    minute = local.hour * 60 + local.minute
    return _minutes(hours["open"]) <= minute < _minutes(hours["close"])


def next_opening(hours: Dict[str, Any], now: Optional[datetime] = None) -> datetime:
    """The next time the team opens (local time of the business-hours timezone)."""
    zone = ZoneInfo(hours["timezone"])
    local = (now or datetime.now(tz=ZoneInfo("UTC"))).astimezone(zone)
    opening = _minutes(hours["open"])
    for days_ahead in range(8):
        day = (local + timedelta(days=days_ahead)).replace(
            hour=opening // 60, minute=opening % 60, second=0, microsecond=0
        )
        if DAYS[day.weekday()] in hours["days"] and day > local:
            return day
    raise ValueError("kb/handoff.yml business_hours has no working day")


def describe_next_opening(hours: Dict[str, Any], now: Optional[datetime] = None) -> str:
    """ "Monday 08:00 (UK time)"-style text for the customer."""
    when = next_opening(hours, now)
    return when.strftime("%A %H:%M") + f" ({hours['timezone']} time)"
