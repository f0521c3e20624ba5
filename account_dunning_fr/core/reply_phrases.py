"""The phrases a customer uses to say it paid, will pay or contests the claim.

One rule per way of saying it, in the folded text (lower case, without
accents: "réglé" is written ``regle``), French and English side by side,
with the common typos ("paiment", "éffectué", "payed"). Each rule says:

* ``kind``: ``paid``, ``promise``, ``dispute``, or ``tense`` when the
  words before it decide ("a été réglée" is paid, "sera réglée" a promise:
  ``replies._tense``);
* ``reason``: for a dispute, what is contested (``replies.REASONS``);
* ``negatable``: False when the phrase holds its own negation ("pas reçu
  la marchandise", "never delivered", "nous ne paierons pas"), so that the
  negation rule does not cancel it;
* ``careful``: a statement only, not in a condition, a question, a general
  rule or a hedge ("si vous avez déjà réglé", "c'est réglé ?", "nos
  règlements sont effectués le 10 de chaque mois", "I think we paid");
* ``today``: done or to be done today ("je viens de payer", "paying it
  right now");
* ``needs_when``: a present tense that promises only with a day or
  "prochain" in its sentence ("je le fais lundi", "on paye la semaine
  prochaine"), not alone ("nous réglons par virement").

A reply to a reminder answers the reminder: "I'll do it Monday" is read as
a promise to pay, "it is taken care of" as paid.
"""

import re
from dataclasses import dataclass

PAY_NOUN = (
    r"(?:paiement|paiment|payement|reglement|virement|cheque|versement|transfert|prelevement"
    r"|payment|transfer|wire|check|remittance|fonds|funds|money)s?"
)
PAST_VERB = (
    r"(?:e?ffectue|faite?|emise?|envoye|partie?|execute|passe|realise|expedie|poste|lance"
    r"|transmise?|ordonne|verse|vire|debite|encaisse)(?:e|s|es)?"
    r"|sent|made|done|released|processed|wired|issued|posted|executed|initiated|mailed"
    r"|dispatched|completed|transferred|submitted|remitted|cleared|debited|gone(?:\s+out)?"
    r"|went\s+(?:out|through)|left"
)
FUTURE_VERB = (
    r"partira|partiront|interviendra|suivra|arrivera|arriveront|parviendra|parviendront|sera"
    r"|seront|(?:prevu|programme|planifie)(?:e|s|es)?|scheduled|planned|queued|follow|go\s+out"
)
GOODS_FR = (
    r"(?:marchandise|colis|commande|livraison|produit|materiel|article|piece|fourniture|palette"
    r"|equipement|prestation|intervention)s?"
)
GOODS_EN = (
    r"(?:goods|items?|order|parcel|package|deliver(?:y|ies)|products?|shipment|materials?"
    r"|equipment|pallets?|parts|merchandise)"
)
WORKS_FR = r"(?:travaux|chantier|prestation|intervention|mission|installation|formation|livraison)"


@dataclass(frozen=True)
class Rule:
    """A way of saying something (see the module's docstring)."""

    kind: str
    pattern: re.Pattern
    reason: str | None = None
    negatable: bool = True
    careful: bool = False
    today: bool = False
    needs_when: bool = False


def rule(kind, *phrases, **flags):
    """A Rule matching any of ``phrases``."""
    return Rule(kind, re.compile("|".join(phrases)), **flags)


