"""Client/version/platform resolution over kb/clients.yml: pure Python, no Rasa."""

import pytest

from smtpbot.kb.facts import Facts
from smtpbot.kb.knowledge import load_kb
from smtpbot.kb.resolver import mail_version_for_macos, resolve_guide


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def outcome(kb, **facts):
    resolution = resolve_guide(kb, Facts(**facts))
    return (
        resolution.target
        if resolution.kind == "guide"
        else f"{resolution.kind}/{resolution.target}"
    )


@pytest.mark.parametrize(
    "version,guide",
    [
        ("2010", "outlook-2010-2016"),
        ("2013", "outlook-2010-2016"),
        ("2016", "outlook-2010-2016"),
        ("2019", "outlook-2010-2016"),
        ("2021", "outlook-2010-2016"),
        ("365", "outlook-2010-2016"),
        ("latest", "outlook-2010-2016"),  # "the latest": kb version_aliases
        ("2007", "outlook-2007"),
        ("2002", "outlook-2002-2003"),
        ("xp", "outlook-2002-2003"),
        ("2003", "outlook-2002-2003"),
        ("98", "outlook-express"),
        ("1997", "uncovered/outlook-97"),  # "Outlook '97"
        ("1998", "outlook-express"),
        ("2000", "outlook-express"),
        ("2011", "outlook-mac"),
        # Outlook's internal numbers, as About boxes and X-Mailer headers show them
        ("8.5", "outlook-express"),
        ("9.0", "outlook-express"),
        ("10.0", "outlook-2002-2003"),
        ("11.0", "outlook-2002-2003"),
        ("11.0.8169", "outlook-2002-2003"),
        ("12.0.6665", "outlook-2007"),
        ("14.0", "outlook-2010-2016"),
        ("15.0", "outlook-2010-2016"),
        ("16.0.4266", "outlook-2010-2016"),
    ],
)
def test_outlook_versions(kb, version, guide):
    assert outcome(kb, client="outlook", version=version) == guide


@pytest.mark.parametrize("version", [None, "2011", "2016", "2019", "365", "16.78"])
def test_outlook_on_a_mac_is_outlook_mac_whatever_its_year(kb, version):
    assert outcome(kb, client="outlook", version=version, platform="mac") == "outlook-mac"


def test_outlook_without_a_known_version_asks(kb):
    assert outcome(kb, client="outlook") == "ask/outlook-version"
    assert outcome(kb, client="outlook", version="2005") == "ask/outlook-version"


def test_a_device_of_no_named_kind_asks_which_kind(kb):
    assert outcome(kb, platform="phone") == "ask/phone-kind"
    assert outcome(kb, platform="computer") == "ask/computer-kind"


def test_an_email_program_of_no_name_asks_which_on_the_device(kb):
    """ "my email program won't send, it's Windows 7": which program on the PC (not Windows 7's
    missing Mail, which would be Windows Live Mail); on an iPhone the built-in Mail."""
    assert outcome(kb, client="mail-program", platform="windows", os="windows-7") == (
        "ask/windows-client"
    )
    assert outcome(kb, client="mail-program", platform="mac") == "ask/mac-client"
    assert outcome(kb, client="mail-program", platform="ios") == "ios-mail"
    assert outcome(kb, client="mail-program") == "ask/client"


def test_outlook_express_and_entourage(kb):
    assert outcome(kb, client="outlook-express") == "outlook-express"
    assert outcome(kb, client="outlook-express", platform="mac") == "entourage"
    assert outcome(kb, client="entourage", version="2008") == "entourage"


@pytest.mark.parametrize(
    "release,mail",
    [
        ("10.4", 2),
        ("10.5", 3),
        ("10.6", 4),
        ("10.7", 5),
        ("10.8", 6),
        ("10.9", 7),
        ("10.10", 8),
        ("10.11", 9),
        ("10.12", 10),
        ("10.13", 11),
        ("10.14", 12),
        ("10.15", 13),
        ("11", 14),
        ("13", 14),
        ("10.6.8", 4),
    ],
)
def test_macos_release_to_mail_version(kb, release, mail):
    assert mail_version_for_macos(kb, release) == mail


