from . import test_collections_dashboard
