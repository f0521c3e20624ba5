"""Plain-Python rules of French payment terms and late-payment interest.

Nothing here imports Odoo: pure functions over dates and amounts (semesters,
rates, L441-10 penalties, the D441-6 brackets), tested without a database.
The Odoo models of this add-on and of the dunning add-ons call them.
"""
