"""Demo data for account_dunning_fr (run inside `odoo shell`, see scripts/demo.sh).

About 30 customers (French companies, consumers, a town hall, a few English
speakers) and 275 customer invoices, dates relative to today: the paid
history of the last 24 months, each customer after its habit (punctual,
steady 30 days late, very late with broken promises, drifting worse over
the last 6 months, new with one late invoice), so that the payer risk
scores fall in every segment; open invoices partly paid, not yet due, in
the courtesy window, 1 to 212 days late, some in dispute or under a promise
to pay. The open invoices carry the reminder level they received before
today, so that today's run, made at the end, sends reminders of every
level, prepares formal notices and a hand-over to litigation for review,
and fails on the customer without an email. Before it, the buyers'
e-invoicing platforms answer a few invoices (a dispute, a refusal, a
payment transmitted, the day one reached the buyer: CDAR files of
account_dunning_fr/demo/cdar/). Then the salespeople's
quotations, for customers in several payment statuses.

Deterministic: random.Random(42); the same day gives the same database.
Environment: DEMO_PORT (port the demo is served on), DEMO_LOAD_REPORT_URL
(a server lending its CSS to the letters rendered here, if any).
"""

import os
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.tools import file_path

from odoo.addons.account_dunning_fr.core.cdar_template import restamp

env = env  # noqa: F821 - provided by `odoo shell`

RNG = random.Random(42)
NOT_DUE_COUNT = 25
DEMO_URL = "http://localhost:%s" % os.environ.get("DEMO_PORT", "8069")

DISPUTES = [
    "Livraison incomplète : deux palettes de brochures manquantes, avoir demandé.",
    "Honoraires contestés : écart avec le devis signé, rendez-vous avec l'associé.",
    "Travaux contestés par le client : expertise contradictoire prévue.",
]
PROMISE_NOTE = "Virement promis par téléphone au service comptable."
# Customers, one a line: name | street | zip | city | language | salesperson | email
# (compta@<mailbox>.example for companies, <mailbox>@particulier.example for
# consumers; "-": none). Kinds: b2b companies, public buyers, b2c consumers.
CUSTOMERS = {
    "b2b": """
Boulangerie Martin SARL | 8 rue Mercière | 69002 | Lyon | fr_FR | paul | boulangerie-martin
Garage Dupont SAS | 112 cours Émile-Zola | 69100 | Villeurbanne | fr_FR | paul | garage-dupont
Menuiserie Lefèvre SARL | 5 rue Lesdiguières | 38000 | Grenoble | fr_FR | paul | menuiserie-lefevre
Transports Girard SAS | 27 rue de la Montat | 42100 | Saint-Étienne | fr_FR | paul \
| transports-girard
Atelier Moreau SARL | 3 avenue d'Albigny | 74000 | Annecy | fr_FR | paul | atelier-moreau
Imprimerie Roux SAS | 41 boulevard Gergovia | 63000 | Clermont-Ferrand | fr_FR | - | imprimerie-roux
Cabinet Fournier Conseil SARL | 18 rue du Faubourg Saint-Honoré | 75008 | Paris | fr_FR | sophie \
| cabinet-fournier
Bureau d'études Lambert SAS | 9 quai de la Fosse | 44000 | Nantes | fr_FR | sophie | be-lambert
Pharmacie Bonnet SARL | 56 cours de l'Intendance | 33000 | Bordeaux | fr_FR | sophie \
| pharmacie-bonnet
Hôtel Le Belvédère SAS | 12 rue Royale | 74000 | Annecy | fr_FR | paul | hotel-belvedere
Électricité Faure SARL | 7 avenue Victor-Hugo | 26000 | Valence | fr_FR | paul | electricite-faure
Plomberie Chevalier SARL | 22 rue de la Liberté | 21000 | Dijon | fr_FR | - | plomberie-chevalier
Librairie Garnier SAS | 10 rue Le Bastard | 35000 | Rennes | fr_FR | sophie | librairie-garnier
Traiteur Rousseau SARL | 15 rue Nationale | 37000 | Tours | fr_FR | - | traiteur-rousseau
Informatique Blanc SAS | 31 allées Jean-Jaurès | 31000 | Toulouse | fr_FR | sophie \
| informatique-blanc
Fromagerie Perrin SARL | 4 place Saint-Léger | 73000 | Chambéry | fr_FR | paul | fromagerie-perrin
Cave Robin SAS | 28 rue Rambuteau | 71000 | Mâcon | fr_FR | sophie | cave-robin
Agence Clément Immobilier SARL | 60 rue Nationale | 59000 | Lille | fr_FR | sophie | agence-clement
Paysages Gauthier SARL | 2 rue Foch | 34000 | Montpellier | fr_FR | - | paysages-gauthier
Nordic Lights France SAS | 17 rue du Vieux-Marché-aux-Vins | 67000 | Strasbourg | en_US | - \
| nordic-lights
Brightwater Logistics France SAS | 1 quai de Southampton | 76600 | Le Havre | en_US | sophie \
| brightwater-logistics
Cloudpeak Software France SARL | 2000 route des Lucioles | 06560 | Valbonne | en_US | - \
| cloudpeak-software
Restaurant Le Petit Zinc SARL | 35 La Canebière | 13001 | Marseille | fr_FR | - | -
""",
    "public": """
Mairie de Villeurbanne | Place Lazare-Goujon | 69100 | Villeurbanne | fr_FR | - \
| mairie-villeurbanne
""",
    "b2c": """
Jean Dupuis | 24 rue Paul-Bert | 69003 | Lyon | fr_FR | - | jean.dupuis
Marie Lemoine | 9 rue Francis-de-Pressensé | 69100 | Villeurbanne | fr_FR | - | marie.lemoine
Lucas Bernard | 3 place Grenette | 38000 | Grenoble | fr_FR | - | lucas.bernard
Camille Petit | 47 rue Oberkampf | 75011 | Paris | fr_FR | - | camille.petit
Thomas Durand | 6 avenue Franklin-Roosevelt | 69500 | Bron | fr_FR | - | thomas.durand
Chloé Leroy | 11 montée des Forts | 69300 | Caluire-et-Cuire | fr_FR | - | chloe.leroy
Nicolas Morel | 19 rue de Brest | 69002 | Lyon | fr_FR | - | nicolas.morel
Emma Wilson | 8 quai Eustache-Chappuis | 74000 | Annecy | en_US | - | emma.wilson
""",
}


