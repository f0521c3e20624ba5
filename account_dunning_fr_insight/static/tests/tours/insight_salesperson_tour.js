import { registry } from "@web/core/registry";

// A salesperson (no accounting rights) opens a customer and reads how it
// pays: its payer risk score, segment and why. The figures are those of
// tests/test_ui_tour.py.
registry.category("web_tour.tours").add("account_dunning_fr_insight_salesperson_tour", {
    steps: () => [
        {
            content: "The customer shows the Reminded badge",
            trigger: ".o_form_view .o_field_widget[name='dunning_status'] span:contains('Reminded')",
        },
        {
            content: "The payer risk score is shown",
            trigger: ".o_form_view .o_field_widget[name='dunning_risk_score'] .o_progress[aria-valuenow='35']",
        },
        {
            content: "Its segment",
            trigger: ".o_form_view .o_field_widget[name='dunning_risk_segment']:contains('To watch')",
        },
        {
            content: "And why",
            trigger: ".o_form_view .o_field_widget[name='dunning_risk_explanation']:contains('pays 30 days late on average')",
        },
        {
            content: "Open the payment behaviour",
            trigger: ".o_notebook .nav-link:contains('Payment behaviour')",
            run: "click",
        },
        {
            content: "Three invoices paid in 24 months, 30 days late on average",
            trigger: ".o_field_widget[name='dunning_average_days_late']:contains('30.0')",
        },
    ],
});
