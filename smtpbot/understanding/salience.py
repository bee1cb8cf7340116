"""Which of a message's mentions describe the customer's set-up, and which numbers are versions.

Real messages name several things: the program with the problem, the account it sends from
("my Gmail account"), another program that works, ports, error codes, build numbers, counts.
Each client mention gets a salience score from its neighbours; the highest wins (the first
one on a tie: customers name the program with the problem first). A number is a version only
when it follows (or just precedes) the program it belongs to and nothing marks it as a port,
an error code, a count, a build number, a date or a TLS version.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, AbstractSet, Any, Dict, List, Optional, Sequence, Set

from smtpbot.kb.knowledge import KnowledgeBase

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from smtpbot.understanding.mentions import Mention

# "the Foo app", "Foo mail client", "as my mail program": a program's name comes before these.
PROGRAM_WORDS = {"app", "client", "program"}
# Words that join the items of a list: "Catalina & Big Sur", "Outlook 2007 and 2010"
LIST_JOINERS = {"and", "&", "or", ",", "/"}
# Words after an account's name that make it the program itself: "the Gmail app".
AS_PROGRAM = {"app", "apps", "client", "website", "site", "web", "webmail", "interface"}
AS_PROGRAM |= {"program", "application", "inbox", "page", "browser", "chrome", "firefox", "safari"}
AS_PROGRAM |= {"edge"}  # "gmail in the browser", "outlook.com in Chrome": the website
# ... and a service's name for its website: "Outlook Online", "Outlook Live" (kb aliases)
SITE_NAMES = {"online", "live"}
# The subscription's number between a name and "account": "my Outlook 365 account"
SUITE_NUMBER = re.compile(r"^(?:365|360)(?:\.com)?$")
APP_DEVICES = {"ipad", "iphone", "android"}
APP_SYSTEMS = APP_DEVICES | {"ios", "ipados", "mobile"}
QUOTES = {'"', "'", "“", "”", "‘", "’", "«", "»", "「", "」"}  # around a name: '"outlook" account'
# Words after a name that make it the account, not the program: "my Outlook address".
ACCOUNT_WORDS = {"account", "accounts", "tenant", "address", "addresses", "mailbox", "domain"}
ACCOUNT_WORDS |= {"subscription", "login", "id", "password", "server", "servers", "email"}
ACCOUNT_WORDS |= {"emails"}  # "my Outlook emails": the messages of the account
# After these the name is surely the account: "my iCloud account", "my live and outlook
# accounts". Named alone, the program is still unknown: ask which one.
ONLY_ACCOUNT = {"account", "accounts", "address", "addresses", "domain", "tenant", "mailbox"}
ONLY_ACCOUNT |= {"adress", "adresses", "adresse", "adres"}  # as typed ("my outlook adress")
ONLY_ACCOUNT |= {
    "acount",
    "acounts",
    "accont",
    "acconts",
    "accout",
    "accound",
    "acct",
    "accnt",
}  # as typed
# ... and in Chinese, Japanese, Korean: "outlook 邮箱", "Gmail アカウント", "outlook 계정"
ONLY_ACCOUNT |= {
    "邮箱",
    "郵箱",
    "信箱",
    "账户",
    "帐户",
    "账号",
    "帐号",
    "帳號",
    "帳戶",
    "アカウント",
    "계정",
}
ACCOUNT_WORDS |= ONLY_ACCOUNT
# Chinese text runs on unspaced: "outlook的邮箱服务器" ("outlook's mailbox server")
CJK_ACCOUNT = re.compile(
    "^的?(?:"
    + "|".join(sorted(ONLY_ACCOUNT - {"account", "accounts"}))
    # ... and its servers: "outlook的两个收发服务器" ("outlook's two sending/receiving servers";
    # not "outlook无法连接服务器", "Outlook can't connect to the server": the program)
    + r"|的?[一二两兩三几幾个個]*(?:收发|收發|发送|發送|发信|發信|接收|邮件|郵件|smtp|imap|pop3?)?"
    + r"(?:服务器|伺服器|服務器))"
)


# ... but the mailbox's app is the program: "QQ邮箱客户端" (QQ Mail's client), "QQ邮箱APP"
CJK_MAILBOX_APP = re.compile("^的?(?:邮箱|郵箱)?(?:客户端|客戶端|应用|應用|app)", re.IGNORECASE)


def account_word(word: str) -> bool:
    """Whether `word` (the word after a name) makes the name the account: "my iCloud
    account", "outlook邮箱无法同步" (not "QQ邮箱客户端", the mailbox's app)."""
    if CJK_MAILBOX_APP.match(word):
        return False
    return word in ONLY_ACCOUNT or bool(CJK_ACCOUNT.match(word) and not word.isascii())


