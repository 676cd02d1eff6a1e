"""Starter synonyms: what callers and agents say for the common call-centre intents, per
language, seeded into every new workspace (and the demo) as ordinary synonym groups that
editors change or delete like their own. Words only an agent of that trade would type: none
of them is a word every article holds (a synonym group is OR-ed into each query that uses it).
"""

from __future__ import annotations

# term -> its synonyms (both ways, as the synonym editor stores them)
STARTER = {
    "en": {
        "escalate": ["speak to a manager", "talk to a manager", "speak to someone senior", "escalation"],
        "manager": ["team leader", "supervisor", "boss"],
        "refund": ["money back", "reimburse", "reimbursement", "repay"],
        "chargeback": ["card dispute", "dispute"],
        "cancel": ["call off", "stop my order"],
        "dispatch": ["shipped", "ship", "sent out", "posted"],
        "parcel": ["package"],
        "broken": ["damaged", "smashed", "cracked"],
        "never arrived": ["not delivered", "not received", "did not arrive", "never came", "not turned up"],
        "complaint": ["complain", "not happy", "unhappy"],
        "password": ["log in", "login", "sign in"],
        "vulnerable": ["extra care", "struggling"],
        "bereavement": ["passed away", "died", "death"],
        "wismo": ["where is my order", "where is my parcel"],
    },
    "fr": {
        "escalader": ["parler à un responsable", "parler à un superviseur", "parler au chef", "escalade"],
        "superviseur": ["responsable", "chef", "manager", "supérieur"],
        "remboursement": ["rembourser", "remboursé", "récupérer mon argent"],
        "resiliation": ["résilier", "arrêter mon contrat", "mettre fin au contrat", "partir"],
        "demenagement": ["déménager", "déménage", "changement d'adresse", "nouveau logement"],
        "prelevement": ["débit", "prélevé", "prélèvement automatique"],
        "fragilite": ["fragile", "vulnérable", "en difficulté", "précarité"],
        "echeancier": ["étaler", "paiement en plusieurs fois", "plan de paiement"],
        "coupure": ["couper", "couper le courant", "plus d'électricité"],
        "reclamation": ["plainte", "me plaindre", "pas content", "mécontent"],
        "deces": ["décédé", "décédée", "mort", "succession"],
        "compteur": ["linky", "gazpar"],
    },
}


def groups(language: str | None = None) -> list[tuple[str, list[str]]]:
    languages = [language] if language else list(STARTER)
    return [(term, list(others)) for lang in languages for term, others in STARTER[lang].items()]


# Words of the way a caller's request is reported ("customer says…", "le client veut…"): in a
# partial match they weigh little, so that the words of the problem decide.
FILLERS = frozenset("""
customer customers caller client clients says said say wants want wanted asks asked asking needs need
would like please hello help trying tell told telling call calling called phoned keeps still
appelant appelante cliente dit disait veut veux voulait voudrait voudrais souhaite demande besoin appelle bonjour aide
""".split())
