"""What an e-invoicing lifecycle status (CDV) means for dunning.

From 1 September 2026 every invoice between French VAT-registered
businesses travels through an accredited platform, and the buyer's side
answers with lifecycle statuses ("statuts du cycle de vie", MDT-105 of the
CDAR message, XP Z12-012 / XP Z12-014 v1.4, Annex B). The codes and their
French labels are those of the standard as listed in the project's
e-invoicing notes (shared/einvoicing/README.md, "Status codes"); 225-227
(factoring) are the labels used by implementations, not verified in the
standard. Codes the README does not list (214-219, 221-224, 228, the
5xx/6xx of the platforms) are not accepted here: no label is invented
for them.

The "meaning for dunning" column is this project's design: the standard
says what the buyer declares, not what the seller should do about it, and
no official guidance per status was found (README, "Sources").

Statuses "peuvent intervenir à tout moment et dans n'importe quel ordre"
(Annex B 1.2): a dispute can follow a payment notice. ``dunning_state``
therefore decides on the status *dated* last, never on the highest code
(Odoo's l10n_fr_pdp keeps the highest code, which hides a 207 that follows
a 211). Its rules, in order:

1. A refusal, rejection or cancellation (210, 213, 220) stops dunning for
   good, whatever its date and whatever follows: the buyer will not book
   the invoice and the seller must issue a credit note or a corrected
   invoice (which is another invoice, with its own statuses). No penalty
   nor indemnity is claimed on it. The earliest such status is reported.
2. Otherwise only the deciding statuses compete: 205, 206, 207, 208, 209
   and 211. Information (200-204), 212 and the factoring notices
   (225-227) never decide: a 204 "Prise en charge" after a 207 says the
   buyer's workflow has the invoice, not that the dispute is over; 212
   "Encaissée" is the seller's own declaration (a customer sending it
   says nothing; the payment itself is what the invoice's reconciliation
   shows); a factoring notice is for the accountant to read.
3. Among the deciding statuses the one with the latest date and time wins;
   at the same instant the most cautious one wins (pause, then review,
   then hold, then resume; between two of the same effect, the higher
   code), so that the answer never depends on the order in which the
   statuses arrived.
4. 207/208 pause; 206 holds for review; 205/209 resume; 211 holds from its
   date to ``date + paid_hold_days`` inclusive, then dunning resumes (and a
   reminder may say that the payment announced on that date was not
   received).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

# Effects of a code (the table below).
INFO = "info"
PROOF = "proof"
RESUME = "resume"
PAUSE = "pause"
STOP = "stop"
HOLD = "hold"
REVIEW = "review"
SELLER = "seller"
FACTOR = "factor"

# Effects of ``dunning_state`` on one invoice.
STATE_NONE = "none"
STATE_PAUSE = "pause"
STATE_STOP = "stop"
STATE_HOLD = "hold"
STATE_REVIEW = "review"

PAID = "211"
RECEIVED = "203"

# Requested action (MDT-121, ram:RequestedActionCode).
REQUESTED_ACTIONS = {
    "NOA": "No action",
    "PIN": "Provide information",
    "NIN": "New (corrective) invoice",
    "CNF": "Full credit note",
    "CNP": "Partial credit note",
    "CNA": "Refund",
    "OTH": "Other",
}


@dataclass(frozen=True)
class StatusCode:
    """One lifecycle status code: the standard's label, our effect on
    dunning and that effect in plain English."""

    code: str
    label: str
    effect: str
    meaning: str


STATUS_CODES = {
    row.code: row
    for row in (
        StatusCode("200", "Déposée", INFO, "Information: filed on the seller's platform."),
        StatusCode("201", "Émise par la plateforme", INFO, "Information: sent by the platform."),
        StatusCode(
            "202", "Reçue par la plateforme", INFO, "Information: the buyer's platform has it."
        ),
        StatusCode(
            "203",
            "Mise à disposition",
            PROOF,
            "Proof that the buyer has the invoice; its date is kept.",
        ),
        StatusCode("204", "Prise en charge", INFO, "Information: the buyer is processing it."),
        StatusCode("205", "Approuvée", RESUME, "Approved: chase normally."),
        StatusCode(
            "206",
            "Approuvée partiellement",
            REVIEW,
            "Only part is undisputed: held until the accountant reviews it.",
        ),
        StatusCode(
            "207", "En litige", PAUSE, "Disputed: paused until approved or completed (205, 209)."
        ),
        StatusCode(
            "208", "Suspendue", PAUSE, "Suspended: paused until completed or approved (209, 205)."
        ),
        StatusCode("209", "Complétée", RESUME, "Completed by the seller: dunning resumes."),
        StatusCode(
            "210",
            "Refusée",
            STOP,
            "Refused: never chased again, no penalty nor indemnity claimed.",
        ),
        StatusCode(
            "211",
            "Paiement transmis",
            HOLD,
            "The buyer says it paid: held a few days from the status date, then chased.",
        ),
        StatusCode(
            "212",
            "Encaissée",
            SELLER,
            "Our own outgoing status: ignored when received from the customer.",
        ),
        StatusCode(
            "213",
            "Rejetée",
            STOP,
            "Rejected by a platform: never chased again; correct and re-issue.",
        ),
        StatusCode(
            "220",
            "Annulée",
            STOP,
            "Cancelled: the original is never chased again, no penalty nor indemnity.",
        ),
        StatusCode(
            "225", "Affacturée", FACTOR, "Information: factored, the factor may own collection."
        ),
        StatusCode(
            "226",
            "Affacturée confidentiel",
            FACTOR,
            "Information: factored (undisclosed), the factor may own collection.",
        ),
        StatusCode(
            "227",
            "Changement de compte à payer",
            FACTOR,
            "Information: the account to pay changed, the factor may own collection.",
        ),
    )
}

# Deciding effects: the state each gives, and its caution at the same
# instant (higher wins).
_DECIDING = {
    PAUSE: (STATE_PAUSE, 4),
    REVIEW: (STATE_REVIEW, 3),
    HOLD: (STATE_HOLD, 2),
    RESUME: (STATE_NONE, 1),
}


def effect_table() -> tuple[tuple[str, str, str, str], ...]:
    """Rows (code, label, effect, meaning) of every accepted code, by code."""
    return tuple((r.code, r.label, r.effect, r.meaning) for r in STATUS_CODES.values())


def is_known_code(code) -> bool:
    return str(code or "").strip() in STATUS_CODES


def status_label(code) -> str:
    """The standard's French label of a code (KeyError when unknown)."""
    return STATUS_CODES[str(code).strip()].label