# Before a name, these make it the account too: "Account office 365", "cuenta de Outlook".
ACCOUNT_BEFORE = {"account", "accounts", "cuenta", "cuentas", "compte", "comptes", "konto"}
ACCOUNT_BEFORE |= {"conto", "conta", "contas", "kontos"}
# ... and the domain the mail is hosted on: "posta con dominio office 365"
ACCOUNT_BEFORE |= {"domain", "dominio", "domaine", "domínio", "domäne"}
OF = {"de", "di", "del", "d'", "da", "do", "von"}
# Before an account's name, these make it the program in use: "I'm on outlook.com",
# "I use Gmail", "in the Yahoo website" (AS_PROGRAM covers the words after it).
USED_ON = {"use", "uses", "using", "via", "on", "at", "through"}
USED_ON |= {"open", "opened", "opening", "launch"}  # "when I open Gmail": its app or website
# ... but not after these: "won't send through Comcast" names the account's server
SENDING = {"send", "sends", "sending", "sent", "relay", "relayed", "relaying"}
ARTICLES = {"a", "an", "any", "no", "some", "this", "that", "the", "send", "sending", "incoming"}
ARTICLES |= {"outgoing", "new", "junk", "spam", "of", "your", "his", "her"}
# ... and in the other languages customers write in: "la psw delle mail", "die Mail", "las mail"
ARTICLES |= {"le", "la", "les", "delle", "della", "degli", "gli", "il", "lo", "die", "der", "das"}
ARTICLES |= {"den", "dem", "el", "los", "las", "una", "une", "uma", "mes", "mie", "meine", "mis"}
# "adding an Exchange account in Gmail": the service named after an account being added to it
# is the app it is added to
ADDED_TO = {"in", "into", "to"}
ADD_VERBS = {"add", "adding", "added", "adds", "setup", "set", "setting", "configure"}
ADD_VERBS |= {"configuring", "configured"}
DELIVERY = {"deliver", "delivers", "delivery", "delivered", "delivering", "forward", "forwarded"}
MESSAGES = {"email", "emails", "e-mail", "e-mails", "mail", "mails", "message", "messages"}
# Before a generic "mail", these make it the noun: "can't receive mail", "Send Mail Fails" (not
# a capitalised "Mail" after a lower-case verb: "then I check Mail > Settings")
MAIL_VERBS = {"send", "sending", "sends", "receive", "receiving", "receives", "check", "checking"}
MAIL_VERBS |= {"read", "reading", "fetch", "fetching", "download", "downloading", "forward"}
# After a "mail" that is not a name (lower case, or first in the message), these make it a noun
# of mail, not the program: "mail folders", "Mail Toolbar Gone" ("mail messages" stays: "mail
# messages stuck in the outbox on my iPad" is the iPad's Mail; so do the Mail app's own
# features: "Mail filters work, but sending fails on my Mac")
MAIL_NOUNS = {"folder", "folders", "item", "items", "traffic", "flow"}
MAIL_NOUNS |= {"delivery", "storage", "quota", "archive", "archives", "backup", "backups", "files"}
MAIL_NOUNS |= {"toolbar", "toolbars", "header", "headers", "merge"}
SERVICE_WORDS = {"provider", "providers", "service", "services", "host", "hosting", "isp"}
SERVICE_SAID = SERVICE_WORDS | {"server", "servers"}  # "Yandex as my provider", "AOL as my server"
SUITES = ("office", "ms office", "microsoft office", "microsoft 365", "o365", "m365")
# Before "how X works": a question about the program, not that it works
KNOWING = {"understand", "know", "explain", "wonder", "wondering", "learn", "figure", "idea"}
# "switched from X to Y", "migrating from X": X is not the program in use any more.
MOVED = {"switched", "switching", "moved", "moving", "migrated", "migrating", "came", "coming"}
MOVED |= {"converted", "converting", "imported", "importing", "changed", "changing", "went"}
MOVED |= {"import", "imports", "migrate", "migrates", "export", "exported", "exporting"}
MOVED |= {"transfer", "transferred", "transferring", "migration"}
# "I upgraded from Outlook 2003 to Outlook 2007": the release upgraded to is the one in use
# (not "upgrading": "thinking about upgrading"); an update moves only the name right after it
# ("After it updated I cannot send from Thunderbird" moved nothing)
UPGRADED = {"upgraded", "updated"}
# "the recipient uses Outlook", "sent to people on Outlook 2007": the other end's program
RECIPIENTS = {"recipient", "recipients", "receiver", "receivers", "addressee", "addressees"}
RECIPIENTS |= {"recipient's", "recipients'", "empfänger", "destinataire", "destinatario"}
RECIPIENTS |= {"destinatari", "destinatarios", "ontvanger", "modtager", "modtageres", "mottaker"}
# ... in the other languages customers write in: "son passato da Outlook a Thunderbird",
# "importare da win live mail a thunderbird", "von Thunderbird zu Outlook gewechselt" (not the
# words that also mean "last": "el mes pasado"; not "de", "du": "correos de Outlook 2016")
MOVED |= {"migrar", "migrando", "migrare", "migrato", "migrer", "migré", "migriert", "migrieren"}
MOVED |= {"importar", "importare", "importato", "importer", "importé", "importiert", "passato"}
MOVED |= {"gewechselt", "umgestiegen", "overgestapt", "trasferire", "trasferito", "trasferita"}
MOVED |= {"trasferimento", "spostare", "spostato", "transferir", "transférer", "transféré"}
# German and Dutch put the participle last: "ich bin von Outlook zu Thunderbird umgestiegen",
# "van Outlook naar Thunderbird overgestapt": the verb is looked for after the names too
MOVED_LAST = {"gewechselt", "umgestiegen", "umgezogen", "migriert", "importiert"}
MOVED_LAST |= {"overgestapt", "overgezet", "geïmporteerd", "gemigreerd"}
MOVED_FROM = {"from", "da", "von", "van", "dal", "dalla", "vom"}
# where mail moves to
MOVED_TO = {"to", "into", "a", "à", "zu", "auf", "naar", "nach", "al", "alla"}
# "... but wants to install Outlook 2016": a program another one offers, no contrast
OFFERS = {"install", "installs", "installing", "wants", "offers", "suggests", "recommends", "asks"}
# A phone or tablet with the trouble beats a computer said with the program (choose_platform):
# computers by platform id (phones and tablets: kb `mobile: true`); the words skipped before a
# denied device ("..., not for Android") and the verbs of a program not used there at all ("I
# don't have T-bird on my iPad")
DESKTOP_PLATFORMS = {"windows", "mac", "linux"}
DENIAL_SKIPS = {"for", "on", "in", "my", "the", "a", "an", "with"}
NOT_USED = {"have", "use", "using", "own", "installed", "need", "want"}
# "tried a different mail client (Thunderbird)": a program beside the one with the problem
OTHER = {"different", "another", "other", "alternative"}
TRIED = {"tried", "try", "tested", "test", "checked", "installed"}
# "like in thunderbird", "unlike Outlook", "compared to Mail": a comparison, not the program
COMPARED = [["like", "in"], ["like", "with"], ["like", "on"], ["unlike"]]
COMPARED += [["compared", "to"], ["compared", "with"], ["similar", "to"], ["as", "in"]]
# Where a clause ends: the words before it say nothing about the name after it.
CLAUSE_ENDS = {".", ";", "but", "!", "?", "while", "whereas", "although", "though"}
LAST_VERB_CLAUSE_ENDS = {"aber", "obwohl", "doch", "sondern", "maar", "hoewel"}
# "X works fine": the program without the problem.
WORKS = {"works", "work", "working", "worked", "fine", "ok", "okay", "successfully", "succeeded"}
WORKS |= {"able"}  # "in Outlook I am able to connect" ("not able", "unable": trouble)
# Before a device, only these say it works there ("work", "working" are also nouns and
# activities: "my work Mac", "I'm working on my Mac and Outlook won't send")
WORKED = {"works", "worked", "fine", "successfully", "succeeded", "able"}
SMOOTHLY = {"seamlessly", "flawlessly", "perfectly", "flawless"}  # "it worked seamlessly"
WORKS |= SMOOTHLY
WORKED |= SMOOTHLY
# "X works and I could send", "X and it works": the clause goes on after "and" + a pronoun
# (or + another name: "Thunderbird and Outlook work fine").
GOES_ON = {"i", "it", "that", "everything", "all", "sending", "mail"}
# Typed without its apostrophe, a negation is still parted from its verb: spaCy makes "wont",
# "cant", "doesnt" "wo"/"ca"/"does" + "nt" (a whole "NT", as in "Windows NT", is rare here)
TYPED_NOT = "nt"
TROUBLE = {"not", "n't", TYPED_NOT, "never", "no", "stopped", "fails", "failed", "cannot"}
TROUBLE |= {"dosent", "unable"}  # as typed
PROBLEM = {"problem", "problems", "issue", "issues", "error", "errors", "fails", "failing"}
PROBLEM |= {"broken", "trouble", "crashes", "crash"}
PROBLEM |= {"probs", "prob"}  # "no probs": fine
# "it's not Outlook", "I don't use Outlook", "instead of Outlook": not the customer's program.
NOT_BEFORE = {"not", "n't", TYPED_NOT, "never", "nor"}
# "works in Thunderbird, just not K9", "but not Apple Mail": the contrast names the trouble
CONTRAST = {"just", "but", "only", "except", "and"}
CAN = {"ca", "can", "could", "does", "do", "did", "will", "wo", "would", "is", "was", "are"}
USE = {"use", "using", "have", "run", "running", "own"}

