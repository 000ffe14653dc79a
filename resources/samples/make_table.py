"""Write resources/samples/orders/commandes.csv: a SYNTHESISED table of past shop orders.

Shaped like what a small shop's spreadsheet exports (user 4 in the reference users): semicolon-separated,
Windows-1252 encoded, decimal commas, dd/mm/yyyy dates, accented French column names, CRLF line ends, an
order-number column, a column that never changes, a mostly blank comment column, and some blank cells.
The target column ``retourné`` (oui / non) depends on the other columns through a noisy, learnable rule:
clothes and shoes (above all in size XL or S), long deliveries, big discounts and first-time customers are
returned more often. Nothing here is real customer data.

Run: python resources/samples/make_table.py   (deterministic; rewrites the file)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent / "orders" / "commandes.csv"
ROWS = 1000
SEED = 4

CATEGORIES = {  # name: (share, price range in euros, return-rate push)
    "vêtements": (0.32, (12, 90), 1.1),
    "chaussures": (0.18, (35, 140), 0.8),
    "accessoires": (0.2, (5, 45), -0.3),
    "électronique": (0.12, (20, 300), 0.2),
    "maison & déco": (0.18, (8, 120), -0.6),
}
PAYMENT = ["carte bancaire", "PayPal", "virement", "chèque"]
DELIVERY = {"standard": 4.0, "express": 1.5, "point relais": 5.5}
COUNTRIES = ["France", "Belgique", "Suisse", "Luxembourg"]
COMMENTS = ["merci !", "livrer après 18h", "cadeau, sans facture svp", "2e commande ce mois-ci",
            "emballage soigné svp", "urgent", "à laisser chez le voisin", "client pro"]


def make_rows(rng: np.random.Generator) -> list[list[str]]:
    names = list(CATEGORIES)
    shares = np.array([CATEGORIES[c][0] for c in names])
    start = dt.date(2024, 1, 2)
    rows = []
    for i in range(ROWS):
        cat = names[rng.choice(len(names), p=shares / shares.sum())]
        lo, hi = CATEGORIES[cat][1]
        price = round(float(rng.uniform(lo, hi)), 2)
        qty = int(rng.choice([1, 1, 1, 1, 2, 2, 3, 4]))
        discount = int(rng.choice([0, 0, 0, 10, 10, 20, 30, 50]))
        delivery = str(rng.choice(list(DELIVERY)))
        days = max(1, int(round(DELIVERY[delivery] + rng.normal(0, 1.5))))
        loyal = bool(rng.random() < 0.4)
        size = str(rng.choice(["S", "M", "M", "L", "L", "XL"])) if cat in ("vêtements", "chaussures") else ""
        date = start + dt.timedelta(days=int(rng.integers(0, 540)))
        logit = (-2.0 + CATEGORIES[cat][2] + 0.35 * (days - 4) + 0.03 * discount - 1.0 * loyal
                 + 0.25 * (qty - 1) + 0.8 * (size in ("XL", "S")) + 0.4 * (date.month in (12, 1)))
        returned = rng.random() < 1.0 / (1.0 + np.exp(-logit))
        payment = str(rng.choice(PAYMENT, p=[0.6, 0.25, 0.1, 0.05]))
        comment = f"{rng.choice(COMMENTS)} (réf. {rng.integers(100, 999)})" if rng.random() < 0.08 else ""
        row = [f"CMD-{24000 + i}", date.strftime("%d/%m/%Y"), cat, f"{price:.2f}".replace(".", ","), str(qty),
               str(discount), payment, delivery, str(days), "oui" if loyal else "non", size,
               str(rng.choice(COUNTRIES, p=[0.7, 0.15, 0.1, 0.05])), "en ligne", comment,
               "oui" if returned else "non"]
        # Blank cells, as in a hand-kept spreadsheet.
        if rng.random() < 0.04:
            row[8] = ""      # delivery time not recorded
        if rng.random() < 0.03:
            row[6] = ""      # payment method not recorded
        if rng.random() < 0.01:
            row[3] = ""      # price missing
        if rng.random() < 0.01:
            row[14] = ""     # return status not known yet
        rows.append(row)
    return rows


HEADER = ["n° commande", "date de commande", "catégorie", "prix unitaire (€)", "quantité", "remise (%)",
          "mode de paiement", "livraison", "délai de livraison (jours)", "client fidèle", "taille", "pays",
          "boutique", "commentaire", "retourné"]


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = make_rows(rng)
    lines = [";".join(HEADER)] + [";".join(r) for r in rows]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    returned = sum(r[14] == "oui" for r in rows)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB, {len(rows)} orders, {returned} returned)")


if __name__ == "__main__":
    main()
