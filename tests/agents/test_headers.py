"""The X-Mailer / User-Agent parser on real header lines, one or more per guide (kb/headers.yml)."""

import pytest

from smtpbot.kb.headers import find_headers, resolve_headers
from smtpbot.kb.knowledge import load_kb

KB = load_kb()
# (header line as found in real messages, guide or outcome it must lead to, client, version)
LINES = [
    ("X-Mailer: Microsoft Outlook 16.0", "guide/outlook-2010-2016", "outlook", "2016"),
    ("X-Mailer: Microsoft Outlook 15.0", "guide/outlook-2010-2016", "outlook", "2013"),
    ("X-Mailer: Microsoft Outlook 14.0", "guide/outlook-2010-2016", "outlook", "2010"),
    ("X-Mailer: Microsoft Office Outlook 12.0", "guide/outlook-2007", "outlook", "2007"),
    (
        "X-Mailer: Microsoft Office Outlook, Build 12.0.4210",
        "guide/outlook-2007",
        "outlook",
        "2007",
    ),
    (
        "X-Mailer: Microsoft Office Outlook, Build 11.0.5510",
        "guide/outlook-2002-2003",
        "outlook",
        "2003",
    ),
    (
        "X-Mailer: Microsoft Office Outlook, Build 11.0.6353",
        "guide/outlook-2002-2003",
        "outlook",
        "2003",
    ),
    ("X-Mailer: Microsoft Outlook, Build 10.0.2627", "guide/outlook-2002-2003", "outlook", "2002"),
    (
        "X-Mailer: Microsoft Outlook CWS, Build 9.0.2416 (9.0.2910.0)",
        "guide/outlook-express",
        "outlook",
        "2000",
    ),
    (
        "X-Mailer: Microsoft Outlook IMO, Build 9.0.2416 (9.0.2911.0)",
        "guide/outlook-express",
        "outlook",
        "2000",
    ),
    (
        "X-Mailer: Microsoft Outlook 8.5, Build 4.71.2173.0",
        "guide/outlook-express",
        "outlook",
        "98",
    ),
    (
        "X-Mailer: Microsoft Outlook Express 6.00.2900.5512",
        "guide/outlook-express",
        "outlook-express",
        "6.00.2900.5512",
    ),
    (
        "X-Mailer: Microsoft Outlook Express 6.00.2800.1158",
        "guide/outlook-express",
        "outlook-express",
        "6.00.2800.1158",
    ),
    (
        "X-Mailer: Microsoft Windows Mail 6.0.6000.16386",
        "guide/outlook-express",
        "windows-mail",
        "6.0.6000.16386",
    ),
    (
        "X-Mailer: Microsoft Windows Mail 6.0.6002.18197",
        "guide/outlook-express",
        "windows-mail",
        "6.0.6002.18197",
    ),
    (
        "User-Agent: Microsoft-MacOutlook/16.78.23100802",
        "guide/outlook-mac",
        "outlook",
        "16.78.23100802",
    ),
    (
        "User-Agent: Microsoft-MacOutlook/14.7.1.161129",
        "guide/outlook-mac",
        "outlook",
        "14.7.1.161129",
    ),
    (
        "User-Agent: Microsoft-MacOutlook/10.10.1.170522",
        "guide/outlook-mac",
        "outlook",
        "10.10.1.170522",
    ),
    ("X-Mailer: Apple Mail (2.3776.700.51.11.1)", "guide/apple-mail-10-plus", "apple-mail", "16"),
    ("X-Mailer: Apple Mail (2.3774.300.61.1.2)", "guide/apple-mail-10-plus", "apple-mail", "16"),
    ("X-Mailer: Apple Mail (2.3731.300.101.1.3)", "guide/apple-mail-10-plus", "apple-mail", "16"),
    ("X-Mailer: Apple Mail (2.3696.120.41.1.1)", "guide/apple-mail-10-plus", "apple-mail", "15"),
    ("X-Mailer: Apple Mail (2.3654.120.0.1.13)", "guide/apple-mail-10-plus", "apple-mail", "14"),
    ("X-Mailer: Apple Mail (2.3654.80.0.2.43)", "guide/apple-mail-10-plus", "apple-mail", "14"),
    ("X-Mailer: Apple Mail (2.3124)", "guide/apple-mail-10-plus", "apple-mail", "10"),
    ("X-Mailer: Apple Mail (2.2104)", "guide/apple-mail-8-9", "apple-mail", "9"),
    ("X-Mailer: Apple Mail (2.1990.1)", "guide/apple-mail-8-9", "apple-mail", "8"),
    ("X-Mailer: Apple Mail (2.1878.6)", "uncovered/apple-mail-7", "apple-mail", "7"),
    ("X-Mailer: Apple Mail (2.1510)", "guide/apple-mail-3-6", "apple-mail", "6"),
    ("X-Mailer: Apple Mail (2.1283)", "guide/apple-mail-3-6", "apple-mail", "5"),
    ("X-Mailer: Apple Mail (2.1078)", "guide/apple-mail-3-6", "apple-mail", "4"),
    ("X-Mailer: Apple Mail (2.936)", "guide/apple-mail-3-6", "apple-mail", "3"),
    ("X-Mailer: Apple Mail (2.753.1)", "guide/apple-mail-2", "apple-mail", "2"),
    ("X-Mailer: Apple Mail (2.752.2)", "guide/apple-mail-2", "apple-mail", "2"),
    ("X-Mailer: iPhone Mail (20G75)", "guide/ios-mail", "ios-mail", "16"),
    ("X-Mailer: iPhone Mail (21E236)", "guide/ios-mail", "ios-mail", "17"),
    ("X-Mailer: iPad Mail (19H12)", "guide/ios-mail", "ios-mail", "15"),
    (
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.3.1",
        "guide/thunderbird-3-plus",
        "thunderbird",
        "115.3.1",
    ),
    (
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101 Thunderbird/102.15.1",
        "guide/thunderbird-3-plus",
        "thunderbird",
        "102.15.1",
    ),
    (
        "User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.5; en-US; rv:1.9.1.9) Gecko/20100317 Thunderbird/3.0.4",
        "guide/thunderbird-3-plus",
        "thunderbird",
        "3.0.4",
    ),
    (
        "User-Agent: Thunderbird 2.0.0.24 (Windows/20100228)",
        "guide/thunderbird-legacy",
        "thunderbird",
        "2.0.0.24",
    ),
    (
        "User-Agent: Mozilla Thunderbird 1.5.0.14 (Windows/20071210)",
        "guide/thunderbird-legacy",
        "thunderbird",
        "1.5.0.14",
    ),
    (
        "User-Agent: Microsoft-Entourage/12.2.0.080829",
        "guide/entourage",
        "entourage",
        "12.2.0.080829",
    ),
    (
        "User-Agent: Microsoft-Entourage/11.4.0.080122",
        "guide/entourage",
        "entourage",
        "11.4.0.080122",
    ),
    ("X-Mailer: QUALCOMM Windows Eudora Version 5.1", "guide/eudora", "eudora", "5.1"),
    ("X-Mailer: QUALCOMM Windows Eudora Version 4.3.2", "guide/eudora", "eudora", "4.3.2"),
    ("X-Mailer: QUALCOMM Windows Eudora Version 7.1.0.9", "guide/eudora", "eudora", "7.1.0.9"),
    ("User-Agent: Eudora OSE 1.0 (Windows/20100720)", "guide/eudora-ose", "eudora-ose", None),
    (
        "X-Mailer: Microsoft Windows Live Mail 16.4.3528.331",
        "uncovered/windows-live-mail",
        "windows-live-mail",
        "16.4.3528.331",
    ),
]


