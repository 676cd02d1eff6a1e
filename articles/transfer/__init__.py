"""Export collections and articles to a zip of Markdown files, and import such a zip.

The archive::

    kbportal-export.json                    {"format": 1, "exported_at": ..., "articles": N, "collections": N}
    refunds/_collection.md                  a collection: its folder path is its slug nesting
    refunds/marketplace-refunds/_collection.md
    refunds/marketplace-refunds/<article-slug>.md

Every ``.md`` file opens with front matter between two ``---`` lines, one ``key: <JSON value>``
per line (``title: "Rembourser un colis"``, ``tags: ["refund", "delivery"]``). JSON values are
valid YAML, so any YAML tool reads them, but nothing here needs a YAML library.

After the front matter of an article file comes its content. For an article, the Markdown body.
For a guide, the intro body, then each step as a marker line ``<!-- kb:step {"title": "..."} -->``
followed by the step's body. For a FAQ, the intro body, then each pair as
``<!-- kb:faq {"question": "...", "alternatives": [...]} -->`` followed by the answer. Every
section (body, step, answer) is written followed by exactly one newline, which the reader takes
off again. A content line that itself starts with ``<!-- kb:`` (after any backslashes) gets one
more leading backslash on export, removed on import, so that every body round-trips exactly.

Import never trusts the archive: it refuses non-zips and zip bombs outright, and skips, with a
translated error entry naming the file, any path leaving the archive, any unreadable front
matter and any content `clean_content` refuses. Each article is written in its own transaction,
so that one bad file does not lose the others.
"""

from .export import export_zip
from .format import (
    COLLECTION_FILE,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MARKER_PREFIX,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    SLUG_LENGTH,
    ArticleFile,
    CollectionFile,
    FormatError,
    _front_matter,
    _sections,
    parse_article,
    parse_collection,
    parse_front_matter,
    parse_sections,
    render_article,
    render_collection,
)
from .importer import ImportReport, import_zip

__all__ = [
    "COLLECTION_FILE",
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "MARKER_PREFIX",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "SLUG_LENGTH",
    "ArticleFile",
    "CollectionFile",
    "FormatError",
    "ImportReport",
    "_front_matter",
    "_sections",
    "export_zip",
    "import_zip",
    "parse_article",
    "parse_collection",
    "parse_front_matter",
    "parse_sections",
    "render_article",
    "render_collection",
]
