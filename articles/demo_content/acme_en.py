"""Demo content for the tenant "Acme Parcels" (English).

Acme Parcels is a fictional online retailer that ships parcels to its customers. Its
customer service calls are handled by the outsourced provider "Helios Contact"
(Mauritius). Everything here is invented: people, phone numbers, amounts, URLs.

Pure data: ``COLLECTIONS`` and ``ITEMS``. Every revision in ``ITEMS`` is a full
snapshot (body, steps, faqs), oldest first. The small helpers below only build plain
dicts and lists; they copy shared steps/questions so no two revisions share objects.
"""

from __future__ import annotations

LANGUAGE = "en"


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
        "slug": "refunds",
        "name": "Refunds and cancellations",
        "description": "Refunds, returns and order cancellations for orders sold and shipped by Acme Parcels.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "refunds-marketplace",
        "name": "Marketplace refunds",
        "description": "Orders sold by third-party sellers on the Acme marketplace: who refunds what, and when Acme steps in.",
        "parent": "refunds",
        "confidential": False,
        "review_interval_days": 90,
    },
    {
        "slug": "delivery",
        "name": "Delivery and tracking",
        "description": "Delivery services, cut-off times, delays, tracking questions and address changes.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 120,
    },
    {
        "slug": "delivery-damaged",
        "name": "Damaged and lost parcels",
        "description": "Damaged items, missing items and parcels lost by the carrier: evidence, claims and remedies.",
        "parent": "delivery",
        "confidential": False,
        "review_interval_days": 90,
    },
    {
        "slug": "customer-account",
        "name": "Identity, account and payments",
        "description": "Security checks, GDPR requests, vulnerable customers, payment failures and account questions.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "complaints-escalation",
        "name": "Complaints and escalation",
        "description": "Logging complaints, escalation paths, response times and approved phrases for the phone.",
        "parent": None,
        "confidential": False,
        "review_interval_days": 180,
    },
    {
        "slug": "internal-costs",
        "name": "Internal: costs, margins and contacts",
        "description": "Acme staff only. Contact costs, product margins, goodwill budgets and internal phone numbers. Never share with Helios Contact.",
        "parent": None,
        "confidential": True,
        "review_interval_days": 365,
    },
]


ITEMS = []


# ---------------------------------------------------------------------------
# Guides
# ---------------------------------------------------------------------------

# Refund a parcel that never arrived ----------------------------------------
_intro = (
    "Use this guide when a customer tells you their parcel never arrived and the tracking "
    "does **not** show a confirmed delivery to them."
)
_s1 = _step(
    "Check the tracking status",
    "Open the order in **Backoffice > Orders** and read the latest carrier event. If the last "
    "scan is less than 5 working days old, the parcel is delayed, not lost: follow "
    "*Handle a delivery delay call* instead.",
)
_s2 = _step(
    "Confirm the delivery address",
    "Read the delivery address back to the customer and ask them to confirm it. If the address "
    "on the order is wrong because of a customer typo, do not refund: escalate to the Refunds team.",
)
_s2b = _step(
    "Confirm the delivery address",
    "Ask the customer to **spell out** their postcode and house number; do not read the address "
    "to them first. If what they say differs from the order because of their own typo, do not "
    "refund: escalate to the Refunds team.",
)
_s3 = _step(
    "Check for a safe place or a neighbour",
    "Look for a delivery photo or a neighbour's name in the carrier event. Ask the customer to "
    "check their safe place and with neighbours before you go further.",
)
_s4 = _step(
    "Issue the refund",
    "For orders up to **£50**, refund directly with reason code `NDR-LOST`. Above £50, open a "
    "carrier investigation first (see *Open a lost parcel investigation*).",
)
_s4b = _step(
    "Issue the refund",
    "For orders up to **£75**, refund directly with reason code `NDR-LOST`. Above £75, open a "
    "carrier investigation first (see *Open a lost parcel investigation*).",
)
_s5 = _step(
    "Confirm to the customer",
    "Tell the customer the amount refunded and when they will see it (3-5 working days for "
    "cards). Add a note to the order with the date of the call and what was agreed.",
)
ITEMS.append(_item(
    "guide", "refunds", "Refund a parcel that never arrived", "refund-a-parcel-that-never-arrived",
    ["refund", "delivery", "lost-parcel"], 120,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Clarified step 2 after provider feedback: customers confirmed read-back addresses without listening",
             _intro, steps=[_s1, _s2b, _s3, _s4, _s5]),
        _rev("Raised the direct refund limit from £50 to £75", _intro, steps=[_s1, _s2b, _s3, _s4b, _s5]),
    ],
))

# Refund a returned item ----------------------------------------------------
_intro = "How to refund an item the customer has sent back to our returns centre."
_s1 = _step(
    "Find the return",
    "Open the order and go to the **Returns** tab. Every return has a reference starting with "
    "`RT-`; ask the customer for it if the order has several returns.",
)
_s1b = _step(
    "Check the return has been received",
    "If the return is not scanned at the returns centre after **10 working days**, ask the "
    "customer for their proof of postage and attach it to the return before you go on.",
)
_s2 = _step(
    "Read the inspection result",
    "The warehouse marks each item **Accepted**, **Used** or **Not received**. Only accepted "
    "items are refunded in full.",
)
_s3 = _step(
    "Choose the refund amount",
    "Refund the item price. Refund the original delivery fee **only** if the whole order is "
    "returned. For items marked *Used*, refund 50% and tell the customer why.",
)
_s4 = _step(
    "Issue the refund to the original payment method",
    "Never refund to a different card or to a bank account given on the phone. Gift card "
    "orders are refunded to a new gift card.",
)
_s5 = _step(
    "Send the confirmation",
    "Send email template **RET-02** from the order screen. It includes the amount and the "
    "expected delay.",
)
ITEMS.append(_item(
    "guide", "refunds", "Refund a returned item", "refund-a-returned-item",
    ["refund", "returns"], 150,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Added a step for returns not yet scanned at the returns centre",
             _intro, steps=[_s1, _s1b, _s2, _s3, _s4, _s5]),
    ],
))

# Cancel an order before dispatch -------------------------------------------
_intro = (
    "Customers can cancel free of charge until the order leaves the warehouse. "
    "The order status tells you what is still possible."
)
_s1 = _step(
    "Check the order status",
    "Open the order and read the status:\n\n- **Awaiting dispatch**: you can cancel.\n"
    "- **Picking**: ask the warehouse to stop it.\n- **Dispatched**: too late to cancel.",
)
_s2 = _step(
    "Cancel an order awaiting dispatch",
    "Click **Cancel order**, choose the reason the customer gives and confirm. The refund is "
    "triggered automatically.",
)
_s3 = _step(
    "Request a warehouse stop for orders being picked",
    "Use the **Stop request** button. Requests made before **14:00** (UK time) are usually "
    "honoured the same day; after that, tell the customer the stop is not guaranteed.",
)
_s3b = _step(
    "Request a warehouse stop for orders being picked",
    "Use the **Stop request** button. Requests made before **15:00** (UK time) are usually "
    "honoured the same day; after that, tell the customer the stop is not guaranteed.",
)
_s4 = _step(
    "Explain the options for dispatched orders",
    "The customer can refuse the parcel at the door or return it for free within 30 days. "
    "Either way, the refund follows *Refund a returned item*.",
)
_s5 = _step(
    "Confirm the refund timing",
    "Cancelled orders are refunded within **24 hours**; the bank may take 3-5 working days "
    "to show it.",
)
ITEMS.append(_item(
    "guide", "refunds", "Cancel an order before dispatch", "cancel-an-order-before-dispatch",
    ["cancellation", "refund", "warehouse"], 180,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Warehouse stop cut-off moved from 14:00 to 15:00", _intro, steps=[_s1, _s2, _s3b, _s4, _s5]),
    ],
))