RULES = (
    # ---- paid or promise, as the words before say
    rule(
        "tense",
        r"(?<![\w-])(?:deja\s+)?(?P<verb>reglee?s?|payee?s?|paid|payed|settled|soldee"
        r"|acquittee?s?|versee?s?|honoree?s?|prelevee?s?|cleared|taken\s+care\s+of)\b",
        careful=True,
    ),
    rule(  # "le paiement a été effectué", "virement prévu le", "payment was sent"
        "tense",
        r"\b%s\b(?P<gap>(?:[^.!?\n;]|\.(?=\d)){0,45}?)\b(?P<verb>%s|%s)\b"
        % (PAY_NOUN, FUTURE_VERB, PAST_VERB),
        careful=True,
    ),
    # ---- paid
    rule(  # "nous avons procédé au paiement", "j'ai transmis l'ordre de virement"
        "paid",
        r"\b(?:avons|ai|a|avez|ont)\s+(?:\w+\s+){0,2}?(?:procede|e?ffectue|fait|envoye|emis"
        r"|realise|passe|lance|execute|poste|expedie|ordonne|transmis)\s+(?:au|a|le|la|les|un"
        r"|une|notre|nos|votre|vos|l')\s*(?:[\w']+\s+){0,2}?%s" % PAY_NOUN,
        r"\b(?:avons|ai|avez)\s+(?:\w+\s+){0,2}?(?:vire|verse)\b",
        careful=True,
    ),
    rule(  # "we mailed a check", "we have transferred"
        "paid",
        r"\b(?:we|i|we've|i've)\s+(?:have\s+|had\s+|already\s+|just\s+|also\s+)*(?:sent|made"
        r"|mailed|posted|released|initiated|issued|processed|submitted)\s+(?:\w+\s+){0,2}?"
        r"(?:%s|money|funds|amount|balance)" % PAY_NOUN,
        r"\b(?:we|i|we've|i've)\s+(?:have\s+|had\s+|already\s+|just\s+|also\s+)*"
        r"(?:wired|remitted|transferred)\b",
        careful=True,
    ),
    rule(
        "paid",
        r"\b(?:je\s+viens|nous\s+venons|on\s+vient)\s+(?:juste\s+)?d[e']\s*(?:vous\s+)?"
        r"(?:payer|regler|faire|effectuer|envoyer|proceder|lancer|passer|virer|verser)",
        r"\b(?:have|has|'ve)\s+just\s+(?:paid|sent|made|wired|transferred|settled)",
        today=True,
    ),
    rule(  # "avez-vous reçu notre virement du 01/12 ?" states the transfer, even in a question
        "paid",
        r"\b(?:notre|nos|mon|le|our|the)\s+%s\s+(?:du|en\s+date\s+du|dated|of)\s+"
        r"(?=\d{1,2}/\d{1,2}\b|\d{1,2}(?:er)?\s+[a-z]{3})"
        r"(?![^.!?\n]*\b(?:sera|seront|prevue?|programmee?|planifiee?|partira|interviendra|will"
        r"|scheduled|planned)\b)" % PAY_NOUN,
    ),
    rule(
        "paid",
        r"\b(?:avis|ordre\s+de\s+virement|preuve|justificatif|confirmation)\s+de\s+"
        r"(?:virement|paiement|reglement)\b(?!\s+(?:prevu|programme))",
        r"\b(?:remittance\s+advice|proof\s+of\s+payment|payment\s+confirmation)\b",
        r"\b(?:last|previous|latest)\s+(?:payment|pay)\s+(?:run|batch|cycle)",
        r"\b(?:derniere|precedente)\s+campagne\s+de\s+(?:paiement|reglement|virement)s?",
        careful=True,
    ),
    # ---- promise
    rule(
        "promise",
        r"\b(?:reglerons|reglerai|reglera|regleront|payerons|paierons|payerai|paierai|payera"
        r"|paiera|payeront|paieront|virerons|virerai|virera|verserons|verserai|versera"
        r"|solderons|solderai|regulariserons|regulariserai|regularisera|honorerons|honorerai)\b",
        r"\b(?:ferai|ferons|fera)\s+le\s+necessaire\b|\bwill\s+do\s+the\s+needful\b",
        r"\b(?:procederons|procederai|procedera|effectuerons|effectuerai|effectuera|ferons|ferai"
        r"|fera|enverrons|enverrai|enverra|emettrons|lancerons|lancerai|passerons|adresserons"
        r"|adresserai|transmettrons|transmettrai)\b"
        r"\s+(?:\w+\s+){0,3}?(?:%s|au\s+reglement|au\s+paiement)" % PAY_NOUN,
    ),
    rule(  # "je vais payer", "nous prévoyons de régler", "nous ne pourrons payer que le 20"
        "promise",
        r"\b(?:vais|allons|va|vont|compte|comptons|prevois|prevoyons|devrions|devrais|pourrons"
        r"|pourrai|pourrions|esperons|espere)\s+(?:de\s+|d')?(?:vous\s+|le\s+|la\s+|les\s+|l'"
        r"|en\s+)?(?:payer|regler|virer|verser|proceder|effectuer|envoyer|lancer|solder|honorer"
        r"|regulariser|faire\s+(?:le|un|notre)\s+%s)" % PAY_NOUN,
    ),
    rule(
        "promise",
        r"\b(?:m'engage|nous\s+engageons|engageons)\s+a\s+(?:vous\s+)?"
        r"(?:payer|regler|verser|virer|solder)",
        r"\bpropos(?:ons|e)\s+de\s+(?:vous\s+)?(?:regler|payer|verser|virer)",
        r"\ben\s+cours\s+de\s+(?:reglement|paiement|virement)",
        r"\bcampagne\s+de\s+(?:paiement|reglement|virement)s?",
        r"\bd'ici\s+(?:la\s+)?fin\s+(?:du|de)\s+mois\b",
    ),
    rule(  # "we will pay", "we'll be paying", "payment will be made", "I'll do it Monday"
        "promise",
        r"\b(?:will|shall|'ll|wil|going\s+to|gonna|plan\s+to|planning\s+to|intend\s+to"
        r"|expect\s+to|aim\s+to|hope\s+to)\s+(?:\w+\s+)?(?:be\s+)?(?:pay|paid|settle|settled"
        r"|transfer|transferred|wire|wired|send|sent|make|made|process|processed|remit|remitted"
        r"|release|released|issue|issued|clear|arrange|paying|settling|transferring|wiring"
        r"|sending|making|processing|releasing)\b",
        r"\b(?:will|'ll|shall)\s+(?:do|handle|sort)\s+(?:it|this|that)\b",
        r"\b(?:will|'ll|shall)\s+(?:get|have)\s+(?:it|this|that|the\s+\w+)\s+(?:sorted|paid|done"
        r"|settled|cleared)\b",
        r"\byou(?:'ll|\s+will|\s+should)\s+(?:have|receive|get|see)\s+(?:the\s+|your\s+|our\s+)?"
        r"(?:money|payment|funds|transfer|cheque|check)\b",
        r"\b(?:we|i)\s+(?:can|could)\s+(?:only\s+)?(?:pay|settle)\b",
        r"\bscheduled\s+for\s+payment|\b(?:payment|pay)\s+(?:run|batch|cycle)\b",
        r"\b(?:by|before)\s+the\s+end\s+of\s+(?:the|this)\s+month\b",
    ),
    rule(
        "promise",
        r"\b(?:paying|settling|transferring)\s+(?:it|this|the\s+\w+\s+)?\s*(?:right\s+)?"
        r"(?:now|today)\b",
        today=True,
    ),
    rule(
        "promise",
        r"\b(?:je|j'|on|nous)\s+(?:le\s+|la\s+|les\s+|vous\s+|l'|m'en\s+|s'en\s+|en\s+"
        r"|nous\s+en\s+)?(?:fais|faisons|refais|refaisons|paye|paie|payons|regle|reglons|vire"
        r"|virons|verse|versons|occupe|occupons|envoie|envoyons|lance|lancons|passe|passons)\b",
        r"\b(?:we|i)\s+(?:pay|settle|transfer|wire|send)\b",
        r"\bpour\s+(?:vous\s+)?(?:faire|effectuer|payer|regler|envoyer|lancer|virer)\b",
        needs_when=True,
    ),
    # ---- dispute, reason other: contesting, refusing, withholding, returning
    rule(
        "dispute",
        r"\bcontest\w*|\blitiges?\b|\bdisput\w*|\ben\s+desaccord\b",
        reason="other",
        careful=True,
    ),
    rule(
        "dispute",
        r"\brefus\w*\s+de\s+(?:vous\s+)?(?:payer|regler)",
        r"\bne\s+(?:\w+\s+)?(?:paierons|payerons|paierai|payerai|reglerons|reglerai|paiera|payera"
        r"|reglera|payons|reglons|paie|paye|regle)\s+pas\b"
        r"(?!\s+(?:avant|d'ici|encore|tout\s+de\s+suite|maintenant))",
        r"\bne\s+(?:vais|allons|va)\s+pas\s+(?:vous\s+)?(?:payer|regler)\b"
        r"(?!\s+(?:avant|d'ici|tout\s+de\s+suite|maintenant))",
        r"\brefus\w*\s+(?:cette|la|votre)\s+facture|\b(?:reject|refuse)\s+(?:this|the|your)\s+invoice",
        r"\b(?:won't|wont|will\s+not|(?:are|'re|am|'m)\s+not\s+going\s+to|refuse\s+to"
        r"|cannot\s+accept|do\s+not\s+accept|don't\s+accept)\s+(?:be\s+)?(?:pay|paying|settle"
        r"|settling|this\s+invoice|the\s+invoice)\b"
        r"(?!\s+(?:it\s+|this\s+|the\s+invoice\s+)?(?:before|yet|today|right\s+now"
        r"|until\s+(?:the\s+\d|next|monday|tuesday|wednesday|thursday|friday|the\s+end)))",
        r"\b(?:bloquons|suspendons|bloquer|suspendre|gelons)\s+(?:le|notre|tout|les)\s+"
        r"(?:paiement|reglement)s?\b",
        r"\b(?:withhold|withholding|holding\s+back|putting\s+on\s+hold)\s+(?:the\s+|our\s+)?"
        r"payment\b",
        r"\b(?:returned|sent\s+back)\s+(?:the\s+|all\s+the\s+)?%s" % GOODS_EN,
        r"\b(?:retourne|renvoye|restitue)e?s?\s+(?:la|les|le|toute\s+la)\s+%s" % GOODS_FR,
        r"\b(?:attendons|attends|attente\s+d'un|attente\s+de\s+l')\s+(?:un\s+|l')?avoir\b",
        r"\b(?:expect|expecting|awaiting|waiting\s+for)\s+(?:a\s+|the\s+|your\s+)?(?:full\s+)?"
        r"credit(?:\s+note)?\b",
        r"\b(?:jamais|pas)\s+commande\w*|\bnever\s+ordered|\bdid\s*n[o']t\s+order",
        r"\bshould\s*(?:n't|\s+not|\s+never)\s+(?:have\s+)?been\s+(?:invoiced|billed|charged)",
        r"\bn'aurai(?:t|ent)\s+(?:jamais\s+|pas\s+)du\s+etre\s+facture",
        r"\bcontrat\s+(?:a\s+ete\s+)?resilie|\bcontract\s+(?:was\s+|has\s+been\s+)?terminated",
        r"\bcommande\s+(?:a\s+ete\s+)?annulee|\border\s+(?:was\s+)?cancell?ed",
        reason="other",
        negatable=False,
    ),
    # ---- dispute, not received: goods or service never delivered
    rule(
        "dispute",
        r"\b(?:pas|jamais|rien)\s+(?:\w+\s+){0,2}?(?:recu|receptionne|eu|vu)\w*\s+(?:\w+\s+){0,2}?"
        + GOODS_FR,
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+(?:jamais|pas|non)\s+(?:encore\s+|ete\s+|toujours\s+)*"
        r"(?:livre|recu|arrive|realise|venu|expedie)e?s?\b" % GOODS_FR,
        r"\bjamais\s+(?:ete\s+)?(?:livre|venu|arrive)\w*|\bnon\s+livree?s?\b",
        r"\bpas\s+(?:encore\s+)?(?:ete\s+)?livree?s?\b",
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+(?:pas|non|jamais)\s+(?:encore\s+|ete\s+)*"
        r"(?:terminee?s?|finie?s?|achevee?s?)" % WORKS_FR,
        r"\b%s\s+(?:[\w']+\s+){0,2}?(?:jamais|pas)\s+(?:eu\s+lieu|ete\s+(?:faite|effectuee"
        r"|realisee|assuree))" % WORKS_FR,
        r"\b%s\s+manquante?s?|\blivraison\s+(?:partielle|incomplete)|\bcommande\s+incomplete"
        % GOODS_FR,
        r"\b(?:not|never|n't)\s+(?:\w+\s+){0,2}?(?:received|got|gotten|seen)\s+(?:\w+\s+){0,2}?"
        + GOODS_EN,
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+(?:never|not|n't)\s+(?:yet\s+|been\s+)*"
        r"(?:delivered|received|arrived|shipped)\b" % GOODS_EN,
        r"\bnever\s+(?:been\s+)?(?:delivered|arrived|shipped|performed|provided|came|showed)",
        r"\bnot\s+(?:been\s+)?delivered\b",
        r"\bnothing\s+(?:was|has\s+been|got)\s+(?:delivered|received)\b",
        r"\brien\s+(?:n'a\s+ete|n'est)\s+(?:livre|arrive|recu)|\baucune\s+livraison\b",
        r"\b(?:work|works|job|project|installation|service)\s+(?:is|was|has|are)\s+(?:still\s+)?"
        r"(?:not|never)\s+(?:been\s+)?(?:finished|completed|done)",
        r"\b(?:delivery|service|visit|installation|training)\s+never\s+(?:took\s+place|happened)",
        r"\b(?:half|part|some|most)\s+(?:of\s+)?(?:the\s+)?%s(?:\s+[\w']+){0,3}?\s+"
        r"(?:was|were|is|are)\s+missing" % GOODS_EN,
        r"\b%s(?:\s+[\w']+){0,3}?\s+(?:was|were|is|are)\s+missing|\bmissing\s+%s"
        % (GOODS_EN, GOODS_EN),
        r"\b(?:partial|incomplete)\s+(?:delivery|shipment|order)",
        reason="not_received",
        negatable=False,
    ),
    # ---- dispute, not conform: not as ordered, damaged, defective
    rule(
        "dispute",
        r"\b(?:non|pas)\s+conformes?\b|\bnon[- ]conformite",
        r"\bne\s+(?:fonctionne|marche)n?t?\s+(?:toujours\s+|plus\s+)?(?:pas|plus)\b",
        r"\bpas\s+(?:ete\s+)?(?:realise|effectue|fait)e?s?\s+(?:correctement|comme\s+convenu|selon)",
        r"\bmauvaise?s?\s+(?:reference|article|produit|modele|taille|qualite|etat)",
        r"\bpas\s+satisfaite?s?\s+(?:de|du)\s+(?:la\s+)?(?:qualite|travail|prestation)",
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+ne\s+correspond\w*\s+pas" % GOODS_FR,
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+(?:a|ont)\s+ete\s+refusee?s?\s+(?:a|lors\s+de)\s+la\s+"
        r"(?:livraison|reception)" % GOODS_FR,
        r"\b%s\b(?:\s+[\w']+){0,3}?\s+(?:does\s*n[o']t|do\s*n[o']t)\s+(?:match|correspond\s+to)"
        r"\s+(?:our|the|what\s+we)" % GOODS_EN,
        r"\b(?:refused|rejected)\s+(?:at|on|upon)\s+delivery\b",
        r"\bnot\s+(?:as\s+ordered|as\s+described|as\s+specified|as\s+per\s+(?:the\s+)?order"
        r"|to\s+spec\w*|what\s+we\s+ordered|working|conform\w*)",
        r"\bnot\s+(?:been\s+)?(?:performed|done|carried\s+out)\s+(?:as\s+agreed|properly"
        r"|correctly)",
        r"\bdoes\s*n[o']t\s+work|\bwrong\s+(?:item|product|goods|model|size|reference)s?",
        r"\bnot\s+(?:happy|satisfied)\s+with\s+the\s+(?:quality|work|service|goods)",
        reason="not_conform",
        negatable=False,
    ),
    rule(
        "dispute",
        r"\bdefectueu\w*|\bendommag\w*|\babime\w*|\bcassee?s?\b|\bdeteriore\w*|\ben\s+panne\b",
        r"\bmalfacons?\b|\bvices?\s+caches?\b",
        r"\bdamaged\b|\bdefective\b|\bfaulty\b|\bbroken\b|\bpoor\s+quality\b",
        reason="not_conform",
        careful=True,
    ),
    # ---- dispute, wrong amount: price, quantity, VAT, discount, billed twice
    rule(
        "dispute",
        r"\berreur\s+(?:de|sur\s+le|sur\s+la|dans\s+le|dans\s+la)\s+(?:montant|prix|facturation"
        r"|tarif|calcul|quantite|tva|taux)",
        r"\berreur\s+(?:sur|dans)\s+(?:la|votre|cette)\s+facture",
        r"\b(?:montant|prix|tarif|total|tva|taux\s+de\s+tva)\s+(?:\w+\s+){0,2}?(?:errone|incorrect"
        r"|faux|fausse|inexact)e?s?\b",
        r"\b(?:tarif|prix|taux|montant|remise)\s+(?:applique|facture)e?\s+(?:n'est\s+pas"
        r"|ne\s+correspond\s+pas)",
        r"\b(?:quantite|montant|prix|tarif|total)\w*\s+(?:[\w'()]+\s+){0,4}?ne\s+correspond\w*"
        r"\s+pas",
        r"\bpas\s+le\s+bon\s+(?:montant|prix|tarif)|\b(?:prix|montant|tarif)\s+convenu",
        r"\bfacture\w*\s+(?:deux\s+fois|2\s+fois|en\s+double)|\bdoublons?\b",
        r"\b(?:remise|reduction|escompte|rabais)\b(?:\s+[\w'%]+){0,6}?\s+(?:pas\s+(?:ete\s+)?"
        r"appliquee?|non\s+appliquee?|oubliee?)",
        r"\bfactur\w*\s+(?:[\w'()]+\s+){0,6}?alors\s+qu",
        r"\b(?:vat|tva)\s+(?:should|devrait|aurait\s+du)",
        r"\bwrong\s+(?:amount|price|total|vat|rate|tax|quantity)",
        r"\b(?:amount|price|total|vat|tax|rate|quantity)\s+(?:is|was|are|seems)\s+(?:\w+\s+)?"
        r"(?:wrong|incorrect|too\s+high|not\s+correct)",
        r"\bincorrect\s+(?:amount|price|total|vat|rate|tax)|\bover-?(?:charged|billed)\b",
        r"\b(?:price|amount|quantity|total)\b(?:\s+[\w']+){0,5}?\s+(?:does\s*n[o']t|do\s*n[o']t)"
        r"\s+(?:match|correspond|agree|reflect|include)",
        r"\b(?:montant|prix|facture)\b(?:\s+[\w']+){0,3}?\s+ne\s+tient\s+pas\s+compte",
        r"\b(?:invoiced|billed|charged)\s+(?:us\s+)?for\b(?:\s+[\w'.,%€$]+){0,6}?\s+but\s+"
        r"(?:only|we)",
        r"\b(?:charged|billed|invoiced)\s+(?:us\s+)?twice\b|\bdouble[- ](?:charged|billed)",
        r"\bduplicate\s+(?:invoice|charge|billing)",
        r"\bdiscount\b(?:\s+[\w'%]+){0,5}?\s+(?:not|never)\s+(?:been\s+)?applied",
        r"\bwe\s+agreed\s+(?:on|to)\s+(?:a\s+)?(?:price|amount|rate|eur|€|\$|\d)",
        r"\binvoice\s+(?:shows|says|states|lists|mentions)\b(?:\s+[\w'.,%€$]+){0,8}?\s+"
        r"(?:but|whereas|while)\s+(?:only|we)",
        r"\b(?:mistake|error)\s+(?:on|in)\s+(?:the|this|your)\s+invoice",
        r"\b(?:you|you've)\s+(?:have\s+)?(?:charged|billed|invoiced)\s+(?:us\s+)?"
        r"(?:[\w']+\s+){0,5}?(?:although|whereas|even\s+though)",
        reason="wrong_amount",
        negatable=False,
    ),
    # ---- dispute, already credited: a credit note cancels the invoice
    rule(
        "dispute",
        r"\b(?:deja|recu|fait|emis|etabli|envoye|adresse|transmis|accorde)\w*\s+(?:\w+\s+){0,2}?"
        r"(?:un|l'|votre|cet|d'un)\s*avoir\b",
        r"\bavoir\b(?:\s+[\w'€]+){0,5}?\s+qui\s+(?:annule|solde|compense)",
        r"\bavoir\b(?:\s+[\w()/-]+){0,3}?\s+(?:a\s+ete|nous\s+a\s+ete)\s+(?:emis|envoye|fait"
        r"|etabli|adresse|transmis)",
        r"\bdeja\s+(?:ete\s+)?(?:credite|rembourse|annule|compense)e?s?",
        r"\b(?:already|have|has|you)\s+(?:\w+\s+){0,2}?(?:issued|sent|received|gave|applied)"
        r"\s+(?:us\s+)?(?:a|the|your)?\s*credit\s+(?:note|memo)",
        r"\balready\s+(?:been\s+)?credited\b",
        r"\bcredit\s+(?:note|memo)\b(?:\s+[\w()/-]+){0,3}?\s+(?:was|were|has\s+been)\s+"
        r"(?:already\s+)?(?:issued|sent|received|applied|raised|made)",
        r"\b(?:invoice|facture)\s+(?:was\s+|has\s+been\s+|a\s+ete\s+)(?:cancell?ed|annulee)",
        reason="already_credited",
        negatable=False,
    ),
)