def inv(days_late, level=None, days_ago=0, **extra):
    """An open invoice ``days_late`` days past due (negative: not yet due)
    that received ``level`` (account_dunning_fr.level_<level>) ``days_ago``
    days ago. Extra: partial (share already paid), dispute (note), promise
    (days until the promised date), term (invoice to due date, default 30)."""
    return {"days_late": days_late, "level": level, "level_days_ago": days_ago, **extra}


# What each customer owes today, and the reminders it already received: the
# comment says what today's run makes of it (one reminder per customer, at
# the highest level reached; invoices climb one level at a time).
OPEN_INVOICES = {
    # courtesy reminders (due within 5 days)
    "Boulangerie Martin SARL": [inv(-3)],
    "Électricité Faure SARL": [inv(-2)],
    "Cloudpeak Software France SARL": [inv(-5)],
    "Chloé Leroy": [inv(-4)],
    # first reminders
    "Garage Dupont SAS": [inv(3), inv(8)],
    "Traiteur Rousseau SARL": [inv(2)],
    "Nordic Lights France SAS": [inv(4)],
    "Marie Lemoine": [inv(5)],
    "Imprimerie Roux SAS": [inv(150, "b2b_reminder_2", 135, dispute=DISPUTES[0]), inv(5)],
    # second reminders, with a letter
    "Atelier Moreau SARL": [inv(17, "b2b_reminder_1", 16), inv(2)],
    "Hôtel Le Belvédère SAS": [inv(22, "b2b_reminder_1", 21, partial=0.5)],
    "Agence Clément Immobilier SARL": [inv(26, "b2b_reminder_1", 25, partial=0.25), inv(9)],
    "Nicolas Morel": [inv(16, "b2c_reminder_1", 13)],
    "Mairie de Villeurbanne": [inv(25, "public_reminder_1", 20, partial=0.6), inv(8)],
    # second reminder that fails: no email address
    "Restaurant Le Petit Zinc SARL": [inv(18, "b2b_reminder_1", 17)],
    # phone calls (activities for the salesperson, or the administrator)
    "Bureau d'études Lambert SAS": [inv(33, "b2b_reminder_2", 18)],
    "Paysages Gauthier SARL": [inv(45, "b2b_reminder_2", 30, term=60)],
    # formal notices, prepared for review
    "Menuiserie Lefèvre SARL": [
        inv(62, "b2b_call", 18),
        inv(24, "b2b_reminder_1", 23, partial=0.5),
        inv(-12),
    ],
    "Plomberie Chevalier SARL": [
        inv(118, "b2b_call", 52, partial=0.4, term=45),
        inv(40, "b2b_reminder_2", 25),
    ],
    "Cave Robin SAS": [inv(48, "b2b_call", 16), inv(-25, term=90)],
    "Brightwater Logistics France SAS": [inv(55, "b2b_call", 21), inv(18, "b2b_reminder_1", 17)],
    "Lucas Bernard": [inv(35, "b2c_reminder_2", 16)],
    # hand-over to litigation, prepared for review
    "Transports Girard SAS": [
        inv(212, "b2b_formal_notice", 35, term=60),
        inv(76, "b2b_call", 20, partial=0.3),
        inv(12, "b2b_reminder_1", 11),
    ],
    # nothing today: reminded recently, in dispute, or promised to pay
    "Pharmacie Bonnet SARL": [inv(20, "b2b_reminder_2", 5)],
    "Informatique Blanc SAS": [inv(7, "b2b_reminder_1", 6)],
    "Thomas Durand": [inv(7, "b2c_reminder_1", 4)],
    "Cabinet Fournier Conseil SARL": [inv(64, "b2b_reminder_2", 49, dispute=DISPUTES[1])],
    "Jean Dupuis": [inv(40, "b2c_reminder_2", 24, dispute=DISPUTES[2])],
    "Librairie Garnier SAS": [inv(50, "b2b_call", 20, promise=7)],
}
# How each customer paid its invoices of the last 24 months, which the payer
# profiles and risk scores read (customers not listed are punctual). Days
# late drawn in HABIT_DELAYS; "drifting" customers paid on time until 6
# months ago and 6 to 10 weeks late since; the "new" customer has one
# invoice, paid 60 days late.
PAYER_HABITS = {
    "Bureau d'études Lambert SAS": "late",
    "Cave Robin SAS": "late",
    "Hôtel Le Belvédère SAS": "late",
    "Paysages Gauthier SARL": "late",
    "Mairie de Villeurbanne": "late",
    "Lucas Bernard": "late",
    "Plomberie Chevalier SARL": "very_late",
    "Transports Girard SAS": "very_late",
    "Menuiserie Lefèvre SARL": "drifting",
    "Atelier Moreau SARL": "drifting",
    "Brightwater Logistics France SAS": "drifting",
    "Nordic Lights France SAS": "new",
}
# Narrow ranges: a steady payer's last 6 months must not read as a trend
# (5 days or more, core/payer.py).
HABIT_DELAYS = {
    "punctual": (-4, 1),
    "late": (27, 33),
    "very_late": (50, 60),
    "drifting_before": (-3, 6),
    "drifting": (45, 75),
}
# Calls of the past that left a mark on the score: (customer, outcome, note).
PAST_CALLS = [
    ("Transports Girard SAS", "promise", "Virement promis sous huit jours, jamais reçu."),
    ("Transports Girard SAS", "promise", "Chèque annoncé « au courrier », jamais reçu."),
    ("Transports Girard SAS", "dispute", "Retard de livraison contesté, réglé par un avoir."),
]
# Invoicing contacts (name, mailbox): reminders go to them, not to the company.
INVOICE_CONTACTS = {
    "Transports Girard SAS": ("Service comptabilité fournisseurs", "comptabilite"),
    "Brightwater Logistics France SAS": ("Accounts Payable", "ap"),
}
B2B_LINES = [
    "Maintenance annuelle du parc informatique",
    "Prestation de conseil",
    "Fourniture de matériel électrique",
    "Formation sécurité (2 jours)",
    "Installation et mise en service",
    "Contrat d'entretien trimestriel",
    "Développement du site web",
    "Location de matériel",
    "Audit énergétique",
    "Transport et livraison",
    "Impression de catalogues",
    "Travaux d'aménagement",
]
CONSUMER_LINES = [
    "Dépannage à domicile",
    "Installation d'une chaudière",
    "Réparation électroménager",
    "Cours particuliers (trimestre)",
    "Travaux de peinture",
    "Entretien du jardin",
]
# First digit of a French landline by département (01 Paris ... 05 south-west).
AREA_CODES = {
    "75": "1",
    "35": "2",
    "37": "2",
    "44": "2",
    "76": "2",
    "21": "3",
    "59": "3",
    "67": "3",
    "71": "3",
    "33": "5",
    "31": "5",
}
SALESPEOPLE = {"paul": "Paul Vendeur", "sophie": "Sophie Commerciale"}