# Refund a marketplace order ------------------------------------------------
_intro = "Marketplace orders are sold and shipped by a third-party seller. Acme only refunds when the seller does not."
_s1 = _step(
    "Confirm it is a marketplace order",
    "Marketplace order numbers start with `MP-` and the order screen shows **Sold by** with the "
    "seller's name. If it is an Acme order, use the normal refund guides.",
)
_s2 = _step(
    "Check the seller's response window",
    "The seller has **2 working days** to answer a refund request made through the customer's "
    "account. If the window is still open, tell the customer when it ends.",
)
_s2b = _step(
    "Check the seller's response window",
    "The seller has **3 working days** to answer a refund request made through the customer's "
    "account. If the window is still open, tell the customer when it ends.",
)
_s2c = _step(
    "Check the seller has not already refunded",
    "Open the **Seller messages** panel. If the seller has already confirmed a refund, do not "
    "refund again: give the customer the seller's refund date instead.",
)
_s3 = _step(
    "Apply the Acme Guarantee",
    "If the seller did not answer in time, open an **Acme Guarantee** claim from the order. "
    "Claims up to £1,000 are approved automatically.",
)
_s4 = _step(
    "Tell the customer what happens next",
    "Explain that Acme refunds them now and recovers the money from the seller. The customer "
    "does not need to contact the seller again.",
)
ITEMS.append(_item(
    "guide", "refunds-marketplace", "Refund a marketplace order", "refund-a-marketplace-order",
    ["refund", "marketplace", "seller"], 90,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Seller response window changed from 2 to 3 working days", _intro, steps=[_s1, _s2b, _s3, _s4]),
        _rev("Added a check for refunds the seller has already made (double refunds in March)",
             _intro, steps=[_s1, _s2b, _s2c, _s3, _s4]),
    ],
))

# Handle a delivery delay call ----------------------------------------------
_intro = "For parcels that have not arrived by the promised date but are still moving in the carrier network."
_s1 = _step(
    "Check the promised date",
    "The promised date is on the order screen, under **Delivery**. If it has not passed yet, "
    "reassure the customer and give them the tracking link.",
)
_s2 = _step(
    "Read the carrier status",
    "Open the tracking and note the last scan and its location. A parcel with no scan for "
    "**5 working days** or more is treated as lost: follow *Open a lost parcel investigation*.",
)
_s3 = _step(
    "Apologise and give a new estimate",
    "Apologise for the delay and give the carrier's new estimated date. Do not promise a date "
    "the carrier has not given.",
)
_s3b = _step(
    "Apologise and give a new estimate",
    "Use the approved phrase: *\"I'm sorry your parcel is late. The carrier now expects to "
    "deliver it on [date], and I'll make a note so we can follow it up.\"* Do not promise a "
    "date the carrier has not given.",
)
_s4 = _step(
    "Offer the options",
    "The customer can wait, or refuse the parcel on arrival for a full refund.",
)
_s5 = _step(
    "Refund the delivery fee for late Next Day orders",
    "If the order was paid **Next Day** and arrives late, refund the £4.99 delivery fee with "
    "reason code `DLV-LATE`, even if the customer does not ask.",
)
_s6 = _step(
    "Log the contact reason",
    "Choose *Delivery > Late* as contact reason so the carrier's performance report is correct.",
)
ITEMS.append(_item(
    "guide", "delivery", "Handle a delivery delay call", "handle-a-delivery-delay-call",
    ["delivery", "delay", "carrier"], -20,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s6]),
        _rev("Added the delivery fee refund for late Next Day orders", _intro, steps=[_s1, _s2, _s3, _s4, _s5, _s6]),
        _rev("Reworded step 3 with the approved apology phrase", _intro, steps=[_s1, _s2, _s3b, _s4, _s5, _s6]),
    ],
))

# Change the delivery address of a parcel -----------------------------------
_intro = "Address changes are a common fraud pattern. Follow every step, even for friendly callers."
_s1 = _step(
    "Run the full identity check",
    "Use the full check from *Verify a caller's identity*: two security answers, not one. "
    "Never change an address for a caller who fails the check.",
)
_s2 = _step(
    "Check the parcel can still be redirected",
    "Redirection is possible until the status is **Out for delivery**. After that, offer a "
    "redelivery or collection from the depot.",
)
_s3 = _step(
    "Check the new address",
    "The new address must be in the same country. Ask the customer to spell the postcode and "
    "check it with the address finder.",
)
_s3b = _step(
    "Block high-value orders",
    "For orders over **£500**, do not change the address on the phone. Ask the customer to do "
    "it from their account, where a one-time code is sent to their phone.",
)
_s4 = _step(
    "Submit the redirect",
    "Click **Redirect parcel** and paste the new address. The carrier confirms within an hour "
    "in the order history.",
)
_s5 = _step(
    "Explain the fee",
    "Redirection is free for orders over £40 and costs £2.50 otherwise. The fee is taken from "
    "the card used for the order.",
)
ITEMS.append(_item(
    "guide", "delivery", "Change the delivery address of a parcel in transit",
    "change-the-delivery-address-of-a-parcel-in-transit",
    ["address-change", "delivery", "fraud"], 120,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Address changes on the phone now blocked for orders over £500",
             _intro, steps=[_s1, _s2, _s3, _s3b, _s4, _s5]),
    ],
))

# Handle a damaged parcel report --------------------------------------------
_intro = "When the parcel arrived but the item inside is broken, dented or incomplete."
_s1 = _step(
    "Ask for photos",
    "Send the photo upload link **acme-parcels.example.com/photos** by SMS. We need one photo "
    "of the outer box and one of the damaged item.",
)
_s1b = _step(
    "Ask for photos",
    "Send the photo upload link **help.example.com/damage** by SMS. We need one photo of the "
    "outer box and one of the damaged item.",
)
_s2 = _step(
    "Check the claim window",
    "Damage must be reported within **14 days** of delivery. Outside this window, log a "
    "complaint and pass it to a team leader.",
)
_s3 = _step(
    "Offer a replacement or a refund",
    "If the item is in stock, offer a replacement first. Otherwise refund the item price with "
    "reason code `DMG-TRANSIT`.",
)
_s4 = _step(
    "Decide whether the item must come back",
    "Items under **£30** do not need to be returned: tell the customer to recycle them. Above "
    "that, book a free collection.",
)
_s4b = _step(
    "Decide whether the item must come back",
    "Items under **£40** do not need to be returned: tell the customer to recycle them. Above "
    "that, book a free collection.",
)
_s5 = _step(
    "Log the carrier claim",
    "Tick **Carrier damage** on the order so the claim goes to the carrier automatically.",
)
ITEMS.append(_item(
    "guide", "delivery-damaged", "Handle a damaged parcel report", "handle-a-damaged-parcel-report",
    ["damaged", "refund", "replacement"], 90,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Photo upload link changed to help.example.com/damage", _intro, steps=[_s1b, _s2, _s3, _s4, _s5]),
        _rev("Raised the no-return threshold from £30 to £40", _intro, steps=[_s1b, _s2, _s3, _s4b, _s5]),
    ],
))

# Open a lost parcel investigation ------------------------------------------
_intro = ""
_s1 = _step(
    "Check the parcel really is lost",
    "A parcel is treated as lost when there has been **no carrier scan for 5 working days**, "
    "or when the carrier marks it *Lost in network*.",
)
_s2 = _step(
    "Open the carrier claim",
    "Go to **carrier-claims.example.com**, choose *Missing parcel* and paste the tracking number. "
    "Copy the claim reference into the order notes.",
)
_s2b = _step(
    "Open the carrier claim",
    "Click **Open carrier claim** on the order screen (the separate claims website is no longer "
    "used). The claim reference is added to the order notes automatically.",
)
_s3 = _step(
    "Give the customer the reference",
    "Give the claim reference and explain that the carrier answers within **7 working days**.",
)
_s4 = _step(
    "Set a follow-up task",
    "Create a follow-up task for 7 working days so the customer does not need to call back.",
)
_s5 = _step(
    "Close the investigation",
    "When the carrier answers, reship the order if the item is in stock, or refund it with "
    "reason code `NDR-LOST`. Call or email the customer with the outcome.",
)
ITEMS.append(_item(
    "guide", "delivery-damaged", "Open a lost parcel investigation", "open-a-lost-parcel-investigation",
    ["lost-parcel", "carrier", "claim"], 90,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Carrier claims are now opened from the order screen; updated step 2",
             _intro, steps=[_s1, _s2b, _s3, _s4, _s5]),
    ],
))