@pytest.mark.parametrize(
    "os_id,guide",
    [
        ("macos-10.4", "apple-mail-2"),
        ("macos-10.5", "apple-mail-3-6"),
        ("macos-10.6", "apple-mail-3-6"),
        ("macos-10.8", "apple-mail-3-6"),
        ("macos-10.9", "apple-mail-3-6"),
        ("macos-10.10", "apple-mail-8-9"),
        ("macos-10.11", "apple-mail-8-9"),
        ("macos-10.12", "apple-mail-10-plus"),
        ("macos-10.15", "apple-mail-10-plus"),
        ("macos-11", "apple-mail-10-plus"),
        ("macos-13", "apple-mail-10-plus"),
        ("macos-10.3", "uncovered/apple-mail-1"),
    ],
)
def test_apple_mail_by_macos(kb, os_id, guide):
    assert outcome(kb, client="apple-mail", os=os_id) == guide


@pytest.mark.parametrize(
    "version,guide",
    [
        ("2", "apple-mail-2"),
        ("3", "apple-mail-3-6"),
        ("6", "apple-mail-3-6"),
        ("7", "apple-mail-3-6"),
        ("8", "apple-mail-8-9"),
        ("9.3", "apple-mail-8-9"),
        ("10", "apple-mail-10-plus"),
        ("16", "apple-mail-10-plus"),
        ("10.6", "apple-mail-3-6"),  # "Mail 10.6" is what customers write for Mac OS X 10.6
    ],
)
def test_apple_mail_by_mail_version(kb, version, guide):
    assert outcome(kb, client="apple-mail", version=version) == guide


def test_generic_mail_depends_on_the_device(kb):
    assert outcome(kb, client="mail") == "ask/client"
    assert outcome(kb, client="mail", platform="ios") == "ios-mail"
    # no macOS given: today's Macs (the guide says how to switch)
    assert outcome(kb, client="mail", platform="mac") == "apple-mail-10-plus"
    assert outcome(kb, client="mail", os="macos-10.6", platform="mac") == "apple-mail-3-6"
    assert outcome(kb, client="mail", version="9") == "apple-mail-8-9"
    assert outcome(kb, client="mail", platform="windows") == "ask/windows-mail-variant"
    assert (
        outcome(kb, client="mail", os="windows-10", platform="windows")
        == "uncovered/windows-app-mail"
    )


def test_assumed_guides_say_how_to_switch(kb):
    assumed = resolve_guide(kb, Facts(client="thunderbird"))
    assert assumed.guide == "thunderbird-3-plus" and "Thunderbird 1 or 2" in assumed.note
    assert resolve_guide(kb, Facts(client="thunderbird", version="115")).note is None
    assert "El Capitan" in resolve_guide(kb, Facts(client="apple-mail")).note
    assert resolve_guide(kb, Facts(client="apple-mail", os="macos-13")).note is None
    assert resolve_guide(kb, Facts(client="outlook")).kind == "ask"  # the guides really differ


def test_thunderbird_on_a_phone_is_another_program(kb):
    """Thunderbird's phone apps (for Android, from K-9 Mail; for iOS) have no guide."""
    assert outcome(kb, client="thunderbird", platform="android") == "uncovered/android"
    assert outcome(kb, client="thunderbird", platform="ios") == "uncovered/other"
    assert outcome(kb, client="k9") == "uncovered/android"
    assert outcome(kb, client="thunderbird-ios") == "uncovered/other"


def test_devices_without_a_program(kb):
    assert outcome(kb, platform="ios") == "ios-mail"
    assert outcome(kb, platform="mac") == "ask/mac-client"
    assert outcome(kb, platform="windows") == "ask/windows-client"
    assert outcome(kb, platform="android") == "uncovered/android"
    assert outcome(kb, platform="chromeos") == "uncovered/other"  # a website or an Android app
    assert outcome(kb, client="mail", platform="chromeos") == "uncovered/other"
    assert outcome(kb, client="thunderbird", platform="chromeos") == "thunderbird-3-plus"
    assert outcome(kb) == "ask/client"


