"""Demo content for the tenant "Lumière Énergie" (French).

Lumière Énergie is a fictional French electricity and gas supplier. Its customer
service calls are handled by the outsourced provider "Helios Contact" (Mauritius).
Everything here is invented: people, phone numbers, amounts, URLs. The content is in
French, as the agents and the client's staff would write it.

Pure data: ``COLLECTIONS`` and ``ITEMS``. Every revision in ``ITEMS`` is a full
snapshot (body, steps, faqs), oldest first. The small helpers below only build plain
dicts and lists; they copy shared steps/questions so no two revisions share objects.
"""

from __future__ import annotations

LANGUAGE = "fr"


def _step(title, body):
    return {"title": title, "body": body}


def _qa(question, alternatives, answer):
    return {"question": question, "alternatives": list(alternatives), "answer": answer}


def _rev(summary, body="", steps=(), faqs=()):
    return {
        "summary": summary,
        "body": body,
        "steps": [dict(s) for s in steps],
        "faqs": [dict(f, alternatives=list(f["alternatives"])) for f in faqs],
    }


def _edit(text, old, new):
    """Return ``text`` with ``old`` replaced once by ``new``; fail loudly if absent."""
    if old not in text:
        raise ValueError(f"demo content edit did not apply: {old!r}")
    return text.replace(old, new, 1)


def _item(kind, collection, title, slug, tags, review_in_days, revisions):
    return {
        "kind": kind,
        "collection": collection,
        "title": title,
        "slug": slug,
        "tags": list(tags),
        "language": LANGUAGE,
        "review_in_days": review_in_days,
        "revisions": revisions,
    }


COLLECTIONS = [
    {
        "slug": "resiliation",
        "name": "Résiliation et changement de fournisseur",
        "description": "Demandes de résiliation, départs vers un autre fournisseur et remboursement du solde après la facture de clôture.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "facturation",
        "name": "Facturation et paiements",
        "description": "Lecture des factures, prélèvement automatique, rejets de paiement et échéanciers.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "facturation-litiges",
        "name": "Contestations et remboursements",
        "description": "Factures contestées, index erronés, trop-perçus et remboursements.",
        "parent": "facturation",
        "confidential": False,
        "review_interval_days": 90,
    },
    {
        "slug": "releves-compteur",
        "name": "Relevés de compteur",
        "description": "Relevés transmis par téléphone, auto-relevés, compteurs communicants et estimations.",
        "parent": "facturation",
        "confidential": False,
        "review_interval_days": 120,
    },
    {
        "slug": "demenagement",
        "name": "Déménagement et mise en service",
        "description": "Départ d'un logement, arrivée dans un nouveau logement et mise en service de l'électricité et du gaz.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "relation-client",
        "name": "Identité, RGPD et réclamations",
        "description": "Vérification d'identité, demandes RGPD, clients fragiles, réclamations, escalade et phrases types.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "interne-couts",
        "name": "Interne : coûts, marges et contacts",
        "description": "Réservé aux équipes Lumière Énergie. Coûts par contact, marges par offre, budgets et annuaire interne. Ne jamais partager avec Helios Contact.",
        "parent": None,
        "confidential": True,
        "review_interval_days": 365,
    },
]


ITEMS = []


# ---------------------------------------------------------------------------
# Guides
# ---------------------------------------------------------------------------

# Traiter une demande de résiliation ----------------------------------------
_intro = (
    "Pour un client particulier, la résiliation est **gratuite** et possible à tout moment. "
    "Ce guide couvre les demandes faites par téléphone."
)
_s1 = _step(
    "Vérifier l'identité du titulaire",
    "Seul le titulaire du contrat (ou son mandataire enregistré) peut résilier. Suivez "
    "*Vérifier l'identité d'un appelant* avant toute action.",
)
_s2 = _step(
    "Comprendre le motif",
    "Demandez pourquoi le client souhaite résilier et proposez l'offre de fidélité affichée à "
    "l'écran. Insistez si le client hésite.",
)
_s2b = _step(
    "Comprendre le motif",
    "Demandez simplement la raison de la résiliation :\n\n- **déménagement** : passez au guide "
    "*Gérer un déménagement* ;\n- **changement de fournisseur** : rien à faire, le nouveau "
    "fournisseur s'en charge ;\n- **autre motif** : vous pouvez mentionner l'offre de fidélité "
    "**une seule fois**, sans insister.",
)
_s3 = _step(
    "Fixer la date d'effet",
    "La résiliation prend effet à la date choisie par le client, au plus tard **30 jours** après "
    "sa demande. Elle ne peut pas être antidatée.",
)
_s4 = _step(
    "Demander les index du jour",
    "Demandez l'index du compteur électrique (heures pleines et heures creuses le cas échéant) et "
    "celui du compteur de gaz. Sans index, la facture de clôture sera estimée.",
)
_s5 = _step(
    "Annoncer la facture de clôture",
    "Expliquez que la facture de clôture arrive sous **6 semaines**. Si le client est créditeur, "
    "le remboursement suit automatiquement.",
)
_s5b = _step(
    "Annoncer la facture de clôture",
    "Expliquez que la facture de clôture arrive sous **4 semaines**. Si le client est créditeur, "
    "le remboursement suit automatiquement.",
)
ITEMS.append(_item(
    "guide", "resiliation", "Traiter une demande de résiliation", "traiter-une-demande-de-resiliation",
    ["resiliation", "contrat"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Étape 2 reformulée : l'offre de fidélité n'est proposée qu'une fois, sans insister",
             _intro, steps=[_s1, _s2b, _s3, _s4, _s5]),
        _rev("Délai de la facture de clôture ramené de 6 à 4 semaines", _intro, steps=[_s1, _s2b, _s3, _s4, _s5b]),
    ],
))

# Résiliation suite à un changement de fournisseur --------------------------
_intro = "Quand un client part chez un autre fournisseur, c'est le nouveau fournisseur qui résilie pour lui."
_s1 = _step(
    "Rassurer le client",
    "Le client n'a **aucune démarche** à faire auprès de nous : la souscription chez le nouveau "
    "fournisseur entraîne la résiliation automatique de son contrat Lumière Énergie.",
)
_s2 = _step(
    "Vérifier la date de bascule",
    "Ouvrez l'onglet **Flux réseau** du contrat : la date de bascule transmise par le gestionnaire "
    "de réseau y apparaît sous 48 heures.",
)
_s3 = _step(
    "Ne pas résilier manuellement",
    "Ne lancez **jamais** une résiliation manuelle en parallèle : elle pourrait créer une "
    "interruption de fourniture ou une double facturation.",
)
_s4 = _step(
    "Expliquer la facture de clôture",
    "La facture de clôture est calculée sur l'index relevé à la date de bascule. Le prélèvement "
    "mensuel s'arrête après cette facture.",
)
_s5 = _step(
    "Si le client change d'avis",
    "Le client dispose de **14 jours** pour se rétracter auprès du nouveau fournisseur. Il doit "
    "contacter ce fournisseur, pas nous ; son contrat chez nous continue alors sans interruption.",
)
ITEMS.append(_item(
    "guide", "resiliation", "Gérer une résiliation suite à un changement de fournisseur",
    "gerer-une-resiliation-suite-a-un-changement-de-fournisseur",
    ["resiliation", "changement-de-fournisseur"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Ajout du cas du client qui se rétracte chez le nouveau fournisseur", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
    ],
))

# Remboursement du solde créditeur après résiliation ------------------------
_intro = "Quand la facture de clôture fait apparaître un solde en faveur du client."
_s1 = _step(
    "Vérifier que la facture de clôture est émise",
    "Le remboursement ne peut être lancé qu'après l'émission de la facture de clôture. Si elle "
    "n'est pas encore émise, donnez au client la date prévue.",
)
_s2 = _step(
    "Contrôler le montant",
    "Le solde créditeur figure en bas de la facture de clôture. Vérifiez qu'aucune autre facture "
    "du client n'est impayée : le solde vient d'abord en déduction.",
)
_s3 = _step(
    "Choisir le mode de remboursement",
    "Le remboursement se fait par virement sur l'IBAN du prélèvement. Si le client n'était pas "
    "prélevé, envoyez-lui le lien **rib.example.fr** pour déposer son RIB : ne notez jamais un IBAN "
    "dicté au téléphone.",
)
_s4 = _step(
    "Faire valider les montants élevés",
    "Au-delà de **300 €**, le remboursement doit être validé par un superviseur avant l'envoi.",
)
_s4b = _step(
    "Faire valider les montants élevés",
    "Au-delà de **500 €**, le remboursement doit être validé par un superviseur avant l'envoi.",
)
_s5 = _step(
    "Annoncer le délai",
    "Le virement part sous **15 jours** après la facture de clôture. Notez la date annoncée dans "
    "l'historique du contrat.",
)
_s6 = _step(
    "Cas d'un titulaire décédé",
    "Le remboursement est versé au notaire chargé de la succession ou, à défaut, sur le compte "
    "indiqué par un héritier avec une attestation. Transférez la demande à l'équipe Successions.",
)
ITEMS.append(_item(
    "guide", "resiliation", "Remboursement du solde créditeur après résiliation",
    "remboursement-du-solde-crediteur-apres-resiliation",
    ["remboursement", "resiliation", "facture-de-cloture"], 150,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Seuil de validation superviseur relevé de 300 € à 500 €", _intro, steps=[_s1, _s2, _s3, _s4b, _s5]),
        _rev("Ajout de l'étape pour les titulaires décédés", _intro, steps=[_s1, _s2, _s3, _s4b, _s5, _s6]),
    ],
))