Users = env["res.users"].with_context(no_reset_password=True)
if Users.search_count([("login", "=", "claire")]):
    raise SystemExit("Demo data already loaded in this database: rebuild it with make demo.")

# ----------------------------------------------------------------------
# Languages, users, settings
# ----------------------------------------------------------------------
for code in ("en_US", "fr_FR"):
    if not env["res.lang"]._lang_get(code):
        # Activate it and load the translations of every installed module.
        lang = env["res.lang"].with_context(active_test=False).search([("code", "=", code)])
        env["base.language.install"].create({"lang_ids": [Command.set(lang.ids)]}).lang_install()

admin = env.ref("base.user_admin")
# Notifications land in Odoo's inbox: the demo has no mail server.
admin.write({"lang": "fr_FR", "tz": "Europe/Paris", "notification_type": "inbox"})
# Password "admin" (already so in a fresh database): set without the
# "password changed" security email that writing it would queue.
env.cr.execute("SELECT password FROM res_users WHERE id = %s", [admin.id])
admin_hash = env.cr.fetchone()[0]
if not (admin_hash and admin._crypt_context().verify("admin", admin_hash)):
    admin._set_encrypted_password(admin.id, admin._crypt_context().hash("admin"))
# From here on, act as the administrator, in French: records, reminders and
# activities show a person, not OdooBot, and chatter notes read in French.
env = env(user=admin, context=dict(env.context, lang="fr_FR", tz="Europe/Paris"))
company = env.company


def make_user(name, login, group_xmlids):
    return Users.create(
        {
            "name": name,
            "login": login,
            "password": login,
            "email": "%s@masociete.example" % login,
            "lang": "fr_FR",
            "tz": "Europe/Paris",
            "notification_type": "inbox",
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([env.ref(xmlid).id for xmlid in group_xmlids])],
        }
    )


