"""Plain-Python rules of account_dunning_fr.

Nothing here imports Odoo: each module is a set of pure functions over
dates and amounts, tested without a database. The Odoo models call them;
they never call Odoo.
"""