# Mettre en place le prélèvement automatique --------------------------------
_intro = "Le prélèvement automatique repose sur un mandat SEPA signé par le client. Nous ne le signons jamais à sa place."
_s1 = _step(
    "Vérifier l'identité du titulaire",
    "Le titulaire du compte bancaire peut être différent du titulaire du contrat : dans ce cas, "
    "c'est lui qui devra signer le mandat.",
)
_s2 = _step(
    "Envoyer le lien de signature du mandat",
    "Cliquez sur **Envoyer mandat SEPA**. Le client reçoit par SMS et par e-mail un lien vers "
    "**mandat.example.fr** où il saisit lui-même son IBAN et signe.",
)
_s3 = _step(
    "Choisir la date de prélèvement",
    "Le client choisit le **5, le 10 ou le 15** du mois. La date s'applique dès le mois suivant "
    "la signature.",
)
_s3b = _step(
    "Choisir la date de prélèvement",
    "Le client choisit le **5, le 10, le 15 ou le 20** du mois. La date s'applique dès le mois "
    "suivant la signature.",
)
_s4 = _step(
    "Confirmer le premier prélèvement",
    "Une fois le mandat signé, l'échéancier s'affiche dans l'onglet **Paiements**. Donnez au "
    "client la date et le montant du premier prélèvement.",
)
ITEMS.append(_item(
    "guide", "facturation", "Mettre en place le prélèvement automatique", "mettre-en-place-le-prelevement-automatique",
    ["prelevement", "sepa", "paiement"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Ajout du 20 du mois comme date de prélèvement possible", _intro, steps=[_s1, _s2, _s3b, _s4]),
    ],
))

# Traiter un rejet de prélèvement -------------------------------------------
_intro = "Quand la banque du client a rejeté un prélèvement et que le client appelle (souvent après avoir reçu un courrier de relance)."
_s1 = _step(
    "Lire le motif du rejet",
    "Dans l'onglet **Paiements**, le motif est l'un des suivants : *provision insuffisante*, "
    "*compte clôturé*, *opposition du client* ou *mandat invalide*.",
)
_s2 = _step(
    "Expliquer les frais",
    "Des frais de rejet de **7,50 €** sont ajoutés à la prochaine facture. Vous pouvez les annuler "
    "une fois par an si le client n'a jamais eu de rejet.",
)
_s2b = _step(
    "Expliquer les frais",
    "Des frais de rejet de **7,50 €** sont ajoutés à la prochaine facture. Vous pouvez les annuler "
    "une fois par an si le client n'a jamais eu de rejet, et **toujours** pour un client signalé "
    "*Fragilité*.",
)
_s3 = _step(
    "Proposer un paiement immédiat",
    "Proposez de régler par carte via le lien de paiement sécurisé (bouton **Envoyer lien de "
    "paiement**). Ne prenez jamais un numéro de carte au téléphone.",
)
_s4 = _step(
    "Sinon, annoncer la nouvelle présentation",
    "Sans paiement immédiat, le prélèvement est présenté à nouveau **10 jours** plus tard. Après "
    "deux rejets consécutifs, le contrat passe en paiement par virement ou TIP.",
)
_s5 = _step(
    "Repérer une difficulté de paiement",
    "Si le client évoque des difficultés financières, proposez un échéancier et suivez *Proposer un "
    "échéancier de paiement*.",
)
ITEMS.append(_item(
    "guide", "facturation", "Traiter un rejet de prélèvement", "traiter-un-rejet-de-prelevement",
    ["prelevement", "rejet", "impaye"], -30,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Ajout de l'étape de repérage des difficultés de paiement", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Frais de rejet toujours annulés pour les clients signalés Fragilité", _intro, steps=[_s1, _s2b, _s3, _s4, _s5]),
    ],
))

# Proposer un échéancier de paiement ----------------------------------------
_intro = "Un échéancier permet d'étaler une dette sans relance ni coupure tant qu'il est respecté."
_s1 = _step(
    "Écouter sans juger",
    "Laissez le client expliquer sa situation. Ne demandez ni justificatif de revenus ni détail "
    "sur ses dépenses.",
)
_s2 = _step(
    "Vérifier le montant dû",
    "Consultez le solde dans l'onglet **Paiements** et vérifiez qu'aucun échéancier n'est déjà en "
    "cours. Un seul échéancier actif par contrat.",
)
_s3 = _step(
    "Proposer une durée",
    "Vous pouvez accorder jusqu'à **6 mensualités** sans validation. Au-delà, transférez à un "
    "superviseur.",
)
_s3b = _step(
    "Proposer une durée",
    "Vous pouvez accorder jusqu'à **6 mensualités** sans validation, et jusqu'à **10 mensualités** "
    "pour un bénéficiaire du chèque énergie. Au-delà, transférez à un superviseur.",
)
_s4 = _step(
    "Enregistrer l'échéancier",
    "Saisissez l'échéancier dans **Paiements > Nouvel échéancier**. Les mensualités s'ajoutent au "
    "prélèvement habituel.",
)
_s5 = _step(
    "Informer des aides existantes",
    "Mentionnez le chèque énergie et le fonds de solidarité logement (FSL) du département. Voir "
    "*Clients en situation de fragilité*.",
)
ITEMS.append(_item(
    "guide", "facturation", "Proposer un échéancier de paiement", "proposer-un-echeancier-de-paiement",
    ["echeancier", "impaye", "fragilite"], 120,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Ajout de l'étape sur les aides (chèque énergie, FSL)", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Jusqu'à 10 mensualités pour les bénéficiaires du chèque énergie", _intro, steps=[_s1, _s2, _s3b, _s4, _s5]),
    ],
))

# Traiter une contestation de facture ---------------------------------------
_intro = "La plupart des contestations viennent d'une facture estimée ou d'un index mal lu."
_s1 = _step(
    "Identifier la ligne contestée",
    "Demandez au client quelle ligne il conteste : consommation, abonnement, frais ou taxes. Ouvrez "
    "la facture à l'écran en même temps que lui.",
)
_s2 = _step(
    "Comparer les index",
    "Comparez l'index facturé avec celui que le client lit sur son compteur.",
)
_s2b = _step(
    "Comparer les index",
    "Regardez d'abord si l'index facturé est **réel** ou **estimé** (lettre *E* à côté de l'index). "
    "Demandez ensuite au client de lire l'index affiché aujourd'hui sur son compteur et comparez.",
)
_s3 = _step(
    "Corriger une facture estimée",
    "Si l'index était estimé et que celui du client est plus bas, saisissez l'index du client et "
    "lancez une **refacturation**. Voir *Corriger un index erroné*.",
)
_s4 = _step(
    "Suspendre le recouvrement",
    "Cochez **Montant contesté** sur la facture : le prélèvement de la part contestée est suspendu "
    "pendant l'analyse.",
)
_s5 = _step(
    "Transférer les cas complexes",
    "Si l'index vient d'un relevé du gestionnaire de réseau, ouvrez une réclamation *Index réseau* : "
    "la réponse arrive sous 15 jours. Informez le client de ce délai.",
)
ITEMS.append(_item(
    "guide", "facturation-litiges", "Traiter une contestation de facture", "traiter-une-contestation-de-facture",
    ["contestation", "facture", "index"], 90,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s5]),
        _rev("Ajout de la suspension du prélèvement pendant l'analyse", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Étape 2 reformulée : vérifier d'abord si l'index est estimé", _intro, steps=[_s1, _s2b, _s3, _s4, _s5]),
    ],
))

# Enregistrer un relevé de compteur par téléphone ---------------------------
_intro = ""
_s1 = _step(
    "Identifier le compteur",
    "Demandez le numéro du point de livraison (**PDL**, 14 chiffres) pour l'électricité ou du "
    "point de comptage (**PCE**) pour le gaz. Il figure sur la facture.",
)
_s2 = _step(
    "Relever les index",
    "Faites lire au client tous les index affichés : *heures pleines* et *heures creuses* pour une "
    "option HP/HC, un seul index sinon. Pour le gaz, seuls les chiffres noirs comptent.",
)
_s3 = _step(
    "Contrôler la vraisemblance",
    "L'outil compare l'index à la consommation habituelle. Au-delà de **30 %** d'écart, faites "
    "relire l'index au client avant de l'enregistrer.",
)
_s3b = _step(
    "Contrôler la vraisemblance",
    "L'outil compare l'index à la consommation habituelle. Au-delà de **50 %** d'écart, faites "
    "relire l'index au client avant de l'enregistrer.",
)
_s4 = _step(
    "Enregistrer et expliquer",
    "Saisissez l'index dans **Compteur > Nouveau relevé**. Il sera pris en compte sur la prochaine "
    "facture, pas sur celle déjà émise.",
)
ITEMS.append(_item(
    "guide", "releves-compteur", "Enregistrer un relevé de compteur par téléphone",
    "enregistrer-un-releve-de-compteur-par-telephone",
    ["releve-de-compteur", "index"], 120,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Seuil d'alerte de vraisemblance relevé de 30 % à 50 % (trop de fausses alertes en hiver)",
             _intro, steps=[_s1, _s2, _s3b, _s4]),
    ],
))