@pytest.mark.parametrize(
    "version,guide",
    [
        ("3", "thunderbird-3-plus"),
        ("3.1.20", "thunderbird-3-plus"),
        ("115.3.1", "thunderbird-3-plus"),
        ("2.0.0.24", "thunderbird-legacy"),
        ("1.5", "thunderbird-legacy"),
        (None, "thunderbird-3-plus"),  # every Thunderbird since 2009: assumed, with a switch line
    ],
)
def test_thunderbird(kb, version, guide):
    assert outcome(kb, client="thunderbird", version=version) == guide


def test_eudora(kb):
    assert outcome(kb, client="eudora") == "eudora"  # plain "Eudora" is classic Eudora
    assert outcome(kb, client="eudora", version="7.1") == "eudora"
    assert outcome(kb, client="eudora-ose") == "eudora-ose"
    assert outcome(kb, client="eudora-classic") == "eudora"


@pytest.mark.parametrize("version", ["8", "8.0", "8.0.0"])
def test_eudora_8_is_asked_classic_fork_or_ose(kb, version):
    """Item 4: the 2007 Eudora 8 betas became OSE, but today's Eudoramail 8 is classic Eudora."""
    assert outcome(kb, client="eudora", version=version) == "ask/eudora-variant"
    choices = kb.question("eudora-variant")["choices"]
    assert {outcome(kb, client=c["client"]) for c in choices} == {"eudora", "eudora-ose"}


@pytest.mark.parametrize("version", ["8.0b1", "8.0.0b9", "8beta", "8.0beta"])
def test_a_beta_of_eudora_8_is_eudora_ose(kb, version):
    """The 2007-2009 betas were the Thunderbird-based Eudora; Eudoramail 8 ships alphas."""
    assert outcome(kb, client="eudora", version=version) == "eudora-ose"


def test_windows_mail(kb):
    assert outcome(kb, client="windows-mail") == "ask/windows-mail-variant"
    assert outcome(kb, client="windows-mail", os="windows-vista") == "outlook-express"
    assert outcome(kb, client="windows-mail", os="windows-11") == "uncovered/windows-app-mail"


def test_windows_mail_on_7_is_windows_live_mail_and_on_xp_outlook_express(kb):
    """Item 2: Windows 7 ships no mail program; "Windows Mail" on XP is Outlook Express."""
    assert outcome(kb, client="windows-mail", os="windows-7") == "uncovered/windows-7-mail"
    info = kb.dialogue["uncovered"]["windows-7-mail"]
    assert "Windows Live Mail" in info["what"] and info["nearest"] == "outlook-express"
    assert outcome(kb, client="windows-mail", os="windows-xp") == "outlook-express"
    choices = kb.question("windows-mail-variant")["choices"]
    reached = [outcome(kb, **{k: c[k] for k in ("client", "os") if k in c}) for c in choices]
    assert reached == [
        "outlook-express",
        "outlook-express",
        "uncovered/windows-7-mail",
        "uncovered/windows-app-mail",
    ]
    assert "XP" in choices[0]["title"] and "7" in choices[2]["title"]


def test_windows_10_11_mail_app_is_retired_and_offers_no_settings(kb):
    """Missing: the Mail app stopped sending and receiving after 31 December 2024."""
    info = kb.dialogue["uncovered"]["windows-app-mail"]
    assert "31 December 2024" in info["what"] and info["settings"] is False
    assert outcome(kb, client="windows-mail", os="windows-10") == "uncovered/windows-app-mail"


def test_new_outlook_is_not_the_classic_outlook_guide(kb):
    """Item 1: the new Outlook for Windows has no File > Account Settings: not covered."""
    assert outcome(kb, client="outlook-new") == "uncovered/outlook-new"
    assert outcome(kb, client="outlook-new", version="365") == "uncovered/outlook-new"
    assert "new Outlook" in kb.dialogue["uncovered"]["outlook-new"]["what"]


def test_the_new_outlook_on_a_mac_is_outlook_for_mac(kb):
    """ "the new Outlook" on a Mac is Outlook for Mac's new look, with the Mac guide."""
    assert outcome(kb, client="outlook-new", platform="mac") == "outlook-mac"
    assert outcome(kb, client="outlook-new", platform="windows") == "uncovered/outlook-new"


