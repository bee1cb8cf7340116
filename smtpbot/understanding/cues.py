"""Words the salience rules read around a mention.

Language, not knowledge: kb/clients.yml holds the names of programs, services and devices;
these lists hold the words customers put around them (what marks an account, a service, a
port, a count, a date, trouble or success). salience.py and context.py read them.
"""

from __future__ import annotations

import re

# "the Foo app", "Foo mail client", "as my mail program": a program's name comes before these.
PROGRAM_WORDS = {"app", "client", "program"}
# ... and in Chinese, written unspaced before what follows: "mail程序不能..." ("mail program")
CJK_PROGRAM_WORDS = ("程序", "应用", "客户端")
# Chinese, Japanese or Korean script: a Latin word inside such text is a name ("在evolution的")
CJK_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Words that join the items of a list: "Catalina & Big Sur", "Outlook 2007 and 2010"
LIST_JOINERS = {"and", "&", "or", ",", "/"}
# ... a range's: "Outlook 2000 - 2003", "2007–2010"
RANGE_JOINERS = {"-", "–", "—"}
# "Outlook 2007 and up", "2010 or later": a range with no end
OPEN_ENDS = {"up", "later", "newer", "above", "higher", "upwards", "after"}
# Words after an account's name that make it the program itself: "the Gmail app".
AS_PROGRAM = {"app", "apps", "client", "website", "site", "web", "webmail", "interface"}
AS_PROGRAM |= {"program", "application", "inbox", "page", "browser", "chrome", "firefox", "safari"}
AS_PROGRAM |= {"edge"}  # "gmail in the browser", "outlook.com in Chrome": the website
AS_PROGRAM |= {"pwa"}  # "Outlook (PWA)": the website installed as an app
AS_PROGRAM |= {"pane"}  # "in Outlook.com reading pane": the website's window
AS_PROGRAM |= {"ui", "gui", "compose"}  # "in the gmail UI", "the Gmail compose window": its screens
AS_PROGRAM |= {"layout", "redesign"}  # "the new gmail layout": its screens, redesigned
AS_PROGRAM |= {"webclient", "webapp", "webui", "webinterface"}  # "the Google Mail webclient"
# "the FlowCrypt extension for Gmail": a browser add-on for the website, which is then the program
BROWSER_ADD_ONS = {"extension", "extensions", "plugin", "plugins", "addon", "addons"}
# ... and a service's name for its website: "Outlook Online", "Outlook Live" (kb aliases)
SITE_NAMES = {"online", "live"}
# ... and for a desktop app of it: "Gmail Desktop" (third-party wrappers of the website)
DESKTOP_APP = {"desktop"}
# An Office suite after these is the account's server it reaches: "send through Office365"
SUITE_REACHED_BY = {"through", "via", "to", "for"}
# ... not what is subscribed, licensed or updated to: "my license for office 365 expired"
SUBSCRIBED = {"license", "licence", "licenses", "licences", "subscription", "subscriptions"}
SUBSCRIBED |= {"subscribed", "update", "upgrade", "renewed", "paid", "bought", "signed", "family"}
# The subscription's number between a name and "account": "my Outlook 365 account"
SUITE_NUMBER = re.compile(r"^(?:365|360)(?:\.com)?$")
APP_DEVICES = {"ipad", "iphone", "android"}
APP_SYSTEMS = APP_DEVICES | {"ios", "ipados", "mobile"}
QUOTES = {'"', "'", "“", "”", "‘", "’", "«", "»", "「", "」"}  # around a name: '"outlook" account'
# Words after a name that make it the account, not the program: "my Outlook address".
ACCOUNT_WORDS = {"account", "accounts", "tenant", "address", "addresses", "mailbox", "domain"}
ACCOUNT_WORDS |= {"subscription", "login", "id", "password", "server", "servers", "email"}
ACCOUNT_WORDS |= {"emails"}  # "my Outlook emails": the messages of the account
# After "app", these make it the account's password for apps, not an app: "Gmail app
# password", "app-specific password" (see context.app_password_at)
APP_PASSWORD = {"password", "passwords", "passcode"}
# The kind of an account, between a service's name and "account": "outlook personal account"
ACCOUNT_KINDS = {"personal", "private", "work", "business", "school", "family"}
# Before "to"/"with" and a service's name, these make it the server reached, not the program
SIGN_IN = {"connect", "connects", "connecting", "connected", "authenticate", "authenticates"}
SIGN_IN |= {"authenticating", "login", "log", "logging", "logon", "sign", "signing"}
# The kind of a server, between a service's name and "server": "the Outlook SMTP server"
SERVER_KINDS = {"smtp", "imap", "pop", "pop3", "mail", "email", "-", "outgoing", "incoming"}
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