# Corriger un index erroné --------------------------------------------------
_intro = "Quand un auto-relevé du client (ou un index saisi par un agent) est faux et a déjà servi à facturer."
_s1 = _step(
    "Demander une photo du compteur",
    "Envoyez le lien **photo.example.fr** par SMS. La photo doit montrer l'index **et** le numéro "
    "du compteur.",
)
_s2 = _step(
    "Vérifier que le compteur n'a pas été remplacé",
    "Comparez le numéro du compteur sur la photo avec celui du contrat. S'ils diffèrent, le "
    "compteur a été changé : transférez au back-office Compteurs, ne corrigez rien vous-même.",
)
_s3 = _step(
    "Saisir l'index rectificatif",
    "Dans **Compteur > Historique**, choisissez le relevé erroné et cliquez sur **Rectifier**. "
    "Indiquez la source : *photo client*.",
)
_s4 = _step(
    "Lancer la refacturation",
    "La facture concernée est annulée et remplacée. Si le client a trop payé, l'avoir est déduit "
    "de la prochaine échéance ; il peut aussi demander un remboursement.",
)
_s5 = _step(
    "Informer le client",
    "Expliquez qu'il recevra une facture rectificative sous 5 jours ouvrés et notez l'échange dans "
    "l'historique.",
)
ITEMS.append(_item(
    "guide", "releves-compteur", "Corriger un index erroné", "corriger-un-index-errone",
    ["index", "releve-de-compteur", "refacturation"], 120,
    [
        _rev("Première version", _intro, steps=[_s1, _s3, _s4, _s5]),
        _rev("Ajout de la vérification du numéro de compteur (compteurs remplacés)", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
    ],
))

# Gérer un déménagement -----------------------------------------------------
_intro = (
    "Un déménagement, c'est deux opérations : la **résiliation** à l'ancienne adresse et la "
    "**mise en service** à la nouvelle. Traitez les deux dans le même appel."
)
_s1 = _step(
    "Vérifier l'identité du titulaire",
    "Suivez *Vérifier l'identité d'un appelant*. Un colocataire non titulaire ne peut pas demander "
    "la résiliation.",
)
_s2 = _step(
    "Fixer la date de départ",
    "Notez la date de remise des clés et demandez au client de relever ses index ce jour-là. Il "
    "pourra les transmettre en ligne.",
)
_s3 = _step(
    "Identifier le nouveau logement",
    "Recherchez l'adresse dans l'outil pour trouver le PDL (électricité) et le PCE (gaz). Si "
    "l'adresse est introuvable, demandez le nom de l'ancien occupant.",
)
_s4 = _step(
    "Programmer la mise en service",
    "La mise en service standard demande **5 jours ouvrés**. En urgence, une mise en service express "
    "sous 24 heures coûte **45 €**, facturés par le gestionnaire de réseau.",
)
_s4b = _step(
    "Programmer la mise en service",
    "La mise en service standard demande **5 jours ouvrés**. En urgence, une mise en service express "
    "sous 24 heures coûte **52 €**, facturés par le gestionnaire de réseau.",
)
_s5 = _step(
    "Proposer la même offre",
    "Proposez de conserver l'offre actuelle à la nouvelle adresse. La puissance souscrite peut être "
    "différente : vérifiez-la avec le client.",
)
_s6 = _step(
    "Récapituler",
    "Récapitulez les deux dates et envoyez l'e-mail **DEM-01**, qui contient le lien de saisie des "
    "index.",
)
ITEMS.append(_item(
    "guide", "demenagement", "Gérer un déménagement", "gerer-un-demenagement",
    ["demenagement", "mise-en-service", "resiliation"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4, _s5, _s6]),
        _rev("Frais de mise en service express mis à jour : 45 € à 52 €", _intro, steps=[_s1, _s2, _s3, _s4b, _s5, _s6]),
    ],
))

# Vérifier l'identité d'un appelant -----------------------------------------
_intro = "À faire **avant** de communiquer ou de modifier la moindre information sur un contrat (RGPD)."
_s1 = _step(
    "Demander le nom et la référence client",
    "Demandez le nom du titulaire et la référence client à 10 chiffres, ou à défaut l'adresse du "
    "logement alimenté.",
)
_s2 = _step(
    "Poser deux questions de sécurité",
    "Choisissez deux questions dans la liste affichée :\n\n- date de naissance du titulaire\n"
    "- montant de la dernière facture\n- jour du prélèvement\n\nNe demandez jamais un mot de passe "
    "ni un IBAN complet.",
)
_s3 = _step(
    "En cas d'échec",
    "Vous pouvez poser une question supplémentaire. En cas de nouvel échec, donnez uniquement des "
    "informations générales et invitez la personne à se connecter à son espace client.",
)
_s4 = _step(
    "Tuteurs, curateurs et mandataires",
    "Un tuteur, un curateur ou un mandataire peut agir pour le titulaire **uniquement** si le "
    "justificatif est enregistré au contrat (onglet *Représentant légal*). Sinon, envoyez-lui le "
    "lien **justificatif.example.fr**.",
)
_s5 = _step(
    "Consigner le résultat",
    "Cochez **Identité vérifiée** dans la fiche de contact. N'écrivez jamais les réponses dans les "
    "notes.",
)
ITEMS.append(_item(
    "guide", "relation-client", "Vérifier l'identité d'un appelant", "verifier-l-identite-d-un-appelant",
    ["identite", "rgpd", "securite"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s5]),
        _rev("Ajout du cas des tuteurs, curateurs et mandataires", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
    ],
))

# Escalader un appel vers un superviseur ------------------------------------
_intro = "On escalade quand on ne peut pas résoudre soi-même, pas seulement parce que le client demande un responsable."
_s1 = _step(
    "Vérifier que l'escalade est justifiée",
    "Escaladez pour :\n\n- un geste commercial ou un remboursement au-delà de votre limite\n"
    "- une menace de coupure imminente chez un client fragile\n- une menace de procédure ou de "
    "contact presse\n- un comportement insultant après un avertissement",
)
_s2 = _step(
    "Faire un transfert à chaud",
    "Mettez le client en attente, appelez votre superviseur et expliquez la situation avant de "
    "transférer.",
)
_s2b = _step(
    "Faire un transfert à chaud",
    "Annoncez au client : *« Je vais faire appel à mon superviseur, qui pourra vous aider. Je lui "
    "explique tout pour que vous n'ayez pas à répéter. »* Mettez-le en attente et briefez votre "
    "superviseur avant de transférer.",
)
_s3 = _step(
    "Rédiger la note d'escalade",
    "Indiquez ce que le client demande, ce qui lui a déjà été proposé et pourquoi vous escaladez.",
)
_s4 = _step(
    "Si aucun superviseur n'est disponible",
    "Promettez un rappel sous **4 heures ouvrées** et créez une tâche d'escalade. Ne promettez "
    "jamais la décision du superviseur.",
)
ITEMS.append(_item(
    "guide", "relation-client", "Escalader un appel vers un superviseur", "escalader-un-appel-vers-un-superviseur",
    ["escalade", "superviseur"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Étape 2 reformulée avec la phrase type du transfert à chaud", _intro, steps=[_s1, _s2b, _s3, _s4]),
    ],
))

# Enregistrer une demande RGPD ----------------------------------------------
_intro = "Les agents **enregistrent** les demandes liées aux données personnelles ; l'équipe Données personnelles de Lumière Énergie y répond."
_s1 = _step(
    "Identifier le type de demande",
    "Demandez ce que souhaite le client :\n\n- **accès** : copie de ses données\n- **rectification** : "
    "correction\n- **effacement** : suppression\n- **opposition** : arrêt de la prospection commerciale",
)
_s2 = _step(
    "Vérifier l'identité",
    "Suivez *Vérifier l'identité d'un appelant*. Une demande RGPD d'un appelant non vérifié ne doit "
    "jamais être enregistrée au nom du titulaire.",
)
_s3 = _step(
    "Traiter tout de suite une opposition",
    "Pour une simple opposition à la prospection, décochez **Offres commerciales** dans le contrat : "
    "c'est immédiat et ne nécessite pas de formulaire.",
)
_s4 = _step(
    "Enregistrer la demande",
    "Pour les autres demandes, ouvrez **Back-office > Demande RGPD** et choisissez le type. Ne promettez "
    "aucun résultat au téléphone.",
)
_s5 = _step(
    "Expliquer les limites de l'effacement",
    "Les factures et paiements sont conservés **10 ans** (obligation comptable), même après un "
    "effacement. Le client ne recevra plus de communication, mais ces pièces restent archivées.",
)
_s6 = _step(
    "Donner le délai",
    "Le client reçoit une réponse sous **un mois**. La référence de la demande lui est envoyée par "
    "e-mail.",
)
ITEMS.append(_item(
    "guide", "relation-client", "Enregistrer une demande RGPD", "enregistrer-une-demande-rgpd",
    ["rgpd", "donnees-personnelles"], 180,
    [
        _rev("Première version", _intro, steps=[_s1, _s2, _s3, _s4, _s6]),
        _rev("Ajout de l'exception de conservation des factures (10 ans)", _intro, steps=[_s1, _s2, _s3, _s4, _s5, _s6]),
    ],
))


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------

# Résiliation : délais, frais et cas particuliers ---------------------------
_v1 = """Cette page résume les règles de résiliation des contrats d'électricité et de gaz pour les clients particuliers. En cas de doute, appliquez toujours la règle la plus favorable au client et demandez à votre superviseur.

## Le principe

Un client particulier peut résilier son contrat **à tout moment, sans frais et sans préavis**, y compris pendant la première année et pour une offre à prix fixe. La résiliation prend effet à la date qu'il choisit, au plus tard 30 jours après sa demande.

Nous ne demandons **aucun justificatif** pour une résiliation simple.

## Qui fait la démarche ?

| Situation | Qui résilie | Action de l'agent |
|---|---|---|
| Changement de fournisseur | Le nouveau fournisseur | Aucune : ne pas résilier manuellement |
| Déménagement | Le client, auprès de nous | Guide *Gérer un déménagement* |
| Résiliation sans nouveau contrat | Le client, auprès de nous | Guide *Traiter une demande de résiliation* |
| Logement vendu ou vide | Le client, auprès de nous | Demander la date de remise des clés |

### Attention à la coupure

Si le client résilie sans qu'un nouvel occupant ou un nouveau fournisseur prenne le relais, le gestionnaire de réseau peut couper l'alimentation du logement. Prévenez toujours le client, surtout en hiver.

## La facture de clôture

Elle est établie à partir de l'index à la date de résiliation et envoyée sous 4 semaines. Elle régularise toutes les mensualités payées :

- si le client a trop payé, le solde est remboursé sous 15 jours ;
- s'il reste un montant dû, il est prélevé ou payable par carte, virement ou TIP.

### Index manquant

Sans index transmis par le client ni relevé du compteur communicant, la facture de clôture est **estimée**. Le client peut la contester en envoyant une photo de son compteur datée du jour de la résiliation.

## Ce qu'il ne faut jamais faire

- Retarder une résiliation pour laisser le temps de proposer une offre.
- Facturer des frais de résiliation : il n'y en a pas.
- Résilier un contrat à la demande d'une personne qui n'est ni titulaire ni mandataire enregistré."""
_v2 = _edit(_v1, "## Ce qu'il ne faut jamais faire",
            "## Décès du titulaire\n\nUn proche ou le notaire peut demander la résiliation en présentant un "
            "acte de décès. Si quelqu'un continue d'occuper le logement, proposez-lui plutôt un nouveau "
            "contrat à son nom pour éviter une coupure. Le solde éventuel est versé à la succession.\n\n"
            "## Ce qu'il ne faut jamais faire")