# Sales / User: Own Documents Only and nothing of Accounting: what they see of
# dunning is what the add-on shows every salesperson. They land on their
# quotations, not in Discuss.
salespeople = {
    login: make_user(name, login, ["sales_team.group_sale_salesman", "base.group_partner_manager"])
    for login, name in SALESPEOPLE.items()
}
for salesperson in salespeople.values():
    salesperson.action_id = env.ref("sale.action_quotations_with_onboarding").id
make_user("Claire Comptable", "claire", ["account.group_account_invoice"])

ICP = env["ir.config_parameter"].sudo()
ICP.set_param("web.base.url", DEMO_URL)
ICP.set_param("report.url", os.environ.get("DEMO_LOAD_REPORT_URL") or DEMO_URL)

if not company.partner_id.bank_ids:
    env["res.partner.bank"].create(
        {
            "partner_id": company.partner_id.id,
            "acc_number": "FR14 2004 1010 0505 0001 3M02 606",
            "bank_id": env["res.bank"].create({"name": "Banque Lyonnaise", "bic": "BLYOFRPP"}).id,
        }
    )

# ----------------------------------------------------------------------
# Customers
# ----------------------------------------------------------------------
Partner = env["res.partner"]
customers = []  # (partner, kind)


def phone(zip_code=None):
    """A landline of the customer's area, or a mobile for a consumer."""
    prefix = AREA_CODES.get(zip_code[:2], "4") if zip_code else RNG.choice("67")
    return "+33 %s %s" % (prefix, " ".join("%02d" % RNG.randint(10, 99) for _i in range(4)))


for kind, table in CUSTOMERS.items():
    for row in table.strip().splitlines():
        name, street, zip_code, city, lang, seller, mailbox = (v.strip() for v in row.split("|"))
        is_company = kind != "b2c"
        if mailbox == "-":
            email = False
        elif is_company:
            email = "compta@%s.example" % mailbox
        else:
            email = "%s@particulier.example" % mailbox
        partner = Partner.create(
            {
                "name": name,
                "is_company": is_company,
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": env.ref("base.fr").id,
                "lang": lang,
                "email": email,
                "phone" if is_company else "mobile": phone(zip_code if is_company else None),
                "user_id": salespeople[seller].id if seller != "-" else False,
                "dunning_public_buyer": kind == "public",
            }
        )
        if name in INVOICE_CONTACTS:
            contact_name, contact_mailbox = INVOICE_CONTACTS[name]
            Partner.create(
                {
                    "name": contact_name,
                    "parent_id": partner.id,
                    "type": "invoice",
                    "email": "%s@%s.example" % (contact_mailbox, mailbox),
                    "lang": lang,
                }
            )
        customers.append((partner, kind))

# ----------------------------------------------------------------------
# Invoices: first what each customer's story needs, then the paid history of
# the last 24 months and NOT_DUE_COUNT invoices not yet due.
# ----------------------------------------------------------------------
today = fields.Date.context_today(env["account.dunning.run"])
tax = company.account_sale_tax_id
if not (tax.amount == 20 and tax.type_tax_use == "sale"):
    tax = env["account.tax"].search(
        [
            *env["account.tax"]._check_company_domain(company),
            ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"),
            ("amount", "=", 20),
        ],
        limit=1,
    )


def price(kind):
    """Log-uniform: many small invoices, a few large ones (150 to 12,000)."""
    top = 16 if kind == "b2c" else 80
    return round(150 * top ** RNG.random(), 2)


def invoice_spec(partner, kind, days_late, term=30, **extra):
    due = today - timedelta(days=days_late)
    lines = CONSUMER_LINES if kind == "b2c" else B2B_LINES
    return {
        "partner": partner,
        "invoice_date": min(due - timedelta(days=term), today),
        "due": due,
        "price": price(kind),
        "label": RNG.choice(lines),
        **extra,
    }


specs = []
for partner, kind in customers:
    for spec in OPEN_INVOICES.get(partner.name, []):
        spec = dict(spec)
        days_late, term = spec.pop("days_late"), spec.pop("term", 30)
        specs.append(invoice_spec(partner, kind, days_late, term=term, **spec))
unknown = (set(OPEN_INVOICES) | set(PAYER_HABITS) | {call[0] for call in PAST_CALLS}) - {
    partner.name for partner, _kind in customers
}
assert not unknown, "OPEN_INVOICES, PAYER_HABITS or PAST_CALLS name unknown customers: %s" % unknown


def habit_delay(partner, recent=True):
    """Days late of one payment of ``partner``, after its habit (a drifting
    customer's old habit when not ``recent``)."""
    habit = PAYER_HABITS.get(partner.name, "punctual")
    if habit == "drifting" and not recent:
        habit = "drifting_before"
    return RNG.randint(*HABIT_DELAYS.get(habit, HABIT_DELAYS["punctual"]))