# Verify a caller's identity ------------------------------------------------
_intro = (
    "Do this check **before** you give or change any information about an order or an account. "
    "It protects the customer and Acme (GDPR)."
)
_s1 = _step(
    "Ask for the name and a reference",
    "Ask for the account holder's full name and either the order number or the email address "
    "on the account.",
)
_s2 = _step(
    "Ask two security questions",
    "Choose two from the list on screen:\n\n- postcode of the billing address\n- date of birth\n"
    "- date of the last order\n\nNever ask for a password or a full card number.",
)
_s2b = _step(
    "Ask two security questions",
    "Choose two from the list on screen:\n\n- postcode of the billing address\n"
    "- total amount of the last order\n- date of the last order\n\n"
    "Never ask for a password or a full card number.",
)
_s3 = _step(
    "Handle a failed check",
    "If one answer is wrong, you may ask one more question. If the caller still fails, give "
    "only general information and suggest they log in to their account.",
)
_s3b = _step(
    "Check who you are speaking to",
    "If the caller says they call for someone else (a parent, a partner), you may speak to them "
    "only if the account shows an **Authorised contact** with their name. Otherwise, ask the "
    "account holder to join the call.",
)
_s4 = _step(
    "Record the result",
    "Tick **ID verified** in the contact record. Do not write the answers themselves in the notes.",
)
ITEMS.append(_item(
    "guide", "customer-account", "Verify a caller's identity", "verify-a-callers-identity",
    ["identity", "security-questions", "gdpr"], 180,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Replaced date of birth with the amount of the last order as a security question",
             _intro, steps=[_s1, _s2b, _s3, _s4]),
        _rev("Added a step for callers acting on behalf of someone else",
             _intro, steps=[_s1, _s2b, _s3, _s3b, _s4]),
    ],
))

# Handle a failed card payment ----------------------------------------------
_intro = "When a customer calls because their payment was declined or the order shows *Payment failed*."
_s1 = _step(
    "Read the payment status",
    "Open the **Payments** tab. The status is one of *Declined*, *3-D Secure failed* or "
    "*Pending*.",
)
_s2 = _step(
    "Explain the reason in plain words",
    "Do not read out bank codes. Say for example: *\"Your bank did not approve the payment. "
    "They are the only ones who can tell you why.\"*",
)
_s2b = _step(
    "Warn about pending authorisations",
    "A failed attempt can still show as *pending* on the customer's bank statement for up to "
    "7 days. Explain that it is not a charge and disappears on its own; do not refund it.",
)
_s3 = _step(
    "Send a payment link",
    "**Never take card details on the phone.** Click **Send payment link**: the customer pays on "
    "a secure page and can use another card.",
)
_s4 = _step(
    "Tell the customer how long the order is held",
    "The order is held for **48 hours**. After that it is cancelled automatically and the items "
    "go back into stock.",
)
_s4b = _step(
    "Tell the customer how long the order is held",
    "The order is held for **72 hours**. After that it is cancelled automatically and the items "
    "go back into stock.",
)
ITEMS.append(_item(
    "guide", "customer-account", "Handle a failed card payment", "handle-a-failed-card-payment",
    ["payment", "card", "declined"], 150,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Order hold extended from 48 to 72 hours", _intro, steps=[_s1, _s2, _s3, _s4b]),
        _rev("Added a warning about pending authorisations after failed attempts",
             _intro, steps=[_s1, _s2, _s2b, _s3, _s4b]),
    ],
))

# Handle a GDPR request -----------------------------------------------------
_intro = (
    "Customers may ask for a copy of their data, a correction or deletion. Agents **log** the "
    "request; the Acme privacy team answers it."
)
_s1 = _step(
    "Identify the type of request",
    "Ask what the customer wants:\n\n- **Access**: a copy of their data\n- **Rectification**: a "
    "correction\n- **Erasure**: deletion of their account and data",
)
_s2 = _step(
    "Verify the caller's identity",
    "Run the full check from *Verify a caller's identity*. A data request from an unverified "
    "caller is a data breach waiting to happen.",
)
_s3 = _step(
    "Log the request in the Privacy form",
    "Open **Backoffice > Privacy request** and choose the type. Do not promise any outcome on the "
    "phone.",
)
_s3b = _step(
    "Explain open orders before an erasure",
    "Accounts with an order not yet delivered or a return in progress cannot be erased straight "
    "away. Tell the customer the erasure starts once the last order is closed.",
)
_s4 = _step(
    "Give the deadline",
    "Tell the customer they will get an answer within **one calendar month**. The reference is "
    "emailed to them automatically.",
)
ITEMS.append(_item(
    "guide", "customer-account", "Log a GDPR data request", "log-a-gdpr-data-request",
    ["gdpr", "privacy", "data-request"], 180,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Added the erasure exception for open orders and returns",
             _intro, steps=[_s1, _s2, _s3, _s3b, _s4]),
    ],
))

# Log a formal complaint ----------------------------------------------------
_intro = "A complaint is any expression of dissatisfaction where the customer expects a response. When in doubt, log it."
_s1 = _step(
    "Listen without interrupting",
    "Let the customer explain everything. Take notes; do not argue with the facts at this stage.",
)
_s2 = _step(
    "Summarise the complaint back",
    "Repeat the complaint in one or two sentences and ask: *\"Have I understood correctly?\"*",
)
_s3 = _step(
    "Fix it now if you can",
    "If a guide lets you solve the problem during the call (refund, redelivery), do it and log "
    "the complaint as **Resolved at first contact**.",
)
_s4 = _step(
    "Log the complaint",
    "Open **Complaints > New**, choose the category and paste your summary. Attach the order.",
)
_s5 = _step(
    "Give the reference and the timescale",
    "Give the complaint reference. Acme acknowledges within 2 working days and sends a final "
    "answer within **15 working days**.",
)
_s5b = _step(
    "Give the reference and the timescale",
    "Give the complaint reference. Acme acknowledges within 2 working days and sends a final "
    "answer within **10 working days**.",
)
_s6 = _step(
    "Offer a callback",
    "Ask the customer whether they prefer the answer by email or by phone. For a phone answer, "
    "book a callback slot in the complaint.",
)
ITEMS.append(_item(
    "guide", "complaints-escalation", "Log a formal complaint", "log-a-formal-complaint",
    ["complaint", "escalation"], 180,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4, _s5]),
        _rev("Final answer deadline changed from 15 to 10 working days", _intro, steps=[_s1, _s2, _s3, _s4, _s5b]),
        _rev("Added a step to offer a callback", _intro, steps=[_s1, _s2, _s3, _s4, _s5b, _s6]),
    ],
))

# Escalate a call to a team leader ------------------------------------------
_intro = "Escalate when you cannot solve the problem yourself, not just because the customer asks for a manager."
_s1 = _step(
    "Check the call needs escalating",
    "Escalate for:\n\n- a refund or goodwill above your limit\n- a threat of legal action or "
    "press contact\n- a vulnerable customer at risk\n- abusive behaviour after one warning",
)
_s2 = _step(
    "Do a warm transfer",
    "Put the customer on hold, call your team leader and explain the case before transferring.",
)
_s2b = _step(
    "Do a warm transfer",
    "Tell the customer: *\"I'm going to bring in my team leader, who can help with this. I'll "
    "explain everything to them so you don't need to repeat yourself.\"* Then put them on hold "
    "and brief your team leader before you transfer.",
)
_s3 = _step(
    "Write the escalation note",
    "In the contact record, write what the customer wants, what you already offered and why you "
    "escalated.",
)
_s4 = _step(
    "If no team leader is available",
    "Promise a callback within **4 working hours** and create an escalation task. Never promise "
    "what the team leader will decide.",
)
ITEMS.append(_item(
    "guide", "complaints-escalation", "Escalate a call to a team leader", "escalate-a-call-to-a-team-leader",
    ["escalation", "team-leader"], 180,
    [
        _rev("First version", _intro, steps=[_s1, _s2, _s3, _s4]),
        _rev("Reworded step 2 with the warm transfer script", _intro, steps=[_s1, _s2b, _s3, _s4]),
    ],
))


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------