ITEMS.append(_item(
    "article", "resiliation", "Résiliation : délais, frais et cas particuliers", "resiliation-delais-frais-et-cas-particuliers",
    ["resiliation", "contrat", "reglementation"], 180,
    [
        _rev("Première version", _v1),
        _rev("Ajout du cas du décès du titulaire", _v2),
    ],
))

# Comprendre la facture d'électricité et de gaz -----------------------------
_v1 = """Beaucoup d'appels concernent la lecture de la facture. Cette page explique chaque bloc pour que vous puissiez guider le client ligne par ligne, la facture ouverte à l'écran.

## Les trois types de facture

- **Facture mensualisée** : le client paie chaque mois un montant fixe ; il reçoit un échéancier, pas de facture détaillée.
- **Facture de régularisation** : une fois par an, elle compare ce que le client a payé à ce qu'il a réellement consommé.
- **Facture de clôture** : émise après une résiliation ou un déménagement.

## Les lignes de la facture

| Ligne | Ce que c'est | Varie avec la consommation ? |
|---|---|---|
| Abonnement | Prix fixe lié à la puissance (kVA) ou au tarif gaz | Non |
| Consommation | kWh consommés × prix du kWh | Oui |
| Acheminement | Utilisation du réseau, reversée au gestionnaire de réseau | En partie |
| Accise sur l'électricité ou le gaz | Taxe nationale par kWh | Oui |
| CTA | Contribution sur l'abonnement, finance les retraites du secteur | Non |
| TVA | 5,5 % sur l'abonnement et la CTA, 20 % sur le reste | - |

### Index réels et estimés

À côté de chaque index figure une lettre : **R** pour un index réel (compteur communicant ou relevé), **E** pour un index estimé, **C** pour un index transmis par le client. Une facture élevée sur un index estimé est la première cause de contestation.

### Heures pleines et heures creuses

Avec l'option HP/HC, la consommation apparaît sur deux lignes avec deux prix différents. Les horaires des heures creuses sont fixés par le gestionnaire de réseau et indiqués sur la facture.

## Expliquer une hausse

Avant de parler de prix, vérifiez dans l'ordre :

1. si la facture précédente était estimée (rattrapage) ;
2. si la période facturée est plus longue que d'habitude ;
3. si la consommation a augmenté (hiver, nouvel appareil, télétravail) ;
4. seulement ensuite, si les prix ont changé.

## Où trouver l'information

La référence client, le PDL et le PCE figurent en haut à droite de la première page. Le détail des prix est en page 2 et les coordonnées du médiateur en dernière page."""
_v2 = _edit(_v1, "| TVA | 5,5 % sur l'abonnement et la CTA, 20 % sur le reste | - |",
            "| TVA | 20 % sur toutes les lignes depuis le 1er août | - |")
_v2 = _edit(_v2, "4. seulement ensuite, si les prix ont changé.",
            "4. seulement ensuite, si les prix ont changé.\n\nDepuis le 1er août, la TVA sur l'abonnement est "
            "passée de 5,5 % à 20 % : pour un abonnement de 6 kVA, cela représente environ 2 € de plus par mois. "
            "Ce n'est pas une hausse décidée par Lumière Énergie.")
ITEMS.append(_item(
    "article", "facturation", "Comprendre la facture d'électricité et de gaz", "comprendre-la-facture-d-electricite-et-de-gaz",
    ["facture", "tva", "abonnement"], 180,
    [
        _rev("Première version", _v1),
        _rev("Mise à jour de la TVA sur l'abonnement (5,5 % vers 20 %) et explication pour les clients", _v2),
    ],
))

# Remboursement d'un trop-perçu ---------------------------------------------
_v1 = """Un trop-perçu apparaît quand le client a payé plus que ce qu'il a consommé : après une facture de régularisation, une facture de clôture ou une refacturation suite à un index corrigé. Cette page explique quand et comment le rembourser.

## Remboursement automatique ou sur demande ?

| Situation | Traitement par défaut | Délai |
|---|---|---|
| Facture de clôture créditrice | Remboursement automatique par virement | 15 jours après la facture |
| Régularisation annuelle créditrice | Déduit des prochaines mensualités | Dès le mois suivant |
| Refacturation après index corrigé | Avoir sur la prochaine facture | Prochaine facture |
| Paiement en double | Remboursement sur demande | 10 jours ouvrés |

### Régularisation : le client peut choisir

Un client dont la régularisation est créditrice peut préférer un remboursement plutôt qu'une déduction. Dans ce cas, cliquez sur **Rembourser le solde** : le virement part sous 15 jours. Ne le proposez pas systématiquement, mais ne le refusez jamais.

## Sur quel compte ?

- Le remboursement part sur l'IBAN du mandat de prélèvement.
- Si le client ne paie pas par prélèvement, envoyez-lui le lien **rib.example.fr**.
- Ne notez jamais un IBAN dicté au téléphone et ne remboursez jamais sur le compte d'un tiers sans justificatif.

## Contrôles avant remboursement

1. Vérifiez qu'aucune autre facture n'est impayée : le trop-perçu vient d'abord en déduction.
2. Vérifiez qu'aucune contestation n'est en cours sur le contrat.
3. Au-delà de 500 €, faites valider par un superviseur.

### Paiements en double

Ils viennent souvent d'un client qui a payé par carte un montant déjà prélevé. Vérifiez dans l'onglet **Paiements** que les deux paiements sont bien encaissés (et pas seulement présentés) avant de rembourser.

## Ce qu'il faut dire au client

Annoncez toujours le délai, jamais une date précise : *« Le remboursement part sous quinze jours ; selon votre banque, il peut apparaître deux ou trois jours plus tard. »* Notez l'échange dans l'historique du contrat."""
_v2 = _edit(_v1, "- Ne notez jamais un IBAN dicté au téléphone",
            "- Pour un client sans compte bancaire, un remboursement par **lettre-chèque** est possible : "
            "cochez *Lettre-chèque* et vérifiez l'adresse postale.\n- Ne notez jamais un IBAN dicté au téléphone")
ITEMS.append(_item(
    "article", "facturation-litiges", "Remboursement d'un trop-perçu : règles et délais", "remboursement-d-un-trop-percu-regles-et-delais",
    ["remboursement", "trop-percu", "regularisation"], 90,
    [
        _rev("Première version", _v1),
        _rev("Ajout du remboursement par lettre-chèque pour les clients sans compte bancaire", _v2),
    ],
))

# Compteurs communicants et relevés -----------------------------------------
_v1 = """La plupart de nos clients ont un compteur communicant, mais pas tous. Savoir quel compteur a le client change la réponse à donner sur les relevés et les estimations.

## Les types de compteurs

| Compteur | Énergie | Relevé | Facture sur index réel |
|---|---|---|---|
| Compteur communicant électricité | Électricité | Automatique, quotidien | Oui, chaque mois |
| Compteur communicant gaz | Gaz | Automatique, transmis une fois par jour | Oui, chaque mois |
| Ancien compteur électrique | Électricité | Technicien tous les 6 mois, ou client | Seulement après un relevé |
| Ancien compteur gaz | Gaz | Technicien tous les 6 mois, ou client | Seulement après un relevé |

Le type de compteur apparaît dans l'onglet **Compteur** du contrat.

## Compteur communicant

### Ce que le client n'a pas à faire
Il n'a pas besoin de transmettre ses index : ils nous arrivent automatiquement. S'il en transmet un quand même, il est ignoré quand un index réel existe pour la même date.

### Quand l'index n'arrive pas
Si le compteur ne communique plus (panne, problème de réseau), l'outil affiche *Index non reçu*. La facture est alors estimée. Demandez un auto-relevé au client et signalez la panne au gestionnaire de réseau via le formulaire *Compteur muet*.

## Ancien compteur

Le client peut transmettre ses index à tout moment, en ligne ou par téléphone. Conseillez-lui de le faire quelques jours avant la date de facture indiquée sur son échéancier : c'est le meilleur moyen d'éviter une facture estimée.

Si le compteur est à l'intérieur du logement, le technicien doit y avoir accès lors de la tournée. Sans accès pendant plus d'un an, des frais de relevé spécial peuvent être facturés par le gestionnaire de réseau.

## Les estimations

Une estimation se base sur la consommation de la même période l'année précédente, corrigée de la météo. Elle n'est jamais une sanction : c'est un montant provisoire, régularisé dès le prochain index réel.

## Questions fréquentes des clients

- *« Le compteur communicant consomme-t-il de l'électricité ? »* Sa consommation n'est pas facturée au client.
- *« Mes données sont-elles partagées ? »* Seules les données nécessaires à la facturation nous sont transmises ; la courbe de consommation détaillée nécessite l'accord du client."""
_v2 = _edit(_v1, "## Les estimations",
            "### Refus de pose\n\nUn client qui a refusé la pose d'un compteur communicant reste relevé par un "
            "technicien. Le gestionnaire de réseau peut facturer des frais de relève spécifiques ; ils apparaissent "
            "sur la ligne *Acheminement*. Ne prenez pas parti : renvoyez vers le gestionnaire de réseau.\n\n"
            "## Les estimations")
ITEMS.append(_item(
    "article", "releves-compteur", "Compteurs communicants et relevés : l'essentiel", "compteurs-communicants-et-releves-l-essentiel",
    ["compteur", "releve-de-compteur", "estimation"], -90,
    [
        _rev("Première version", _v1),
        _rev("Ajout d'une section sur les refus de pose de compteur communicant", _v2),
    ],
))

