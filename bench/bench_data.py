"""The benchmark's data (run inside `odoo shell`, see scripts/bench.sh).

Built once per size in a template database where only accounting is
installed (French company, French chart), so that each side of the
comparison (account_dunning_fr, OCA account_credit_control) is installed on
its own copy of the same data. Deterministic: `random.Random(BENCH_SEED)`.

- BENCH_CUSTOMERS customers whose invoice counts follow a Pareto law (most
  have 1 to 3 invoices, a few have hundreds); 20 % speak English (en_US),
  the others French; 10 % are individuals (consumers); a few have no email.
- BENCH_INVOICES customer invoices, due from 30 days ahead to 150 days ago.
- Full and partial payments reconciled with their invoice, posted customer
  payments left unreconciled (a credit on the receivable), credit notes
  reconciled with their invoice or left open.

Fast path: `create()` on lists, `action_post()` on recordsets, one
reconciliation plan per chunk, a commit per chunk.
"""

import json
import os
import random
import time
from datetime import timedelta

from odoo import Command, fields

# No chatter: "Invoice created" notes and tracking are half of an invoice's
# create() here, and nothing in the benchmark reads them.
env = env(  # noqa: F821 - provided by `odoo shell`
    context=dict(
        env.context,  # noqa: F821
        tracking_disable=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        mail_notrack=True,
    )
)

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", 2000))
INVOICES = int(os.environ.get("BENCH_INVOICES", 10000))
SEED = int(os.environ.get("BENCH_SEED", 9))
CHUNK = 500
PARETO_ALPHA = 1.2
MAX_INVOICES_PER_CUSTOMER = 1000


