from . import test_sale_order, test_ui_tour
