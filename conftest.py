"""pytest root configuration.

pytest-odoo 2.3.0 does not set ``odoo.modules.module.current_test`` for
Odoo 18, and Odoo only skips real SMTP delivery while it is set: without
this fixture ``mail.send()`` would try to reach localhost:25.

Odoo test tags of the add-ons (``@tagged("dunning_commit")``) are also pytest
markers: ``pytest -m "not dunning_commit"`` leaves out the tests that commit.
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


# Odoo test tags that are pytest markers too.
DUNNING_MARKERS = {"dunning_commit": "commits its data (concurrency): run apart or leave out"}


def pytest_configure(config):
    for name, description in DUNNING_MARKERS.items():
        config.addinivalue_line("markers", "%s: %s" % (name, description))


def pytest_collection_modifyitems(items):
    for item in items:
        tags = getattr(getattr(item, "cls", None), "test_tags", None) or ()
        for tag in DUNNING_MARKERS:
            if tag in tags:
                item.add_marker(tag)