def invoice_counts(rng, customers, invoices):
    """Invoices per customer: Pareto-distributed, at least 1 each, summing
    to `invoices` (scale found by bisection, the rounding rest given to the
    biggest customers)."""
    raw = [rng.paretovariate(PARETO_ALPHA) for _ in range(customers)]
    cap = max(1, min(MAX_INVOICES_PER_CUSTOMER, invoices // 10))

    def counts(k):
        return [min(cap, max(1, int(r * k))) for r in raw]

    lo, hi = 0.0, 1000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(counts(mid)) < invoices:
            lo = mid
        else:
            hi = mid
    result = counts(lo)
    rest = invoices - sum(result)
    by_size = sorted(range(customers), key=lambda i: -raw[i])
    i = 0
    while rest > 0:
        result[by_size[i % customers]] += 1
        rest -= 1
        i += 1
    return result


def build_data():
    rng = random.Random(SEED)
    company = env.company
    today = fields.Date.context_today(env.user)
    bank = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    # Odoo 18 makes no journal entry for a payment whose method has no
    # outstanding account: give the bank's inbound method the company's
    # outstanding receipts account, so a posted payment sits on the receivable.
    outstanding = env.ref(f"account.{company.id}_account_journal_payment_debit_account_id")
    method_line = bank.inbound_payment_method_line_ids[:1]
    method_line.payment_account_id = outstanding

    counts = invoice_counts(rng, CUSTOMERS, INVOICES)
    partner_vals = []
    for i in range(CUSTOMERS):
        company_kind = rng.random() >= 0.10
        partner_vals.append(
            {
                "name": f"Client {i:05d} SARL" if company_kind else f"Particulier {i:05d}",
                "is_company": company_kind,
                "email": False if rng.random() < 0.02 else f"compta{i}@client.example",
                "lang": "en_US" if rng.random() < 0.20 else "fr_FR",
                "street": f"{1 + i % 90} rue du Commerce",
                "zip": "69002",
                "city": "Lyon",
                "country_id": env.ref("base.fr").id,
            }
        )
    partners = env["res.partner"].create(partner_vals)
    env.cr.commit()
    partner_ids = partners.ids

    # One slot per invoice, shuffled so that every chunk mixes big and small.
    slots = [i for i, n in enumerate(counts) for _ in range(n)]
    rng.shuffle(slots)
    stats = dict.fromkeys(
        ("paid", "partial", "refund_reconciled", "refund_open", "unmatched_payments"), 0
    )

    def receivable(moves):
        return moves.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and not line.reconciled
        )

    for start in range(0, INVOICES, CHUNK):
        vals_list, fates = [], []
        for idx in slots[start : start + CHUNK]:
            late = rng.randint(-30, -1) if rng.random() < 0.12 else rng.randint(1, 150)
            due = today - timedelta(days=late)
            amount = round(rng.uniform(80, 4000), 2)
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_ids[idx],
                    "invoice_date": due - timedelta(days=30),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
            draw = rng.random()
            if draw < 0.12:
                fates.append(("paid", amount, due))
            elif draw < 0.27:
                fates.append(("partial", round(amount * rng.uniform(0.3, 0.8), 2), due))
            elif draw < 0.30:
                fates.append(("refund_reconciled", round(amount * rng.uniform(0.1, 1), 2), due))
            elif draw < 0.32:
                fates.append(("refund_open", round(amount * rng.uniform(0.1, 0.5), 2), due))
            else:
                fates.append((None, 0, due))
        invoices = env["account.move"].create(vals_list)
        invoices.action_post()

        payment_vals, paid_invoices, refund_vals, refunded_invoices = [], [], [], []
        for invoice, (fate, amount, due) in zip(invoices, fates, strict=True):
            if not fate:
                continue
            stats[fate] += 1
            date = min(today, max(invoice.invoice_date, due + timedelta(days=rng.randint(-10, 20))))
            if fate in ("paid", "partial"):
                payment_vals.append(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": invoice.partner_id.id,
                        "amount": amount,
                        "date": date,
                        "journal_id": bank.id,
                        "payment_method_line_id": method_line.id,
                        "memo": invoice.name,
                    }
                )
                paid_invoices.append(invoice)
            else:
                refund_vals.append(
                    {
                        "move_type": "out_refund",
                        "partner_id": invoice.partner_id.id,
                        "invoice_date": date,
                        "reversed_entry_id": invoice.id if fate == "refund_reconciled" else False,
                        "invoice_line_ids": [
                            Command.create({"name": "Avoir", "price_unit": amount, "tax_ids": []})
                        ],
                    }
                )
                refunded_invoices.append(invoice if fate == "refund_reconciled" else None)
        payments = env["account.payment"].create(payment_vals)
        payments.action_post()
        refunds = env["account.move"].create(refund_vals)
        refunds.action_post()
        # Posting a credit note of an invoice (reversed_entry_id) may already
        # reconcile the two: only pairs still open on both sides are planned.
        pairs = [(inv, pay.move_id) for inv, pay in zip(paid_invoices, payments, strict=True)]
        pairs += [
            (inv, refund) for inv, refund in zip(refunded_invoices, refunds, strict=True) if inv
        ]
        plan = [receivable(a) + receivable(b) for a, b in pairs if receivable(a) and receivable(b)]
        env["account.move.line"]._reconcile_plan(plan)
        env.cr.commit()
        env.invalidate_all()

    # Unmatched payments: 5 % of the customers paid something nobody matched.
    payers = rng.sample(partner_ids, max(1, CUSTOMERS // 20))
    payments = env["account.payment"].create(
        [
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner_id,
                "amount": round(rng.uniform(50, 1500), 2),
                "date": today - timedelta(days=rng.randint(0, 60)),
                "journal_id": bank.id,
                "payment_method_line_id": method_line.id,
                "memo": "Virement client",
            }
            for partner_id in payers
        ]
    )
    payments.action_post()
    stats["unmatched_payments"] = len(payments)
    env.cr.commit()
    langs = partners.grouped("lang")
    stats.update(
        customers=CUSTOMERS,
        invoices=INVOICES,
        seed=SEED,
        date=str(today),
        english=len(langs.get("en_US", [])),
        without_email=len(partners.filtered(lambda p: not p.email)),
        individuals=len(partners.filtered(lambda p: not p.is_company)),
        max_invoices_per_customer=max(counts),
        customers_1_to_3_invoices=sum(1 for n in counts if n <= 3),
        customers_100_plus_invoices=sum(1 for n in counts if n >= 100),
    )
    return stats


started = time.monotonic()
stats = build_data()
stats["build_seconds"] = round(time.monotonic() - started, 1)
print(
    f"data: {CUSTOMERS} customers, {INVOICES} invoices built in {stats['build_seconds']:.0f} s "
    f"({stats['customers_1_to_3_invoices']} customers with 1-3 invoices, "
    f"{stats['customers_100_plus_invoices']} with 100 or more, at most "
    f"{stats['max_invoices_per_customer']}; {stats['paid']} paid, {stats['partial']} partly paid, "
    f"{stats['refund_reconciled'] + stats['refund_open']} credit notes "
    f"({stats['refund_open']} left open), {stats['unmatched_payments']} unmatched payments; "
    f"{stats['english']} English speakers, {stats['without_email']} without email)"
)
out = os.environ.get("BENCH_DATA_JSON")
if out:
    with open(out, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
env.cr.commit()