# Déménagement : délais et erreurs fréquentes -------------------------------
_v1 = """Le déménagement est le premier motif d'appel au printemps et en été. Bien traité, c'est aussi l'occasion de garder le client à sa nouvelle adresse.

## Les délais à connaître

| Opération | Délai standard | Option urgente |
|---|---|---|
| Résiliation à l'ancienne adresse | Date choisie par le client | - |
| Mise en service électricité | 5 jours ouvrés | Express sous 24 h (payante) |
| Mise en service gaz | 5 jours ouvrés | Express sous 48 h (payante) |
| Mise en service avec déplacement d'un technicien | 10 jours ouvrés | Non |

Conseillez au client d'appeler **au moins deux semaines** avant son déménagement.

## Les informations à recueillir

- la date de départ et la date d'arrivée (elles peuvent être différentes) ;
- l'adresse exacte du nouveau logement, avec l'étage et le numéro d'appartement ;
- le nom de l'ancien occupant, si le PDL ou le PCE est introuvable ;
- les index des deux logements, à transmettre le jour J.

### Justificatifs

Nous n'en demandons **aucun** pour un déménagement. Le bail ou l'acte de vente n'est utile que si un autre fournisseur ou l'ancien occupant conteste la date.

## Les erreurs fréquentes

### Résilier sans mettre en service
Le client arrive dans un logement sans électricité. Traitez toujours les deux opérations dans le même appel.

### Oublier le gaz
Beaucoup de clients pensent que le gaz suit automatiquement. Demandez systématiquement si le nouveau logement a le gaz.

### Se tromper de logement
Dans un immeuble, plusieurs PDL se ressemblent. Vérifiez le nom de l'ancien occupant ou le numéro du compteur avant de confirmer.

## Si le client quitte Lumière Énergie

Un déménagement n'oblige pas à changer de fournisseur. Rappelez-le une fois, sans insister. Si le client part quand même, traitez uniquement la résiliation.

## Après l'appel

Le client reçoit l'e-mail DEM-01 avec le récapitulatif des dates et le lien pour saisir ses index. Sa première facture à la nouvelle adresse arrive environ un mois après la mise en service."""
_v2 = _edit(_v1, "| Mise en service gaz | 5 jours ouvrés | Express sous 48 h (payante) |",
            "| Mise en service gaz | 5 jours ouvrés | Express sous 24 h (payante) |")
_v3 = _edit(_v2, "Conseillez au client d'appeler **au moins deux semaines** avant son déménagement.",
            "Conseillez au client d'appeler **au moins deux semaines** avant son déménagement, et jusqu'à "
            "six semaines avant pour un logement neuf (première mise en service).")
ITEMS.append(_item(
    "article", "demenagement", "Déménagement : délais, justificatifs et erreurs fréquentes", "demenagement-delais-justificatifs-et-erreurs-frequentes",
    ["demenagement", "mise-en-service"], 180,
    [
        _rev("Première version", _v1),
        _rev("Mise en service gaz express désormais sous 24 h", _v2),
        _rev("Ajout du délai conseillé pour les logements neufs", _v3),
    ],
))

# Clients en situation de fragilité -----------------------------------------
_v1 = """Certains clients ont besoin de plus de temps, de plus d'attention ou de solutions adaptées. Pour un fournisseur d'énergie, repérer ces situations est une obligation autant qu'une question de qualité de service.

## Repérer une situation de fragilité

Soyez attentif aux signaux suivants :

- difficultés à payer, factures en retard, *« je n'y arrive plus »* ;
- âge avancé, confusion, difficultés de compréhension ou d'audition ;
- maladie, handicap, équipement médical électrique à domicile ;
- événement récent : décès, séparation, perte d'emploi ;
- un tiers (enfant, travailleur social) qui appelle pour le client.

Ne demandez jamais de justificatif ni de diagnostic.

## Ce que vous pouvez faire pendant l'appel

1. **Prendre le temps** : phrases courtes, reformulation, vérification de la compréhension.
2. **Proposer un échéancier** si le client a une dette (voir *Proposer un échéancier de paiement*).
3. **Informer des aides** : chèque énergie, fonds de solidarité logement (FSL), CCAS de la commune.
4. **Demander l'accord** du client pour signaler sa situation : *« Voulez-vous que je l'indique dans votre dossier, pour que mes collègues en tiennent compte ? »*

### Le signalement Fragilité

Avec l'accord du client, cochez **Fragilité** et choisissez un motif court (*Financier*, *Santé*, *Âge*). Aucun détail dans les notes. Le signalement suspend les relances automatiques et annule les frais de rejet.

## Le chèque énergie

Il est envoyé chaque printemps par l'administration aux ménages éligibles. Le client peut l'utiliser pour payer une facture ou l'affecter à son contrat en ligne. Un bénéficiaire du chèque énergie bénéficie aussi de protections supplémentaires.

## La trêve hivernale

Du **1er novembre au 31 mars**, aucune coupure pour impayé n'est possible dans une résidence principale. Pour l'électricité, une réduction de puissance reste possible, sauf pour les bénéficiaires du chèque énergie.

### Équipements médicaux

Un client qui dépend d'un équipement médical électrique doit être signalé **Fragilité - Santé** : aucune réduction de puissance ni coupure ne peut être programmée sans l'accord d'un superviseur.

## Quand escalader immédiatement

Escaladez sans attendre si le client évoque un danger pour lui-même ou pour autrui, ou si une coupure est programmée chez un client signalé Fragilité."""
_v2 = _edit(_v1, "## Quand escalader immédiatement",
            "## Numéro solidarité\n\nLes clients signalés Fragilité peuvent joindre une ligne dédiée, gratuite, "
            "au **0800 000 000** (du lundi au vendredi, 9 h - 18 h). Les appels y sont traités par une équipe "
            "formée de Lumière Énergie.\n\n## Quand escalader immédiatement")
ITEMS.append(_item(
    "article", "relation-client", "Clients en situation de fragilité : repérer et accompagner", "clients-en-situation-de-fragilite-reperer-et-accompagner",
    ["fragilite", "cheque-energie", "treve-hivernale"], 180,
    [
        _rev("Première version", _v1),
        _rev("Ajout du numéro solidarité pour les clients signalés Fragilité", _v2),
    ],
))

# Phrases types au téléphone ------------------------------------------------
_v1 = """Ces formulations sont validées par Lumière Énergie. Adaptez-les à votre façon de parler : l'essentiel est le ton, chaleureux, clair et sans jargon. Vouvoyez toujours le client.

## Ouvrir l'appel

- *« Lumière Énergie, bonjour, [prénom] à votre écoute. Que puis-je faire pour vous ? »*
- *« Pour accéder à votre dossier, je vais vous poser deux questions de sécurité. »*

## Mettre en attente

Demandez toujours la permission et annoncez une durée :

- *« Puis-je vous mettre en attente deux minutes, le temps de vérifier votre relevé ? »*
- Au retour : *« Merci de votre patience. Voici ce que j'ai trouvé. »*

Ne laissez jamais un client plus de trois minutes en attente sans revenir vers lui.

## Annoncer une mauvaise nouvelle

- *« Je comprends que ce n'est pas la réponse que vous attendiez. Voici ce que je peux faire. »*
- *« Je ne peux pas annuler cette facture, en revanche je peux vous proposer un échéancier. »*

Une mauvaise nouvelle est toujours suivie de ce que vous **pouvez** faire.

## Expressions à éviter

| À éviter | À dire plutôt |
|---|---|
| « Ce n'est pas mon service. » | « Je vais trouver la bonne personne pour vous. » |
| « Vous devez... » | « Le plus simple est de... » |
| « Calmez-vous. » | « Je comprends que la situation soit pénible. » |
| « C'est la faute du réseau. » | « Votre index n'a pas pu être relevé, je vais regarder. » |
| « Je ne sais pas. » | « Je vérifie et je vous réponds. » |
| « Pas de souci. » | « Bien sûr. » / « Avec plaisir. » |

## Clore l'appel

- *« Puis-je vous aider pour autre chose ? »*
- *« Merci de votre appel et bonne journée. »*

### Récapituler avant de raccrocher

Reprenez ce qui va se passer et quand : *« Votre index de 12 450 est bien enregistré, il sera pris en compte sur votre prochaine facture, début du mois prochain. »*"""
_v2 = _edit(_v1, "## Expressions à éviter",
            "### Annoncer une régularisation élevée\n\n- *« Votre facture de régularisation est plus élevée que "
            "d'habitude. Je vous explique d'où vient l'écart, et nous verrons ensemble comment l'étaler si "
            "besoin. »*\n- Ne dites jamais *« vous avez trop consommé »* : parlez de la consommation relevée.\n\n"
            "## Expressions à éviter")
ITEMS.append(_item(
    "article", "relation-client", "Phrases types à utiliser au téléphone", "phrases-types-a-utiliser-au-telephone",
    ["phrases-types", "telephone", "ton"], 180,
    [
        _rev("Première version", _v1),
        _rev("Ajout des formules pour annoncer une facture de régularisation élevée", _v2),
    ],
))

