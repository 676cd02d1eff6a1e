"""Benchmark render_markdown on ~100 KB of realistic Markdown.

Run: .venv/bin/python -m articles.rendering_bench
"""

from __future__ import annotations

import statistics
import time

from articles.rendering import render_markdown

TARGET_BYTES = 100_000
RUNS = 50

_SECTION = """\
## Résiliation du contrat {n}

Pour résilier un contrat, l'agent vérifie **l'identité** du client, puis consulte la
[procédure standard](https://kb.example.com/procedures/{n}) et la
[fiche interne](/articles/resiliation-{n}/). En cas de doute, écrire à
[support@example.com](mailto:support@example.com). Le délai légal est de *30 jours*.

### Étapes {n}

1. Ouvrir le dossier client dans l'outil CRM.
2. Vérifier les impayés :
    - factures en retard
    - pénalités éventuelles
3. Confirmer la date de fin avec le client.

| Offre | Préavis | Frais | Remarque |
|:------|:-------:|------:|----------|
| Basic | 30 j | 0 € | sans engagement |
| Pro | 60 j | 49 € | engagement 12 mois |
| Entreprise | 90 j | sur devis | voir le contrat cadre |

```python
def preavis(offre: str) -> int:
    return {{"basic": 30, "pro": 60}}.get(offre, 90)
```

> Note : ne jamais promettre de remboursement sans l'accord d'un superviseur.

![Schéma du parcours](https://cdn.example.com/img/parcours-{n}.png "Parcours")

Voir aussi `ticket #{n}` et la <kbd>Ctrl</kbd>+<kbd>F</kbd> dans la base.

"""


def build_source(target_bytes: int = TARGET_BYTES) -> str:
    """Concatenate numbered sections until the source reaches target_bytes (UTF-8)."""
    parts = ["# Guide de l'agent\n\n[TOC]\n\n"]
    size, n = len(parts[0].encode()), 0
    while size < target_bytes:
        section = _SECTION.format(n=n)
        parts.append(section)
        size += len(section.encode())
        n += 1
    return "".join(parts)


def main() -> None:
    source = build_source()
    render_markdown(source)  # warm-up (builds the per-thread Markdown instance)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        render_markdown(source)
        timings.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(timings, n=20)[-1]
    kb = round(len(source.encode()) / 1000)
    print(f"render kb={kb} runs={RUNS} mean_ms={statistics.fmean(timings):.1f} p95_ms={p95:.1f}")


if __name__ == "__main__":
    main()
