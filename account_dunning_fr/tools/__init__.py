"""Tools of the dunning add-ons that are not models: the SQL toolkit and the
bulk writers into other modules' tables (bulk.py), narrow reads
(prefetch.py), the objects frozen out of the full garbage collections
(heap.py)."""