# A number right after these is not a version.
NOT_VERSION_AFTER = {"port", "ports", "smtp", "pop", "pop3", "imap", "step", "steps", "error"}
NOT_VERSION_AFTER |= {"code", "tls", "ssl", "tlsv", "sslv", "sp", "snapshot", "build", "issue"}
NOT_VERSION_AFTER |= {"#", "pr", "since", "rev", "revision", "nvda", "x", "ticket", "number"}
NOT_VERSION_AFTER |= {"event", "ipv", "php", "python", "java", "line", "page", "chapter", "top"}
# A number right before these is a count or a size.
UNITS = {"tb", "gb", "mb", "kb", "k", "accounts", "account", "times", "emails", "e-mails", "email"}
UNITS |= {"messages", "mails", "days", "weeks", "months", "years", "hours", "minutes", "mins"}
UNITS |= {"seconds", "secs", "users", "people", "customers", "recipients", "attachments", "%"}
UNITS |= {"percent", "pm", "am", "mbps", "ms", "addresses", "mailboxes", "computers", "pcs"}
UNITS |= {"devices", "machines", "folders", "files", "errors", "tries", "attempts", "st", "nd"}
UNITS |= {"rd", "th", "bit", "bits", "-bit"}  # not "x64": "Outlook 2019 x64" is a version
UNITS |= {"pages", "lines", "items", "contacts"}
# ... and after a one, the singular: "after 1 page in Thunderbird", "1 message stuck" (not after
# another number: "Thunderbird 2 message list is empty" is Thunderbird 2)
ONE_UNITS = {"page", "line", "item", "contact", "message", "day", "week", "month", "year", "hour"}
ONE_UNITS |= {"minute", "second", "time", "user", "file", "folder"}
# After a small whole number, these make it a count: "2 are gmail addresses", "3 of them"
COUNTED_BY = {"are", "were", "of"}
# Units and counters of languages written without spaces, at the start of the word after a
# number: "2007年の夏頃" (in the summer of 2007), "2時間" (2 hours), "3件", "5封", "2년" (not
# "2016年版", "the 2016 edition")
CJK_UNIT = re.compile(
    r"^(?:年(?!版)|月|日|時|分|秒|回|度|人|名|個|件|通|台|歳|才|円|週|ヶ月|か月|カ月|番|次|封|天|个|位|小时"
    r"|分钟|년|월|일|시간|개|번|명)"
)
# A number beside a month is a day: "dal 14 agosto", "since March 3" ("may" and "mai" are
# also words: "Outlook 2016 may be", "non funziona mai")
MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september"}
MONTHS |= {"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug"}
MONTHS |= {"sep", "sept", "oct", "nov", "dec", "januar", "februar", "märz", "juni", "juli"}
MONTHS |= {"oktober", "dezember", "janvier", "février", "avril", "juin", "juillet", "août"}
MONTHS |= {"septembre", "octobre", "novembre", "décembre", "gennaio", "febbraio", "marzo"}
MONTHS |= {"aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre"}
MONTHS |= {"dicembre", "enero", "febrero", "abril", "mayo", "junio", "julio", "septiembre"}
MONTHS |= {"octubre", "noviembre", "diciembre", "januari", "februari", "maart", "mei"}
MONTHS |= {"augustus", "janeiro", "fevereiro", "março", "junho", "julho", "setembro"}
MONTHS |= {"outubro", "novembro", "dezembro"}
UNITS |= MONTHS
NOT_VERSION_AFTER |= MONTHS
VERSIONISH = re.compile(r"^v?\d{1,4}(\.\d+){0,3}[a-z]?$", re.IGNORECASE)
YEAR = re.compile(r"^(19|20)\d\d$")
WORKS_OF_ART = {"novel", "novels", "book", "books", "story", "stories", "poem", "poems", "film"}
WORKS_OF_ART |= {"movie", "song", "album", "biography", "essay", "play", "character"}
PROSPECTS_OF = {"our", "the", "your", "their", "this", "next", "his", "her", "a", "2024", "2025"}
PROSPECTS_OF |= {"us", "investors", "business", "economy", "market", "company", "future"}
DEVICES = {"mac", "macs", "macbook", "imac", "pc", "pcs", "iphone", "ipad", "windows", "android"}
# ... and where a desktop program runs: "Thunderbird on Linux", "Thunderbird on my laptop"
DESKTOPS = {"linux", "ubuntu", "computer", "laptop", "desktop", "notebook", "macos", "osx"}
SMTP_CODE = re.compile(r"^[45]\d\d$")
STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")
DAY = re.compile(r"^\d{1,2}$")
# The kb context rule of Windows run by Wine, Parallels, CrossOver...: the program is Windows'
EMULATOR = "emulator"


def version_numbers(doc: "Doc", numbers: Sequence[int]) -> Set[int]:
    """The token indices, among `numbers` (tokens that look like versions), that may be versions."""
    skipped: Set[int] = set()
    number_set = set(numbers)
    for i in numbers:
        prev = doc[i - 1].lower_ if i > 0 else ""
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        text = doc[i].text
        if prev in NOT_VERSION_AFTER or nxt in UNITS or CJK_UNIT.match(nxt):
            skipped.add(i)
        elif text == "1" and nxt in ONE_UNITS:
            skipped.add(i)
        elif prev in ("(", "/", "[") and i > 1 and VERSIONISH.match(doc[i - 2].text):
            skipped.add(i)  # "Mail 7.2 (1874)", "7.2/1874": a build number
        elif nxt == "/" and DAY.match(text) and (i + 2) in number_set:
            skipped.add(i)  # "3/24": a date
        elif SMTP_CODE.match(text):
            skipped.add(i)  # "535 authentication failed": no covered program has a release 400-599
        elif STATUS.match(text) and SMTP_CODE.match(prev):
            skipped.add(i)  # "550 5.7.1": an SMTP status
        elif prev in ("and", "or", ",", "-", "to") and (i - 2) in skipped:
            skipped.add(i)  # "TLS 1.1 and 1.2", "ports 465, 587"
        elif list_marker(doc, i):
            skipped.add(i)  # "1. open the mail app 2. pull down": a numbered list
        elif nxt in COUNTED_BY and text.isdigit() and len(text) <= 2:
            skipped.add(i)  # "4 emails in Thunderbird, 2 are gmail", "3 of them": a count
    return number_set - skipped


def list_marker(doc: "Doc", i: int) -> bool:
    """Whether token i numbers a list item: "1." (or "1)") with a "2." after it, or "2."
    after a "1."; or "2)" that closes no bracket ("... 2)POP settings are elsewhere")."""
    text = doc[i].text
    if not text.isdigit() or len(text) > 2 or i + 1 >= len(doc) or doc[i + 1].text not in ".)":
        return False
    mark = doc[i + 1].text
    if mark == ")" and _opened(doc[:i]) == 0:
        return True

    def marks(number: str, tokens) -> bool:
        return any(
            t.text == number and t.i + 1 < len(doc) and doc[t.i + 1].text == mark for t in tokens
        )

    return marks(str(int(text) - 1), doc[:i]) or marks(str(int(text) + 1), doc[i + 2 :])


def _opened(tokens) -> int:
    """How many round brackets the tokens leave open."""
    depth = 0
    for t in tokens:
        depth = depth + 1 if t.text == "(" else max(depth - 1, 0) if t.text == ")" else depth
    return depth


def _score(
    kb: KnowledgeBase,
    doc: Optional["Doc"],
    mention: "Mention",
    named: AbstractSet[int] = frozenset(),
) -> int:
    """How surely this client mention is the customer's program (0: it is not).

    `named`: the token positions of the message's client mentions (an account's "app" may
    belong to the program named after it: "gmail in the mail app"). Kept per message (in the
    Doc): choose_client and alternative() score the same mentions.
    """
    if doc is None:
        return _salience(kb, doc, mention, named)
    key = ("salience", mention, frozenset(named))
    if key not in doc.user_data:
        doc.user_data[key] = _salience(kb, doc, mention, named)
    return doc.user_data[key]


