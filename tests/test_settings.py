"""smtpbot/settings.py is the one place that reads the environment, and the README lists it all."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from smtpbot import settings

ROOT = Path(__file__).resolve().parents[1]
# Code that runs in the bot's processes; tests may set and read variables of their own.
SOURCE_DIRS = ("smtpbot", "actions", "rasa_sdk_plugins")
ENV_ACCESS = re.compile(
    r"\bos\.environ\b|\bgetenv\b|\bputenv\b|\bunsetenv\b|from\s+os\s+import\s+[^\n]*\benviron\b"
)
TABLE_START = "<!-- settings table: `python -m smtpbot.settings` prints it -->"
TABLE_END = "<!-- end of settings table -->"


def sources():
    """Every Python file of the bot's code except smtpbot/settings.py."""
    found = [
        path
        for folder in SOURCE_DIRS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "smtpbot" / "settings.py"
    ]
    assert len(found) > 40, "the source folders were not found"
    return found


def test_only_settings_touches_the_environment():
    """No module but smtpbot/settings.py reads or writes os.environ (grep over the code)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ENV_ACCESS.search(line)
    ]
    assert offenders == [], "read the setting through smtpbot/settings.py:\n" + "\n".join(offenders)


def test_every_setting_is_used_by_the_code():
    """No stale entry: each variable of SETTINGS is used (as settings.NAME) somewhere."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in sources())
    unused = [s.name for s in settings.SETTINGS if not re.search(rf"\bsettings\.{s.name}\b", code)]
    assert unused == []
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names)) and len(names) >= 40
    for setting in settings.SETTINGS:
        assert getattr(settings, setting.name) is setting, "the constant has the variable's name"
        assert setting.meaning and setting.read_by


def readme_table() -> str:
    """The README's settings table (between its markers)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(TABLE_START) == 1 and text.count(TABLE_END) == 1, "table markers missing"
    return text.split(TABLE_START)[1].split(TABLE_END)[0].strip() + "\n"


def test_readme_table_is_exactly_the_settings():
    """The README's one table of variables is settings.py's, row for row."""
    table = readme_table()
    listed = re.findall(r"^\| `([A-Z0-9_]+)` \|", table, re.MULTILINE)
    assert listed == [s.name for s in settings.SETTINGS]
    assert table == settings.markdown_table(), (
        "README table out of date: replace it with `python -m smtpbot.settings`"
    )


def test_values_are_read_when_asked(monkeypatch):
    """Read at call time (never at import); blank is unset; wrong kinds name the variable."""
    monkeypatch.setenv("RASA_PORT", " 5123 ")
    assert settings.RASA_PORT.get_int() == 5123
    monkeypatch.setenv("RASA_PORT", "  ")
    assert settings.RASA_PORT.get_int() == 5005 and not settings.RASA_PORT.is_set()
    monkeypatch.setenv("RASA_PORT", "five")
    with pytest.raises(settings.SettingError, match="RASA_PORT must be a whole number"):
        settings.RASA_PORT.get_int()
    monkeypatch.setenv("ACTION_GUARD_TIMEOUT", "1.5s")
    with pytest.raises(settings.SettingError, match="ACTION_GUARD_TIMEOUT must be a number"):
        settings.ACTION_GUARD_TIMEOUT.get_float()
    monkeypatch.setenv("RASA_CORS", "http://a.example, http://b.example http://c.example")
    assert settings.RASA_CORS.get_list() == [
        "http://a.example",
        "http://b.example",
        "http://c.example",
    ]
    assert settings.RASA_CORS.get_list({}) == [] and settings.WEB_ORIGIN.get({}) == (
        "http://localhost:8080"
    )
    monkeypatch.delenv("SMTPBOT_KB_DIR", raising=False)
    assert settings.SMTPBOT_KB_DIR.get() is None


def test_a_launcher_rejects_a_bad_value_clearly():
    """A wrong port number is a one-line usage error naming the variable, not a traceback."""
    env = settings.child_environment({"WEB_PORT": "80eighty"})
    done = subprocess.run(
        [sys.executable, "-m", "smtpbot.tools.webpage"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "WEB_PORT must be a whole number, not '80eighty'" in done.stderr
    assert "Traceback" not in done.stderr