# Paid history, each customer after its habit: invoices due at even gaps
# from 23 months to 3 months ago (paid at most 75 days late: before today).
for partner, kind in customers:
    habit = PAYER_HABITS.get(partner.name, "punctual")
    if habit == "new":
        spec = invoice_spec(partner, kind, 100)
        spec["paid_on"] = spec["due"] + timedelta(days=60)
        specs.append(spec)
        continue
    count = 3 if kind == "b2c" else 8
    for index in range(count):
        days_ago = 90 + (count - 1 - index) * 600 // (count - 1) + RNG.randint(0, 20)
        # Paid within the last 6 months (183 days) when drifting: the new habit.
        recent = days_ago < 183 + HABIT_DELAYS["drifting"][0]
        spec = invoice_spec(partner, kind, days_ago, term=RNG.choice([30, 30, 45, 60]))
        spec["paid_on"] = spec["due"] + timedelta(days=habit_delay(partner, recent))
        spec["paid_on"] = max(spec["paid_on"], spec["invoice_date"])
        specs.append(spec)

# Invoices not yet due (outside the courtesy window); one in six with a
# deposit from a punctual customer (a deposit counts as a payment made
# early: it would blur the others' habit). Weighted so that companies have
# more than consumers; none for the new customer, whose one payment is the
# point.
pool = [
    c
    for c in customers
    if PAYER_HABITS.get(c[0].name) != "new"
    for _i in range({"b2b": 3, "public": 2, "b2c": 1}[c[1]])
]
for _i in range(NOT_DUE_COUNT):
    partner, kind = RNG.choice(pool)
    spec = invoice_spec(partner, kind, -RNG.randint(6, 30), term=RNG.choice([30, 45]))
    if RNG.random() < 1 / 6 and partner.name not in PAYER_HABITS:
        spec["partial"] = 0.3
    specs.append(spec)

specs.sort(key=lambda s: (s["invoice_date"], s["partner"].name))
moves = env["account.move"].create(
    [
        {
            "move_type": "out_invoice",
            "partner_id": spec["partner"].id,
            "invoice_user_id": (spec["partner"].user_id or admin).id,
            "invoice_date": spec["invoice_date"],
            "invoice_date_due": spec["due"],
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": spec["label"],
                        "quantity": 1,
                        "price_unit": spec["price"],
                        "tax_ids": [Command.set(tax.ids)],
                    }
                )
            ],
        }
        for spec in specs
    ]
)
moves.action_post()
for spec, move in zip(specs, moves, strict=True):
    spec["move"] = move


def register_payment(move, amount, day):
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=move.ids
    ).create({"amount": amount, "payment_date": day})._create_payments()