def status_effect(code) -> str:
    """The effect of a code on dunning (KeyError when unknown)."""
    return STATUS_CODES[str(code).strip()].effect


@dataclass(frozen=True)
class EinvoiceDunningState:
    """Where one invoice stands for dunning after its lifecycle statuses.

    ``effect``: ``none`` (chase normally), ``pause``, ``stop``, ``hold`` or
    ``review``; ``code``, ``since``, ``reason_code``, ``reason`` and
    ``requested_action`` are those of the deciding status (None when no
    status decides); ``until`` is the last day of a 211's hold (kept once
    the hold is over); ``payment_announced_on`` the date of the latest 211
    and ``received_on`` that of the latest 203, whatever decides;
    ``blocks_claims``: no penalty nor indemnity may be claimed.
    """

    effect: str = STATE_NONE
    code: str | None = None
    since: date | None = None
    until: date | None = None
    reason_code: str | None = None
    reason: str | None = None
    requested_action: str | None = None
    payment_announced_on: date | None = None
    received_on: date | None = None
    blocks_claims: bool = False


def _moment(status):
    """The status's date and time as a naive datetime, or None."""
    value = getattr(status, "status_datetime", None)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def _code(status):
    return str(getattr(status, "code", "") or "").strip()


def dunning_state(statuses, today: date, paid_hold_days: int) -> EinvoiceDunningState:
    """Decide what the lifecycle statuses of ONE invoice mean for dunning
    on ``today`` (rules in the module docstring).

    ``statuses``: any iterable of objects with ``code``, ``status_datetime``
    (datetime, naive UTC, or date), ``reason_code``, ``reason`` and
    ``requested_action`` (a ``CdarStatus``, a record, a namespace), in any
    order. A status without a date, or with a code not in the table, cannot
    be placed and is ignored. ``paid_hold_days``: days a 211 holds dunning
    after its date (0: the status day only).
    """
    if paid_hold_days is None or paid_hold_days < 0:
        raise ValueError("paid_hold_days must be zero or more")
    dated = []
    for status in statuses:
        moment, code = _moment(status), _code(status)
        if moment is not None and code in STATUS_CODES:
            dated.append((moment, code, status))

    paid = [moment for moment, code, _s in dated if code == PAID]
    received = [moment for moment, code, _s in dated if code == RECEIVED]
    common = {
        "payment_announced_on": max(paid).date() if paid else None,
        "received_on": max(received).date() if received else None,
    }

    stops = [item for item in dated if STATUS_CODES[item[1]].effect == STOP]
    if stops:
        moment, code, status = min(stops, key=lambda item: (item[0], item[1]))
        return EinvoiceDunningState(
            effect=STATE_STOP,
            code=code,
            since=moment.date(),
            blocks_claims=True,
            **_reason(status),
            **common,
        )

    deciding = [item for item in dated if STATUS_CODES[item[1]].effect in _DECIDING]
    if not deciding:
        return EinvoiceDunningState(**common)
    moment, code, status = max(
        deciding,
        key=lambda item: (item[0], _DECIDING[STATUS_CODES[item[1]].effect][1], item[1]),
    )
    effect = _DECIDING[STATUS_CODES[code].effect][0]
    until = None
    if effect == STATE_HOLD:
        until = moment.date() + timedelta(days=paid_hold_days)
        if today > until:
            effect = STATE_NONE
    return EinvoiceDunningState(
        effect=effect,
        code=code,
        since=moment.date(),
        until=until,
        **_reason(status),
        **common,
    )


def _reason(status):
    return {
        "reason_code": getattr(status, "reason_code", None) or None,
        "reason": getattr(status, "reason", None) or None,
        "requested_action": getattr(status, "requested_action", None) or None,
    }