# Before a name, these make it the account too: "Account office 365", "cuenta de Outlook".
ACCOUNT_BEFORE = {"account", "accounts", "cuenta", "cuentas", "compte", "comptes", "konto"}
ACCOUNT_BEFORE |= {"conto", "conta", "contas", "kontos"}
# ... with an Italian article elided onto it: "dall'account outlook", "l'account Gmail"
ACCOUNT_BEFORE |= {
    f"{article}{quote}account"
    for article in ("l", "dall", "dell", "nell", "sull", "all")
    for quote in ("'", "’")
}
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
# What a program keeps besides mail, synced to other devices' own apps: "Outlook contacts"
PROGRAM_DATA = {"contact", "contacts", "calendar", "calendars", "signature", "signatures"}
PROGRAM_DATA |= {"folder", "folders", "event", "events", "task", "tasks", "notes", "reminders"}
# Before a generic "mail", these make it the noun: "can't receive mail", "Send Mail Fails" (not
# a capitalised "Mail" after a lower-case verb: "then I check Mail > Settings")
MAIL_VERBS = {"send", "sending", "sends", "receive", "receiving", "receives", "check", "checking"}
MAIL_VERBS |= {"read", "reading", "fetch", "fetching", "download", "downloading", "forward"}
# ... and these before a lower-case "mail" only ("Compose Mail crashes on my Mac" is the app)
WRITE_VERBS = {"compose", "composing", "write", "writing", "delete", "deleting", "forwarding"}
# "getting mail from Google" (not "Cannot Get Mail", Apple's alert, nor "get mail to work")
GET_VERBS = {"get", "gets", "getting", "got"}
WRITE_VERBS |= GET_VERBS
# ... and these, what is done to a store of mail, when a place follows: "exporting mail from
# Outlook for Mac" (not "when I try to export mail freezes on my Mac")
STORE_VERBS = {"export", "exporting", "exported", "import", "importing", "imported", "archive"}
STORE_VERBS |= {"archiving", "migrate", "migrating", "transfer", "transferring", "backup"}
STORE_PLACES = {"from", "to", "into", "out", "via"}
# After a "mail" that is not a name (lower case, or first in the message), these make it a noun
# of mail, not the program: "mail folders", "Mail Toolbar Gone" ("mail messages" stays: "mail
# messages stuck in the outbox on my iPad" is the iPad's Mail; so do the Mail app's own
# features: "Mail filters work, but sending fails on my Mac")
# A program's plug-ins: "the mail plugin" is the Mail program's (spaCy splits "plug-in")
PLUG_INS = {"plugin", "plugins", "plug", "bundle", "bundles"}
MAIL_NOUNS = {"folder", "folders", "item", "items", "traffic", "flow"}
MAIL_NOUNS |= {"delivery", "storage", "quota", "archive", "archives", "backup", "backups", "files"}
MAIL_NOUNS |= {"toolbar", "toolbars", "header", "headers", "merge", "box", "boxes"}
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
# "brought over from Eudora" is a move, "the update brought a problem" none: only before these
BROUGHT_ON = {"over", "across", "in", "from"}
# Words after a year that make it an event's or a report's: "Outlook 2015 conference"
EVENT_WORDS = {"conference", "conferences", "summit", "event", "events", "webinar", "keynote"}
EVENT_WORDS |= {"report", "reports", "forecast", "survey", "award", "awards", "roadmap", "meetup"}
EVENT_WORDS |= {"seminar", "seminars", "catalog", "catalogue", "newsletter", "presentation"}
EVENT_WORDS |= {"campaign"}
# A date goes on after its year: "2017-03-04", "2022/05/01" (and "2017年3月", "2018 Jan 5")
DATE_PARTS = {"-", "/", "."}
# Before "Outlook", these make it a forecast's title: "Economic Outlook 2018", "Market Outlook"
FORECASTS = {"economic", "quarterly", "annual", "market", "global", "energy", "industry"}
FORECASTS |= {"financial", "investment", "weather", "business", "mid-year", "midyear", "yearly"}
# "I upgraded from Outlook 2003 to Outlook 2007": the release upgraded to is the one in use
# (not "upgrading": "thinking about upgrading"); an update moves only the name right after it
# ("After it updated I cannot send from Thunderbird" moved nothing)
UPGRADED = {"upgraded", "updated"}
# "the recipient uses Outlook", "sent to people on Outlook 2007": the other end's program
RECIPIENTS = {"recipient", "recipients", "receiver", "receivers", "addressee", "addressees"}
RECIPIENTS |= {"recipient's", "recipients'", "empfänger", "destinataire", "destinatario"}
RECIPIENTS |= {"destinatari", "destinatarios", "ontvanger", "modtager", "modtageres", "mottaker"}
# "the recipient address field", "recipient suggestions": the sender's own program's fields
RECIPIENT_FIELDS = {"field", "fields", "suggestion", "suggestions", "line", "box", "autocomplete"}
RECIPIENT_FIELDS |= {"autocompletion", "completion"}
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
# Right before a program, these say it is gone: "I uninstalled outlook and now use thunderbird"
REMOVED = {"removed", "uninstalled", "deleted"}
TRIED = {"tried", "try", "tested", "test", "checked", "installed"}
# "like in thunderbird", "unlike Outlook", "compared to Mail": a comparison, not the program
COMPARED = [["like", "in"], ["like", "with"], ["like", "on"], ["unlike"]]
COMPARED += [["compared", "to"], ["compared", "with"], ["similar", "to"], ["as", "in"]]
# What a link or a file does in the wrong program: "links open in mutt instead of Thunderbird"
OPENED = {"open", "opens", "opened", "opening", "launch", "launches", "launched", "starts", "comes"}
# ... the things that open there by themselves
OPENED_THINGS = {"link", "links", "mailto", "attachment", "attachments", "file", "files", "url"}
OPENED_THINGS |= {"urls", "document", "documents", "pdf", "invite", "invites", "invitation"}
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
# Before a device: mail reached it, so it works there ("they arrived on my iPhone")
ARRIVED = {"arrived", "arrive", "arrives", "arriving"}
COME_THROUGH = {"coming", "comes", "come", "came"}  # ... "coming through on my iPhone"
# ... said against the trouble: "coming through on iphone though" (not "only half arrive")
THOUGH = {"though", "tho", "although"}
SOME_ONLY = {"only", "half", "some", "nothing", "none", "never", "twice", "without"}
# An auxiliary that may echo the mail's work said not to happen before: "won't send from
# Thunderbird, but will on my iPhone" (those verbs: MAIL_WORK, below; not "is", "has")
ECHOED_DOING = {"will", "does", "do", "did", "can", "could"}
# ... and the words between an echoed auxiliary and the device: "but will on my iPhone"
DEVICE_PLACE = {"on", "in", "with", "from", "via", "using", "my", "the", "our", "his", "her"}
# Between the devices of a list: "my iPad and iPhone"
LIST_LINKS = {"and", "&", "or", "/"}
# "on my iPhone, still works": skipped after the comma before the verb
STILL = {"still", "also", "it"}
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
# "Thunderbird won't send but Outlook does", "... while in Mail it can": a bare auxiliary after
# the name, in a clause set against the one before, repeats that clause's verb without its
# "not": it works there.
ECHOED = {"does", "do", "did", "can", "could", "will", "is", "was", "are", "has", "have"}
SET_AGAINST = {"but", "while", "whereas", "although", "though"}
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
# ... a count one word before its things comes after these: "to 2 hotmail accounts"
COUNT_AFTER = {"to", "with", "have", "has", "had", "my", "our", "all", "and", "for", "on", "in"}
COUNT_AFTER |= {"from", "of", "between", "across", "into", "these", "those", "both", "about", "("}
# ... and one word after it, these plural things: "2 hotmail accounts", "3 work addresses"
COUNTED_THINGS = {"accounts", "addresses", "emails", "e-mails", "mails", "mailboxes", "messages"}
COUNTED_THINGS |= {"users", "computers", "pcs", "laptops", "devices", "phones", "inboxes"}
# ... or right after an owner, these things (one of them too: "on my 2 computer" is a typo):
# "my 3 accounts", "our 2 pc"
OWNED_COUNT = {"my", "our", "his", "her", "their", "both", "these", "those"}
COUNTED_THINGS_ONE = {"account", "address", "computer", "pc", "laptop", "device", "phone", "inbox"}
# ... and a verb between a number and a name after it makes the number its subject's: "Mitchell 1
# uses Thunderbird"
USED_BY_VERBS = {"uses", "use", "used", "using", "needs", "requires", "supports", "opens"}
USED_BY_VERBS |= {"launches"}
# Between a number and a name after it, these make the number another thing's: "activesync
# v.2.5 in thunderbird", "KeePass 2 with Outlook"
PLACED_IN = {"in", "on", "with", "for", "from", "to", "into", "under", "at", "via"}
# A title's end, where a thread's title is joined to its first post ("outlook? ... Is there"):
# the elision marks of a trimmed message, after which a new part starts
TITLE_ENDS = {"...", "…"}
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
LISTS_OF_PEOPLE = {"address", "contact", "contacts", "phone"}  # "address book": not a novel
PROSPECTS_OF = {"our", "the", "your", "their", "this", "next", "his", "her", "a", "2024", "2025"}
PROSPECTS_OF |= {"us", "investors", "business", "economy", "market", "company", "future"}
DEVICES = {"mac", "macs", "macbook", "imac", "pc", "pcs", "iphone", "ipad", "windows", "android"}
# ... and where a desktop program runs: "Thunderbird on Linux", "Thunderbird on my laptop"
DESKTOPS = {"linux", "ubuntu", "computer", "laptop", "desktop", "notebook", "macos", "osx"}
# A move said of the devices a program is on: "from my old computer with Windows Live Mail to
# my new computer with Thunderbird". The words before the program, the devices, and the words
# allowed between "from"/"to" and the device (read first: "a" is also the Italian "to").
MOVED_WITH = {"with", "running", "using"}
MOVED_DEVICES = DEVICES | DESKTOPS | {"machine", "machines", "computers", "laptops"}
MOVED_DEVICE_FILLER = {"my", "our", "the", "a", "an", "old", "new", "previous", "current"}
MOVED_DEVICE_FILLER |= {"former", "other", "work", "home", "office", "family"}
MOVED_DEVICE_REACH = 5  # words between "from"/"to" and the program: "from my old work PC with"
# ... and the move's other end, in the same sentence: "to" after the program (English only: the
# Italian "a" of MOVED_TO is the English article here), a "from" before the "to"
MOVED_ON_TO = {"to", "into"}
MOVED_ON_TO_REACH = 12  # words after the program
MOVED_FROM_REACH = 15  # words before the "to"
SENTENCE_ENDS = {".", ";", "!", "?"}
# Between the parts of a title ("VPS | Mail bouncing"), where spaCy sees a symbol, not punctuation
TITLE_SEPARATORS = {"|", ">"}
SMTP_CODE = re.compile(r"^[45]\d\d$")
STATUS = re.compile(r"^[245]\.\d{1,3}\.\d{1,3}$")
DAY = re.compile(r"^\d{1,2}$")
# The kb context rule of Windows run by Wine, Parallels, CrossOver...: the program is Windows'
EMULATOR = "emulator"