# The paid history in one batch: the payment wizard, one invoice at a time,
# took most of the build. One payment each, matched in one reconcile plan
# (a reconciliation dated by the later of the payment and the invoice).
bank = env["account.journal"].search(
    [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
)
paid_specs = [spec for spec in specs if spec.get("paid_on")]
history_payments = env["account.payment"].create(
    [
        {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": spec["move"].commercial_partner_id.id,
            "amount": spec["move"].amount_residual,
            "date": spec["paid_on"],
            "journal_id": bank.id,
            "memo": spec["move"].name,
        }
        for spec in paid_specs
    ]
)
history_payments.action_post()
env["account.move.line"]._reconcile_plan(
    [
        (payment.move_id.line_ids | spec["move"].line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for spec, payment in zip(paid_specs, history_payments, strict=True)
    ]
)
for spec in specs:
    move = spec["move"]
    if spec.get("partial"):
        # A round sum, paid as the customer pays (its habit, or today at the
        # latest); a deposit soon after the invoice.
        amount = max(round(move.amount_total * spec["partial"], -1), 50)
        if spec["due"] > today:
            day = spec["invoice_date"] + timedelta(days=RNG.randint(0, 5))
        else:
            day = spec["due"] + timedelta(days=habit_delay(spec["partner"]))
        register_payment(move, amount, max(min(day, today), spec["invoice_date"]))

# Calls of the past, on the customer's paid invoices (one each, the latest
# first): promises broken, a dispute since settled.
for name, outcome, note in PAST_CALLS:
    history = [
        spec
        for spec in specs
        if spec["partner"].name == name and spec.get("paid_on") and not spec.get("called")
    ]
    spec = history[-1]
    spec["called"] = True
    called_on = spec["due"] + timedelta(days=20)
    env["account.dunning.call"].create(
        {
            "partner_id": spec["partner"].id,
            "date": called_on,
            "outcome": outcome,
            "move_ids": [Command.set(spec["move"].ids)],
            "note": note,
            **(
                {
                    "promise_date": called_on + timedelta(days=7),
                    "promise_amount": spec["move"].amount_total,
                    "amount_due_at_call": spec["move"].amount_total,
                    "promise_state": "broken",
                }
                if outcome == "promise"
                else {}
            ),
        }
    )

# The reminders received before today, then the exclusions.
for spec in specs:
    if spec.get("level"):
        spec["move"]._dunning_set_level(
            env.ref("account_dunning_fr.level_%s" % spec["level"]),
            today - timedelta(days=spec["level_days_ago"]),
        )
    if spec.get("dispute"):
        spec["move"]._dunning_exclude("dispute", note=spec["dispute"])
    if spec.get("promise"):
        spec["move"]._dunning_exclude(
            "promise",
            promise_date=today + timedelta(days=spec["promise"]),
            note=PROMISE_NOTE,
        )

# What the ledger holds beside the invoices: a transfer received but not
# matched yet, and a credit note not yet set against an invoice. The
# reminders list them and claim the net.
overdue_b2b = [
    p
    for p, kind in customers
    if kind == "b2b"
    and p.name not in ("Librairie Garnier SAS", "Agence Clément Immobilier SARL")
    and p._get_open_invoices(company, overdue_only=True).filtered(lambda m: not m.dunning_excluded)
]
if overdue_b2b:
    unmatched = env["account.payment"].create(
        {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": overdue_b2b[0].id,
            "amount": round(
                sum(overdue_b2b[0]._get_open_invoices(company).mapped("amount_residual")) * 0.4
            ),
            "date": today - timedelta(days=2),
            "journal_id": bank.id,
            "memo": "VIR SEPA %s" % overdue_b2b[0].name.upper(),
        }
    )
    unmatched.action_post()
if len(overdue_b2b) > 1:
    refund = env["account.move"].create(
        {
            "move_type": "out_refund",
            "partner_id": overdue_b2b[1].id,
            "invoice_date": today - timedelta(days=6),
            "ref": "Geste commercial",
            "invoice_line_ids": [
                Command.create({"name": "Avoir sur prestation", "price_unit": 150.0, "tax_ids": []})
            ],
        }
    )
    refund.action_post()

# Suppliers and their bills (the received half of the D441-6 tables, and the
# late supplier bills we owe penalties on): every bracket of delay, some
# paid on time, some late, one partly paid, one disputed.
SUPPLIERS = [
    ("Papeterie Dubois SARL", "14 rue de la République", "69001", "Lyon"),
    ("Loyers Bellecour SCI", "2 place Bellecour", "69002", "Lyon"),
    ("Télécom Rhône SAS", "90 cours Lafayette", "69003", "Lyon"),
    ("Fournitures Industrielles Marchand SA", "5 rue du Port", "69007", "Lyon"),
]
purchase_tax = env["account.tax"].search(
    [("type_tax_use", "=", "purchase"), ("amount", "=", 20), ("company_id", "=", company.id)],
    limit=1,
)
suppliers = env["res.partner"].create(
    [
        {
            "name": name,
            "is_company": True,
            "street": street,
            "zip": zip_code,
            "city": city,
            "country_id": env.ref("base.fr").id,
            "lang": "fr_FR",
        }
        for name, street, zip_code, city in SUPPLIERS
    ]
)
bills = []
for index, days_late in enumerate([-20, -5, 0, 1, 12, 30, 31, 45, 60, 61, 75, 90, 91, 130]):
    supplier = suppliers[index % len(suppliers)]
    due = today - timedelta(days=days_late)
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": supplier.id,
            "invoice_date": due - timedelta(days=30),
            "invoice_date_due": due,
            "ref": "F-%s-%03d" % (today.year, 100 + index),
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Fournitures et services",
                        "price_unit": round(RNG.uniform(150, 4000), 2),
                        "tax_ids": purchase_tax.ids,
                    }
                )
            ],
        }
    )
    bill.action_post()
    bills.append((bill, days_late))
# Paid in the year: on time, and late (the D441-6 II table).
for _ in range(8):
    days_late = RNG.choice([-3, 0, 5, 25, 40, 70, 100])
    due = today - timedelta(days=RNG.randint(120, 300))
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": RNG.choice(suppliers).id,
            "invoice_date": due - timedelta(days=30),
            "invoice_date_due": due,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Prestations",
                        "price_unit": round(RNG.uniform(150, 3000), 2),
                        "tax_ids": purchase_tax.ids,
                    }
                )
            ],
        }
    )
    bill.action_post()
    register_payment(bill, bill.amount_residual, due + timedelta(days=days_late))
partly_paid = bills[7][0]
register_payment(partly_paid, round(partly_paid.amount_residual / 2, 2), today - timedelta(days=20))
disputed = bills[10][0]
disputed.write(
    {
        "dunning_excluded": True,
        "dunning_exclusion_reason": "dispute",
        "dunning_exclusion_note": "Livraison non conforme : réclamation en cours.",
    }
)

# ----------------------------------------------------------------------
# E-invoicing statuses: the buyers' platforms answered a few invoices
# ----------------------------------------------------------------------
# The messages shipped in account_dunning_fr/demo/cdar/, restamped with the
# demo invoice's number and date, the company's SIREN and a status date
# relative to today, imported as an uploaded file would be: a dispute
# after its receipt (paused, an activity; its other invoice still goes to
# the formal notice), a refusal (never chased again), a payment
# transmitted (held 5 days), the date an invoice reached the buyer (listed on
# its litigation file). (customer, days late, code, status days ago).
# A status days ago None: the day after the invoice was issued (203, 204).
EINVOICE_STATUSES = [
    ("Brightwater Logistics France SAS", 18, "203", None),
    ("Brightwater Logistics France SAS", 18, "204", None),
    ("Brightwater Logistics France SAS", 18, "207", 2),
    ("Traiteur Rousseau SARL", 2, "210", 1),
    ("Nordic Lights France SAS", 4, "211", 1),
    ("Transports Girard SAS", 212, "203", None),
]
EINVOICE_FILES = {
    "203": "CDV-203_Mise_a_disposition.xml",
    "204": "CDV-204_Prise_en_charge.xml",
    "207": "CDV-207_En_litige.xml",
    "210": "CDV-210_Refusee.xml",
    "211": "CDV-211_Paiement_transmis.xml",
}
if not company._dunning_siren():
    company.company_registry = "334175221"
