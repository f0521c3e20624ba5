"""Backtest of the expected payment dates (run inside `odoo shell`, see
scripts/backtest.sh).

BACKTEST_PHASE=build: a deterministic ledger of BACKTEST_CUSTOMERS customers
over 24 months, each with a habit: punctual, always about 30 days late,
worsening (0 to 45 days late), improving (45 to 0), erratic (20 +/- 20
days). Invoices due 30 days after their date, one full payment each, dated
by the habit; payments after today are not made (the invoice is open).

BACKTEST_PHASE=run: for each of the last 12 month ends D, the payer figures
are computed as the daily run does, but as of D (only payments dated by D:
account.dunning.payer.profile._refresh_company(company, D)), and every
invoice open at D whose real payment is known gets an expected payment
date (core/payer.expected_date). Printed: the mean absolute error in days
against the real payment date, beside two naive baselines (the due date;
the due date plus the customer's plain average delay to D), and the
forecast error per week ahead (13 weeks) of the weekly receipts.
Nothing is committed in the run phase.
"""

import os
import random
import statistics
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL

from odoo.addons.account_dunning_fr.core import payer

env = env  # noqa: F821 - provided by `odoo shell`

CUSTOMERS = int(os.environ.get("BACKTEST_CUSTOMERS", 300))
HABITS = ("punctual", "late30", "worsening", "improving", "erratic")
MONTHS = 24
TERM_DAYS = 30
CHUNK = 200


def habit_delay(rng, habit, progress):
    """The delay in days of a payment of a customer with ``habit``,
    ``progress`` being 0 at the start of the 24 months and 1 at the end."""
    if habit == "punctual":
        return max(-3, round(rng.gauss(0, 2)))
    if habit == "late30":
        return round(rng.gauss(30, 4))
    if habit == "worsening":
        return max(0, round(rng.gauss(45 * progress, 4)))
    if habit == "improving":
        return max(0, round(rng.gauss(45 * (1 - progress), 4)))
    return max(-5, round(rng.gauss(20, 20)))