# Circuit de réclamation et médiation ---------------------------------------
_v1 = """Une réclamation est toute insatisfaction exprimée par un client qui attend une réponse. Dans le doute, enregistrez-la : une réclamation non enregistrée ne peut pas être suivie.

## Les niveaux de traitement

| Niveau | Qui | Quand | Délai de réponse |
|---|---|---|---|
| 1 | Agent Helios | Pendant l'appel | Immédiat |
| 2 | Service Réclamations Lumière Énergie | Réclamation non résolue au niveau 1 | 15 jours |
| 3 | Service Consommateurs Lumière Énergie | Client insatisfait de la réponse de niveau 2 | 30 jours |
| 4 | Médiateur national de l'énergie | Pas de solution 2 mois après la réclamation écrite | Fixé par le médiateur |

## Enregistrer une réclamation

1. Écoutez le client jusqu'au bout, sans l'interrompre.
2. Reformulez la réclamation en une ou deux phrases et faites-la valider.
3. Si un guide vous permet de résoudre le problème pendant l'appel, faites-le et enregistrez la réclamation comme **résolue au premier contact**.
4. Sinon, ouvrez **Réclamations > Nouvelle**, choisissez la catégorie et joignez la facture concernée.
5. Donnez au client la référence et le délai du niveau suivant.

### Les catégories

- Facturation et index
- Paiement et recouvrement
- Déménagement et mise en service
- Qualité de service (accueil, délais)
- Données personnelles

## Le médiateur

Le client peut saisir gratuitement le médiateur national de l'énergie si sa réclamation écrite n'a pas trouvé de solution au bout de **deux mois**. Ses coordonnées figurent au dos de chaque facture.

### Ce que l'agent doit dire

Ne découragez jamais un client de saisir le médiateur. Vous pouvez dire : *« C'est tout à fait votre droit. Pour que le médiateur puisse traiter votre demande, il faut d'abord que notre service Réclamations ait reçu votre réclamation écrite ; je l'enregistre maintenant. »*

## Les réclamations sensibles

Transférez immédiatement à votre superviseur :

- une coupure ou réduction de puissance contestée ;
- une menace de procédure judiciaire ou de contact presse ;
- une réclamation concernant un client signalé Fragilité ;
- une fuite de données personnelles, même supposée."""
_v2 = _edit(_v1, "| 2 | Service Réclamations Lumière Énergie | Réclamation non résolue au niveau 1 | 15 jours |",
            "| 2 | Service Réclamations Lumière Énergie | Réclamation non résolue au niveau 1 | 10 jours |")
ITEMS.append(_item(
    "article", "relation-client", "Circuit de réclamation et médiation", "circuit-de-reclamation-et-mediation",
    ["reclamation", "escalade", "mediateur"], 180,
    [
        _rev("Première version", _v1),
        _rev("Délai de réponse du niveau 2 ramené de 15 à 10 jours", _v2),
    ],
))

# Interne : coût par contact ------------------------------------------------
_v1 = """> **Confidentiel : réservé aux équipes Lumière Énergie.** Ne jamais transmettre à Helios Contact ni citer à un client.

## Ce que nous facture Helios

Le contrat avec Helios Contact est facturé au contact traité, hors TVA.

| Canal | Prix par contact | Durée moyenne de traitement | Volume mensuel (S1) |
|---|---|---|---|
| Téléphone | 3,10 € | 7 min 20 s | 58 400 |
| E-mail | 2,20 € | 5 min 10 s | 21 700 |
| Chat | 1,90 € | 8 min 05 s | 9 800 |
| Rappel sortant | 3,60 € | 6 min 00 s | 4 300 |

Soit environ **246 000 € par mois** en moyenne sur le premier semestre.

## Notre coût complet

En ajoutant nos propres frais (équipe de pilotage, outils, téléphonie, contrôle qualité), le coût complet d'un appel traité par Helios est de **4,70 €**. Le même appel traité par notre plateau interne de Lyon revient à **8,90 €**.

### Répartition des motifs d'appel

- Facturation et index : 38 % des appels
- Paiement et recouvrement : 21 %
- Déménagement : 17 %
- Résiliation : 9 %
- Autres : 15 %

## Leviers d'économie

- Chaque facture estimée évitée grâce aux relevés communicants économise en moyenne 0,4 appel.
- Les rappels sortants pour les échéanciers coûtent cher : l'objectif est de passer 40 % d'entre eux par SMS.
- Les escalades vers le service Réclamations nous coûtent environ 22 € chacune en temps interne.

## Bonus qualité

Le contrat prévoit un bonus de 2,5 % de la facture mensuelle si :

- le taux de résolution au premier contact dépasse 75 % ;
- la satisfaction client dépasse 4,2 sur 5 ;
- moins de 3 % des appels sont abandonnés.

### Négociation

Ces coûts internes ne doivent pas être communiqués à Helios lors de la renégociation des seuils du bonus."""
_v2 = _edit(_v1, "| Volume mensuel (S1) |", "| Volume mensuel (S2) |")
_v2 = _edit(_v2, "| Téléphone | 3,10 € | 7 min 20 s | 58 400 |", "| Téléphone | 3,10 € | 7 min 05 s | 61 900 |")
_v2 = _edit(_v2, "Soit environ **246 000 € par mois** en moyenne sur le premier semestre.",
            "Soit environ **257 000 € par mois** en moyenne sur le second semestre (hausse liée aux appels sur la TVA de l'abonnement).")
ITEMS.append(_item(
    "article", "interne-couts", "Coût par contact et facturation d'Helios", "cout-par-contact-et-facturation-d-helios",
    ["interne", "couts", "contrat"], 365,
    [
        _rev("Première version (chiffres du premier semestre)", _v1),
        _rev("Mise à jour avec les volumes du second semestre", _v2),
    ],
))

# Interne : marges par offre ------------------------------------------------
_v1 = """> **Confidentiel : réservé aux équipes Lumière Énergie.** Helios Contact ne connaît que les limites de gestes commerciaux publiées dans les guides.

## Marge brute par offre

| Offre | Clients | Marge brute par client et par an | Taux de résiliation annuel |
|---|---|---|---|
| Électricité prix fixe 2 ans | 182 000 | 64 € | 11 % |
| Électricité indexée | 96 000 | 41 € | 19 % |
| Électricité verte | 38 000 | 88 € | 8 % |
| Gaz prix fixe 1 an | 71 000 | 52 € | 14 % |
| Duo électricité + gaz | 54 000 | 118 € | 7 % |

L'offre Duo est la plus rentable et la plus fidèle : une résiliation Duo évitée vaut près de deux résiliations d'électricité indexée.

## Coût d'acquisition

Un nouveau client coûte en moyenne **95 €** (comparateurs, marketing, frais de souscription). Il faut donc environ 18 mois pour qu'un client en électricité indexée devienne rentable.

### Conséquence pour la fidélisation

L'offre de fidélité proposée par les agents (un mois d'abonnement offert, environ 12 €) est rentable dès qu'elle évite une résiliation sur huit. Elle ne doit pas pour autant être proposée plus d'une fois par appel.

## Budget mensuel de gestes commerciaux

| Motif | Budget mensuel | Consommé le mois dernier |
|---|---|---|
| Erreur de facturation | 9 000 € | 7 850 € |
| Retard de mise en service | 4 000 € | 4 420 € |
| Qualité de service | 3 000 € | 2 110 € |

### Limites par niveau

- Agent Helios : jusqu'à 20 € par client et par an.
- Superviseur Helios : jusqu'à 60 €.
- Service Réclamations : au-delà, sans plafond fixe.

## Décisions

- Le dépassement sur les retards de mise en service vient surtout des mises en service express mal programmées. Un rappel a été fait aux superviseurs Helios.
- Les impayés représentent 1,8 % du chiffre d'affaires ; les échéanciers respectés en récupèrent 82 %."""
_v2 = _edit(_v1, "- Agent Helios : jusqu'à 20 € par client et par an.", "- Agent Helios : jusqu'à 30 € par client et par an.")
_v2 = _edit(_v2, "| Qualité de service | 3 000 € | 2 110 € |", "| Qualité de service | 3 500 € | 2 110 € |")
ITEMS.append(_item(
    "article", "interne-couts", "Marges par offre et budget de gestes commerciaux", "marges-par-offre-et-budget-de-gestes-commerciaux",
    ["interne", "marges", "geste-commercial"], 365,
    [
        _rev("Première version", _v1),
        _rev("Limite agent portée de 20 € à 30 € ; budget Qualité de service porté à 3 500 €", _v2),
    ],
))

# Interne : annuaire d'escalade ---------------------------------------------
_v1 = """> **Confidentiel : réservé aux équipes Lumière Énergie.** Ces numéros contournent le circuit d'escalade normal. Ne jamais les communiquer aux agents Helios ni aux clients. Les superviseurs Helios n'ont que le numéro du service Réclamations.

## Qui appeler

| Rôle | Nom | Téléphone | Quand |
|---|---|---|---|
| Directrice de la relation client | Claire Vautrin | +33 1 00 00 00 01 | Crise majeure, presse |
| Responsable d'astreinte relation client | tournant | +33 1 00 00 00 02 | Soirs et week-ends |
| Délégué à la protection des données | Karim Benali | +33 1 00 00 00 03 | Fuite de données supposée |
| Responsable relations gestionnaires de réseau | Hélène Marchal | +33 1 00 00 00 04 | Coupures massives, flux bloqués |
| Responsable recouvrement | Thomas Nguyen | +33 1 00 00 00 05 | Coupure contestée chez un client fragile |
| Directeur de compte Helios Contact | Jean-Marc Labonne | +230 000 0006 | Contrat, effectifs, incident plateau |

## En dehors des heures ouvrées

Le téléphone d'astreinte est porté par une personne différente chaque semaine. Sans réponse sous 15 minutes, appelez la directrice de la relation client sur son portable, au **+33 6 00 00 00 07**.

### Cas autorisés pour le portable

Uniquement pour :

1. une fuite de données personnelles supposée ;
2. une coupure touchant un client dépendant d'un équipement médical ;
3. une panne du site ou du paiement touchant tous les clients.

## Adresses e-mail

- direction-relation-client@example.fr : responsables relation client
- incident@example.fr : ouvre un ticket d'incident et alerte l'ingénieur d'astreinte

## Mise à jour

La directrice de la relation client relit cette liste chaque trimestre et à chaque changement de poste."""
_v2 = _edit(_v1, "| Responsable recouvrement | Thomas Nguyen | +33 1 00 00 00 05 | Coupure contestée chez un client fragile |",
            "| Responsable recouvrement | Sandrine Lefèvre | +33 1 00 00 00 08 | Coupure contestée chez un client fragile |")
ITEMS.append(_item(
    "article", "interne-couts", "Annuaire interne d'escalade", "annuaire-interne-d-escalade",
    ["interne", "escalade", "contacts"], -3,
    [
        _rev("Première version", _v1),
        _rev("Nouvelle responsable recouvrement (départ de Thomas Nguyen)", _v2),
    ],
))


