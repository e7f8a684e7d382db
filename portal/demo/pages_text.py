"""The demo seller's pages, in French and English: (slug, footer position, titles, bodies)."""

N = "\u202f"  # French puts a narrow no-break space before : ; ? !

TERMS_FR = f"""Les présentes conditions s'appliquent à toute commande passée sur le portail par un
client professionnel.

## 1. Commandes

Une commande est ferme dès sa validation sur le portail{N}; elle peut attendre l'approbation
de votre responsable des achats selon les règles de votre entreprise.

## 2. Prix

Les prix sont ceux de votre tarif au moment de la commande, hors taxes, en euros. La TVA est
ajoutée au taux en vigueur.

## 3. Livraison

Délais indicatifs{N}: 24 à 72 heures pour les produits en stock. Les reliquats sont livrés
dès réception.

## 4. Paiement

Selon les conditions de votre compte (comptant, 30, 60 ou 90 jours). Tout retard entraîne
des pénalités au taux légal et une indemnité forfaitaire de 40 €.

## 5. Réclamations

Signalez toute avarie ou manquant sur le bon de livraison et dans les 48 heures depuis la
commande concernée.
"""

TERMS_EN = """These terms apply to every order a business customer places on the portal.

## 1. Orders

An order is binding once placed; it may wait for your purchasing manager's approval under
your company's rules.

## 2. Prices

Prices are those of your price list when you order, before tax, in euros. VAT is added at
the current rate.

## 3. Delivery

Indicative lead times: 24 to 72 hours for products in stock. Backorders follow as soon as
they arrive.

## 4. Payment

As your account's terms say (prepayment, 30, 60 or 90 days). Late payment bears interest at
the legal rate and a fixed €40 recovery fee.

## 5. Claims

Note any damage or shortage on the delivery note and tell us within 48 hours from the order.
"""

LEGAL_FR = f"""**Portail Pro SAS**, au capital de 50 000 €, RCS Lyon 123 456 789.

Siège{N}: 12 rue des Artisans, 69007 Lyon. TVA FR32123456789.

Directeur de la publication{N}: le président de Portail Pro SAS.

Hébergement{N}: sur les serveurs de l'entreprise, en France.
"""

LEGAL_EN = """**Portail Pro SAS**, share capital €50,000, RCS Lyon 123 456 789.

Registered office: 12 rue des Artisans, 69007 Lyon, France. VAT FR32123456789.

Publisher: the president of Portail Pro SAS.

Hosting: on the company's own servers, in France.
"""

DELIVERY_FR = f"""- **Commande avant 15 h**{N}: livrée le lendemain dans la métropole de Lyon.
- **Chantiers**{N}: précisez le créneau, le contact et l'accès (grue, portail) à la commande.
- **Franco de port** dès 500 € HT{N}; en dessous, 25 € HT par livraison.
- **Retrait** en agence à Lyon, Grenoble ou Saint-Étienne, dès 7 h.
"""

DELIVERY_EN = """- **Ordered before 3 pm**: delivered the next day around Lyon.
- **Jobsites**: give the delivery window, site contact and access (crane, gate) when ordering.
- **Free delivery** from €500 before tax; below that, €25 per delivery.
- **Collection** from our Lyon, Grenoble or Saint-Étienne branches, from 7 am.
"""

CONTACT_FR = f"""Service clients{N}: [04 72 00 00 00](tel:+33472000000), du lundi au vendredi,
de 7 h à 18 h.

Courriel{N}: [commandes@portail.example](mailto:commandes@portail.example)

Votre commercial vous rappelle dans la journée.
"""

CONTACT_EN = """Customer service: 04 72 00 00 00 — Monday to Friday, 7 am to 6 pm.

E-mail: [commandes@portail.example](mailto:commandes@portail.example)

Your sales rep calls you back the same day.
"""

PAGES = [
    ("terms", 1, "Conditions générales de vente", "Terms of sale", TERMS_FR, TERMS_EN),
    ("delivery", 2, "Livraison et retrait", "Delivery and collection", DELIVERY_FR,
     DELIVERY_EN),
    ("contact", 3, "Nous contacter", "Contact us", CONTACT_FR, CONTACT_EN),
    ("legal-notice", 4, "Mentions légales", "Legal notice", LEGAL_FR, LEGAL_EN),
]
