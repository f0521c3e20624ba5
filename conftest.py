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
    odoo_module.current_test = request.node.nodeid
    try:
        yield
    finally:
        odoo_module.current_test = previous