# Refund policy overview ----------------------------------------------------
_v1 = """Acme Parcels refunds customers quickly and without arguing when the fault is ours or the carrier's. This page explains what can be refunded, how long it takes and what you can decide on your own.

## What can be refunded

- **Items returned** within 30 days of delivery, unused and in their original packaging.
- **Items that never arrived** once the parcel is confirmed lost (see *Refund a parcel that never arrived*).
- **Damaged or faulty items**, reported within 14 days of delivery.
- **Delivery fees** when the whole order is returned, or when a Next Day order arrives late.

Personalised items, opened hygiene products and digital gift cards cannot be refunded unless they are faulty.

## How long refunds take

Refunds always go back to the original payment method. Our system sends the refund within 24 hours; the delay the customer sees depends on their bank.

| Payment method | Customer sees the refund |
|---|---|
| Debit or credit card | 3-5 working days |
| PayPal | Within 24 hours |
| Acme gift card | Immediately |
| Pay in 3 instalments | 5-7 working days, remaining instalments cancelled |

### Partial refunds

When only some items of an order come back, refund only those items. The delivery fee stays with us unless the whole order is returned.

### Refunds to another account

Never refund to a card or bank account given on the phone, even if the original card has expired. The bank forwards refunds made to an expired card to the new card automatically.

## Goodwill gestures

You may offer a goodwill gesture of up to **£10** as an Acme gift card, once per customer per year, when the experience was clearly poor but no refund rule applies. Anything above needs a team leader.

## What to say

Explain the delay in plain words: *"The refund leaves us today. Depending on your bank, it can take three to five working days to appear."* Never promise a specific day."""
_v2 = _edit(_v1, "| Pay in 3 instalments | 5-7 working days, remaining instalments cancelled |",
            "| Pay in 3 instalments | 5-7 working days, remaining instalments cancelled |\n"
            "| Bank transfer (business accounts) | 2-3 working days |")
_v3 = _edit(_v2, "of up to **£10** as an Acme gift card", "of up to **£15** as an Acme gift card")
ITEMS.append(_item(
    "article", "refunds", "Refund policy overview", "refund-policy-overview",
    ["refund", "policy", "goodwill"], 180,
    [
        _rev("First version", _v1),
        _rev("Added refund timing for bank transfers (business accounts)", _v2),
        _rev("Goodwill limit raised from £10 to £15", _v3),
    ],
))

# Marketplace orders explained ----------------------------------------------
_v1 = """About a third of the orders on acme-parcels.example.com are sold by **marketplace sellers**: independent shops that use our website but ship from their own warehouses. Customers rarely notice the difference, so agents must.

## How to recognise a marketplace order

- The order number starts with `MP-` instead of `AC-`.
- The order screen shows **Sold by** followed by the seller's name.
- The tracking number comes from the seller's carrier, which may not be one of ours.

An order can mix Acme items and marketplace items. In that case the order is split: each part has its own number and its own rules.

## Who does what

| Topic | Acme order | Marketplace order |
|---|---|---|
| Delivery date | Acme | Seller |
| Returns address | Acme returns centre | Seller's address |
| Refund | Acme | Seller, then Acme Guarantee |
| Product questions | Acme | Seller, through messages |
| Complaints | Acme | Acme, with seller input |

## The Acme Guarantee

If a seller does not answer a refund request in time, or refuses a refund the customer is entitled to, Acme refunds the customer and recovers the money from the seller. The customer never has to chase the seller twice.

### What the guarantee covers

- items that never arrived
- items significantly different from the description
- faulty items reported within 30 days

### What it does not cover

- change-of-mind returns when the seller's listing says they accept none
- items bought outside our website, even from the same seller

## What agents must not do

- Do not give the customer the seller's phone number: sellers are contacted only through messages.
- Do not promise a delivery date for a marketplace order. Only the seller can give one.
- Do not refund a marketplace order as if it were an Acme order: the money cannot be recovered from the seller afterwards."""
_v2 = _edit(_v1, "- faulty items reported within 30 days",
            "- faulty items reported within 30 days\n\nThe guarantee covers up to **£1,000** per order. "
            "Above that, the claim is reviewed by the Acme marketplace team within 5 working days.")
ITEMS.append(_item(
    "article", "refunds-marketplace", "Marketplace orders explained", "marketplace-orders-explained",
    ["marketplace", "seller", "guarantee"], 90,
    [
        _rev("First version", _v1),
        _rev("Added the £1,000 Acme Guarantee limit per order", _v2),
    ],
))

# Delivery options and cut-off times ----------------------------------------
_v1 = """This page lists the delivery services customers can choose at checkout, their prices and the cut-off times that decide when an order leaves the warehouse.

## Delivery services

| Service | Delivery time | Price | Order by |
|---|---|---|---|
| Standard | 3-5 working days | £3.99, free over £40 | any time |
| Next Day | next working day | £4.99 | 20:00 |
| Named Day | the day the customer picks | £6.99 | 20:00 the day before |
| Click & Collect | 2-4 working days | free | any time |

Working days are Monday to Friday, excluding bank holidays in England and Wales.

## Cut-off times

The **order by** time is UK time, not Mauritius time. Mauritius is 3 or 4 hours ahead depending on British summer time: check the clock in the agent toolbar, not your watch.

An order placed after the cut-off is treated as placed the next working day. A Next Day order placed on Friday at 21:00 is delivered on Tuesday, not Monday.

## Remote postcodes

Some postcodes need one or two extra days, whatever the service:

- Scottish Highlands and islands (postcodes starting with HS, IV, KW, ZE)
- Isle of Man and Isles of Scilly
- Northern Ireland (BT)

Next Day and Named Day are not offered for these postcodes at checkout. If a customer says they paid for Next Day to one of them, escalate to a team leader: it is a website error and the fee is refunded.

## Bank holidays and peak periods

### Bank holidays
No deliveries on bank holidays. Deliveries due on a bank holiday move to the next working day.

### Black Friday and December
From mid-November to Christmas, add one working day to Standard delivery. The website shows the adjusted dates, so the promised date on the order screen is always the one to use.

## What to tell customers

Always quote the promised date shown on the order, never the general delivery time from this table. The order screen already takes cut-off times, remote postcodes and bank holidays into account."""
_v2 = _edit(_v1, "| Next Day | next working day | £4.99 | 20:00 |", "| Next Day | next working day | £4.99 | 21:00 |")
_v2 = _edit(_v2, "A Next Day order placed on Friday at 21:00", "A Next Day order placed on Friday at 22:00")
ITEMS.append(_item(
    "article", "delivery", "Delivery options and cut-off times", "delivery-options-and-cut-off-times",
    ["delivery", "cut-off", "next-day"], -60,
    [
        _rev("First version", _v1),
        _rev("Next Day cut-off moved from 20:00 to 21:00", _v2),
    ],
))

# Damaged parcels: what counts and who pays ---------------------------------
_v1 = """Not every complaint about a parcel's condition is a damage claim. This page helps you decide quickly, so the customer gets a fair answer and the carrier pays when it should.

## What counts as damage

- The item is **broken, cracked, dented or scratched** in a way the customer did not cause.
- The item **does not work** on arrival and the box shows signs of impact.
- Parts are **missing** and the box was opened or torn.

A crushed box with an intact item is **not** damage. Apologise, log it as *Packaging feedback* and do not refund.

## Evidence we need

We need two photos: one of the outer box and one of the damaged item. Customers send them through the upload link we text them. Without photos, you cannot refund: log the case and tell the customer the refund will follow once the photos arrive.

### Large and fragile items

Furniture, TVs and glass items are delivered by a two-person team. The customer signs a delivery sheet, which may say *delivered unchecked*. That is fine: customers have 14 days to report damage, even if they signed.

## Who pays

| Situation | Who pays | What you do |
|---|---|---|
| Damage in transit, photos received | Carrier | Refund or replace, tick *Carrier damage* |
| Faulty item, box intact | Manufacturer, through Acme | Refund or replace, reason `FAULTY` |
| Damage caused by the customer | Nobody | Explain kindly, offer repair partners |
| Marketplace item | Seller | Follow the marketplace refund guide |

## Replacement or refund?

Offer a replacement first when the item is in stock: customers usually still want the product. If the customer prefers a refund, do not insist.

## Patterns to report

If the same product arrives damaged three times in a week, tell your team leader. It often means the packaging is wrong, and Acme can fix it at the warehouse."""
_v2 = _edit(_v1, "## Replacement or refund?",
            "### Sets and multi-part items\n\n"
            "When only one part of a set is damaged (one plate of a dinner set, one chair of four), "
            "replace or refund **only that part** if it is sold separately. If it is not, treat the "
            "whole set as damaged.\n\n## Replacement or refund?")
