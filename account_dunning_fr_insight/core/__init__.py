"""Plain-Python rules of payer insight: how a customer pays, its risk score
and when its open invoices are expected to be paid (payer.py). Nothing here
imports Odoo."""