def _salience(
    kb: KnowledgeBase,
    doc: Optional["Doc"],
    mention: "Mention",
    named: AbstractSet[int],
) -> int:
    """_score's work, uncached."""
    spec = kb.clients.get(mention.value, {})
    if mention.negated or (doc is not None and other_thing(doc, mention)):
        return 0
    score = 2 if mention.value == "unknown-program" else 3
    phrase = mention.alias.phrase if mention.alias else ""
    suite = _suite(mention)
    if suite:
        score = 2  # "Office 365 ... Apple Mail": the suite is often the account, not the program
    if mention.alias and (mention.alias.add_on or mention.alias.file_path):
        # "Enigmail with Postbox", "Thunderbird ... mailto opens ...\\OUTLOOK.EXE": a program
        # named beside it wins; "Mail" does not
        score = 2
    if (spec.get("generic") and not _named_release(doc, mention)) or _serves_a_program(spec):
        score = 1  # a program named beside it wins: "the Bridge app ... the Apple Mail client"
    if doc is None:
        return score
    one_word = " " not in phrase
    proper = doc[mention.token_start].text[:1].isupper() and mention.token_start > 0
    if spec.get("generic") and one_word and _mail_noun(doc, mention, proper):
        return 0
    after = {t.lower_ for t in doc[mention.token_end : mention.token_end + 2]}
    if spec.get("generic") and after & (ACCOUNT_WORDS | SERVICE_WORDS):
        return 0  # "my mail provider", "the mail server"
    # past a name's closing quote: 'add a "Gmail" or "outlook" account'
    next_word = word_at(doc, mention.token_end + _closing_quote(doc, mention))
    if (next_word in ("mail", "email") or SUITE_NUMBER.match(next_word)) and account_word(
        word_at(doc, mention.token_end + 1)
    ):
        # "my Outlook mail account", "my Outlook365 account": the account
        next_word = word_at(doc, mention.token_end + 1)
    previous = _previous(doc, mention)
    before_previous = doc[mention.token_start - 2].lower_ if mention.token_start > 1 else ""
    service = spec.get("account") or spec.get("also_a_service") or suite
    if (
        (account_word(next_word) and service)
        or previous == "@"
        or (service and _bracketed_after_address(doc, mention))
        or (previous in ACCOUNT_BEFORE and service)
        or (service and _listed_before_account(doc, mention, named))
    ):
        # "my iCloud account", "an address @hotmail", "Account office 365": the account (but
        # "add an account AirMail seems to ...": a program is no account)
        return 0
    if previous == "from" and before_previous in MESSAGES and (spec.get("account") or suite):
        return 0  # "a new email from office365", "mails from Gmail": where they come from
    if previous == "to" and service and set(clause_before(doc, mention)) & (SENDING | DELIVERY):
        return 0  # "I can't send mails to outlook mail", "delivery to outlook.com": recipients
    if previous in OF and before_previous in ACCOUNT_BEFORE and service:
        return 0  # "cuenta de Outlook", "compte d'Outlook": the account
    if previous in ("on", "at", "with") and before_previous in ACCOUNT_BEFORE:
        if spec.get("account") or suite:
            return 0  # "an IMAP account on Office365", "my account at Yahoo": where mail lives
    if spec.get("account"):
        near = set()
        for token in doc[mention.token_end : mention.token_end + 3]:
            if token.i in named and token.lower_ not in AS_PROGRAM:
                break  # "gmail in the mail app": the app is the other program (not "in Chrome")
            near.add(token.lower_)
        if (
            (near | set(phrase.split())) & AS_PROGRAM
            or set(phrase.split()) & SITE_NAMES  # "Outlook Online doesn't show": the website
            or next_word == "online"  # "when I sign in to Tuta online"
            or (previous in USED_ON and not _sent_by_way_of(doc, mention))
            or next_word in APP_DEVICES  # "GMail iPad", "Yahoo iPhone": the app on the device
            # "ProtonMail for iOS", "Gmail for Android": the service's own app for the phone
            or (next_word == "for" and word_at(doc, mention.token_end + 1) in APP_SYSTEMS)
            or set(phrase.split()) & APP_SYSTEMS  # ... named by the KB: "gmail for android"
            # "Tuta Mail on iOS": a service read only in its own apps, named with a phone
            or (spec.get("app_only") and _said_with_phone(doc, mention))
            # "mail.google.com": a website's host (no mail domain has two dots); not where mail
            # still works beside the program ("mail.yahoo.com works but my program won't send")
            or (phrase.count(".") >= 2 and not _works_next(doc, mention))
            or CJK_MAILBOX_APP.match(next_word)  # "QQ邮箱客户端": the mailbox's app
        ):
            score = 3  # "the Gmail app", "I'm on outlook.com": the website or app is the program
        elif (
            previous in ADDED_TO
            and before_previous in ACCOUNT_BEFORE
            and {t.lower_ for t in doc[max(0, mention.token_start - 6) : mention.token_start]}
            & ADD_VERBS
        ):
            score = 3  # "adding an Exchange account in Gmail": the Gmail app
        elif just_the_name(doc, mention.token_start, mention.token_end, ACCOUNT_FILLER):
            score = 2  # "gmail", "it's yahoo": the answer to "which program?" is the website
        else:
            return 0  # where the mail lives; named in a sentence, the program is still to be asked
    elif spec.get("also_a_service") and _held_in_program(kb, doc, mention, named):
        return 0  # "my email is outlook in Thunderbird": the account, read in the program named
    elif (
        next_word in ACCOUNT_WORDS
        or account_word(next_word)
        or next_word in ("outgoing", "incoming")
        # "connecting to Outlook Exchange": the service's server (not "Apple Mail Exchange
        # account": a program's)
        or (spec.get("also_a_service") and next_word == "exchange")
    ):
        # "sync outlook outgoing mail with thunderbird": the account's server side
        # "my Outlook address", "an Office 365 email": the account, not the program
        # "my Thunderbird account", "Foxmail账号": an account set up in that program
        if suite:
            return 0
        score = 1
    works_there = False  # said, right before or after the name, to work there
    before = as_works(
        [t.lower_ for t in doc[max(0, mention.token_start - 4) : mention.token_start]]
    )
    cut = max((i for i, w in enumerate(before) if w in CLAUSE_ENDS), default=-1)
    # "webmail works but outlook doesn't" (not "but wants to install Outlook 2016": the program
    # is what another program offers, not the one with the problem)
    contrast = cut >= 0 and before[cut] == "but" and not set(before[cut:]) & OFFERS
    before = before[cut + 1 :]  # the words of this clause only
    moved_from = bool(set(before[-2:]) & MOVED_FROM)
    # "cannot import any eml messages from Windows Mail": the verb may come a few words earlier
    clause = clause_before(doc, mention, reach=8)
    after = clause_after(doc, mention, reach=8)
    moved = set(clause) & MOVED or (set(after) & MOVED_LAST and not set(after) & NOT_BEFORE)
    upgraded = bool(set(before[-3:]) & UPGRADED)  # "upgraded (from) my Outlook 2003 to ..."
    if moved_from and (moved or upgraded):
        score -= 2
    elif before[-1:] and before[-1] in MOVED_TO and (moved or set(clause) & UPGRADED):
        score += 1  # "transfer my emails from Outlook to Thunderbird": where they go is in use
    if set(before) & OTHER or tried_too(before):
        score -= 1
    if set(after_last(clause, {","})) & RECIPIENTS:
        return 0  # "the recipient uses Outlook 2010": the other end's program
    if compared(before):
        return 0  # "I should get a popup, like in thunderbird": not the program in use
    if contrast and not set(before) & WORKS:
        score += 1
    # (this clause's: not "Thunderbird on my PC won't send, Thunderbird for Android works")
    elif set(after_last(before, {","})[-3:]) & (TROUBLE | PROBLEM):
        score += 1  # "but not in Apple Mail", "problem with Outlook": the one with the problem
    elif (
        set(after_last(before, {","})[-3:]) & WORKS
        and not set(clause) & TROUBLE  # "it seems not to work on my Thunderbird"
        # "X works and Outlook fails" (not "works in X and Outlook": a list of programs)
        and not (before[-1:] == ["and"] and mention.token_start - 2 not in named)
    ):
        score -= 1  # "works in Thunderbird" (not "Outlook works, Mailspring fails")
        works_there = True
    if called_a_program(doc, mention.token_end) or said_to_be_mine(doc, mention.token_start):
        score += 1  # "Mozilla Thunderbird is my default mailer", "my email client is Evolution"
    window = doc[mention.token_end : mention.token_end + 7]
    following = as_works([t.lower_ for t in window])
    # "I don't understand how Rambox works": a question about it, not that it works (but "see
    # how Outlook works fine while Thunderbird fails" says it does)
    asked_how = before[-1:] == ["how"] and bool(set(before[:-1]) & KNOWING)
    for index, word in enumerate(following):
        if (
            word in WORKS
            and not asked_how
            and not set(following[max(0, index - 2) : index]) & TROUBLE
        ):
            score -= 1
            works_there = following[index - 1 : index] not in (["my"], ["our"], ["of"], ["at"])
            break  # (not "my work", "because of work": the job)
        after_and = window[index + 1].text if index + 1 < len(window) else ""
        goes_on = after_and.lower() in GOES_ON or after_and[:1].isupper()
        if word in (".", "but", ";") or (word == "and" and not goes_on):
            break
        if word == "," and window[index].i + 1 in named:
            break  # "Outlook 2016 fails, Mailspring works": the next clause is another program's
    if (
        own_webmail(kb, mention)
        and (works_there or _can_do_there(doc, mention))
        and _something_else_used(doc, mention)
    ):
        # "I can see them in webmail but not in the app", "webmail works fine but my email
        # client can't send": the mailbox's web access is where it works, the program is asked
        doc.user_data[("webmail works", mention)] = True
        return 0
    return max(score, 1)


def _mail_noun(doc: "Doc", mention: "Mention", proper: bool) -> bool:
    """Whether a one-word generic name ("mail") is the noun, not the program."""
    previous = doc[mention.token_start - 1] if mention.token_start else None
    if not proper and _previous(doc, mention) in ARTICLES:
        return True  # "send a mail", "no mail goes out"
    if previous is not None and previous.lower_ in MAIL_VERBS:
        if not proper or previous.text[:1].isupper():
            return True  # "can't receive mail", "Send Mail Fails": the noun after its verb
    if previous is not None and _domain(previous.text):
        return True  # "outlook.com Mail", "gmx.de Mail": the service's mail, not the Mail app
    if _e_mail(doc, mention.token_start):
        return True  # "I can receive e-mail" (spaCy splits "e-mail" into three), "E mail"
    # "lost many mail folders": the noun before another noun
    return not proper and word_at(doc, mention.token_end) in MAIL_NOUNS