# ---------------------------------------------------------------------------
# FAQs
# ---------------------------------------------------------------------------

# Questions sur la résiliation ----------------------------------------------
_intro = "Réponses courtes aux questions les plus fréquentes sur la résiliation."
_q1 = _qa("Comment résilier mon contrat ?",
          ["resiliation contrat", "resilier", "arrêter mon contrat"],
          "Par téléphone, dans l'espace client ou par courrier. Pour un appel, suivez *Traiter une demande de résiliation*.")
_q2 = _qa("Y a-t-il des frais de résiliation ?",
          ["frais resiliation", "pénalités", "ça coûte combien de résilier"],
          "Non. Pour un particulier, la résiliation est gratuite, à tout moment, même pendant la première année et pour une offre à prix fixe.")
_q3 = _qa("Je change de fournisseur : dois-je vous prévenir ?",
          ["changement de fournisseur", "nouveau fournisseur resiliation"],
          "Non, le nouveau fournisseur s'occupe de la résiliation. Ne lancez surtout pas de résiliation manuelle en parallèle.")
_q4 = _qa("Quand la résiliation prend-elle effet ?",
          ["date de resiliation", "date d'effet"],
          "À la date choisie par le client, au plus tard 30 jours après sa demande. Elle ne peut pas être antidatée.")
_q5 = _qa("Quand vais-je recevoir ma dernière facture ?",
          ["facture de cloture", "dernière facture", "facture finale"],
          "La facture de clôture arrive sous 6 semaines après la date de résiliation.")
_q5b = _qa("Quand vais-je recevoir ma dernière facture ?",
           ["facture de cloture", "dernière facture", "facture finale"],
           "La facture de clôture arrive sous 4 semaines après la date de résiliation.")
_q6 = _qa("Ma mère est décédée, comment résilier son contrat ?",
          ["deces titulaire", "résiliation décès", "succession"],
          "Présentez d'abord vos condoléances. Un proche ou le notaire peut résilier avec un acte de décès ; si quelqu'un vit encore dans le logement, proposez un contrat à son nom.")
ITEMS.append(_item(
    "faq", "resiliation", "Questions sur la résiliation", "questions-sur-la-resiliation",
    ["resiliation", "faq"], 180,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
        _rev("Délai de la facture de clôture ramené de 6 à 4 semaines", _intro, faqs=[_q1, _q2, _q3, _q4, _q5b]),
        _rev("Ajout de la question sur le décès du titulaire", _intro, faqs=[_q1, _q2, _q3, _q4, _q5b, _q6]),
    ],
))

# Remboursement après résiliation -------------------------------------------
_intro = ""
_q1 = _qa("Quand serai-je remboursé après ma résiliation ?",
          ["remboursement apres resiliation", "quand suis-je remboursé", "delai remboursement"],
          "Sous 15 jours après l'émission de la facture de clôture, par virement.")
_q2 = _qa("Sur quel compte le remboursement est-il fait ?",
          ["compte remboursement", "changer rib remboursement"],
          "Sur l'IBAN du prélèvement. Sinon, le client dépose son RIB via rib.example.fr. Ne notez jamais un IBAN dicté au téléphone.")
_q3 = _qa("Pourquoi mon remboursement est-il inférieur à ce que j'attendais ?",
          ["montant remboursement", "remboursement incomplet"],
          "Une facture impayée ou des frais ont été déduits du solde. Le détail figure en bas de la facture de clôture.")
_q4 = _qa("Je n'ai pas reçu mon remboursement.",
          ["remboursement pas reçu", "pas de virement", "rembourssement"],
          "Vérifiez la date d'envoi dans l'onglet Paiements. Si le délai de 15 jours est dépassé, escaladez au superviseur.")
_q5 = _qa("Le titulaire est décédé : à qui va le remboursement ?",
          ["remboursement succession", "remboursement deces"],
          "Au notaire chargé de la succession, ou sur le compte d'un héritier avec une attestation. Transférez à l'équipe Successions.")
