"""Markdown -> safe HTML for article revisions, plus TOC and plain-text helpers.

Pure Python (no Django imports): Python-Markdown renders, nh3 sanitises with an explicit
allow-list. Raw HTML in the source is allowed through Markdown and then cleaned by nh3.
"""

from __future__ import annotations

import re
import threading
from html.parser import HTMLParser
from importlib.metadata import version

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

# Bump the policy number whenever the allow-list or the Markdown extension set changes.
POLICY_VERSION = "policy-1"
SANITISER_VERSION: str = f"nh3-{version('nh3')}+markdown-{version('Markdown')}+{POLICY_VERSION}"

# One Markdown source, UTF-8 encoded (1 MB). This bounds size, NOT CPU time: Python-Markdown is
# quadratic on runs of unmatched "[" (20 KB of "[" takes ~40 s, upstream issue #798), so render
# untrusted sources somewhere with a time limit.
MAX_SOURCE_BYTES = 1_000_000


class SourceTooLarge(ValueError):
    """The Markdown source exceeds MAX_SOURCE_BYTES."""


# attr_list and md_in_html are deliberately absent: they let authors set arbitrary attributes.
# footnotes and admonition are absent because their ids/classes would not survive the allow-list.
_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "def_list", "abbr", "toc"]
_EXTENSION_CONFIGS = {
    "tables": {"use_align_attribute": True},
    "toc": {"permalink": False, "anchorlink": False, "slugify": slugify_unicode},
}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = (
    frozenset(
        "p br hr strong em b i u s del ins mark sub sup blockquote code pre kbd ul ol li dl dt dd"
        " table thead tbody tr th td a img abbr span div".split()
    )
    | _HEADINGS
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
    "code": {"class"},
    **{h: {"id"} for h in _HEADINGS},
}
# Dropped together with their content, which is never prose (nh3's default covers only script
# and style; svg/math subtrees are dropped whole by nh3 anyway, listed for clarity).
_DROP_WITH_CONTENT = set(
    "script style template svg math iframe noscript noembed noframes object applet xmp textarea"
    " title select".split()
)
_HREF_SCHEMES = frozenset({"http", "https", "mailto"})
_SRC_SCHEMES = frozenset({"http", "https"})

_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")
_LANG_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.\-]{1,40}")
_INT_RE = re.compile(r"-?[0-9]{1,6}")
_ALIGN = frozenset({"left", "right", "center", "justify"})


def url_scheme(url: str) -> str | None:
    """Lower-cased scheme as a browser would see it, or None for a relative URL."""
    cleaned = _URL_NOISE_RE.sub("", url).lower()
    match = _SCHEME_RE.match(cleaned)
    return match.group(1) if match else None


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Runs after nh3's own URL check and its result is NOT re-checked: only ever return
    # `value` unchanged or None.
    if attribute == "href":
        return value if url_scheme(value) in (None, *_HREF_SCHEMES) else None
    if attribute == "src":
        return value if url_scheme(value) in (None, *_SRC_SCHEMES) else None
    if attribute == "class":
        return value if element == "code" and _LANG_CLASS_RE.fullmatch(value) else None
    if attribute in ("start", "colspan", "rowspan"):
        return value if _INT_RE.fullmatch(value.strip()) else None
    if attribute == "align":
        return value if value.strip().lower() in _ALIGN else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes=set(_HREF_SCHEMES),
)
_local = threading.local()


def _scrub(text: str) -> str:
    """Replace lone surrogates (nh3 cannot encode them) with U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML with the allow-list; idempotent."""
    out = _CLEANER.clean(_scrub(html))
    # One html5ever pass is not always a fixed point (stripped wrappers can leave markup that
    # re-parses differently); a few more passes settle it.
    for _ in range(3):
        again = _CLEANER.clean(out)
        if again == out:
            return out
        out = again
    return out


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
        _local.md = md
    return md


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML; raise SourceTooLarge over MAX_SOURCE_BYTES."""
    if len(source.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        raise SourceTooLarge(f"Markdown source is larger than {MAX_SOURCE_BYTES} bytes")
    md = _markdown()
    md.reset()
    return sanitise_html(md.convert(_scrub(source)))


class _TocParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[tuple[int, str, str]] = []
        self._current: tuple[int, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3") and self._current is None:
            self._current = (int(tag[1]), dict(attrs).get("id") or "")
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if self._current and tag == f"h{self._current[0]}":
            level, anchor = self._current
            text = " ".join("".join(self._text).split())
            if anchor:
                self.entries.append((level, anchor, text))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current:
            self._text.append(data)


def extract_toc(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text) for every h2/h3 carrying an id, in document order."""
    parser = _TocParser()
    parser.feed(html)
    parser.close()
    return parser.entries


_BLOCK_TAGS = (
    frozenset("p br hr blockquote pre ul ol li dl dt dd table thead tbody tr th td div".split()) | _HEADINGS
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" {alt} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (block boundaries become line breaks), for indexing."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