company._dunning_einvoice_set_alias("statuts-factures")
einvoice_files = []
for name, days_late, code, days_ago in EINVOICE_STATUSES:
    move = next(
        spec["move"]
        for spec in specs
        if spec["partner"].name == name
        and spec["due"] == today - timedelta(days=days_late)
        and not spec.get("paid_on")
    )
    day = move.invoice_date + timedelta(days=1) if days_ago is None else today - timedelta(days_ago)
    hour = time(9, 30) if code != "204" else time(15, 0)
    template = Path(file_path("account_dunning_fr/demo/cdar/" + EINVOICE_FILES[code]))
    data = restamp(
        template.read_bytes(),
        invoice_number=move.name,
        invoice_date=move.invoice_date,
        seller_siren=company._dunning_siren(),
        status_datetime=datetime.combine(day, hour),
    )
    einvoice_files.append(("CDV-%s-%s.xml" % (code, move.name.replace("/", "-")), data))
einvoice_imports = env["account.dunning.einvoice.import"]._import_files(
    company, einvoice_files, "file"
)
assert set(einvoice_imports.mapped("state")) == {"matched"}, einvoice_imports.mapped("summary")

# ----------------------------------------------------------------------
# Today's run
# ----------------------------------------------------------------------
# A payment plan agreed with one customer, who can follow it on the portal
# (login client / client), and a plan request waiting for the accountants.
plan_customer = next(p for p, kind in customers if p.name == "Librairie Garnier SAS")
plan_invoices = plan_customer._get_open_invoices(company, overdue_only=True)
if plan_invoices:
    plan_wizard = (
        env["account.dunning.payment.plan.wizard"]
        .with_context(active_model="account.move", active_ids=plan_invoices.ids)
        .create({"instalment_count": 4, "first_date": today + timedelta(days=10)})
    )
    plan = env["account.dunning.payment.plan"].browse(plan_wizard.action_create_plan()["res_id"])
    plan.action_confirm()
    portal_user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": plan_customer.name,
                "login": "client",
                "password": "client",
                "partner_id": plan_customer.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
        )
    )
request_customer = next(p for p, kind in customers if p.name == "Agence Clément Immobilier SARL")
request_invoices = request_customer._get_open_invoices(company)
if request_invoices:
    env["account.dunning.payment.plan"]._create_portal_request(
        request_customer, request_invoices, 3, "Nous traversons une période difficile."
    )

run = env["account.dunning.run"]._run_manual(company)
# The night's second scheduled action: the payer figures and the forecast.
env["account.dunning.payer.profile"]._cron_refresh_payer_figures()

# Customers answer their reminders: from the link (already paid with a
# reference, will pay on a day, a dispute) and by replying to the email
# (a payment announced, a question, a promise, a dispute), read by
# core/replies.py.
answered = run.action_ids.filtered(lambda a: a.state == "sent" and a.send_email).sorted("id")
Answer = env["account.dunning.answer"]
for action, values in zip(
    answered,
    (
        {"kind": "paid", "paid_date": today - timedelta(days=1), "payment_reference": "VIR-20481"},
        {"kind": "promise", "promise_date": today + timedelta(days=10), "note": "Fin de mois."},
        {
            "kind": "dispute",
            "dispute_reason": "not_conform",
            "note": "Deux colis livrés abîmés, photos envoyées au commercial.",
        },
    ),
    strict=False,
):
    Answer._record_answer(action, {"source": "portal", **values})
REPLY = """From: {email}
To: {company_email}
Subject: Re: {subject}
Message-Id: <demo-reply-{number}@client.example>
In-Reply-To: {parent}
References: {parent}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
"""
for number, (action, body) in enumerate(
    zip(
        answered[3:],
        (
            "Bonjour,\nnous avons réglé cette facture par virement effectué le %s, réf. "
            "VIR-77120.\nCordialement" % (today - timedelta(days=2)).strftime("%d/%m/%Y"),
            "Bonjour, pourriez-vous nous renvoyer votre RIB ? Merci.",
            "Bonjour,\nnous réglerons cette facture le %s.\nBien cordialement"
            % (today + timedelta(days=8)).strftime("%d/%m/%Y"),
            "Bonjour, nous contestons cette facture : le montant ne correspond pas "
            "au devis signé.\nCordialement",
        ),
        strict=False,
    )
):
    env["mail.thread"].message_process(
        None,
        REPLY.format(
            email=action.partner_id.email or "client@example.com",
            company_email=company.email,
            subject=action.mail_id.subject,
            number=number,
            parent=action.mail_id.message_id,
            body=body,
        ),
    )

