import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A salesperson (no accounting rights) finds, from the Sales menus, how a
// customer pays: its payment status; then the banner on the quotation
// prepared for it. The figures are those of
// tests/test_ui_tour.py.
registry.category("web_tour.tours").add("account_dunning_fr_sale_salesperson_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Open the Orders menu",
            trigger: ".o_main_navbar [data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open the customers",
            trigger: ".o-dropdown-item[data-menu-xmlid='sale.res_partner_menu']",
            run: "click",
        },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Tour Vente Client SARL')",
            run: "click",
        },
        {
            content: "The customer shows the Reminded badge",
            trigger: ".o_form_view .o_field_widget[name='dunning_status'] span:contains('Reminded')",
        },
        {
            content: "Open the Orders menu again",
            trigger: ".o_main_navbar [data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Open the quotations",
            trigger: ".o-dropdown-item[data-menu-xmlid='sale.menu_sale_quotations']",
            run: "click",
        },
        {
            content: "Open the customer's quotation",
            trigger: ".o_list_view .o_data_row td:contains('Tour Vente Client SARL')",
            run: "click",
        },
        {
            content: "The quotation warns that the customer is reminded, with what is overdue",
            trigger: ".o_form_view div[name='dunning_banner'] .alert-warning:contains('Reminded'):contains('1,200.00')",
        },
    ],
});
