import { registry } from "@web/core/registry";

// An accountant opens the worklist, checks and sends the formal notice
// waiting there, then finds the customer's status badge on its form.
registry.category("web_tour.tours").add("account_dunning_fr_worklist_tour", {
    url: "/odoo/action-account_dunning_fr.action_account_dunning_worklist",
    steps: () => [
        {
            content: "Open the reminder waiting for review",
            trigger: ".o_list_view .o_data_row td:contains('Tour Client SARL')",
            run: "click",
        },
        {
            content: "It is a formal notice to review",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('To review')",
        },
        {
            content: "Send it",
            trigger: ".o_form_view button[name='action_send']",
            run: "click",
        },
        {
            content: "It is sent",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sent')",
        },
        {
            content: "Open the customer",
            trigger: ".o_form_view .oe_title .o_field_widget[name='partner_id'] a",
            run: "click",
        },
        {
            content: "The customer shows the formal notice badge",
            trigger: ".o_form_view .o_field_widget[name='dunning_status'] span:contains('Formal notice')",
        },
    ],
});