ITEMS.append(_item(
    "faq", "resiliation", "Remboursement après résiliation : questions fréquentes", "remboursement-apres-resiliation-questions-frequentes",
    ["remboursement", "resiliation", "faq"], 150,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Ajout de la question sur les titulaires décédés", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Prélèvement et mensualisation ---------------------------------------------
_intro = "Questions sur le prélèvement automatique et la mensualisation."
_q1 = _qa("Comment passer au prélèvement automatique ?",
          ["mettre en place prelevement", "mandat sepa", "payer par prélèvement"],
          "Envoyez le lien de signature du mandat SEPA ; voir *Mettre en place le prélèvement automatique*.")
_q2 = _qa("Puis-je changer la date de prélèvement ?",
          ["changer date prelevement", "date du prélèvement"],
          "Oui : le 5, le 10 ou le 15 du mois. La nouvelle date s'applique le mois suivant.")
_q2b = _qa("Puis-je changer la date de prélèvement ?",
           ["changer date prelevement", "date du prélèvement"],
           "Oui : le 5, le 10, le 15 ou le 20 du mois. La nouvelle date s'applique le mois suivant.")
_q3 = _qa("Pourquoi ma mensualité augmente-t-elle ?",
          ["hausse mensualite", "mensualité plus chère", "augmentation prelevement"],
          "La mensualité est recalculée après chaque régularisation, selon la consommation réelle de l'année et les prix en vigueur.")
_q4 = _qa("Puis-je modifier le montant de ma mensualité ?",
          ["changer mensualite", "baisser mensualité"],
          "Oui, dans une limite de 20 % en plus ou en moins, une fois par an. Au-delà, le risque de grosse régularisation augmente : prévenez le client.")
_q5 = _qa("Comment changer de compte bancaire ?",
          ["changer rib", "changement de banque", "nouveau rib"],
          "Le client signe un nouveau mandat via le lien envoyé par SMS. L'ancien mandat est annulé automatiquement.")
ITEMS.append(_item(
    "faq", "facturation", "Prélèvement et mensualisation : questions fréquentes", "prelevement-et-mensualisation-questions-frequentes",
    ["prelevement", "mensualisation", "faq"], 180,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Ajout du 20 du mois et de la question sur le changement de compte", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))

# Difficultés de paiement et échéancier -------------------------------------
_intro = "Pour les clients qui n'arrivent pas à payer. Restez bienveillant et ne jugez jamais."
_q1 = _qa("Je ne peux pas payer ma facture, que faire ?",
          ["difficulte paiement", "je ne peux pas payer", "impayé"],
          "Proposez un échéancier ; voir *Proposer un échéancier de paiement*. Informez aussi des aides (chèque énergie, FSL).")
_q2 = _qa("Sur combien de mois puis-je étaler ma dette ?",
          ["echeancier combien de mois", "étaler paiement", "echeancier"],
          "Jusqu'à 6 mensualités accordées directement par l'agent. Au-delà, un superviseur doit valider.")
_q2b = _qa("Sur combien de mois puis-je étaler ma dette ?",
           ["echeancier combien de mois", "étaler paiement", "echeancier"],
           "Jusqu'à 6 mensualités accordées directement par l'agent, 10 pour un bénéficiaire du chèque énergie. Au-delà, un superviseur doit valider.")
_q3 = _qa("Allez-vous me couper l'électricité ?",
          ["coupure", "coupure impaye", "couper le courant"],
          "Pas tant qu'un échéancier est respecté. Pendant la trêve hivernale (1er novembre - 31 mars), aucune coupure n'est possible dans une résidence principale.")
_q4 = _qa("Qu'est-ce que le chèque énergie ?",
          ["cheque energie", "aide energie"],
          "Une aide de l'État envoyée chaque printemps aux ménages éligibles, utilisable pour payer une facture d'énergie.")
_q5 = _qa("Que se passe-t-il si je rate une mensualité de l'échéancier ?",
          ["échéancier non respecté", "rater une mensualite"],
          "Le client reçoit un rappel. Après deux mensualités manquées, l'échéancier est annulé et le solde redevient exigible : proposez-lui de rappeler avant.")
ITEMS.append(_item(
    "faq", "facturation", "Difficultés de paiement et échéancier", "difficultes-de-paiement-et-echeancier",
    ["echeancier", "impaye", "fragilite", "faq"], 120,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("10 mensualités pour les bénéficiaires du chèque énergie ; ajout de la mensualité manquée", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))

# Contestation de facture ---------------------------------------------------
_intro = ""
_q1 = _qa("Ma facture est beaucoup trop élevée.",
          ["facture trop elevee", "facture trop chère", "contester facture"],
          "Vérifiez d'abord si l'index est estimé (lettre E). Suivez *Traiter une contestation de facture*.")
_q2 = _qa("Dois-je payer la facture pendant la contestation ?",
          ["payer pendant contestation", "suspendre prelevement"],
          "La part non contestée reste due. La part contestée est suspendue dès que l'agent coche *Montant contesté*.")
_q3 = _qa("Combien de temps prend une contestation ?",
          ["delai contestation", "réponse contestation"],
          "Une facture estimée est corrigée sous 5 jours ouvrés. Une contestation d'index réseau prend environ 15 jours.")
_q4 = _qa("On m'a facturé une consommation alors que le logement était vide.",
          ["logement vide", "facturé sans habiter"],
          "Vérifiez la date de mise en service et de résiliation. Si le contrat a démarré trop tôt par erreur, enregistrez une réclamation de niveau 2.")
_q5 = _qa("Je ne suis pas d'accord avec la réponse à ma contestation.",
          ["desaccord reponse", "mediateur", "recours"],
          "Le client peut demander une réponse du Service Consommateurs, puis saisir le médiateur national de l'énergie deux mois après sa réclamation écrite.")
ITEMS.append(_item(
    "faq", "facturation-litiges", "Contestation de facture : questions fréquentes", "contestation-de-facture-questions-frequentes",
    ["contestation", "facture", "faq"], 90,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Ajout de la question sur le recours après une contestation", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Relevé de compteur --------------------------------------------------------
_intro = "Questions sur les relevés de compteur et les index."
_q1 = _qa("Comment transmettre mon relevé de compteur ?",
          ["releve compteur", "transmettre index", "donner mon relevé"],
          "En ligne dans l'espace client, par téléphone ou via le lien envoyé par SMS avant chaque facture.")
_q2 = _qa("J'ai un compteur communicant, dois-je transmettre mes index ?",
          ["linky releve", "compteur communicant index"],
          "Non, ils arrivent automatiquement. Un auto-relevé n'est utile que si le compteur ne communique plus.")
_q3 = _qa("Où lire l'index sur mon compteur de gaz ?",
          ["index gaz", "lire compteur gaz"],
          "Seuls les chiffres noirs comptent, pas les chiffres rouges après la virgule.")
_q4 = _qa("J'ai fait une erreur dans mon auto-relevé.",
          ["erreur index", "mauvais releve", "index errone"],
          "Demandez une photo du compteur et suivez *Corriger un index erroné*.")
_q5 = _qa("Pourquoi ma facture est-elle estimée ?",
          ["facture estimee", "estimation"],
          "Aucun index réel n'était disponible à la date de facturation. L'estimation est régularisée dès le prochain index réel.")
_q5b = _qa("Pourquoi ma facture est-elle estimée ?",
           ["facture estimee", "estimation", "pourquoi estimé"],
           "Aucun index réel n'était disponible à la date de facturation. L'estimation est régularisée dès le prochain index réel ; le client peut transmettre un index tout de suite pour obtenir une facture rectificative.")
ITEMS.append(_item(
    "faq", "releves-compteur", "Relevé de compteur : questions fréquentes", "releve-de-compteur-questions-frequentes",
    ["releve-de-compteur", "index", "faq"], -15,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
        _rev("Réponse sur les factures estimées complétée (facture rectificative)", _intro, faqs=[_q1, _q2, _q3, _q4, _q5b]),
    ],
))

# Déménagement --------------------------------------------------------------
_intro = "Voir aussi le guide *Gérer un déménagement*."
_q1 = _qa("Je déménage, que dois-je faire ?",
          ["demenagement", "je déménage", "changement d'adresse"],
          "Appeler au moins deux semaines avant : nous traitons la résiliation à l'ancienne adresse et la mise en service à la nouvelle dans le même appel.")
_q2 = _qa("Combien coûte une mise en service ?",
          ["prix mise en service", "frais mise en service"],
          "La mise en service standard est facturée par le gestionnaire de réseau sur la première facture. La mise en service express sous 24 heures coûte 45 €.")
_q2b = _qa("Combien coûte une mise en service ?",
           ["prix mise en service", "frais mise en service"],
           "La mise en service standard est facturée par le gestionnaire de réseau sur la première facture. La mise en service express sous 24 heures coûte 52 €.")
_q3 = _qa("Puis-je garder mon offre dans mon nouveau logement ?",
          ["garder offre", "meme contrat nouvelle adresse"],
          "Oui, l'offre peut être conservée. Vérifiez seulement la puissance souscrite adaptée au nouveau logement.")
_q4 = _qa("Je ne trouve pas le numéro de compteur du nouveau logement.",
          ["pdl introuvable", "numero pdl", "pce introuvable"],
          "Recherchez l'adresse dans l'outil ; à défaut, demandez le nom de l'ancien occupant ou une photo du compteur.")
_q5 = _qa("Faut-il un justificatif de domicile ?",
          ["justificatif demenagement", "bail"],
          "Non, aucun justificatif n'est demandé pour un déménagement.")
ITEMS.append(_item(
    "faq", "demenagement", "Déménagement : questions fréquentes", "demenagement-questions-frequentes",
    ["demenagement", "mise-en-service", "faq"], 180,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Frais de mise en service express mis à jour (52 €) ; ajout de la question sur les justificatifs", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))

# Identité et RGPD ----------------------------------------------------------
_intro = "Ce qu'il faut répondre quand un client s'interroge sur ses données personnelles."
_q1 = _qa("Pourquoi me posez-vous des questions de sécurité ?",
          ["questions securite", "pourquoi ces questions"],
          "Pour nous assurer que nous parlons bien au titulaire du contrat et protéger ses données, comme l'exige le RGPD.")
_q2 = _qa("Puis-je obtenir une copie de mes données ?",
          ["acces donnees", "mes données personnelles", "rgpd"],
          "Oui. Enregistrez une demande d'accès ; l'équipe Données personnelles répond sous un mois.")
_q3 = _qa("Je ne veux plus recevoir d'offres commerciales.",
          ["desabonnement", "désabonnement newsletter", "stop pub", "désinscription"],
          "Décochez *Offres commerciales* dans le contrat : le désabonnement est immédiat. Les courriers liés au contrat (factures, échéanciers) continuent.")
_q4 = _qa("Pouvez-vous supprimer toutes mes données ?",
          ["effacement donnees", "supprimer mes donnees", "droit à l'oubli"],
          "Enregistrez une demande d'effacement. Les factures et paiements restent toutefois conservés 10 ans (obligation comptable).")
_q5 = _qa("Mon fils peut-il appeler à ma place ?",
          ["tiers", "appeler pour un proche", "mandataire"],
          "Seulement s'il est enregistré comme mandataire sur le contrat. Sinon, le titulaire peut l'ajouter depuis son espace client.")
_q6 = _qa("L'appel est-il enregistré ?",
          ["enregistrement appel", "vous m'enregistrez"],
          "Oui, à des fins de formation et de qualité. Les enregistrements sont conservés 6 mois.")
ITEMS.append(_item(
    "faq", "relation-client", "Identité et RGPD : questions fréquentes", "identite-et-rgpd-questions-frequentes",
    ["rgpd", "identite", "faq"], 180,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Ajout des questions sur les mandataires et l'enregistrement des appels", _intro, faqs=[_q1, _q2, _q3, _q4, _q5, _q6]),
    ],
))

# Réclamations et médiateur -------------------------------------------------
_intro = ""
_q1 = _qa("Comment faire une réclamation ?",
          ["reclamation", "porter plainte", "me plaindre"],
          "L'agent l'enregistre pendant l'appel ; le client n'a pas besoin d'écrire. Voir *Circuit de réclamation et médiation*.")
_q2 = _qa("Sous quel délai aurai-je une réponse ?",
          ["delai reclamation", "quand aurai-je une réponse"],
          "Le service Réclamations répond sous 15 jours.")
_q2b = _qa("Sous quel délai aurai-je une réponse ?",
           ["delai reclamation", "quand aurai-je une réponse"],
           "Le service Réclamations répond sous 10 jours.")
_q3 = _qa("Je veux parler à un responsable.",
          ["parler a un responsable", "superviseur", "chef"],
          "Proposez d'abord votre aide. Si la demande dépasse vos limites, suivez *Escalader un appel vers un superviseur*.")
_q4 = _qa("Comment saisir le médiateur ?",
          ["mediateur energie", "saisir le médiateur"],
          "Gratuitement, si la réclamation écrite n'a pas trouvé de solution après deux mois. Ses coordonnées figurent au dos de chaque facture.")
_q5 = _qa("Puis-je obtenir un geste commercial ?",
          ["geste commercial", "dedommagement", "compensation"],
          "C'est possible en cas d'erreur de notre part, dans la limite fixée pour votre niveau. Au-delà, escaladez.")
ITEMS.append(_item(
    "faq", "relation-client", "Réclamations et médiateur : questions fréquentes", "reclamations-et-mediateur-questions-frequentes",
    ["reclamation", "mediateur", "faq"], 180,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Délai du service Réclamations ramené de 15 à 10 jours", _intro, faqs=[_q1, _q2b, _q3, _q4]),
        _rev("Ajout de la question sur les gestes commerciaux", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))

# Chèque énergie et aides ---------------------------------------------------
_intro = "Les aides dont peuvent bénéficier les clients en difficulté."
_q1 = _qa("Comment utiliser mon chèque énergie ?",
          ["cheque energie", "utiliser cheque", "chèque énergie paiement"],
          "En ligne sur le site indiqué sur le chèque, en saisissant la référence client, ou en l'envoyant par courrier avec la référence au dos.")
_q2 = _qa("Peut-on affecter le chèque énergie automatiquement chaque année ?",
          ["pre affectation cheque", "cheque energie automatique"],
          "Oui, le client peut choisir la pré-affectation lors de la première utilisation en ligne : les chèques suivants nous arrivent directement.")
_q3 = _qa("Je n'ai pas reçu mon chèque énergie.",
          ["cheque energie pas recu", "pas reçu le chèque"],
          "Les chèques sont envoyés par l'administration, pas par Lumière Énergie. Nous ne pouvons pas vérifier l'éligibilité : orientez le client vers le service d'assistance indiqué sur le site officiel.")
_q4 = _qa("Quelles autres aides existent ?",
          ["aides paiement", "fsl", "ccas"],
          "Le fonds de solidarité logement (FSL) du département et le CCAS de la commune. Le client en fait la demande lui-même ; nous fournissons les factures nécessaires.")
_q5 = _qa("Le chèque énergie protège-t-il contre les coupures ?",
          ["cheque energie coupure", "reduction puissance"],
          "Pendant la trêve hivernale, un bénéficiaire du chèque énergie ne peut pas subir de réduction de puissance. Il a aussi droit à un échéancier plus long (10 mensualités).")
_q6 = _qa("Existe-t-il un numéro dédié pour les clients en difficulté ?",
          ["numero solidarite", "numéro vert"],
          "Oui, le numéro solidarité 0800 000 000, gratuit, du lundi au vendredi de 9 h à 18 h, pour les clients signalés Fragilité.")
ITEMS.append(_item(
    "faq", "relation-client", "Chèque énergie et aides : questions fréquentes", "cheque-energie-et-aides-questions-frequentes",
    ["cheque-energie", "fragilite", "faq"], 120,
    [
        _rev("Première version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Ajout de la protection contre les réductions de puissance", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
        _rev("Ajout du numéro solidarité", _intro, faqs=[_q1, _q2, _q3, _q4, _q5, _q6]),
    ],
))