ITEMS.append(_item(
    "article", "delivery-damaged", "Damaged parcels: what counts and who pays", "damaged-parcels-what-counts-and-who-pays",
    ["damaged", "carrier", "evidence"], 90,
    [
        _rev("First version", _v1),
        _rev("Added a section on partially damaged sets", _v2),
    ],
))

# Identity and data protection rules ----------------------------------------
_v1 = """Helios Contact agents handle personal data on behalf of Acme Parcels. Under the GDPR, Acme is the data controller and Helios Contact the processor: a mistake by an agent is a breach Acme must answer for. These rules apply to every call, email and chat.

## Before you say anything

- **Verify the caller** with *Verify a caller's identity* before you confirm that an account even exists.
- Speak only to the account holder or an **authorised contact** recorded on the account.
- If the caller fails the check, stay polite and give only general information.

## What never to do

- Never read out a full address, email address or phone number: ask the customer to say it and confirm it matches.
- Never ask for or write down a **full card number**, a CVV or a password.
- Never write personal data (health, family situation) in free-text notes unless it is needed to help the customer, and then only the fact, not the story.
- Never send personal data to a personal email address or messaging app.

## Call recording

All calls are recorded. Recording pauses automatically when the customer pays through the secure payment page. If a customer asks whether the call is recorded, say yes and explain that recordings are kept for 90 days.

## Your workstation

- Lock your screen (Windows + L) every time you leave your desk.
- Paper and pens are not allowed on the floor; use the notes field.
- Do not use screen-sharing tools other than the one provided by Helios.

## If something goes wrong

If you sent information to the wrong person, or think you did, tell your team leader **immediately**. Acme has 72 hours to report certain breaches to the regulator, so minutes matter. Nobody is punished for reporting their own mistake quickly.

### Contact

The Acme data protection officer can be reached at privacy@example.com. Customers who want to exercise their rights should be helped with *Log a GDPR data request*, not sent to this address."""
_v2 = _edit(_v1, "- Do not use screen-sharing tools other than the one provided by Helios.",
            "- Do not use screen-sharing tools other than the one provided by Helios.\n"
            "- Never take screenshots of customer screens, and never use a personal phone on the floor.")
_v3 = _edit(_v2, "can be reached at privacy@example.com", "can be reached at dpo@example.com")
ITEMS.append(_item(
    "article", "customer-account", "Identity and data protection rules for agents", "identity-and-data-protection-rules-for-agents",
    ["gdpr", "identity", "privacy"], 180,
    [
        _rev("First version", _v1),
        _rev("Added the rule on screenshots and personal phones", _v2),
        _rev("Updated the data protection officer's address", _v3),
    ],
))

# Supporting vulnerable customers -------------------------------------------
_v1 = """Some customers need more time, more patience or a different way of being helped. Recognising this is part of good service and part of Acme's commitments.

## Signs to listen for

A customer may be vulnerable for a short time or permanently. Listen for:

- difficulty understanding or remembering what you said
- mentions of illness, a disability, a hospital stay or a recent loss
- financial distress: *"I can't afford this"*, *"this was my last money"*
- a third party speaking for them, or a very confused call
- distress, crying or anger that seems out of proportion

You do not need proof and you must not ask for a diagnosis.

## What to do during the call

1. **Slow down.** Use short sentences and check understanding.
2. **Offer options**, for example a callback at a better time or contact by email.
3. **Do not pressure** the customer into any decision, even a refund.
4. **Ask permission** to note that they need extra support: *"Would it help if I made a note so my colleagues know to give you a bit more time?"*

## The Extra care flag

With the customer's consent, tick **Extra care** on the account and choose a short reason (for example *Hearing*, *Memory*, *Financial*). Do not write details. The flag gives the customer longer call times and priority callbacks.

### Without consent

If the customer does not consent, do not set the flag. Help them as well as you can during this call.

## When to escalate

Escalate to your team leader straight away if the customer mentions harming themselves or is in danger. Stay on the line while the team leader joins. Helios team leaders have the emergency procedure.

## Third parties

A relative or carer can be added as an **authorised contact** only by the customer themselves. Until then, be kind but do not share order details."""
_v2 = _edit(_v1, "## Third parties",
            "## Bereavement\n\nWhen someone calls about a customer who has died, express your condolences "
            "first. Cancel open orders and subscriptions without asking for a death certificate, and "
            "tick **Bereavement** so no more marketing is sent. Refunds go to the original card; if it "
            "has been closed, escalate to a team leader.\n\n## Third parties")
ITEMS.append(_item(
    "article", "customer-account", "Supporting vulnerable customers", "supporting-vulnerable-customers",
    ["vulnerable-customers", "extra-care", "bereavement"], 180,
    [
        _rev("First version", _v1),
        _rev("Added a section on bereavement calls", _v2),
    ],
))

# Phrases to use on the phone -----------------------------------------------
_v1 = """These phrases are approved by Acme's brand team. Use them as they are or adapt them to your own voice; what matters is the tone: warm, clear, no jargon.

## Opening the call

- *"Thank you for calling Acme Parcels, my name is [first name]. How can I help you today?"*
- *"Before we start, I just need to ask you a couple of security questions."*

## Putting a customer on hold

Always ask first and give a time:

- *"May I put you on hold for about two minutes while I check this with the carrier?"*
- Coming back: *"Thank you for waiting. Here is what I found."*

Never leave a customer on hold for more than three minutes without coming back to them.

## Giving bad news

- *"I understand this is not the answer you hoped for. Here is what I can do."*
- *"I'm sorry, I can't change the address now because the parcel is already out for delivery. What I can do is..."*

Always follow bad news with something you **can** do.

## Phrases to avoid

| Avoid | Say instead |
|---|---|
| "That's not my department." | "Let me find the right person for this." |
| "You have to..." | "The quickest way is to..." |
| "Calm down." | "I can hear this has been really frustrating." |
| "It's the carrier's fault." | "I'm sorry, the parcel has been delayed." |
| "I don't know." | "Let me check that for you." |

## Closing the call

- *"Is there anything else I can help you with today?"*
- *"Thank you for calling Acme Parcels, have a lovely day."*

### Summarise before you close

Before saying goodbye, repeat what will happen next and when: *"So the refund of £24.99 leaves us today, and you'll see it within five working days."*"""
_v2 = _edit(_v1, "*\"Thank you for calling Acme Parcels, my name is [first name]. How can I help you today?\"*",
            "*\"Hello, you're through to Acme Parcels, this is [first name]. What can I do for you today?\"*")
_v3 = _edit(_v2, "## Closing the call",
            "## Ending an abusive call\n\nGive one warning: *\"I want to help you, but I can't continue if you "
            "keep using that language.\"* If it continues: *\"I'm going to end the call now. You're welcome "
            "to call us back.\"* Then hang up and tell your team leader.\n\n## Closing the call")
ITEMS.append(_item(
    "article", "complaints-escalation", "Phrases to use on the phone", "phrases-to-use-on-the-phone",
    ["script", "phone", "tone"], 180,
    [
        _rev("First version", _v1),
        _rev("Replaced the opening greeting after the brand review", _v2),
        _rev("Added phrases for ending abusive calls", _v3),
    ],
))