def test_new_outlook_version_numbers_are_the_new_outlook(kb):
    assert outcome(kb, client="outlook", version="1.2024.417.100") == "uncovered/outlook-new"
    assert outcome(kb, client="outlook", version="16.0.17628") == "outlook-2010-2016"


def test_the_outlook_app_is_the_phone_app_unless_said_on_a_computer(kb):
    assert outcome(kb, client="outlook-app") == "uncovered/outlook-mobile"
    assert outcome(kb, client="outlook-app", platform="ios") == "uncovered/outlook-mobile"
    assert outcome(kb, client="outlook-app", platform="windows") == "ask/outlook-version"
    assert outcome(kb, client="outlook-app", platform="mac") == "outlook-mac"


def test_mavericks_gets_mail_3_to_6_with_a_note(kb):
    """Mail 7 sets the port under Edit SMTP Server List > Advanced, like Mail 5/6: that guide,
    with one line saying why (the article has no Mail 7 section)."""
    for facts in (Facts(client="apple-mail", os="macos-10.9"), Facts("apple-mail", "7.2")):
        resolution = resolve_guide(kb, facts)
        assert resolution.guide == "apple-mail-3-6"
        assert "Mail 7" in resolution.note
    assert resolve_guide(kb, Facts(client="apple-mail", version="6")).note is None


@pytest.mark.parametrize("version", ["97", "8.0", "8.03"])
def test_outlook_97_is_not_outlook_98(kb, version):
    """Item 5: 97 (8.0) and 98 (8.5) are different releases; the article has no 97."""
    assert outcome(kb, client="outlook", version=version) == "uncovered/outlook-97"
    assert outcome(kb, client="outlook", version="8.5") == "outlook-express"


@pytest.mark.parametrize("version,question", [("10", "outlook-10"), ("11", "outlook-11")])
def test_outlook_10_and_11_are_asked(kb, version, question):
    """Item 6: "Outlook 10" mostly means 2010, "11" the 2011 Mac version: ask, don't assume."""
    assert outcome(kb, client="outlook", version=version) == f"ask/{question}"
    reached = {
        outcome(kb, **{k: c[k] for k in ("client", "version", "platform") if k in c})
        for c in kb.question(question)["choices"]
    }
    assert reached == (
        {"outlook-2010-2016", "outlook-2002-2003", "ask/outlook-version"}
        if version == "10"
        else {"outlook-mac", "outlook-2002-2003", "ask/outlook-version"}
    )
    assert outcome(kb, client="outlook", version=version, platform="mac") == "outlook-mac"


@pytest.mark.parametrize(
    "version,guide",
    [
        ("14.0.7268", "outlook-2010-2016"),
        ("15.0.5023", "outlook-2010-2016"),
        ("16.0.17928", "outlook-2010-2016"),
        ("14.7.7", "outlook-mac"),
        ("15.41", "outlook-mac"),
        ("16.78", "outlook-mac"),
        ("16.78.23100802", "outlook-mac"),
    ],
)
def test_outlook_build_numbers_tell_the_platform(kb, version, guide):
    """Item 7: Windows shows 16.0.x; Outlook for Mac shows 16.78: a minor other than 0 is Mac."""
    assert outcome(kb, client="outlook", version=version) == guide


@pytest.mark.parametrize("version", ["2001", "2004", "2008"])
@pytest.mark.parametrize("platform", [None, "mac"])
def test_office_2001_2004_2008_for_mac_are_entourage(kb, version, platform):
    """Item 8: those Mac suites shipped Entourage; Outlook for Mac arrived with 2011."""
    assert outcome(kb, client="outlook", version=version, platform=platform) == "entourage"
    assert outcome(kb, client="outlook", version="2011", platform=platform) == "outlook-mac"


@pytest.mark.parametrize("version", ["1807", "2408", "1509", "2312"])
def test_microsoft_365_build_numbers_are_365(kb, version):
    """Missing: 365's year+month versions; release years still read as years."""
    assert outcome(kb, client="outlook", version=version) == "outlook-2010-2016"
    assert outcome(kb, client="outlook", version="2002") == "outlook-2002-2003"
    assert outcome(kb, client="outlook", version="1913") == "ask/outlook-version"


