"""pytest root configuration.

pytest-odoo 2.3.0 does not set ``odoo.modules.module.current_test`` for
Odoo 18, and Odoo only skips real SMTP delivery while it is set: without
this fixture ``mail.send()`` would try to reach localhost:25.
"""

import pytest


@pytest.fixture(autouse=True)
def _odoo_current_test(request):
    try:
        from odoo.modules import module as odoo_module
    except ImportError:  # collected without Odoo: nothing to guard
        yield
        return
    previous = odoo_module.current_test
    # Odoo's runner sets the running TestCase itself (HttpCase cursors call
    # its check_test_cursor); fall back on the test's name for plain tests.
    odoo_module.current_test = getattr(request, "instance", None) or request.node.nodeid
    try:
        yield
    finally:
        odoo_module.current_test = previous