# Escalation paths and response times ---------------------------------------
_v1 = """Most calls are solved by the agent. When they are not, this page says who takes over and how fast they must answer.

## The four levels

| Level | Who | When | Response time |
|---|---|---|---|
| 1 | Helios agent | Every call | During the call |
| 2 | Helios team leader | Above agent limits, abusive callers, vulnerable customers | Callback within 4 working hours |
| 3 | Acme Customer Care team | Above team leader limits, legal threats, press | 24 working hours |
| 4 | Acme Complaints Manager | Complaints unresolved after level 3 | 5 working days |

## Limits per level

### Agents
- refunds following a guide, any amount the guide allows
- goodwill gestures up to the limit in *Refund policy overview*

### Team leaders
- goodwill gestures up to £50
- refunds outside a guide up to £250
- exceptions to return windows

### Acme Customer Care
Everything else, including legal threats, data breaches and claims above £250.

## How to escalate to Acme

Only team leaders escalate to level 3, through the **Escalate to Acme** button on the complaint. Agents never email Acme staff directly, even if they know them.

Each escalation must include:

- what the customer wants, in one sentence
- what has already been offered
- why it is above Helios limits

## Urgent cases

Three situations skip the queue and go straight to level 3 by phone (the number is in the team leaders' handbook):

1. a customer threatening legal action or press contact **and** a deadline
2. a suspected data breach
3. a safety issue with a product (fire, electric shock, injury)

## Telling the customer

Always tell the customer which level now handles their case and the response time from the table. Do not give Acme staff names."""
_v2 = _edit(_v1, "| 3 | Acme Customer Care team | Above team leader limits, legal threats, press | 24 working hours |",
            "| 3 | Acme Customer Care team | Above team leader limits, legal threats, press | 8 working hours |")
ITEMS.append(_item(
    "article", "complaints-escalation", "Escalation paths and response times", "escalation-paths-and-response-times",
    ["escalation", "sla", "complaint"], 180,
    [
        _rev("First version", _v1),
        _rev("Level 3 response time reduced from 24 to 8 working hours", _v2),
    ],
))

# Confidential: cost per contact --------------------------------------------
_v1 = """> **Confidential: Acme staff only.** This page must never be shared with Helios Contact or quoted to customers.

## What Helios charges us

The contract with Helios Contact (renewed in January) bills per handled contact. Prices are in GBP, excluding VAT.

| Channel | Price per contact | Average handling time | Monthly volume (Q1) |
|---|---|---|---|
| Phone | £3.40 | 6 min 10 s | 41,200 |
| Email | £2.10 | 4 min 30 s | 18,900 |
| Chat | £1.80 | 7 min 40 s | 12,300 |
| Callback | £3.90 | 5 min 20 s | 2,100 |

Total Q1 monthly average: about **£206,000**.

## Our internal cost per contact

Adding our own overheads (Acme Customer Care team, tools, telephony, quality monitoring), the fully loaded cost per phone contact is **£5.15**. The in-house team in Leeds costs **£7.80** per phone contact, which is why volume moves to Helios year after year.

## Where the money goes

- **Where is my order?** calls are 34% of phone volume. Each one avoided through proactive tracking emails saves about £3.40.
- **Repeat contacts** (same customer, same issue, within 7 days) are 12% of volume. The target is 8% by year end.
- **Escalations to level 3** cost us about £18 each in Acme staff time.

## Targets and bonus

### Quality bonus

The contract includes a quality bonus of up to 3% of the monthly invoice when:

- first contact resolution is above 78%
- customer satisfaction is above 4.3 out of 5
- fewer than 2% of calls are abandoned

### Negotiation

We do not tell Helios the internal cost figures above when negotiating the bonus thresholds."""
_v2 = _edit(_v1, "| Monthly volume (Q1) |", "| Monthly volume (Q2) |")
_v2 = _edit(_v2, "| Phone | £3.40 | 6 min 10 s | 41,200 |\n| Email | £2.10 | 4 min 30 s | 18,900 |\n| Chat | £1.80 | 7 min 40 s | 12,300 |\n| Callback | £3.90 | 5 min 20 s | 2,100 |",
            "| Phone | £3.40 | 6 min 05 s | 39,800 |\n| Email | £2.10 | 4 min 25 s | 17,600 |\n| Chat | £1.65 | 7 min 10 s | 15,900 |\n| Callback | £3.90 | 5 min 20 s | 2,400 |")
_v2 = _edit(_v2, "Total Q1 monthly average: about **£206,000**.", "Total Q2 monthly average: about **£201,000**.")
ITEMS.append(_item(
    "article", "internal-costs", "Cost per contact and Helios billing", "cost-per-contact-and-helios-billing",
    ["internal", "costs", "contract"], 365,
    [
        _rev("First version (Q1 figures)", _v1),
        _rev("Updated with Q2 volumes and the new chat rate of £1.65", _v2),
    ],
))

# Confidential: margins and goodwill budget ---------------------------------
_v1 = """> **Confidential: Acme staff only.** Do not share with Helios Contact. Helios sees only the goodwill limits in the public refund policy.

## Gross margin by category

| Category | Gross margin | Average order value | Return rate |
|---|---|---|---|
| Home and kitchen | 38% | £46 | 6% |
| Fashion | 52% | £58 | 24% |
| Electronics | 14% | £172 | 9% |
| Garden | 33% | £61 | 5% |
| Toys | 29% | £34 | 4% |

Electronics has the lowest margin: a single £50 goodwill gesture wipes out the profit of an average electronics order.

## Cost of a return

A return costs us on average **£7.20** (carrier label, inspection, repackaging). Fashion returns cost less (£5.10) because most items go straight back to stock.

### No-return refunds

A *no-return refund* (the customer keeps a damaged item) is cheaper than a collection when the item is worth less than the collection cost plus handling: that is why the threshold in the damaged parcel guide sits at about £30-£40.

## Monthly goodwill budget

The goodwill budget covers gift cards and fee refunds given without a policy reason.

| Category | Monthly budget | Spent last month |
|---|---|---|
| Home and kitchen | £6,000 | £5,420 |
| Fashion | £4,000 | £3,180 |
| Electronics | £3,500 | £4,010 |
| Other | £2,500 | £1,960 |

## Decisions

- The agent goodwill limit stays low on purpose: most of the budget is spent by team leaders on cases that really need it.
- Electronics overspent again. Team leaders must check with Acme Customer Care before any electronics goodwill above £25.
- Carrier claims recovered £21,300 last quarter, about 61% of what we refunded for lost and damaged parcels."""
_v2 = _edit(_v1, "| Electronics | £3,500 | £4,010 |", "| Electronics | £2,800 | £4,010 |")
_v2 = _edit(_v2, "- Electronics overspent again.", "- Electronics overspent again; its budget drops from £3,500 to £2,800 from next month.")
ITEMS.append(_item(
    "article", "internal-costs", "Margins and goodwill budget by category", "margins-and-goodwill-budget-by-category",
    ["internal", "margins", "goodwill"], 365,
    [
        _rev("First version", _v1),
        _rev("Lowered the electronics goodwill budget from £3,500 to £2,800", _v2),
    ],
))

# Confidential: internal escalation phone list ------------------------------
_v1 = """> **Confidential: Acme staff only.** These numbers bypass the normal escalation process. Never give them to Helios agents or to customers. Helios team leaders have only the level 3 number in their handbook.

## Who to call

| Role | Name | Phone | When |
|---|---|---|---|
| Head of Customer Care | Priya Rowntree | +44 20 0000 0101 | Major incidents, press |
| Customer Care duty manager | rotating | +44 20 0000 0102 | Evenings and weekends |
| Data protection officer | Martin Okafor | +44 20 0000 0103 | Suspected data breach |
| Carrier account manager | Sophie Lambert | +44 20 0000 0104 | Carrier outage, mass delays |
| Warehouse shift lead (Daventry) | on duty | +44 20 0000 0105 | Urgent stop requests, safety |
| Helios account director | Jean-Marc Labonne | +230 000 0106 | Contract or staffing issues |

## Out of hours

The duty manager phone is carried by one person each week. If nobody answers within 15 minutes, call the Head of Customer Care on her mobile, **+44 7000 000 107**.

### When the mobile may be used

Only for:

1. a suspected data breach
2. a product safety issue
3. a website or payment outage affecting all customers

## Email aliases

- customer-care-leads@example.com: Acme Customer Care managers
- incident@example.com: opens an incident ticket and pages the on-call engineer

## Keeping this page up to date

The Head of Customer Care reviews this list every quarter and after any change of role."""
_v2 = _edit(_v1, "| Carrier account manager | Sophie Lambert | +44 20 0000 0104 | Carrier outage, mass delays |",
            "| Carrier account manager | Daniel Whitcombe | +44 20 0000 0108 | Carrier outage, mass delays |")
