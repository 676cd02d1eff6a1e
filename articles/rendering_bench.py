"""Benchmark render_markdown on ~100 KB of realistic Markdown.

Prints the public path (render_markdown: worker process with a deadline), the in-process worker
function (_render_worker: the Markdown + nh3 work alone), and the process round-trip overhead
for a 10 KB document (public path minus in-process).

Run: .venv/bin/python -m articles.rendering_bench
"""

from __future__ import annotations

import statistics
import time

from articles.rendering import _render_worker, render_markdown

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


def _measure(function, source: str, runs: int) -> list[float]:
    function(source)  # warm-up (worker process start, per-thread Markdown instance)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function(source)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _line(label: str, source: str, timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1]
    kb = round(len(source.encode()) / 1000)
    return f"{label} kb={kb} runs={len(timings)} mean_ms={statistics.fmean(timings):.1f} p95_ms={p95:.1f}"


def main() -> None:
    source = build_source()
    print(_line("render", source, _measure(render_markdown, source, RUNS)))
    print(_line("worker", source, _measure(_render_worker, source, RUNS)))
    small = build_source(10_000)
    public = statistics.median(_measure(render_markdown, small, 200))
    local = statistics.median(_measure(_render_worker, small, 200))
    print(
        f"overhead kb={round(len(small.encode()) / 1000)} runs=200 render_median_ms={public:.2f}"
        f" worker_median_ms={local:.2f} pool_overhead_ms={public - local:.2f}"
    )


if __name__ == "__main__":
    main()
