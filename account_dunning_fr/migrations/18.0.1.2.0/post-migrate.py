"""18.0.1.2.0: the shipped reminder emails take the company's light email
layout (their records are noupdate: a template someone gave a layout of
their own keeps it)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_template t
           SET email_layout_xmlid = 'mail.mail_notification_light'
          FROM ir_model_data d
         WHERE d.model = 'mail.template' AND d.res_id = t.id
           AND d.module = 'account_dunning_fr' AND d.name LIKE 'mail_template_dunning_%'
           AND t.email_layout_xmlid IS NULL
        """
    )