HELD_IN = {"in", "into", "inside", "through", "via"}  # "outlook in Thunderbird"
# ... and "on" before a program ("Outlook on Thunderbird"; not "Outlook on Comcast", "on Zimbra":
# the account or server it sends through)
HELD_ON = {"on"}
PROGRAM_DETERMINERS = {"the", "my", "a", "an", "our"}


ADDRESS = re.compile(r"(?:^@|@\S|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$)", re.IGNORECASE)


def _said_with_phone(doc: "Doc", mention: "Mention") -> bool:
    """A phone or tablet named within 6 words of the name, in its sentence ("On iOS Tuta Mail",
    "iOS and iPadOS, Tutanota version 3.98"; not "I switched to Proton Mail last month and now
    the Mail app on my iPhone won't send")."""
    ends = {".", "!", "?", ";"}
    before = doc[max(0, mention.token_start - 6) : mention.token_start]
    after = doc[mention.token_end : mention.token_end + 6]
    words = after_last([t.lower_ for t in before], ends)
    words += next_clause([t.lower_ for t in after], ends)
    return bool(set(words) & APP_SYSTEMS)


def next_clause(words: List[str], ends: AbstractSet[str]) -> List[str]:
    """The words before the first of `ends` (the mirror of after_last)."""
    return words[: next((i for i, w in enumerate(words) if w in ends), len(words))]


def _bracketed_after_address(doc: "Doc", mention: "Mention") -> bool:
    """ "my @live.de (Outlook) email account": a service's name in brackets right after an
    address or a mail domain says whose the address is."""
    start = mention.token_start
    return start >= 2 and doc[start - 1].text == "(" and bool(ADDRESS.search(doc[start - 2].text))


def _listed_before_account(doc: "Doc", mention: "Mention", named: AbstractSet[int]) -> bool:
    """ "Outlook/Hotmail accounts", "Gmail and Outlook accounts": listed before another name
    that the account word follows, the name is an account too."""
    end = mention.token_end
    if word_at(doc, end) not in LIST_JOINERS or end + 1 not in named:
        return False
    following = end + 1
    while following in named:
        following += 1  # past the next name ("outlook.com", "office 365")
    return account_word(word_at(doc, following))


def _held_in_program(
    kb: KnowledgeBase, doc: "Doc", mention: "Mention", named: AbstractSet[int]
) -> bool:
    """Whether another program is named right after "in": "outlook in Thunderbird", "my
    Outlook mail in the Mail app" (a name of both a program and a mail service is then the
    account the other program reads); after "on", only a program: "Outlook on Thunderbird"
    (not "Outlook on Comcast", "Outlook on our Kerio server")."""
    i = mention.token_end
    if i < len(doc) and doc[i].lower_ in MESSAGES:
        i += 1
    if i >= len(doc) or doc[i].lower_ not in HELD_IN | HELD_ON:
        return False
    held_on = doc[i].lower_ in HELD_ON
    i += 1
    if i < len(doc) and doc[i].lower_ in PROGRAM_DETERMINERS:
        i += 1
    return i in named and (not held_on or _program_named_at(kb, doc, i))


def _program_named_at(kb: KnowledgeBase, doc: "Doc", i: int) -> bool:
    """Whether every client the name at token `i` can be is a mail program: not an account
    (Gmail, Comcast), a server's suite or gateway (Zimbra), a mailbox's web access or the
    generic "mail"."""
    values = set()
    for alias in kb.aliases:
        words = alias.phrase.split()
        if alias.kind == "client" and [t.norm_ for t in doc[i : i + len(words)]] == words:
            values.add(alias.value)
    return bool(values) and all(_a_program(kb.clients.get(value, {})) for value in values)


def _works_next(doc: "Doc", mention: "Mention") -> bool:
    """Whether the name is followed, within three words, by one saying it works ("works fine")."""
    return any(word_at(doc, mention.token_end + k) in WORKS for k in range(3))


def _sent_by_way_of(doc: "Doc", mention: "Mention") -> bool:
    """ "won't send through Comcast", "sending via Gmail", "SMTP through Yahoo", "can't send
    email through att.net": the account's server carries the mail; the program is another ("I
    read it via Gmail" is still the website)."""
    previous, before = word_at(doc, mention.token_start - 1), word_at(doc, mention.token_start - 2)
    if previous not in ("through", "via"):
        return False
    if before in MESSAGES:  # "send email through": the verb is a word earlier
        before = word_at(doc, mention.token_start - 3)
    return before in SENDING | {"smtp", "outgoing"}


def _called_a_service(kb: KnowledgeBase, doc: "Doc", mention: "Mention") -> bool:
    """ "Yandex as my email provider", "AOL as my email server": a mail service (kb `account`
    or `also_a_service`) said to be the customer's service."""
    spec = kb.clients.get(mention.value, {})
    if not (spec.get("account") or spec.get("also_a_service")):
        return False
    words = [t.lower_ for t in doc[mention.token_end : mention.token_end + 5]]
    if words[:1] != ["as"]:
        return False
    rest = [
        w for w in words[1:] if w not in ("a", "an", "the", "my", "our", "mail", "email", "e-mail")
    ]
    return bool(rest) and rest[0] in SERVICE_SAID


def _named_release(doc: Optional["Doc"], mention: "Mention") -> bool:
    """ "Mail 5 in Lion", "Mail 7.0 (1822)": a generic name written as a name, with its release
    number right after it, names the program (not "mail 2 days ago": lower case)."""
    return (
        doc is not None
        and doc[mention.token_start].text[:1].isupper()
        and not doc[mention.token_start].text.isupper()
        and versioned(doc, mention)
    )


def clause_before(doc: "Doc", mention: "Mention", reach: int = 6) -> List[str]:
    """The lower-case words of the name's clause before it, up to `reach` words."""
    words = [t.lower_ for t in doc[max(0, mention.token_start - reach) : mention.token_start]]
    return after_last(words, CLAUSE_ENDS)


def clause_after(doc: "Doc", mention: "Mention", reach: int = 6) -> List[str]:
    """The lower-case words of the name's clause after it, up to `reach` words (the mirror of
    clause_before; German and Dutch, whose participles come last, end clauses with theirs)."""
    words = [t.lower_ for t in doc[mention.token_end : mention.token_end + reach]]
    return next_clause(words, CLAUSE_ENDS | LAST_VERB_CLAUSE_ENDS)


def said_to_be_mine(doc: "Doc", start: int) -> bool:
    """ "my default email client is Evolution", "our mail program is Eudora": said, before the
    name, to be the customer's program."""
    words = [t.lower_ for t in doc[max(0, start - 6) : start]]
    if words[-1:] not in (["is"], ["was"]):
        return False
    rest = [w for w in words[:-1] if w not in ("default", "mail", "email", "e-mail", "usual")]
    return len(rest) >= 2 and rest[-2] in ("my", "our") and rest[-1] in PROGRAM_WORDS | {"mailer"}


def called_a_program(doc: "Doc", start: int) -> bool:
    """ "evolution as my mail client", "Mutt as an email program", "Thunderbird is my default
    mailer": said to be the program."""
    words = [t.lower_ for t in doc[start : start + 5]]
    if words[:1] not in (["as"], ["is"]):
        return False
    rest = [w for w in words[1:] if w not in ("a", "an", "the", "default")]
    owned = rest[:1] in (["my"], ["our"])  # "as my client", not "as a program of change"
    rest = rest[1:] if owned else rest
    mail = rest[:1] and rest[0] in ("mail", "email", "e-mail")
    rest = rest[1:] if mail else rest
    # "my default mailer" (not "the Foo mailer": "Universal Mailer" is a plug-in)
    return bool(owned or mail) and bool(rest) and rest[0] in PROGRAM_WORDS | {"mailer"}


def bracketed_after_program(doc: "Doc", start: int, end: int) -> bool:
    """ "the mail client on my Mac (Sparrow)": tokens [start, end) in brackets, right after a
    clause that speaks of a program."""
    if not (0 < start and end < len(doc) and doc[start - 1].text == "(" and doc[end].text == ")"):
        return False
    return any(t.lower_ in PROGRAM_WORDS | {"mailer"} for t in doc[max(0, start - 6) : start - 1])