def test_every_guide_is_reached_by_real_headers():
    guides = {
        outcome.split("/", 1)[1] for _, outcome, _, _ in LINES if outcome.startswith("guide/")
    }
    assert guides == set(KB.guides) and len(LINES) >= 30


@pytest.mark.parametrize("line, outcome, client, version", LINES)
def test_header_line(line, outcome, client, version):
    findings = find_headers(KB, line)
    assert len(findings) == 1
    assert (findings[0].facts.client, findings[0].facts.version) == (client, version)
    resolution = resolve_headers(KB, line)
    assert f"{resolution.kind}/{resolution.target}" == outcome


def test_headers_inside_a_pasted_ticket():
    ticket = (
        "Hi, the customer's mail bounces, here is the source:\n> Received: from [192.168.1.4]\n"
        "> Date: Tue, 3 Oct 2023 10:00:00 +0100\n> x-mailer: Microsoft Outlook 15.0\n"
        "> Subject: test\nThanks, Sam"
    )
    assert resolve_headers(KB, ticket).target == "outlook-2010-2016"


def test_no_or_unknown_headers():
    assert resolve_headers(KB, "customer says outlook is broken") is None
    assert (
        find_headers(KB, "X-Mailer: PHPMailer 6.8.0 (https://github.com/PHPMailer/PHPMailer)") == []
    )
    assert find_headers(KB, "X-Mailer: " + "A" * 100000) == []