HELD_IN = {"in", "into", "inside", "through", "via"}  # "outlook in Thunderbird"
# ... and "on" before a program ("Outlook on Thunderbird"; not "Outlook on Comcast", "on Zimbra":
# the account or server it sends through)
HELD_ON = {"on"}
PROGRAM_DETERMINERS = {"the", "my", "a", "an", "our"}


ADDRESS = re.compile(r"(?:^@|@\S|^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$)", re.IGNORECASE)


# Words of saying what one uses, around a name or a number that is the whole message ("it's
# gmail", "I'm using 2016"): the core of every filler set (mentions.FILLER,
# selection.ANSWER_FILLER). Typed "im", "thats": spaCy parts them into "i" + "m", "that" + "s".
SAYING = {"i", "i'm", "im", "'m", "m", "am", "it", "it's", "its", "'s", "s", "is", "use", "using"}
SAYING |= {"the", "a", "my", "yes", "ok", "that"}
# Words around an account's name that leave the message "just the name" ("it's gmail").
ACCOUNT_FILLER = SAYING | {"just", "okay", "mail", "email", "webmail", "with"}


# Words for what else a customer may read mail with: "... but not in the app", "my computer"
ELSEWHERE = PROGRAM_WORDS | {"apps", "application", "mailer", "computer", "pc", "laptop"}
ELSEWHERE |= {"desktop", "phone", "iphone", "ipad", "mac", "device", "outlook", "thunderbird"}


BETWEEN_TWO = {"or", "and", ",", "/", "&", "either", "in", "on", "with", "the"}


# "used to send fine", "was working fine until last week": it worked before
FORMERLY = {"used", "was", "were", "until", "till"}
# ... and then it changed: "but now it won't", "and it suddenly stopped", "since yesterday"
TURNS = {"but", "until", "till", "now", "and", "since", "today", "suddenly", "recently", "lately"}
# "I have been using tb for years on pc": used there for long, so it works there
LONG_USE = {"years", "decades", "ages"}


# "from webmail I can send", "in Outlook I can connect": it works there
CAN_DO = {"send", "receive", "read", "connect", "login", "log", "access", "see", "get", "sync"}
# ... and, echoed by "but will on my iPhone" after a "not" (see ECHOED_DOING)
MAIL_WORK = CAN_DO | {"work", "download", "load", "fetch"}
