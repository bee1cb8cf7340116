"""What the customer has said about their set-up: client, version, device and OS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# A pre-release's mark after its number ("8.0b1", "3.0beta2", "8 beta"): the NLU keeps it in the
# version and the actions accept it (Eudora 8's betas are Eudora OSE). One list for both.
PRERELEASE_MARK = "(?:a|b|alpha|beta|rc)"
# "the latest", "newest one" in answer to "which version?": the newest release, whichever it is
# (each client's kb `version_aliases` may name it). The NLU states it, the actions accept it.
LATEST = "latest"


@dataclass(frozen=True)
class Facts:
    """What the customer said about their set-up; any field may be unknown."""

    client: Optional[str] = None
    version: Optional[str] = None
    platform: Optional[str] = None
    os: Optional[str] = None

    def merged_over(self, older: "Facts") -> "Facts":
        """Combine with what was known before.

        A different client drops the old version (versions belong to a program); the device
        and OS stay unless the new message names a version, which usually corrects the lot
        ("it's actually Outlook 2007").
        """
        if self.client and older.client and self.client != older.client:
            if self.version:
                return self
            return Facts(self.client, None, self.platform or older.platform, self.os or older.os)
        return Facts(
            client=self.client or older.client,
            version=self.version or older.version,
            platform=self.platform or older.platform,
            os=self.os or older.os,
        )
