"""The amounts and the payment reference a customer's reply states.

An amount is a figure the customer marks as money: a currency sign or code
before or after it ("1 234,56 €", "1234.56 EUR", "€1,234.56", "1.234,56
euros", "$1,450") or a word that says so ("montant : 845,20", "amount of
300"). A bare figure is not read: invoice numbers (FAC/2026/0012,
INV-2026-0012), dates and phone numbers are bare figures.

Separators: with both "," and ".", the last one is the decimal point
(1.234,56 and 1,234.56); alone, a separator followed by exactly three
digits groups thousands (1,450 or 1.200: no price in euros has three
decimals), otherwise it is the decimal point (845,20); spaces, non-breaking
ones included, group thousands (1 234,56).

A payment reference is what follows "réf.", "référence", "ref",
"reference", "n° de chèque", "cheque no.", "transaction id", "confirmation
#" and holds a digit ("réf. VIR-2026-1203", "ref BACS 55120"), unless it
names an invoice, an order or a customer account (FAC/…, INV-…, "réf.
client 4471"): those are the company's numbers, not the payment's.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
NUMBER = r"\d{1,3}(?:[ .,']\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
CURRENCY_AFTER = r"\s?(?:€|\beuros?\b|\beur\b|\$|\busd\b|\bdollars?\b|£|\bgbp\b)"
CURRENCY_BEFORE = r"(?:€|\beur\b|\$|\busd\b|£|\bgbp\b)\s?"
AMOUNT = re.compile(
    r"%s(?P<before>%s)(?![\w/])" % (CURRENCY_BEFORE, NUMBER)
    + r"|(?<![\w/.,-])(?P<after>%s)(?=%s)" % (NUMBER, CURRENCY_AFTER)
    + r"|\b(?:montant|somme|amount|total)\s*(?:de\s+|of\s+|:\s*|=\s*)?(?P<said>%s)(?![\w/%%])"
    % NUMBER
)
REFERENCE = re.compile(
    r"(?:\br[ée]f[ée]rences?\b|\breferences?\b|\br[ée]f\b\.?"
    r"|\b(?:ch[èe]que|cheque|check)\s*(?:n°|no\b\.?|num[ée]ro\b|number\b|#)"
    r"|\b(?:transaction|confirmation|wire|remittance)\s*(?:id\b|n°|no\b\.?|number\b|#))"
    r"(?:\s+(?:de\s+|du\s+)?(?:virement|paiement|payment|transfer|transaction)\b)?"
    r"\s*(?:n°|no\b\.?|#|:)?\s*"
    r"(?P<ref>[A-Za-z0-9][A-Za-z0-9_/-]*(?:[ ](?=[A-Za-z0-9]*\d)[A-Za-z0-9]+)*)",
    re.I,
)
NOT_A_PAYMENT = re.compile(
    r"^(?:fac|fact|facture|inv|invoice|av|avoir|cn|po|bc|bl|cmd|commande|order|client"
    r"|customer|dossier|contrat|contract|devis|quote)\b",
    re.I,
)


@dataclass(frozen=True)
class AmountMention:
    """An amount stated at ``[start, end)`` of the text."""

    start: int
    end: int
    amount: Decimal


def parse_number(text):
    """The Decimal a written figure stands for (see the module's docstring)."""
    text = re.sub(r"[ ']", "", text)
    if "," in text and "." in text:
        point = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if point == "," else ",", "").replace(point, ".")
    else:
        for sep in ",.":
            if sep in text:
                parts = text.split(sep)
                if len(parts) > 2 or len(parts[-1]) == 3:
                    text = text.replace(sep, "")
                else:
                    text = text.replace(sep, ".")
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:  # pragma: no cover (the pattern only lets figures through)
        return None


def find_amounts(folded):
    """Every amount stated in the folded text, in order."""
    mentions = []
    for found in AMOUNT.finditer(folded):
        group = "before" if found["before"] else "after" if found["after"] else "said"
        amount = parse_number(found[group])
        if amount is not None and amount > 0:
            mentions.append(AmountMention(found.start(), found.end(), amount))
    return mentions


def find_reference(text):
    """The first payment reference stated in ``text`` (original case), or None."""
    for found in REFERENCE.finditer(text):
        ref = found["ref"].strip(" -/")
        if any(char.isdigit() for char in ref) and not NOT_A_PAYMENT.match(ref):
            return ref
    return None