def build():
    rng = random.Random(20261126)
    company = env.company
    today = fields.Date.context_today(env["account.dunning.run"])
    start = today - timedelta(days=MONTHS * 30)
    partners = env["res.partner"].create(
        [
            {
                "name": f"Client {i:04d} ({HABITS[i % len(HABITS)]})",
                "is_company": True,
                "ref": HABITS[i % len(HABITS)],
            }
            for i in range(CUSTOMERS)
        ]
    )
    env.cr.commit()
    plan = []  # (partner, invoice date, amount, delay)
    for index, partner in enumerate(partners):
        habit = HABITS[index % len(HABITS)]
        every = rng.choice((30, 45, 60))
        day = start + timedelta(days=rng.randrange(every))
        while day <= today:
            progress = (day - start).days / (MONTHS * 30)
            amount = rng.choice((500, 800, 1200, 2000, 3500, 5000))
            plan.append((partner, day, amount, habit_delay(rng, habit, progress)))
            day += timedelta(days=every + rng.randrange(-5, 6))
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    print(f"{len(plan)} invoices for {CUSTOMERS} customers, {start} to {today}")
    for first in range(0, len(plan), CHUNK):
        chunk = plan[first : first + CHUNK]
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_date_due": day + timedelta(days=TERM_DAYS),
                    "invoice_line_ids": [
                        Command.create({"name": "Prestation", "price_unit": amount, "tax_ids": []})
                    ],
                }
                for partner, day, amount, _delay in chunk
            ]
        )
        moves.action_post()
        paid = [
            (move, move.invoice_date_due + timedelta(days=delay))
            for move, (_p, _d, _a, delay) in zip(moves, chunk, strict=True)
            if move.invoice_date_due + timedelta(days=delay) <= today
        ]
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": move.partner_id.id,
                    "amount": move.amount_total,
                    "date": max(day, move.invoice_date),
                    "journal_id": journal.id,
                }
                for move, day in paid
            ]
        )
        payments.action_post()
        for (move, _day), payment in zip(paid, payments, strict=True):
            lines = (move.line_ids | payment.move_id.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            lines.reconcile()
        env.cr.commit()
        env.invalidate_all()
        print(f"  {min(first + CHUNK, len(plan))} / {len(plan)}")


def month_ends(today, count):
    ends = []
    day = today.replace(day=1) - timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(ends)


def run():
    company = env.company
    today = fields.Date.context_today(env["account.dunning.run"])
    Profile = env["account.dunning.payer.profile"]
    env.flush_all()
    invoices = env.execute_query(
        SQL(
            """
            SELECT m.id, m.commercial_partner_id, m.invoice_date, m.invoice_date_due,
                   m.amount_total_signed,
                   (SELECT MAX(pr.max_date) FROM account_partial_reconcile pr
                      JOIN account_move_line aml ON aml.id = pr.debit_move_id
                     WHERE aml.move_id = m.id)
              FROM account_move m
             WHERE m.company_id = %s AND m.move_type = 'out_invoice' AND m.state = 'posted'
            """,
            company.id,
        )
    )
    errors = defaultdict(list)  # method: [abs error in days]
    weekly = defaultdict(lambda: defaultdict(list))  # method: week ahead: [abs error]
    weekly_actual = defaultdict(list)
    for day in month_ends(today, 12):
        Profile._refresh_company(company, day)
        profiles = Profile._get_profiles({partner for _i, partner, *_rest in invoices}, company)
        prior = company.dunning_payer_prior_delay
        prior_spread = company.dunning_payer_prior_spread
        # The plain average delay of each customer, from the invoices paid by D.
        plain = defaultdict(list)
        for _id, partner, _date, due, _amount, paid_on in invoices:
            if paid_on and paid_on <= day:
                plain[partner].append((paid_on - due).days)
        plain_all = [delay for delays in plain.values() for delay in delays]
        plain_prior = statistics.mean(plain_all) if plain_all else 0.0
        predictions = {
            "model": {},
            "due date": {},
            "plain average": {},
            "due, >= D": {},
            "plain, >= D": {},
        }
        actual = {}
        for inv_id, partner, inv_date, due, amount, paid_on in invoices:
            if inv_date > day or (paid_on and paid_on <= day) or not paid_on:
                continue  # not issued, already paid, or still unpaid today
            profile = profiles.get(partner)
            expected = profile.expected_delay if profile else prior
            spread = profile.spread_days if profile else prior_spread
            delays = plain[partner]
            average = statistics.mean(delays) if delays else plain_prior
            # As the forecast dates it (cash_forecast._get_expected_receipts):
            # the generated ledger has no reminders, its size slope is learnt.
            shift = payer.size_shift(
                company.dunning_payer_size_slope, amount, profile and profile.typical_size
            )
            predictions["model"][inv_id] = payer.invoice_dates(due, day, expected + shift, spread)[
                0
            ]
            predictions["due date"][inv_id] = due
            predictions["plain average"][inv_id] = due + timedelta(days=round(average))
            # The baselines held to the model's rule "never before today".
            predictions["due, >= D"][inv_id] = max(due, day)
            predictions["plain, >= D"][inv_id] = max(due + timedelta(days=round(average)), day)
            actual[inv_id] = (paid_on, amount)
        for method, dates in predictions.items():
            for inv_id, predicted in dates.items():
                errors[method].append(abs((predicted - actual[inv_id][0]).days))
            # Weekly receipts, 13 weeks ahead of D: predicted against real.
            for week in range(13):
                low, high = day + timedelta(days=7 * week), day + timedelta(days=7 * week + 7)
                # Week 1 is D + 1 to D + 7: a date before (overdue, for the
                # baselines not held to today) counts in week 1.
                predicted = sum(
                    actual[i][1]
                    for i, when in dates.items()
                    if low < max(when, day + timedelta(days=1)) <= high
                )
                real = sum(amount for paid_on, amount in actual.values() if low < paid_on <= high)
                weekly[method][week].append(abs(predicted - real))
                if method == "model":
                    weekly_actual[week].append(real)
    env.cr.rollback()
    count = len(errors["model"])
    customers = len({partner for _i, partner, *_rest in invoices})
    print(
        f"\nBacktest: {len(invoices)} invoices of {customers} customers, "
        f"{count} predictions at 12 month ends"
    )
    print("Mean absolute error of the expected payment date (days):")
    maes = {method: statistics.mean(values) for method, values in errors.items()}
    for method, mae in maes.items():
        print(f"  {method:<15} {mae:6.2f}")
    best = min(maes["due date"], maes["plain average"])
    print(f"  model vs the better naive baseline: {100 * (1 - maes['model'] / best):+.1f} %")
    best = min(maes["due, >= D"], maes["plain, >= D"])
    print(f"  model vs the better held baseline: {100 * (1 - maes['model'] / best):+.1f} %")
    print("Weekly receipts 1-13 weeks ahead, mean absolute error (EUR), and the mean actual:")
    print("  week" + "".join(f"{method:>15}" for method in weekly) + f"{'actual':>12}")
    for week in range(13):
        cells = "".join(f"{statistics.mean(weekly[m][week]):>15.0f}" for m in weekly)
        print(f"  {week + 1:>4}{cells}{statistics.mean(weekly_actual[week]):>12.0f}")
    totals = "".join(
        f"{sum(statistics.mean(weekly[m][w]) for w in range(13)):>15.0f}" for m in weekly
    )
    print(f"  sum {totals}")


if os.environ.get("BACKTEST_PHASE") == "build":
    build()
else:
    run()