ITEMS.append(_item(
    "article", "internal-costs", "Internal escalation phone list", "internal-escalation-phone-list",
    ["internal", "escalation", "contacts"], -5,
    [
        _rev("First version", _v1),
        _rev("New carrier account manager (Sophie Lambert left)", _v2),
    ],
))


# ---------------------------------------------------------------------------
# FAQs
# ---------------------------------------------------------------------------

# Refund questions ----------------------------------------------------------
_intro = "Quick answers to the refund questions customers ask most."
_q1 = _qa("How long does a refund take?",
          ["When will I get my money back?", "refund delay", "refund not received"],
          "We send the refund within 24 hours. Cards take **3-5 working days** to show it, PayPal about 24 hours, gift cards are immediate.")
_q2 = _qa("Can I get the refund on a different card?",
          ["refund to another card", "my card has expired"],
          "No. Refunds always go to the original payment method. If the card has expired, the bank passes the refund on to the new card.")
_q3 = _qa("Why was my delivery fee not refunded?",
          ["delivery charge not refunded", "shipping fee refund"],
          "The delivery fee is refunded only when the **whole order** is returned, or when a Next Day order arrived late.")
_q4 = _qa("Why did I get only part of my money back?",
          ["partial refund", "refund amount wrong"],
          "Either only some items were returned, or the returns centre marked an item as *Used*, which is refunded at 50%. The email RET-02 lists each item.")
_q5 = _qa("I paid in 3 instalments. What happens to the next payments?",
          ["pay in 3 refund", "instalments after return"],
          "The remaining instalments are cancelled and what was already paid is refunded within 5-7 working days.")
_q5b = _qa("I paid in 3 instalments. What happens to the next payments?",
           ["pay in 3 refund", "instalments after return", "pay later refund"],
           "For a full refund, the remaining instalments are cancelled and what was already paid is refunded within 5-7 working days. For a partial refund, the refund is taken off the **last** instalments first.")
_q6 = _qa("Can I get a refund as a gift card instead?",
          ["refund as voucher", "store credit"],
          "Yes, if the customer asks. Gift card refunds are immediate. This cannot be reversed afterwards, so confirm before you do it.")
ITEMS.append(_item(
    "faq", "refunds", "Refund questions", "refund-questions",
    ["refund", "faq"], 180,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added a question on Pay in 3 instalments", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
        _rev("Explained partial refunds for Pay in 3; added gift card refunds", _intro, faqs=[_q1, _q2, _q3, _q4, _q5b, _q6]),
    ],
))

# Order cancellation questions ----------------------------------------------
_intro = ""
_q1 = _qa("Can I cancel my order?",
          ["cancel order", "I don't want it anymore", "stop my order"],
          "Yes, free of charge until it is dispatched. Check the status and follow *Cancel an order before dispatch*.")
_q2 = _qa("My order is already dispatched. Can I still cancel?",
          ["cancel after dispatch", "too late to cancel"],
          "Not as such, but the customer can refuse the parcel at the door or return it for free within 30 days. The refund follows once it is back.")
_q3 = _qa("Can I cancel only one item of my order?",
          ["remove an item", "partial cancellation"],
          "Yes, as long as that item is *Awaiting dispatch*. Use **Cancel items** on the order and tick only that item.")
_q4 = _qa("When will I be refunded for a cancelled order?",
          ["refund after cancellation", "cancelled order refund"],
          "Within 24 hours from us; the bank may take 3-5 working days to show it. If the payment was only authorised, the authorisation simply disappears.")
_q5 = _qa("Can I change my order instead of cancelling it?",
          ["change size", "modify order", "change colour"],
          "We cannot modify an order once it is placed. Cancel it (if still possible) and ask the customer to place a new one.")
