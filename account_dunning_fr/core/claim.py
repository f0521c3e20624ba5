"""What a claim comes to: the one formula of a reminder's totals, used by
the reminders (their stored totals, their lines written in bulk) and the
litigation file.

The instalments claimed and the credits set against them are in one
currency, the claim's; penalties and indemnities are in the company's
(C. com. L441-10 II, D441-5) and add to the total claimed only when the
claim is in the company's currency as well: two currencies are never
summed.
"""


def claim_totals(invoices, credits, same_currency):
    """A reminder's totals from its instalments claimed, [(amount claimed,
    penalties, indemnity, invoice id)], and its credits' amounts (negative):
    the credits lower the claim; penalties and indemnities add to it when the
    claim is in the company's currency."""
    amount_invoices = sum(invoice[0] for invoice in invoices)
    amount_credits = -sum(credits)
    amount_due = amount_invoices - amount_credits
    penalties = sum(invoice[1] for invoice in invoices)
    indemnities = sum(invoice[2] for invoice in invoices)
    return {
        "amount_invoices": amount_invoices,
        "amount_credits": amount_credits,
        "amount_due": amount_due,
        "amount_penalties": penalties,
        "amount_indemnities": indemnities,
        "amount_claimed": amount_due + (penalties + indemnities if same_currency else 0.0),
        "invoice_count": len({invoice[3] for invoice in invoices}),
    }
