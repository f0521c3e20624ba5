"""What part of a customer's email is its answer, and whether a person wrote it.

A reply to a reminder carries the reminder below it, and the reminder says
"if you have already paid" and "if you dispute this invoice": read whole,
every reply would look paid and disputed. So the answer is cut at the first
reply separator a mail client writes ("Le … a écrit :", "On … wrote:",
"-----Original Message-----", "De : … Envoyé :", "From: … Sent:", a line of
underscores), at a signature ("-- ", RFC 3676 4.3) or a "Sent from my
phone" line, and the lines quoted with ">" are dropped wherever they stand.

An automatic reply is no answer. RFC 3834 5 has the responder mark it with
``Auto-Submitted`` (any value but ``no``); Microsoft and older responders
use ``X-Autoreply``, ``X-Autorespond``, ``X-Auto-Response-Suppress`` and
``Precedence: auto_reply / bulk / junk`` (RFC 3834 3.1.8 tells responders
to respect them). A header is the responder's own statement: it always
wins. Out-of-office *wording* ("je suis absent jusqu'au", "out of office")
is weaker, since a person back from leave writes it too; it makes the
reply automatic only when no payment, promise or dispute is read in it
(the caller decides, ``out_of_office`` only finds the wording).

Matching works on ``fold(text)``: lower case, accents and typographic
apostrophes and spaces flattened, one character for one, so that a match
in the folded text is a slice of the original to show the accountant.
"""

import re
import unicodedata

SEPARATOR = re.compile(
    r"""
    ^[ \t]*-{2,}[ \t]*(?:original\ message|message\ d'origine|forwarded\ message
        |message\ transf[ée]r[ée]|courriel\ d'origine)[ \t]*-{2,}
    |^[ \t]*_{8,}[ \t]*$
    |^[ \t]*(?:de|from)[ \t]*:[^\n]*\n(?:[^\n]*\n)?[ \t]*(?:envoy[ée]|sent|date)[ \t]*:
    |^[ \t]*le\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?\ba\ [ée]crit[ \t]*:
    |^[ \t]*on\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?\bwrote[ \t]*:
    |^--[ \t]?$
    |^[ \t]*(?:envoy[ée]\ de\ mon|sent\ from\ my)\b
    """,
    re.I | re.M | re.X,
)
QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.M)
REPLY_PREFIX = re.compile(r"^(?:\s*(?:re|tr|fw|fwd|aw|rép|rep|réf)\s*(?:\[\d+\])?\s*:\s*)+", re.I)

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\t"}

AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response-suppress")
AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk")

OUT_OF_OFFICE = re.compile(
    r"""
    \b(?:je\ suis|nous\ sommes|actuellement)\s+(?:\w+\s+){0,2}?absente?s?\b
    |\babsente?s?\s+(?:du\ bureau|jusqu|du\ \d|a\ partir)
    |\babsence\ du\ bureau\b|^absente?(?:\(e\))?$
    |\b(?:je\ suis|nous\ sommes|actuellement)\s+(?:\w+\s+){0,2}?en\ (?:conges?|vacances|deplacement
        |formation|arret\ maladie|rtt)\b
    |\ben\ (?:conges?|vacances)\ (?:jusqu|du\ \d|a\ partir)
    |\b(?:reponse|message|mail|courriel)\ automatique\b
    |\bje\ (?:traiterai|repondrai|lirai)\ (?:votre\ message\ |vos\ messages\ )?
        (?:a|des)\ mon\ retour
    |\bmerci\ de\ ne\ pas\ (?:y\ )?repondre\b
    |\bvotre\ (?:message|demande)\b.{0,40}\b(?:bien\ ete\ recue?|enregistree?)
    |\bout\ of\ (?:the\ )?office\b|\bautomatic\ reply\b|\bauto[- ]?reply\b|\bautoreply\b
    |\bon\ (?:annual\ |parental\ |sick\ |maternity\ )?(?:leave|vacation|holiday)\b
    |\baway\ from\ (?:the|my)\ (?:office|desk)\b|\blimited\ access\ to\ (?:e-?mail|my\ e-?mail)
    |\bthis\ (?:is\ an\ automat|mailbox\ is\ not\ monitored)|\bdo\ not\ reply\b|^away$
    |\b(?:genere|envoye)\ automatiquement\b|\bautomatically\ (?:generated|sent)\b
    |\bauto-generated\b|\bautomated\ (?:message|response|reply)\b
    |\b(?:i'm|i\ am|we\ are)\ (?:currently\ )?away\b|\bno\ access\ to\ (?:my\ )?e-?mails?\b
    |\bsans\ acces\ a\ (?:mes|ma)\ (?:mails?|messagerie|courriels?)
    |\bacces\ limite\ a\ (?:mes|ma)\ (?:mails?|messagerie)|\bwill\ not\ be\ forwarded\b
    |\bi\ (?:will|'ll)\ (?:reply|respond|get\ back\ to\ you)\ (?:on|upon|when)\ my\ return
    """,
    re.X | re.M,
)

FRENCH_WORDS = frozenset(
    "le la les des du un une est et nous vous je pas ne que qui pour sur avec facture "
    "bonjour merci cordialement avons ai sera ce cette votre notre au aux en de".split()
)
ENGLISH_WORDS = frozenset(
    "the an is are and we you i not that which for with invoice hi hello dear thanks "
    "regards have has will be this your our to of was been it".split()
)
WORD = re.compile(r"[a-z]+")


def fold(text):
    """Lower case, without accents, one character for each of ``text``."""
    out = []
    for char in (text or "").translate(APOSTROPHES):
        if char in SPACES:
            out.append(" ")
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        base = (base if len(base) == 1 else char).lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def answer_text(body):
    """The customer's own words: the body up to the first reply separator,
    signature or "Sent from my phone" line, without the lines quoted with ">"."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    cut = SEPARATOR.search(body)
    if cut:
        body = body[: cut.start()]
    return QUOTED_LINE.sub("", body).strip()


def subject_text(subject):
    """The subject without its "RE:", "TR:", "Fwd:" prefixes."""
    return REPLY_PREFIX.sub("", subject or "").strip()


def automatic_header(headers):
    """The header that marks the message as sent by a machine ("Name:
    value"), or None (header names are case-insensitive, RFC 5322 1.2.2)."""
    values = {str(k).strip().lower(): str(v or "").strip() for k, v in (headers or {}).items()}
    submitted = values.get("auto-submitted")
    if submitted and submitted.split(";")[0].strip().lower() != "no":
        return "Auto-Submitted: %s" % submitted
    for name in AUTO_HEADERS:
        if name in values and values[name].lower() not in ("no", "false", "0"):
            return "%s: %s" % (name, values[name])
    if values.get("precedence", "").lower() in AUTO_PRECEDENCE:
        return "Precedence: %s" % values["precedence"]
    return None


def out_of_office(folded):
    """The first out-of-office wording in the folded text, or None."""
    found = OUT_OF_OFFICE.search(folded)
    return found.group(0) if found else None


def language(folded):
    """``en`` when English function words outnumber French ones, else ``fr``
    (the customers are French by default)."""
    words = WORD.findall(folded)
    english = sum(word in ENGLISH_WORDS for word in words)
    french = sum(word in FRENCH_WORDS for word in words)
    return "en" if english > french else "fr"
