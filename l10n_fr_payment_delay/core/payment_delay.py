"""Payment-delay tables of the rapport de gestion (C. com. L441-14, D441-6,
A441-2 and annexe 4-1, model of the arrêté du 20 mars 2017).

legal_fr_addendum.md section 1:

* Table I (D441-6 I): invoices received / issued unpaid at the closing
  date whose term has passed, by bracket of delay (closing date - due
  date), related to the purchases / turnover of the fiscal year.
* Table II (D441-6 II): invoices paid late during the fiscal year (payment
  date - due date), related to the number and amount of the invoices
  received / issued in the year.
* Brackets of the model: « 0 jour (indicatif) », 1-30, 31-60, 61-90, 91 and
  more; « Total (1 jour et plus) » never includes the 0 column.
* The labels are the official model's French labels: they are printed as
  they are, never translated. The model still numbers the article
  « D. 441-4 » and cites « L. 441-6 ou L. 443-1 » (pre-2019 numbering); the
  current numbers are printed (D. 441-6, L. 441-10). The Table II cells
  were not found in any transcription: their labels follow Table I by
  analogy and are flagged UNVERIFIED (printed « à vérifier »).
"""

from decimal import ROUND_HALF_UP, Decimal

BRACKET_KEYS = ("0", "1-30", "31-60", "61-90", "91+")
TOTAL_KEY = "total"
# The late brackets: (key, first day, last day or None).
LATE_BRACKETS = (("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("91+", 91, None))

CENT = Decimal("0.01")

# The official model's labels (French, as published): one table for the
# PDF and the XLSX. ``{basis}`` is « HT » or « TTC ».
LABELS = {
    "title_1": "Factures reçues et émises non réglées à la date de clôture de l'exercice "
    "dont le terme est échu (tableau prévu au I de l'article D. 441-6)",
    "title_2": "Factures reçues et émises ayant connu un retard de paiement au cours de "
    "l'exercice (tableau prévu au II de l'article D. 441-6)",
    "half_1_supplier": "Article D. 441 I.-1° : Factures reçues non réglées à la date de "
    "clôture de l'exercice dont le terme est échu",
    "half_1_customer": "Article D. 441 I.-2° : Factures émises non réglées à la date de "
    "clôture de l'exercice dont le terme est échu",
    "half_2_supplier": "Article D. 441 II : Factures reçues ayant connu un retard de "
    "paiement au cours de l'exercice",
    "half_2_customer": "Article D. 441 II : Factures émises ayant connu un retard de "
    "paiement au cours de l'exercice",
    "columns": {
        "0": "0 jour (indicatif)",
        "1-30": "1 à 30 jours",
        "31-60": "31 à 60 jours",
        "61-90": "61 à 90 jours",
        "91+": "91 jours et plus",
        "total": "Total (1 jour et plus)",
    },
    "block_a": "(A) Tranches de retard de paiement",
    "count_1": "Nombre de factures concernées",
    "amount_1": "Montant total des factures concernées {basis}",
    "percent_1_supplier": "Pourcentage du montant total des achats de l'exercice {basis}",
    "percent_1_customer": "Pourcentage du chiffre d'affaires de l'exercice {basis}",
    # Table II: by analogy with Table I (addendum 1.3), UNVERIFIED.
    "count_2": "Nombre cumulé de factures concernées",
    "amount_2": "Montant cumulé des factures concernées {basis}",
    "count_percent_2_supplier": "Pourcentage du nombre total des factures reçues dans l'année",
    "count_percent_2_customer": "Pourcentage du nombre total des factures émises dans l'année",
    "percent_2_supplier": "Pourcentage du montant total des factures reçues dans l'année {basis}",
    "percent_2_customer": "Pourcentage du montant total des factures émises dans l'année {basis}",
    "unverified_2": "(libellés à vérifier sur le fac-similé du JO)",
    "block_b": "(B) Factures exclues du (A) relatives à des dettes et créances litigieuses "
    "ou non comptabilisées",
    "excluded_count": "Nombre des factures exclues",
    "excluded_amount": "Montant total des factures exclues {basis}",
    "excluded_comment": "Commentaire",
    "block_c": "(C) Délais de paiement de référence utilisés (contractuel ou délai légal \u2013 "
    "article L. 441-10 du code de commerce)",
    "reference_terms": "Délais de paiement utilisés pour le calcul des retards de paiement",
    "contractual_terms": "Délais contractuels : conditions de paiement des factures ({terms})",
    "legal_term": "Délai légal : 30 jours (C. com. L441-10 I)",
    "basis": {"untaxed": "HT", "total": "TTC"},
}


def bracket_of(days_late):
    """The column of an invoice ``days_late`` days past its due date: "0"
    for an invoice not late (0 or less), else its bracket of delay."""
    if days_late <= 0:
        return "0"
    for key, first, last in LATE_BRACKETS:
        if days_late >= first and (last is None or days_late <= last):
            return key
    raise ValueError(days_late)  # unreachable: the last bracket is open


def round_cent(amount):
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part, whole):
    """``part`` / ``whole`` x 100, rounded to 0.01 (0 when ``whole`` is 0)."""
    whole = Decimal(str(whole))
    if not whole:
        return Decimal(0)
    return round_cent(Decimal(str(part)) * 100 / whole)


def build_brackets(items, denominator, count_denominator=None):
    """The (A) rows of a table from ``items`` = (days late, amount, counted)
    triples: amount signed (a credit note counted "net" is negative), counted
    False for what adds to the amount but is not an invoice.

    Returns 6 dicts (the 5 columns then "total" = 1 day and more), each with
    count, amount (float, to the cent), percent of ``denominator`` and, when
    ``count_denominator`` is given, count_percent.
    """
    counts = dict.fromkeys(BRACKET_KEYS, 0)
    amounts = dict.fromkeys(BRACKET_KEYS, Decimal(0))
    for days_late, amount, counted in items:
        key = bracket_of(days_late)
        counts[key] += 1 if counted else 0
        amounts[key] += round_cent(amount)
    counts[TOTAL_KEY] = sum(counts[key] for key, _first, _last in LATE_BRACKETS)
    amounts[TOTAL_KEY] = sum((amounts[key] for key, _first, _last in LATE_BRACKETS), Decimal(0))
    rows = []
    for key in (*BRACKET_KEYS, TOTAL_KEY):
        row = {
            "key": key,
            "count": counts[key],
            "amount": float(amounts[key]),
            "percent": float(percent(amounts[key], denominator)),
        }
        if count_denominator is not None:
            row["count_percent"] = float(percent(counts[key], count_denominator))
        rows.append(row)
    return rows


def reference_terms(term_names, without_term):
    """Row (C): the contractual terms used (payment terms of the invoices),
    and the legal term when some invoices have none (L441-10 I: 30 days
    unless agreed otherwise)."""
    parts = []
    if term_names:
        parts.append(LABELS["contractual_terms"].format(terms=", ".join(sorted(term_names))))
    if without_term or not term_names:
        parts.append(LABELS["legal_term"])
    return " ; ".join(parts)


def format_fr(value, kind="amount"):
    """A figure as printed in the French report: "1 234,56", "12,34 %", "3"."""
    if kind == "count":
        return f"{int(value):,}".replace(",", "\u202f")
    text = f"{round_cent(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return text + "\u00a0%" if kind == "percent" else text