# What the customers did with the emails, as the tracked link and pixel
# record it: two in three opened theirs, one in three followed the link, so
# that the open rate per level means something on the dashboard.
emailed = run.action_ids.filtered(lambda a: a.state == "sent" and a.send_email).sorted("id")
emailed.filtered(lambda a: a.id % 3)._record_tracking_event("open")
emailed.filtered(lambda a: a.id % 3 == 1)._record_tracking_event("click")

# A customer already before the court: a request for an order for payment
# filed, the order issued and served (not to the debtor in person), so that
# the file shows its deadlines and the invoices their restarted prescription.
court_customer = next(
    (
        action.partner_id
        for action in run.action_ids
        if action.level_id.formal_notice and action.partner_id.dunning_regime == "b2b"
    ),
    None,
)
if court_customer:
    court_file = env["account.dunning.litigation.file"]._get_or_create(court_customer)
    court_file.write(
        {
            "jurisdiction": "tc",
            "date_filed": today - timedelta(days=75),
            "date_ordonnance": today - timedelta(days=50),
            "date_signification": today - timedelta(days=20),
            "signification_a_personne": False,
        }
    )
# The salespeople's quotations, for customers in several payment statuses
# (the banner shows on all but the first), with the credit hold on: the
# order of the customer under formal notice waits for an accounting manager.
company.dunning_credit_hold = True
products = env["product.product"].create(
    [
        {"name": name, "type": "service", "list_price": list_price}
        for name, list_price in (
            ("Maintenance annuelle", 1800.0),
            ("Journée de conseil", 950.0),
            ("Formation (1 jour)", 1200.0),
        )
    ]
)
QUOTATIONS = [
    # customer, (product index, quantity)...
    ("Boulangerie Martin SARL", (0, 1)),
    ("Garage Dupont SAS", (1, 2), (2, 1)),
    ("Transports Girard SAS", (0, 1), (1, 3)),
    ("Menuiserie Lefèvre SARL", (2, 2)),
    ("Librairie Garnier SAS", (1, 1)),
    ("Cabinet Fournier Conseil SARL", (1, 4)),
]
by_name = {partner.name: partner for partner, _kind in customers}
quotations = env["sale.order"].create(
    [
        {
            "partner_id": by_name[name].id,
            "user_id": by_name[name].user_id.id,
            "order_line": [
                Command.create({"product_id": products[index].id, "product_uom_qty": quantity})
                for index, quantity in lines
            ],
        }
        for name, *lines in QUOTATIONS
    ]
)
ICP.set_param("report.url", DEMO_URL)
env.cr.commit()

by_state = {}
for move in moves:
    by_state[move.payment_state] = by_state.get(move.payment_state, 0) + 1
print(
    "Demo data: %d customers, %d invoices (%s), %d excluded from dunning."
    % (
        len(customers),
        len(moves),
        ", ".join("%s %d" % item for item in sorted(by_state.items())),
        len(moves.filtered("dunning_excluded")),
    )
)
print(
    "E-invoicing statuses: %s."
    % ", ".join(
        "%s %s (%s)" % (status.code, status.label, status.move_id.partner_id.name)
        for status in einvoice_imports.status_ids
    )
)
print(
    "Dunning run: %d reminders made, %d sent, %d to review, %d failed, %d skipped."
    % (run.action_count, run.sent_count, run.to_review_count, run.failed_count, run.skipped_count)
)
actions = run.action_ids.sorted(
    lambda a: (a.policy_id.sequence, a.level_id.delay_days, a.partner_id.name)
)
for level, group in actions.grouped("level_id").items():
    print(
        "  %s / %s: %s"
        % (
            level.policy_id.name,
            level.name,
            ", ".join("%s (%s)" % (a.partner_id.name, a.state) for a in group),
        )
    )
print(
    "Quotations: %s."
    % ", ".join("%s (%s)" % (q.partner_id.name, q.dunning_status) for q in quotations)
)
profiles = env["account.dunning.payer.profile"].search([("company_id", "=", company.id)])
scores = sorted(profiles.mapped("risk_score"))
print(
    "Payer risk scores (%d customers): min %d, median %d, max %d; %s."
    % (
        len(scores),
        scores[0] if scores else 0,
        scores[len(scores) // 2] if scores else 0,
        scores[-1] if scores else 0,
        ", ".join(
            "%s %d" % (segment, len(profiles.filtered(lambda p, s=segment: p.segment == s)))
            for segment in ("good", "watch", "risky")
        ),
    )
)
for profile in profiles:
    print(
        "  %3d %-5s %s: %s"
        % (
            profile.risk_score,
            profile.segment,
            profile.partner_id.name,
            profile._explain(profile, company.dunning_payer_prior_delay),
        )
    )
print(
    "Users: admin/admin, claire/claire (accountant), paul/paul and sophie/sophie (sales), "
    "client/client (portal customer with a payment plan)."
)
