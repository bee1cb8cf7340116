"""One knowledge-base loader: every KB text and table comes from the folder SMTPBOT_KB_DIR names."""

import shutil
from pathlib import Path

import yaml

from smtpbot.kb import headers, knowledge
from smtpbot.kb.knowledge import DEFAULT_KB_DIR, get_kb, handoff_config, kb_file
from smtpbot.tickets import summary

ROOT = Path(__file__).resolve().parents[1]


def edited_copy(folder: Path) -> Path:
    """A copy of kb/ whose hand-off text, support contact and one header pattern differ."""
    shutil.copytree(ROOT / "kb", folder)
    handoff = yaml.safe_load((folder / "handoff.yml").read_text(encoding="utf-8"))
    handoff["messages"]["already_open"] = "EDITED: {reference} is already open."
    (folder / "handoff.yml").write_text(yaml.safe_dump(handoff), encoding="utf-8")
    dialogue = yaml.safe_load((folder / "dialogue.yml").read_text(encoding="utf-8"))
    dialogue["support"]["contact"] = "EDITED: call 555-0100."
    (folder / "dialogue.yml").write_text(yaml.safe_dump(dialogue), encoding="utf-8")
    table = yaml.safe_load((folder / "headers.yml").read_text(encoding="utf-8"))
    table["patterns"] = [
        {"match": r"^EditedMailer (?P<version>\d+)", "client": "thunderbird"},
        *table["patterns"],
    ]
    (folder / "headers.yml").write_text(yaml.safe_dump(table), encoding="utf-8")
    return folder


def test_every_reader_honours_smtpbot_kb_dir(tmp_path, monkeypatch):
    """Hand-off texts (tickets), dialogue texts (actions, action guard) and header patterns
    all come from the folder in SMTPBOT_KB_DIR, read when first asked (after import)."""
    folder = edited_copy(tmp_path / "kb")
    assert handoff_config()["messages"]["already_open"].startswith("EDITED") is False
    monkeypatch.setenv("SMTPBOT_KB_DIR", str(folder))
    assert knowledge.kb_path() == folder.resolve()
    assert handoff_config()["messages"]["already_open"] == "EDITED: {reference} is already open."
    assert get_kb().dialogue["support"]["contact"] == "EDITED: call 555-0100."
    facts = headers.parse_header_value(get_kb(), "EditedMailer 115")
    assert facts is not None and facts.client == "thunderbird" and facts.version == "115"
    from actions.handoff import handoff_text
    from smtpbot.runtime.patches.action_guard import trouble_message

    assert handoff_text("HD-00007", created=False) == "EDITED: HD-00007 is already open."
    assert trouble_message().endswith("EDITED: call 555-0100.")
    assert summary.handoff_config() is handoff_config()  # the tickets' reader is the same one
    monkeypatch.delenv("SMTPBOT_KB_DIR")
    assert knowledge.kb_path() == DEFAULT_KB_DIR.resolve()
    assert headers.parse_header_value(get_kb(), "EditedMailer 115") is None
    assert "EDITED" not in handoff_text("HD-00007", created=False)


def test_each_folder_is_read_once(tmp_path, monkeypatch):
    """Files are parsed once per folder and process: a hand-off does not re-read handoff.yml."""
    folder = edited_copy(tmp_path / "kb")
    reads = []
    real_read = knowledge._read
    monkeypatch.setattr(knowledge, "_read", lambda path: reads.append(path) or real_read(path))
    for _ in range(3):
        handoff_config(folder)
        kb_file("headers.yml", folder)
        get_kb(folder)
    assert sorted(p.name for p in reads) == [
        "clients.yml",
        "dialogue.yml",
        "guides.yml",
        "handoff.yml",
        "headers.yml",
    ]