def _closing_quote(doc: "Doc", mention: "Mention") -> int:
    """How many tokens close the quotes a name stands in: 1 ('the "outlook" account'), or 0."""
    return int(
        word_at(doc, mention.token_start - 1) in QUOTES
        and word_at(doc, mention.token_end) in QUOTES
    )


def word_at(doc: "Doc", i: int) -> str:
    """The lower-case word at `i`, or "" outside the message."""
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def tried_too(before: List[str]) -> bool:
    """ "I use Evolution, but also tried Thunderbird": a program tried beside the one in use."""
    return bool(set(before[-3:]) & {"also", "too"}) and bool(set(before[-2:]) & TRIED)


def compared(before: List[str]) -> bool:
    """Whether the words right before a name compare it with the program in trouble."""
    return any(before[-len(words) :] == words for words in COMPARED)


def glued_hyphen(doc: "Doc", i: int) -> bool:
    """Whether token `i` is a hyphen joining two words with no spaces ("e-mail", "Outlook-Konto")."""
    return (
        0 < i < len(doc) - 1
        and doc[i].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def _domain(word: str) -> bool:
    """A mail domain or address written as a word: "outlook.com", "web.de" (not "Mail.app", a
    program)."""
    return bool(ADDRESS.search(word)) and not word.lower().endswith((".app", ".exe"))


def _e_mail(doc: "Doc", start: int) -> bool:
    """Whether the token at `start` ends an "e-mail" typed with a hyphen or a space."""
    if start >= 1 and doc[start - 1].lower_ == "e" and doc[start - 1].whitespace_:
        # "E mail my photographs", "geen e mail meer" (not "il Mac e Mail": Italian "and")
        return doc[start - 1].text == "E" or doc[start].text.islower()
    return start >= 2 and glued_hyphen(doc, start - 1) and doc[start - 2].lower_ == "e"


# Words of saying what one uses, around a name or a number that is the whole message ("it's
# gmail", "I'm using 2016"): the core of every filler set (mentions.FILLER,
# selection.ANSWER_FILLER). Typed "im", "thats": spaCy parts them into "i" + "m", "that" + "s".
SAYING = {"i", "i'm", "im", "'m", "m", "am", "it", "it's", "its", "'s", "s", "is", "use", "using"}
SAYING |= {"the", "a", "my", "yes", "ok", "that"}
# Words around an account's name that leave the message "just the name" ("it's gmail").
ACCOUNT_FILLER = SAYING | {"just", "okay", "mail", "email", "webmail", "with"}


def written_as_name(doc: "Doc", span: "Span") -> bool:
    """ "fails on Geary", "I use Mutt": capitalised inside a sentence of an ordinary message.

    Not at a sentence start, not in ALL CAPS, and not in a Title Case Headline, where every
    word is capitalised and a capital says nothing.
    """
    first = doc[span.start]
    if not first.text[:1].isupper() or first.text.isupper():
        return False
    previous = doc[span.start - 1] if span.start else None
    if previous is None or previous.is_space or (previous.is_punct and previous.text not in ",;"):
        return False  # a capital after a comma is the name's: "Today, Mail went postal"
    if span.end < len(doc) and doc[span.end].lower_ == "of":  # "the Evolution of email"
        return False
    words = [t for t in doc if t.is_alpha and len(t) > 3 and not span.start <= t.i < span.end]
    capitalised = sum(t.text[:1].isupper() for t in words)
    return capitalised * 2 < len(words)


def just_the_name(doc: "Doc", start: int, end: int, filler: Set[str]) -> bool:
    """Whether the message is tokens [start, end) and only `filler` words around them."""
    return only_filler(doc, set(range(start, end)), filler)


def only_filler(doc: "Doc", skip: AbstractSet[int], filler: AbstractSet[str]) -> bool:
    """Whether every token but those at `skip` (and punctuation) is a `filler` word."""
    return all(t.lower_ in filler for t in doc if not t.is_punct and t.i not in skip)


def _previous(doc: "Doc", mention: "Mention") -> str:
    return doc[mention.token_start - 1].lower_ if mention.token_start else ""


def other_thing(doc: "Doc", mention: "Mention") -> bool:
    """The name names something else: "the singer's entourage" (someone else's), "a 1962 Ford
    Thunderbird" (model year + make), "a Eudora Welty novel" (part of a work's title)."""
    start, end = mention.token_start, mention.token_end
    before = [t.lower_ for t in doc[max(0, start - 3) : start]]
    if (
        len(before) >= 2
        and before[-1] == "'s"
        and before[-3:-2] != []
        and before[-3] in ("the", "a")
    ):
        return True
    if start >= 2 and YEAR.match(doc[start - 2].text) and doc[start - 1].text[:1].isupper():
        # ... but "Windows build 1909 Microsoft Mail": the number is the system's, not a model year
        if start < 3 or doc[start - 3].lower_ not in ("build", "version", "windows", "win"):
            return True
    after = [t.lower_ for t in doc[end : end + 3]]
    if len(after) >= 2 and after[1] in WORKS_OF_ART:
        return True
    phrase = mention.alias.phrase if mention.alias else ""
    # "the outlook for our business": the prospects, not the program ("the Outlook for Mac"
    # is an alias of its own; "the outlook for the Mac" names the device after the article)
    return (
        phrase == "outlook"
        and before[-1:] in (["the"], ["an"])
        and after[:1] == ["for"]
        and len(after) == 3
        and after[1] in PROSPECTS_OF
        and after[2] not in DEVICES
    )


def negated(doc: "Doc", start: int) -> bool:
    """'it's not Outlook', "I don't use Outlook", 'instead of Outlook', 'rather than Outlook'.

    Trouble is not negation: "can't use Mail.app", "doesn't work with Thunderbird".
    """
    words = [t.lower_ for t in doc[max(0, start - 3) : start]]
    while len(words) < 3:
        words.insert(0, "")
    w3, w2, w1 = words
    if w1 in NOT_BEFORE and w2 not in CAN and w2 not in CONTRAST:
        return True
    if w1 in ("the", "a", "an") and w2 in NOT_BEFORE and w3 not in CAN | CONTRAST:
        return True  # "Outlook 365 (classic, not the new Outlook)", "it's not the Outlook app"
    if w1 in USE and w2 in NOT_BEFORE and w3 in ("do", "did", "does", "'m", "am", "i"):
        return True
    if (w2, w1) in (("instead", "of"), ("rather", "than"), ("no", "longer")):
        return True
    return w1 == "instead"


def after_last(words: List[str], ends: AbstractSet[str]) -> List[str]:
    """The words after the last of `ends` (all of them when there is none): the clause."""
    return words[max((i for i, w in enumerate(words) if w in ends), default=-1) + 1 :]


def choose_client(
    kb: KnowledgeBase,
    clients: List["Mention"],
    doc: Optional["Doc"],
    device_ends: AbstractSet[int] = frozenset(),
) -> Optional["Mention"]:
    """The client mention with the highest salience; on a tie, the first one named with its
    version ("SOGo with Outlook 2010"), a program over a mailbox's site, the name a generic
    one's number means, or a program's phone edition named apart from it (`_edition`); else
    the first one.

    `device_ends`: where the message's device and OS mentions end. A generic name right after
    one is that device's app ("the Mavericks mail app", "iPhone mail"), as sure as a name.

    A name that is also a mail service (kb `also_a_service`: "Outlook" is Outlook.com too),
    said without a version, yields to a program the guides do not cover named as surely or
    nearly so: "my Outlook account in Mailspring", "Outlook inbox not shown in Airmail".
    """
    best, best_score = None, 0
    named = _named(clients)
    scores = [(mention, _score(kb, doc, mention, named)) for mention in clients]
    scores = [
        (m, max(score, 3) if score and m.token_start in device_ends and _generic(kb, m) else score)
        for m, score in scores
    ]
    # "Cannot use Yandex ... I'm using Yandex as my email provider": said to be the service
    # once, the name is the service throughout the message
    services = {m.value for m in clients if doc is not None and _called_a_service(kb, doc, m)}
    scores = [(m, 0 if m.value in services else score) for m, score in scores]
    for mention, score in scores:
        if score > best_score or (
            score == best_score > 0
            and (
                (versioned(doc, mention) and not versioned(doc, best))
                or (_mailbox_site(kb, best) and _program(kb, mention))
                or _numbered_as(kb, best, mention)  # "Mail 8.2: ... Mail.app does not"
                or _edition(kb, doc, best, mention)  # "Thunderbird ... Thunderbird for Android"
            )
        ):
            best, best_score = mention, score
    if best is None and clients and all(_own_webmail_in_use(kb, doc, m) for m in clients):
        # "cannot send email from webmail", "my Roundcube account": with no other program
        # named, the mailbox's web access is where the customer reads and sends
        return clients[0]
    if best is not None and doc is not None and _service_name(kb, doc, best):
        dedicated = [
            (m, score)
            for m, score in scores
            if score >= best_score - 1 and score > 0 and _dedicated_program(kb, m)
        ]
        if dedicated:
            return max(dedicated, key=lambda pair: pair[1])[0]
    return best


def _numbered_as(kb: KnowledgeBase, generic: Optional["Mention"], named: "Mention") -> bool:
    """The program a generic name with a number is (kb `with_version`: "Mail 8.2" is Apple
    Mail), named too: the name says it better."""
    spec = kb.clients.get(generic.value, {}) if generic is not None else {}
    return spec.get("with_version") == f"client/{named.value}"


def _edition(
    kb: KnowledgeBase, doc: Optional["Doc"], program: Optional["Mention"], named: "Mention"
) -> bool:
    """The program's edition for another device (kb `edition_of`), named apart from it too:
    "Thunderbird blocked ... Thunderbird for Android is blocked" is about the Android app, and
    so is "In Thunderbird Desktop they collapse ... in Thunderbird Android they don't" (the
    desktop edition by its name: the phone's is compared with it), while "only with Thunderbird
    and K9" names two programs, "Thunderbird 128 ... Thunderbird for Android" the release and
    "Thunderbird on my PC" the desktop program, said where it runs (unless the trouble is said
    of the edition: "Thunderbird at the desktop ... Thunderbird for Android can't see them")."""
    if program is None or kb.clients.get(named.value, {}).get("edition_of") != program.value:
        return False
    if doc is None or versioned(doc, program):
        return False
    after = [t.lower_ for t in doc[program.token_end : program.token_end + 3]]
    if set(after) & (DEVICES | DESKTOPS) and after[:1] != ["desktop"]:
        if not set(clause_after(doc, named)) & (TROUBLE | PROBLEM):
            return False  # "Thunderbird on my PC has this issue. Is Thunderbird for Android too?"
    first, second = sorted((program, named), key=lambda m: m.token_start)
    between = {t.lower_ for t in doc[first.token_end : second.token_start]}
    return not between <= BETWEEN_TWO


def _generic(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A generic name ("mail", "the mail app"): which program depends on the device."""
    return bool(kb.clients.get(mention.value, {}).get("generic"))


def own_webmail(kb: KnowledgeBase, mention: "Mention") -> bool:
    """The web access of the customer's own mail server ("webmail", Roundcube, SOGo), not a
    provider's website (Gmail, Outlook.com)."""
    spec = kb.clients.get(mention.value, {})
    return bool(spec.get("server_web")) or (
        spec.get("guide") == "uncovered/webmail" and not spec.get("account")
    )


# Words for what else a customer may read mail with: "... but not in the app", "my computer"
ELSEWHERE = PROGRAM_WORDS | {"apps", "application", "mailer", "computer", "pc", "laptop"}
ELSEWHERE |= {"desktop", "phone", "iphone", "ipad", "mac", "device", "outlook", "thunderbird"}


def _something_else_used(doc: "Doc", mention: "Mention") -> bool:
    """Whether the message names something else to read mail with besides the name ("I can
    log in on webmail, but I can't send" is about the webmail itself)."""
    return any(
        t.lower_ in ELSEWHERE for t in doc if not mention.token_start <= t.i < mention.token_end
    )


def _can_do_there(doc: "Doc", mention: "Mention") -> bool:
    """ "... but I can see them in webmail": the name's clause says the customer can do it
    there (a wider reach than the words right before the name)."""
    words = as_works(clause_before(doc, mention, reach=8))
    return "works" in words and not set(words) & TROUBLE


def _own_webmail_in_use(kb: KnowledgeBase, doc: Optional["Doc"], mention: "Mention") -> bool:
    """The customer's own webmail, not negated and not only said to work ("webmail works")."""
    said_to_work = doc is not None and doc.user_data.get(("webmail works", mention), False)
    return own_webmail(kb, mention) and not mention.negated and not said_to_work


def _mailbox_site(kb: KnowledgeBase, mention: Optional["Mention"]) -> bool:
    """A mail service's website or app (kb `account`): "the webmail", "on Gmail"."""
    return mention is not None and bool(kb.clients.get(mention.value, {}).get("account"))


def _program(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A mail program of its own: no service, no generic name, no unknown name, no mail
    server's suite or gateway (kb `server_suite`, `gateway`: "outlook ... synced to zimbra")."""
    return mention.value != "unknown-program" and _a_program(kb.clients.get(mention.value, {}))


def _a_program(spec: Dict[str, Any]) -> bool:
    """Whether a client of the catalogue is a mail program of its own: no service (kb
    `account`, which every mailbox's web access is too), no generic name, no server's suite or
    gateway."""
    return not (spec.get("account") or spec.get("generic") or _serves_a_program(spec))


def _serves_a_program(spec: Dict[str, Any]) -> bool:
    """A helper between a mail program and the server (kb `gateway`: a bridge, a proxy) or a
    mail server's suite (kb `server_suite`: SOGo, Zimbra): no program of its own."""
    return bool(spec.get("gateway") or spec.get("server_suite"))


def _service_name(kb: KnowledgeBase, doc: "Doc", mention: "Mention") -> bool:
    """The brand of a mail service too, said without a version ("Outlook", not "Outlook 2016"),
    or a suite that is the service as well ("Office 365", "M365")."""
    spec = kb.clients.get(mention.value, {})
    return bool(spec.get("also_a_service")) and (_suite(mention) or not versioned(doc, mention))


def _suite(mention: "Mention") -> bool:
    """Named as an Office suite ("Office 365", "MS Office", "M365"), often the account."""
    phrase = mention.alias.phrase if mention.alias else ""
    return phrase.startswith(SUITES) or "365" in phrase


def versioned(doc: Optional["Doc"], mention: Optional["Mention"]) -> bool:
    """A program named with its version ("Outlook 2010", "Thunderbird 140.0.1")."""
    if mention is None or doc is None:
        return False
    following = doc[mention.token_end].text if mention.token_end < len(doc) else ""
    return bool(mention.alias and mention.alias.version) or bool(VERSIONISH.match(following))


def _dedicated_program(kb: KnowledgeBase, mention: "Mention") -> bool:
    """A program the guides do not cover: no mail service, generic name, server's suite or
    gateway (`_program`)."""
    return not kb.has_guide(mention.value) and _program(kb, mention)


def _named(clients: List["Mention"]) -> Set[int]:
    """The token positions the client mentions cover."""
    return {i for m in clients for i in range(m.token_start, m.token_end)}


BETWEEN_TWO = {"or", "and", ",", "/", "&", "either", "in", "on", "with", "the"}


def alternative(
    kb: KnowledgeBase, clients: List["Mention"], doc: Optional["Doc"], chosen: Optional["Mention"]
) -> Optional["Mention"]:
    """A second program named in the same breath as the chosen one, just as salient: the
    message does not say which has the problem ("Thunderbird or Apple Mail", "in Outlook and
    Thunderbird"). None when one of them stands out."""
    if doc is None or chosen is None:
        return None
    named = _named(clients)
    best = _score(kb, doc, chosen, named)
    for mention in clients:
        if mention.value == chosen.value or best < 3 or _score(kb, doc, mention, named) != best:
            continue
        first, second = sorted((chosen, mention), key=lambda m: m.token_start)
        between = [t.lower_ for t in doc[first.token_end : second.token_start]]
        if not (between and set(between) <= BETWEEN_TWO and set(between) & {"or", "and", "/", "&"}):
            continue
        later = {m.value for m in clients if m.token_start >= second.token_end}
        if chosen.value in later and mention.value not in later:
            continue  # "via Outlook or Outlook Express ... Outlook takes minutes": Outlook's
        return mention
    return None


def device_cue(doc: "Doc", mention: "Mention") -> int:
    """+1 where the trouble is ("not on my Mac"), -1 where it works ("my iPhone works fine",
    "it works very well with my Android phone", "no problem from my iPhone")."""
    words = without_no_problem(
        [t.lower_ for t in doc[max(0, mention.token_start - 7) : mention.token_start]]
    )
    after = without_no_problem(
        as_works([t.lower_ for t in doc[mention.token_end : mention.token_end + 4]])
    )
    if set(after_last(words, CLAUSE_ENDS | {","})) & (TROUBLE | PROBLEM):
        return 1  # "I can't send from my phone": not "can't send from my iPad, my Mac works"
    if _not_able(doc, mention) and not set(after[:3]) & WORKS:
        return 1
    clause = after_last(words, CLAUSE_ENDS)
    if set(after_last(clause, {","})) & WORKED and not set(clause) & TROUBLE:
        return -1  # (not "My iPhone still works, the Mac stopped sending")
    for index, word in enumerate(after):
        if word in WORKS and not set(after[max(0, index - 2) : index]) & TROUBLE:
            later = [t.lower_ for t in doc[mention.token_end : mention.token_end + 8]]
            later = later[: later.index("but")] if "but" in later else later
            # "worked", "... fine for years", "used to send fine", "was working fine until"
            long_ago = word == "worked" or set(later) & (LONG_USE | FORMERLY)
            if long_ago and _fails_now(doc, mention.token_end + index + 1):
                return 1  # "my iPhone worked for years but now it won't send"
            return -1
        if word in TROUBLE:
            return 1  # "the iPhone won't", "my Mac fails"
        if word in (".", "but", ";", ","):
            break
    # "used thunderbird on pc for years no probs", "I've used my Mac for years, now the iPhone
    # won't send": where it has long worked (this clause only; trouble said of it came first)
    ahead = next((after[:i] for i, w in enumerate(after) if w in CLAUSE_ENDS | {","}), after)
    if set(after_last(clause, {","})[-4:]) & LONG_USE or set(ahead) & LONG_USE:
        return 0 if _fails_now(doc, mention.token_end) else -1
    return 0


def _denied(doc: "Doc", mention: "Mention") -> bool:
    """ "Thunderbird for PC, not Android", "..., not on my iPhone": a "not" of no verb of its
    own right before the device (skipping "for", "on", "my"), after a comma or clause start."""
    i = mention.token_start - 1
    while i >= 0 and doc[i].lower_ in DENIAL_SKIPS:
        i -= 1
    if i < 0 or doc[i].lower_ not in ("not", "nicht", "non", "no"):
        return False
    return (
        i == 0
        or doc[i - 1].text in (",", ";", "(", "-", ".")
        or doc[i - 1].lower_ in ("and", "but")
    )


def _not_used_there(doc: "Doc", mention: "Mention") -> bool:
    """ "I don't have T-bird on my iPad (yet)": the program is not used on the device at all,
    which is no trouble there."""
    words = after_last(
        [t.lower_ for t in doc[max(0, mention.token_start - 7) : mention.token_start]], CLAUSE_ENDS
    )
    return any(
        w in NOT_USED and set(words[max(0, i - 2) : i]) & NOT_BEFORE for i, w in enumerate(words)
    )


def _not_able(doc: "Doc", mention: "Mention") -> bool:
    """ "I am no longer able to send a picture from my iPhone": in the device's clause (7 words
    before it), "able to" + a mail verb, negated up to 3 words before "able" (further back than
    device_cue's own check reads); not "not able to afford an iPhone"."""
    start = max(0, mention.token_start - 7)
    clause = after_last([t.lower_ for t in doc[start : mention.token_start]], CLAUSE_ENDS | {","})
    for i, word in enumerate(clause):
        if word == "able" and set(clause[i + 1 : i + 4]) & CAN_DO:
            able = mention.token_start - len(clause) + i
            negation = {t.lower_ for t in doc[max(0, able - 3) : able]}
            return bool(negation & (TROUBLE | {"longer"}))
    return False


def _fails_now(doc: "Doc", start: int) -> bool:
    """Whether the sentence from `start` goes on to say that it fails now: "(worked for years)
    but now it won't send", "until yesterday, now it fails", "(for years) and it suddenly
    stopped sending" (not another device's trouble)."""
    words = []
    for token in doc[start : start + 12]:
        if token.text in (".", "!", "?", ";"):
            break
        words.append(token.lower_)
    turn = next((i for i, w in enumerate(words) if w in TURNS), None)
    if turn is None:
        return False
    rest = words[turn:]
    trouble = next((i for i, w in enumerate(rest) if w in TROUBLE), None)
    # (not another device's trouble: "my iPhone worked fine, but the Mac won't send")
    return trouble is not None and not set(rest[:trouble]) & (DEVICES | DESKTOPS)


# "used to send fine", "was working fine until last week": it worked before
FORMERLY = {"used", "was", "were", "until", "till"}
# ... and then it changed: "but now it won't", "and it suddenly stopped", "since yesterday"
TURNS = {"but", "until", "till", "now", "and", "since", "today", "suddenly", "recently", "lately"}
# "I have been using tb for years on pc": used there for long, so it works there
LONG_USE = {"years", "decades", "ages"}


# "from webmail I can send", "in Outlook I can connect": it works there
CAN_DO = {"send", "receive", "read", "connect", "login", "log", "access", "see", "get", "sync"}


def as_works(words: List[str]) -> List[str]:
    """ "I can send", "could connect" become "works" (not after a negation: "can't send")."""
    out = list(words)
    for index in range(len(out) - 1):
        if out[index] in ("can", "could") and out[index + 1] in CAN_DO:
            out[index] = "works"
    return out


def without_no_problem(words: List[str]) -> List[str]:
    """ "no problem", "without any issues": said where it works, so "fine", not trouble."""
    out: List[str] = []
    for word in words:
        if word in PROBLEM and out and out[-1] in ("no", "without", "any"):
            while out and out[-1] in ("no", "without", "any"):
                out.pop()
            word = "fine"
        out.append(word)
    return out


def choose_platform(
    platforms: List["Mention"],
    attached: List["Mention"],
    doc: Optional["Doc"],
    mobile: AbstractSet[str] = frozenset(),
) -> Optional[str]:
    """The device said with the chosen program; else the one with the problem; else the last.

    None when every device is only said to work ("it works on my Android phones, but not in
    Outlook 2013": the Outlook on the computer has the problem; "email works on ipad, phone,
    but not on desk top computer": the program is still to be asked).
    """
    if not platforms:
        return None
    if doc is None:
        return attached[0].value if attached else platforms[-1].value
    cues = {m: device_cue(doc, m) for m in platforms}
    emulated = [
        m for m in platforms if m.alias is not None and m.alias.context == EMULATOR and cues[m] >= 0
    ]
    named_for = attached and doc[attached[0].token_start - 1].lower_ == "for"
    if emulated and not named_for:  # not "Outlook for Mac ... the one in Parallels works"
        return emulated[0].value  # "Eudora in Wine on Ubuntu": the program runs in Windows
    if attached and cues[attached[0]] == 0 and attached[0].value in DESKTOP_PLATFORMS:
        # "In TB for PC they collapse, but in Android I am not able to": a phone or tablet
        # with the trouble, not only denied ("Thunderbird for PC, not Android")
        troubled = [
            m
            for m in platforms
            if m.value in mobile
            and cues[m] > 0
            and not _denied(doc, m)
            and not _not_used_there(doc, m)
        ]
        if troubled:
            return troubled[-1].value
    if attached and not (cues[attached[0]] < 0 and max(cues.values()) > 0):
        return attached[0].value  # unless it works there and another device has the trouble
    if max(cues.values()) < 0:
        return None
    # max() keeps the first of equals: reversed, so the last mention wins a tie as before
    return max(reversed(platforms), key=cues.__getitem__).value