def test_outlook_24_is_2024(kb):
    assert outcome(kb, client="outlook", version="24") == "outlook-2010-2016"


def test_betterbird_is_thunderbird_3_plus_said_as_such(kb):
    """Missing: Betterbird is a Thunderbird fork: the Thunderbird 3+ guide, and the label says so."""
    assert outcome(kb, client="betterbird") == "thunderbird-3-plus"
    assert outcome(kb, client="betterbird", version="128.5") == "thunderbird-3-plus"
    assert "Thunderbird" in kb.clients["betterbird"]["label"]


@pytest.mark.parametrize("platform", ["ios", "android", "phone"])
def test_outlook_mobile_is_not_the_iphone_mail_guide(kb, platform):
    """Missing: the Outlook apps re-add the account instead of editing servers: not covered."""
    assert outcome(kb, client="outlook", platform=platform) == "uncovered/outlook-mobile"
    assert outcome(kb, client="outlook-mobile") == "uncovered/outlook-mobile"
    assert "iPhone Mail guide does not apply" in kb.dialogue["uncovered"]["outlook-mobile"]["what"]


def test_outlook_on_a_chromebook_is_not_the_windows_program(kb):
    """Outlook on ChromeOS is the Android app or the web: not covered, and not asked "which
    version of Outlook?" (dev batch s32)."""
    assert outcome(kb, client="outlook", platform="chromeos") == "uncovered/outlook-chromeos"


def test_desktop_programs_on_a_phone_of_no_named_kind(kb):
    """ "Thunderbird on my phone" is Thunderbird's phone app, not the desktop guide; Apple's
    Mail on a phone is the iPhone's."""
    assert outcome(kb, client="thunderbird", platform="phone") == "uncovered/thunderbird-mobile"
    assert "desktop program" in kb.dialogue["uncovered"]["thunderbird-mobile"]["what"]
    assert outcome(kb, client="apple-mail", platform="phone") == "ios-mail"


def test_uncovered_clients(kb):
    assert outcome(kb, client="windows-live-mail") == "uncovered/windows-live-mail"
    assert outcome(kb, client="gmail") == "uncovered/gmail"
    assert outcome(kb, client="outlook", platform="ios") == "uncovered/outlook-mobile"


def test_ios_needs_no_version(kb):
    assert outcome(kb, client="ios-mail") == "ios-mail"
    assert outcome(kb, client="apple-mail", platform="ios") == "ios-mail"


@pytest.mark.parametrize(
    "version,expected",
    [
        ("2014", "outlook-2010-2016"),  # between 2013 and 2016
        ("2015", "outlook-2010-2016"),
        ("2017", "outlook-2010-2016"),  # between 2016 and 2019
        ("2018", "outlook-2010-2016"),
        ("2020", "outlook-2010-2016"),  # between 2019 and 2021
        ("2022", "outlook-2010-2016"),  # between 2021 and 2024
        ("2023", "outlook-2010-2016"),
        ("2005", "ask/outlook-version"),  # 2004 is Entourage, 2007 its own guide
        ("2006", "ask/outlook-version"),
        ("2009", "ask/outlook-version"),  # 2008 is Entourage, 2010 another guide
        ("2012", "ask/outlook-version"),  # 2011 is Outlook for Mac
        ("2026", "ask/outlook-version"),  # after the last release: nothing on the far side
        ("1999", "ask/outlook-version"),  # no year release below it in the map (98 is "98")
    ],
)
def test_outlook_years_between_releases_of_one_guide(kb, version, expected):
    """Stop 43: "Outlook 2018" names no release, but 2016 and 2019 have one guide, so it is that
    guide; where the releases around a year have different guides, the bot still asks."""
    assert outcome(kb, client="outlook", version=version) == expected


def test_an_in_between_outlook_year_on_a_mac_is_outlook_for_mac(kb):
    assert outcome(kb, client="outlook", version="2018", platform="mac") == "outlook-mac"
