import threading
from contextlib import contextmanager
from contextvars import ContextVar

from lxml import etree

from odoo import models

# The compiled views of the rendering under way (compiled_once), by template
# and the context keys Odoo's own caches use; None outside such a rendering.
_COMPILED = ContextVar("account_dunning_fr_compiled_views", default=None)
# The night's threads (account_dunning_run_threads) render their first bodies
# at the same moment: without it, each compiled the same views (Odoo's cache
# is filled by the first to finish), 0.2 s of Python each, the interpreter
# lock making them add up.
_COMPILING = threading.RLock()


class IrQweb(models.AbstractModel):
    """QWeb, with the views a batch of email bodies calls looked up once per
    rendering."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        """Odoo's compiled ``template``, kept for the rendering under way.

        Each ``t-call`` asks Odoo again: the view's id and the compiled code
        come from two ormcaches behind signature-binding decorators, with a
        new environment in between, four times per reminder (situation,
        lines, payment and the level's own body). A night's 1,777 bodies
        took 1.60 s that way and 1.12 to 1.31 s with each lookup made once
        per rendering (measured warm, the same bytes). The key is what
        Odoo's caches are keyed on (``_get_view_id``, ``_compile``): the
        template and the context keys of ``_get_template_cache_keys``.
        """
        compiled = _COMPILED.get()
        if compiled is None or isinstance(template, etree._Element):
            return super()._compile(template)
        key = (template, *(self.env.context.get(key) for key in self._get_template_cache_keys()))
        if key not in compiled:
            with _COMPILING:
                compiled[key] = super()._compile(template)
        return compiled[key]

    def with_context(self, *args, **kwargs):
        """Within a rendering made in one go (``compiled_once``), a t-call
        without options keeps the caller's QWeb: Odoo's compiled t-call asks
        ``with_context(**options)`` each time, which looks the same
        environment up among all those of the transaction (four times per
        reminder: 0.1 s of a night's 1,780 bodies, 1.8 % of its CPU)."""
        if not args and not kwargs and _COMPILED.get() is not None:
            return self
        return super().with_context(*args, **kwargs)


@contextmanager
def compiled_once():
    """Within it, QWeb compiles (or finds in Odoo's caches) each view once:
    for a rendering in one go, during which no view changes."""
    token = _COMPILED.set({})
    try:
        yield
    finally:
        _COMPILED.reset(token)
