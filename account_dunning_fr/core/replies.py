"""What a customer's answer to a payment reminder says.

``classify(subject, body, headers, today)`` reads a reply written in French
or English and returns a ``Reply`` of one kind, or None for an automatic
reply (an out-of-office, an acknowledgement: see ``reply_text``):

* ``paid``: the customer says it has paid ("réglé le 02/12", "virement
  effectué", "le chèque est parti", "payment sent on", "we paid");
* ``promise``: it says it will pay ("nous réglerons le 15/12", "virement
  prévu le", "je vais payer demain", "we will pay on", "by the end of the
  month");
* ``dispute``: it contests the claim ("nous contestons", "non conforme",
  "jamais livré", "TVA erronée", "déjà un avoir", "we dispute", "damaged"),
  or refuses to pay ("nous ne paierons pas", "we won't pay until …"), with a
  reason: ``not_conform`` (goods or service not as ordered, damaged,
  defective), ``not_received`` (goods or service never delivered),
  ``wrong_amount`` (price, VAT, discount, double billing), ``already_credited``
  (a credit note already cancels it) or ``other`` (the first of these
  stated wins; ``other`` when the customer only contests or refuses);
* ``question``: anything else (a request for the bank details, a copy of
  the invoice, which invoice it is): a person reads it.

The phrases are in ``reply_phrases``, in words the accountant can check.
What the rules decide, and why:

1. Only the customer's own words are read: the reminder quoted below them
   would make every reply "already paid" and "disputed" (``reply_text``).
2. A phrase does not count when it is negated within a few words of the
   same clause ("nous ne contestons pas", "pas encore réglé", "not yet
   paid", "we do not dispute"), except a phrase that carries its own
   negation ("pas reçu la marchandise", "never delivered"). "ne … que" is
   a restriction, not a negation ("nous ne pourrons payer que le 20"),
   and so is a day before which nothing comes ("nous ne paierons pas
   avant le 20/12" promises the 20th).
3. "Paid" and "dispute" stop the reminders, so a wrong one costs the
   company its money or its customer: their phrases count only as
   statements, not in a condition ("si vous avez déjà réglé", "if you
   dispute"), a question ("c'est réglé ?"), a general rule ("nos
   règlements sont effectués le 10 de chaque mois") or a hedge ("je
   pensais avoir payé", "I think we paid"). When unsure, the answer is
   ``question``. A transfer named by its date is a statement even in a
   question ("avez-vous reçu notre virement du 01/12 ?").
4. Tense decides between paid and promise: "le paiement a été effectué" is
   paid, "le paiement sera effectué" and "it will be paid" are promises.
5. When a reply states several intents, the strongest wins: dispute >
   paid > promise > question. A dispute must reach the accountant even
   when the customer paid another invoice in the same mail ("nous avons
   réglé la FAC/0012 mais contestons la FAC/0019"); a payment already made
   outweighs a promise for the rest ("nous avons réglé 500 € et réglerons
   le solde le 20/12").
6. The date is the one stated nearest the winning phrase in its sentence
   (after it first): the day paid, read as a past day, or the day
   promised, read as a future day (``reply_dates``); for "je viens de
   payer" it is today. The amount is the one stated nearest the phrase,
   in its sentence first (``reply_figures``). Disputes and questions carry
   neither.
7. An automatic-reply header always wins; out-of-office wording makes a
   reply automatic only when no payment, promise or dispute is read in it
   ("de retour de congés, je vous confirme le virement du 01/12" is paid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .reply_dates import find_dates
from .reply_figures import find_amounts, find_reference
from .reply_phrases import FUTURE_VERB, RULES
from .reply_text import answer_text, automatic_header, fold, language, out_of_office, subject_text

KINDS = ("paid", "promise", "dispute", "question")
REASONS = ("not_conform", "not_received", "wrong_amount", "already_credited", "other")
PRIORITY = ("dispute", "paid", "promise")


@dataclass(frozen=True)
class Reply:
    """What the customer's answer says (see the module's docstring).

    ``kind``: one of KINDS; ``date``: the day paid (``paid``) or promised
    (``promise``), else None; ``amount``: the amount paid or promised, when
    stated; ``reference``: the payment reference stated ("VIR-2026-1203");
    ``dispute_reason``: one of REASONS for a dispute, else None;
    ``evidence``: the phrases read, in the customer's words, for the
    accountant.
    """

    kind: str
    date: date | None = None
    amount: Decimal | None = None
    reference: str | None = None
    dispute_reason: str | None = None
    evidence: tuple = field(default=())


@dataclass(frozen=True)
class Hit:
    """A phrase of a rule that counts, at [start, end) of the text."""

    kind: str
    start: int
    end: int
    reason: str | None = None
    today: bool = False


SENTENCE_END = re.compile(r"\n|[.!?]+[ \t]+(?=[A-ZÀ-Ý])|[!?]+")
CLAUSE_END = re.compile(  # a dash between spaces: hyphen, en dash or em dash
    r"\n|[.!?;:,]+(?:\s|$)|\s[-\u2013\u2014]\s|\b(?:mais|but|par\s+contre|however)\b|\("
)
NEGATION = re.compile(
    r"\b(?:ne|pas|jamais|non|aucune?|sans|rien|not|no|never|nor|cannot|neither)\b|\bn'|n't\b"
)
STRONG_NEGATION = re.compile(
    r"\b(?:pas|jamais|plus|point|rien|aucune?|personne|not|no|never)\b|n't\b"
)
RESTRICTION = re.compile(r"^\s*(?:\S+\s+){0,4}?qu(?:e\b|')")  # "ne … que": only
NOT_BEFORE = re.compile(  # "nous ne paierons pas avant le 20", "will not pay until Monday"
    r"^\s*(?:pas\s+|not\s+)?(?:avant|before|until|till)\s+(?:le\s+|the\s+|la\s+)?"
    r"(?:\d|fin\b|end\b|demain|tomorrow|next|prochain|lundi|mardi|mercredi|jeudi|vendredi"
    r"|monday|tuesday|wednesday|thursday|friday)"
)
CONDITION = re.compile(
    r"\b(?:si|s'il|s'ils|if|unless|whether|sinon|once|lorsque|quand|when|des\s+que"
    r"|au\s+cas\s+ou|in\s+case|en\s+cas)\b|\bune\s+fois\b"
)
HEDGE = re.compile(
    r"\b(?:pense|pensais|crois|croyais|semble|normalement|apparemment|peut-etre|think|thought"
    r"|believe|believed|probably|maybe|perhaps|might|may\s+have|should|guess|suppose)\b"
)
GENERAL = re.compile(
    r"\b(?:chaque|every|each|toujours|always|usually|generalement|habituellement|normally"
    r"|normalement)\b|\btous\s+les\b|\ben\s+general\b"
)
FUTURE_MARK = re.compile(
    r"\b(?:sera|seront|serait|va|vont|will|shall|going|allons|vais|wil)\b|'ll\b"
    r"|\b(?:due|set|scheduled|about)\s+to\b"
)
NOT_DONE_MARK = re.compile(
    r"\b(?:etre|be|being|to|get|gets|are|sont|doit|doivent|must|should|devrait|devraient"
    r"|pourra|peut|avant|need|needs|se)\b|\bs'"
)
PRESENT_SUBJECT = re.compile(  # "je règle", "on paye", "la règle", "la paye"
    r"(?:^|\s)(?:je|j'|on|tu|il|elle|la|une|en|les|des|cette|ma|sa|ta|de|du)\s+"
    r"(?:(?:vous|le|la|l'|te|nous)\s+)?$"
)
WHEN = re.compile(
    r"\b(?:prochaine?|next|des\s+que|d'ici|bientot|rapidement|asap|au\s+plus\s+vite|soon"
    r"|demain|tomorrow|aujourd'hui|aujourdhui|today|ce\s+soir|tonight|lundi|mardi|mercredi"
    r"|jeudi|vendredi|monday|tuesday|wednesday|thursday|friday|within)\b"
    r"|\bfin\s+(?:du|de)\s+mois|\bend\s+of\b|\b(?:sous|dans|le|the|on)\s+\d|\d{1,2}/\d{1,2}"
)
WORD = re.compile(r"\S+")


def classify(subject, body, headers=None, today=None):
    """What the reply says, as a Reply, or None for an automatic reply.

    ``headers``: the message's headers by name (any case); ``today``: the
    day the reply is read, which dates without a year are read against
    (the system's today if None)."""
    today = today or date.today()
    if automatic_header(headers):
        return None
    subject, answer = subject_text(subject), answer_text(body)
    text = subject + "\n" + answer
    folded = fold(text)
    sentences = _sentences(text)
    hits = _hits(folded, sentences)
    kind = next((k for k in PRIORITY if any(hit.kind == k for hit in hits)), None)
    reference = find_reference(answer)
    if kind is None:
        return None if out_of_office(folded) else Reply("question", reference=reference)
    chosen = [hit for hit in hits if hit.kind == kind]
    evidence = [text[hit.start : hit.end] for hit in chosen]
    if kind == "dispute":
        reasons = [hit.reason for hit in chosen if hit.reason != "other"] or ["other"]
        return Reply(kind, reference=reference, dispute_reason=reasons[0], evidence=tuple(evidence))
    tense = "past" if kind == "paid" else "future"
    day, day_text = _date(text, folded, today, sentences, chosen, tense)
    amount, amount_text = _amount(text, folded, sentences, chosen)
    return Reply(
        kind,
        date=day,
        amount=amount,
        reference=reference,
        evidence=tuple(evidence + [found for found in (day_text, amount_text) if found]),
    )


def _hits(folded, sentences):
    """Every phrase of RULES that counts (rules 2 to 4), in the order of the text."""
    hits = []
    for rule in RULES:
        for found in rule.pattern.finditer(folded):
            hit = _read(rule, found, folded, sentences)
            if hit:
                hits.append(hit)
    return sorted(hits, key=lambda hit: hit.start)


def _read(rule, found, folded, sentences):
    """The Hit a match makes, or None when rules 2 to 4 set it aside."""
    start, end = found.span()
    clause_start, clause_end, clause_mark = _around(CLAUSE_END, folded, start, end)
    sentence_start, sentence_end = _sentence(sentences, start)
    before = folded[clause_start:start]
    gap = found.groupdict().get("gap")
    if rule.negatable and (
        _negated(folded, start, end, clause_start, clause_end) or NEGATION.search(gap or "")
    ):
        return None
    kind = _tense(found, before) if rule.kind == "tense" else rule.kind
    if kind is None:
        return None
    if rule.careful and kind in ("paid", "dispute"):
        if (
            CONDITION.search(before)
            or GENERAL.search(folded[clause_start:clause_end])
            or HEDGE.search(folded[sentence_start:start])
            or ("?" in clause_mark and gap is None)
        ):
            return None
    if rule.needs_when:
        around = folded[sentence_start:start] + " " + folded[end:sentence_end]
        if "?" in clause_mark or not WHEN.search(around):
            return None
    return Hit(kind, start, end, rule.reason, rule.today)


def _around(pattern, folded, start, end):
    """(start, end, closing mark) of the stretch of text around [start, end)
    between two matches of ``pattern``."""
    left = 0
    for found in pattern.finditer(folded, 0, start):
        left = found.end()
    right = pattern.search(folded, end)
    if right is None:
        return left, len(folded), ""
    return left, right.start(), right.group(0)


def _words_before(text, count):
    words = list(WORD.finditer(text))
    return text[words[-count].start() :] if len(words) >= count else text


def _negated(folded, start, end, clause_start, clause_end):
    """Rule 2: a negation among the 4 words before the phrase, inside it,
    or the word right after it ("je conteste pas"), unless "ne … que" or
    "not before <a day>"."""
    window = _words_before(folded[clause_start:start], 4) + " " + folded[start:end]
    after = folded[end:clause_end]
    next_word = (WORD.findall(after) or [""])[0]
    if not NEGATION.search(window) and next_word not in ("pas", "point", "jamais", "not"):
        return False
    if NOT_BEFORE.search(after):
        return False  # a day before which nothing comes: a date, not a refusal
    return bool(STRONG_NEGATION.search(window + " " + next_word) or not RESTRICTION.search(after))


def _tense(found, before):
    """Rule 4: ``paid``, ``promise`` or None (not a statement of either)."""
    verb = found["verb"]
    gap = found.groupdict().get("gap")
    near = _words_before(before, 3) + " " + (gap or "")
    if gap is None and verb in ("regle", "regles", "paye", "payes"):
        if PRESENT_SUBJECT.search(before):
            return None  # "je règle", "la règle", "la paye": no past participle
    if re.fullmatch(FUTURE_VERB, verb) or FUTURE_MARK.search(near):
        return "promise"
    if NOT_DONE_MARK.search(near):
        return None
    return "paid"


def _sentences(text):
    """(start, end) of each sentence of the text."""
    bounds, start = [], 0
    for found in SENTENCE_END.finditer(text):
        bounds.append((start, found.end()))
        start = found.end()
    bounds.append((start, len(text)))
    return bounds


def _sentence(sentences, position):
    return next(((s, e) for s, e in sentences if s <= position < e), sentences[-1])


def _nearest(mentions, hit, scope, value):
    """The mention within ``scope`` nearest the hit that ``value`` reads,
    those after it first (rule 6), as (mention, value) or None."""
    best = None
    for mention in mentions:
        read = value(mention) if scope[0] <= mention.start < scope[1] else None
        if read is None:
            continue
        if mention.start >= hit.end:
            distance = mention.start - hit.end
        else:
            distance = 2 * max(hit.start - mention.end, 0) + 1
        if best is None or distance < best[0]:
            best = (distance, mention, read)
    return best and best[1:]


def _date(text, folded, today, sentences, hits, tense):
    """The day paid or promised (rule 6) and its words, or (None, None)."""
    mentions = find_dates(folded, today, english=language(folded) == "en")
    for hit in hits:
        found = _nearest(mentions, hit, _sentence(sentences, hit.start), lambda m: m.reading(tense))
        if found:
            return found[1], text[found[0].start : found[0].end]
    if any(hit.today for hit in hits):
        return today, None
    return None, None


def _amount(text, folded, sentences, hits):
    """The amount paid or promised (rule 6) and its words, or (None, None):
    in the phrase's sentence first, else anywhere in the answer."""
    mentions = find_amounts(folded)
    for anywhere in (False, True):
        for hit in hits:
            scope = (0, len(folded)) if anywhere else _sentence(sentences, hit.start)
            found = _nearest(mentions, hit, scope, lambda m: m.amount)
            if found:
                return found[1], text[found[0].start : found[0].end]
    return None, None