ITEMS.append(_item(
    "faq", "refunds", "Order cancellation questions", "order-cancellation-questions",
    ["cancellation", "faq"], 180,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added a question on changing an order", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Marketplace seller questions ----------------------------------------------
_intro = "Questions about orders sold by marketplace sellers (order numbers starting with MP-)."
_q1 = _qa("Who do I contact about a marketplace order?",
          ["contact seller", "seller phone number"],
          "The seller, through **Messages** in the customer's account. We never give out sellers' phone numbers.")
_q2 = _qa("The seller is not answering. What can I do?",
          ["seller not responding", "no answer from seller"],
          "If the response window has passed, Acme steps in with the Acme Guarantee. Follow *Refund a marketplace order*.")
_q3 = _qa("Where do I send a marketplace return?",
          ["return address marketplace", "return to seller"],
          "To the seller's address shown in the return form, not to the Acme returns centre. Items sent to Acme by mistake are forwarded, which adds 7-10 days.")
_q4 = _qa("Why is my delivery date different from Acme's?",
          ["marketplace delivery time", "seller delivery late"],
          "Marketplace sellers ship from their own warehouses and set their own delivery times. Only the seller can give a new date.")
_q5 = _qa("Is my marketplace order covered if something goes wrong?",
          ["marketplace guarantee", "is it safe to buy from sellers"],
          "Yes. The Acme Guarantee covers items that never arrive, items very different from the description and faulty items, up to £1,000 per order.")
ITEMS.append(_item(
    "faq", "refunds-marketplace", "Marketplace seller questions", "marketplace-seller-questions",
    ["marketplace", "seller", "faq"], 90,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added a question on the Acme Guarantee", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Delivery delay questions --------------------------------------------------
_intro = "Use these answers with *Handle a delivery delay call*."
_q1 = _qa("My parcel is late. Where is it?",
          ["where is my order", "parcel late", "wismo"],
          "Check the tracking for the last scan. If the last scan is less than 5 working days old, the parcel is on its way: give the carrier's new estimate.")
_q2 = _qa("I paid for Next Day and it didn't arrive. Do I get my money back?",
          ["next day late refund", "paid for next day"],
          "Yes, the £4.99 delivery fee is refunded with reason code `DLV-LATE`. The items themselves are still on their way.")
_q3 = _qa("Can you send another parcel while I wait?",
          ["resend order", "send a new one"],
          "Not while the first parcel is still moving. If it is declared lost, we reship or refund.")
_q4 = _qa("Why is my delivery taking longer in December?",
          ["christmas delivery", "black friday delay"],
          "From mid-November to Christmas, Standard delivery takes one extra working day. The promised date on the order already includes it.")
_q5 = _qa("Can the carrier deliver at a specific time?",
          ["delivery time slot", "deliver in the morning"],
          "No time slots for Standard or Next Day. The carrier sends a one-hour window by SMS on the morning of delivery.")
_q5b = _qa("Can the carrier deliver at a specific time?",
           ["delivery time slot", "deliver in the morning"],
           "No time slots for Standard or Next Day. The carrier sends a one-hour window by SMS on the morning of delivery, and the customer can then choose a safe place or a neighbour from the link.")
ITEMS.append(_item(
    "faq", "delivery", "Delivery delay questions", "delivery-delay-questions",
    ["delivery", "delay", "faq"], 120,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
        _rev("Time slot answer now mentions choosing a safe place from the SMS link", _intro, faqs=[_q1, _q2, _q3, _q4, _q5b]),
    ],
))

# Tracking questions --------------------------------------------------------
_intro = ""
_q1 = _qa("My tracking hasn't updated for days. Is that normal?",
          ["tracking not updating", "tracking stuck"],
          "Up to 2 working days without a scan is normal on long routes. After 5 working days without a scan, the parcel is treated as lost.")
_q2 = _qa("Tracking says delivered but I don't have it.",
          ["delivered but not received", "marked as delivered"],
          "Check the delivery photo or neighbour name in the tracking. Ask the customer to check their safe place and neighbours, then follow *Refund a parcel that never arrived* if it is still missing after 24 hours.")
_q3 = _qa("Where do I find my tracking number?",
          ["tracking number", "tracking link"],
          "In the dispatch email and in **My orders** on the website. You can also resend the dispatch email from the order screen.")
_q4 = _qa("Why do I have two tracking numbers?",
          ["two parcels", "order split", "multiple tracking numbers"],
          "The order was sent in several parcels, for example because an item ships from a marketplace seller or another warehouse. Each parcel has its own tracking.")
_q5 = _qa("The tracking says \"held at depot\". What does it mean?",
          ["held at depot", "parcel at depot"],
          "The carrier could not deliver (address problem or nobody home for a signature). The customer can book redelivery or collect it from the depot within 7 days.")
ITEMS.append(_item(
    "faq", "delivery", "Tracking questions", "tracking-questions",
    ["tracking", "delivery", "faq"], 120,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added the \"held at depot\" status", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Damaged and lost parcel questions -----------------------------------------
_intro = "Answers for customers whose parcel arrived damaged or never arrived."
_q1 = _qa("My item arrived broken. What do I do?",
          ["item broken", "damaged item", "arrived damaged"],
          "Send the customer the photo upload link and offer a replacement or a refund. See *Handle a damaged parcel report*.")
_q2 = _qa("Do I need to send the damaged item back?",
          ["return damaged item", "keep damaged item"],
          "Only if it is worth £30 or more. We book a free collection.")
_q2b = _qa("Do I need to send the damaged item back?",
           ["return damaged item", "keep damaged item"],
           "Only if it is worth £40 or more. We book a free collection.")
_q3 = _qa("The box was crushed but the item is fine. Can I get compensation?",
          ["box damaged", "crushed box"],
          "No refund, as the item is not damaged. Apologise and log it as *Packaging feedback*.")
_q4 = _qa("Something is missing from my parcel.",
          ["missing item", "item missing from box", "incomplete order"],
          "Check whether the order was split into several parcels. If not, ask for a photo of the opened box and follow the damaged parcel guide.")
_q5 = _qa("How long does a lost parcel investigation take?",
          ["carrier investigation", "lost parcel claim"],
          "The carrier answers within 7 working days. We follow up without the customer having to call back.")
ITEMS.append(_item(
    "faq", "delivery-damaged", "Damaged and lost parcel questions", "damaged-and-lost-parcel-questions",
    ["damaged", "lost-parcel", "faq"], 90,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("No-return threshold updated to £40; added lost parcel investigation", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))

# Payment questions ---------------------------------------------------------
_intro = ""
_q1 = _qa("Why was my payment declined?",
          ["card declined", "payment failed", "payment refused"],
          "Only the customer's bank knows. Suggest trying another card through a payment link; see *Handle a failed card payment*.")
_q2 = _qa("I've been charged twice.",
          ["double charge", "charged two times", "duplicate payment"],
          "Usually one of the two is a pending authorisation from a failed attempt, which disappears within 7 days. If both show as **Captured** in the Payments tab, refund the duplicate.")
_q3 = _qa("Can I pay over the phone?",
          ["pay by phone", "give card details"],
          "No. We never take card details on the phone. Send a secure payment link instead.")
_q4 = _qa("Which payment methods do you accept?",
          ["payment methods", "can I pay with paypal"],
          "Debit and credit cards (Visa, Mastercard, Amex), PayPal, Acme gift cards and Pay in 3 instalments for orders between £30 and £1,000.")
_q5 = _qa("My Pay in 3 application was refused.",
          ["pay in 3 refused", "instalments declined"],
          "The credit decision is made by our payment partner, not Acme. The customer can pay by card instead; we cannot override the decision.")
ITEMS.append(_item(
    "faq", "customer-account", "Payment questions", "payment-questions",
    ["payment", "card", "faq"], 150,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added the Pay in 3 refusal question", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Account and password questions --------------------------------------------
_intro = "Account access questions. Always verify the caller before changing anything."
_q1 = _qa("I forgot my password.",
          ["reset password", "can't log in", "forgot password"],
          "Send the reset link from the account screen. Never set a password for the customer or read one out.")
_q2 = _qa("How do I change my email address?",
          ["change email", "update email"],
          "The customer changes it in **My account > Details**. After an identity check, agents can change it too; a confirmation goes to both addresses.")
_q3 = _qa("My account is locked.",
          ["account locked", "too many attempts"],
          "Accounts lock for 30 minutes after 5 failed logins. After an identity check, you can unlock it with **Unlock account**.")
_q4 = _qa("How do I close my account?",
          ["delete account", "close account", "remove my account"],
          "Closing an account is an erasure request under the GDPR. Follow *Log a GDPR data request*.")
_q4b = _qa("How do I close my account?",
           ["delete account", "close account", "remove my account"],
           "Closing an account is an erasure request under the GDPR. Follow *Log a GDPR data request*. If the customer only wants to stop emails, unsubscribe them instead: no erasure needed.")
ITEMS.append(_item(
    "faq", "customer-account", "Account and password questions", "account-and-password-questions",
    ["account", "password", "faq"], -10,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Closing an account: added the option of unsubscribing only", _intro, faqs=[_q1, _q2, _q3, _q4b]),
    ],
))

# Data protection questions -------------------------------------------------
_intro = "What to answer when customers ask about their personal data."
_q1 = _qa("Why do you ask me security questions?",
          ["why security questions", "why do you need my postcode"],
          "To make sure we only discuss the account with its holder. It protects the customer's data, as required by the GDPR.")
_q2 = _qa("Can I get a copy of my data?",
          ["subject access request", "my data", "sar"],
          "Yes. Log an access request with *Log a GDPR data request*; the privacy team answers within one calendar month.")
_q3 = _qa("Is this call recorded?",
          ["call recording", "are you recording"],
          "Yes, for training and quality. Recordings are kept for 90 days and paused while the customer pays.")
_q4 = _qa("How did you get my phone number?",
          ["where did you get my number"],
          "From the customer's account or order. If they did not give it, log a data request and escalate to a team leader.")
_q5 = _qa("Can my husband call on my behalf?",
          ["someone calling for me", "authorised person", "third party"],
          "Only if the customer adds him as an **authorised contact** on the account. Until then we can only speak to the account holder.")
ITEMS.append(_item(
    "faq", "customer-account", "Data protection questions", "data-protection-questions",
    ["gdpr", "privacy", "faq"], 180,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Added the authorised contact question", _intro, faqs=[_q1, _q2, _q3, _q4, _q5]),
    ],
))

# Complaint questions -------------------------------------------------------
_intro = ""
_q1 = _qa("How do I make a complaint?",
          ["complain", "make a complaint", "file a complaint"],
          "The agent logs it during the call with *Log a formal complaint*. The customer does not need to write in.")
_q2 = _qa("How long will it take to get an answer?",
          ["complaint response time", "when will you reply"],
          "Acknowledgement within 2 working days, final answer within 15 working days.")
_q2b = _qa("How long will it take to get an answer?",
           ["complaint response time", "when will you reply"],
           "Acknowledgement within 2 working days, final answer within 10 working days.")
_q3 = _qa("I want to speak to a manager.",
          ["speak to manager", "supervisor", "your boss"],
          "Offer to help first. If the case is above your limits, follow *Escalate a call to a team leader*. Do not refuse outright.")
_q4 = _qa("Can I have compensation?",
          ["compensation", "goodwill", "voucher"],
          "Goodwill gestures are possible when the service was clearly poor; see the limits in *Refund policy overview*.")
_q5 = _qa("I'm not happy with the final answer. What now?",
          ["appeal complaint", "disagree with answer", "ombudsman"],
          "The customer can ask for a review by the Acme Complaints Manager (level 4). Log it as a follow-up on the same complaint.")
ITEMS.append(_item(
    "faq", "complaints-escalation", "Complaint questions", "complaint-questions",
    ["complaint", "escalation", "faq"], 180,
    [
        _rev("First version", _intro, faqs=[_q1, _q2, _q3, _q4]),
        _rev("Final answer deadline changed from 15 to 10 working days", _intro, faqs=[_q1, _q2b, _q3, _q4]),
        _rev("Added a question on reviewing a final answer", _intro, faqs=[_q1, _q2b, _q3, _q4, _q5]),
    ],
))
