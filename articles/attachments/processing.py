"""What an upload is, decided by its content, and images re-encoded by Pillow.

Nothing here trusts the file name or the browser's content type: an image is what Pillow can
decode as PNG, JPEG, WebP or GIF, and is stored as Pillow encodes it again (so metadata, EXIF
and GPS included, and anything appended or hidden in the file, are gone: the uploaded bytes
are never served). Other files are typed by `puremagic` (a maintained, pure-Python reading of
magic numbers: nothing to install beside Python) and must agree with the allow-list, by
content *and* by extension; zip-based office documents are also opened to check their
structure. SVG is refused: it is script.

No Django models here (translated messages only), so that the benchmark and tests can call it
directly.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass

import puremagic
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Decompression bombs: an image whose header announces more pixels than this is refused before
# its pixels are decoded (a 4K screenshot is 8.3 Mpx; two 5K screens side by side 29.5 Mpx).
MAX_PIXELS = 40_000_000
# Animated GIFs are kept (short screen recordings of "click here, then here" are common in
# procedures), re-encoded frame by frame, within these bounds.
MAX_FRAMES = 300
MAX_ANIMATION_PIXELS = 200_000_000  # width x height x frames
# The page shows a rendition at most this wide; the original stays one click away.
RENDITION_WIDTH = 1600
RENDITION_MIN_BYTES = 400_000  # a narrower image this heavy gets a lighter rendition too
JPEG_QUALITY = 88

IMAGE_FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp"),
                 "GIF": ("image/gif", "gif")}

# Files other than images: extension -> (served content type, label for people).
OOXML = "application/vnd.openxmlformats-officedocument."
FILE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (OOXML + "wordprocessingml.document", "Word"),
    "xlsx": (OOXML + "spreadsheetml.sheet", "Excel"),
    "pptx": (OOXML + "presentationml.presentation", "PowerPoint"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"),
    "doc": ("application/msword", "Word 97-2003"),
    "xls": ("application/vnd.ms-excel", "Excel 97-2003"),
    "ppt": ("application/vnd.ms-powerpoint", "PowerPoint 97-2003"),
    "csv": ("text/csv", "CSV"),
    "txt": ("text/plain", "text"),
}
_OOXML_FOLDER = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT = {"csv", "txt"}
# What puremagic may find in a file that claims to be text and must then be refused: markup a
# browser would run if it ever rendered the file.
_ACTIVE_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml",
                 "application/javascript", "text/javascript")


class Refused(ValueError):
    """The upload is not accepted; the message is translated, for people, and names the rule."""


@dataclass
class Processed:
    kind: str  # "image" or "file"
    name: str
    content_type: str
    data: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    rendition: bytes | None = None


def allowed_labels() -> str:
    """The accepted types, for messages: "PNG, JPEG, WebP, GIF; PDF, Word, ..."."""
    return "PNG, JPEG, WebP, GIF; " + ", ".join(dict.fromkeys(label for _t, label in FILE_TYPES.values()))


def clean_name(name: str, fallback: str = "file") -> str:
    """The file's own name without any folder, control or path character, at most 200 long."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '<>:"|?*').strip(" .")
    if not name:
        return fallback
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in head and (head.startswith(b"<svg") or head.startswith(b"<?xml") or head.startswith(b"<!doctype svg"))


def _magic_types(data: bytes) -> set[str]:
    try:
        matches = puremagic.magic_string(data[:65536])
    except (puremagic.PureError, ValueError):
        return set()
    return {match.mime_type for match in matches if match.mime_type}


def process(data: bytes, name: str) -> Processed:
    """Accept an upload as an image (re-encoded) or a file (checked), or raise Refused."""
    name = clean_name(name)
    if not data:
        raise Refused(_("The file is empty."))
    if _looks_like_svg(data) or "image/svg+xml" in _magic_types(data):
        raise Refused(_("SVG images are refused: they can carry script. Export the picture as PNG and upload that."))
    image = _open_image(data)
    if image is not None:
        return _reencode(image, name)
    return _check_file(data, name)


def _open_image(data: bytes) -> Image.Image | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the four decoders we accept: no other Pillow plugin gets to guess at a
            # text or office file (TGA, for one, has no magic number).
            image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, SyntaxError):
        return None
    if image.format not in IMAGE_FORMATS:
        raise Refused(_("This image type (%(format)s) is not accepted: upload PNG, JPEG, WebP or GIF.")
                      % {"format": image.format or "?"})
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Refused(_("This image is %(width)s × %(height)s pixels; the limit is %(limit)s million pixels.")
                      % {"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000})
    return image


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _still(image: Image.Image, fmt: str) -> Image.Image:
    """The decoded pixels, turned upright (EXIF orientation applied before EXIF is dropped), in
    a mode the format can write, with no metadata attached."""
    image = ImageOps.exif_transpose(image) or image
    if fmt == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    clean = image.copy()
    clean.info = {}  # text chunks, ICC profile, comments, EXIF, XMP: not carried over
    return clean


def _save_options(fmt: str) -> dict:
    if fmt == "JPEG":
        return {"quality": JPEG_QUALITY, "optimize": True}
    if fmt == "WEBP":
        return {"quality": JPEG_QUALITY, "method": 4}
    if fmt == "PNG":
        return {"compress_level": 6}
    return {}


def _reencode(image: Image.Image, name: str) -> Processed:
    fmt = image.format or "PNG"
    content_type, ext = IMAGE_FORMATS[fmt]
    frames = getattr(image, "n_frames", 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if frames > 1 and fmt in ("GIF", "WEBP"):
                if frames > MAX_FRAMES or image.size[0] * image.size[1] * frames > MAX_ANIMATION_PIXELS:
                    raise Refused(_("This animation has %(frames)s frames of %(width)s × %(height)s pixels; the "
                                    "limit is %(limit)s frames and %(pixels)s million pixels in all.")
                                  % {"frames": frames, "width": image.size[0], "height": image.size[1],
                                     "limit": MAX_FRAMES, "pixels": MAX_ANIMATION_PIXELS // 1_000_000})
                stills = [_still(frame.copy(), fmt) for frame in ImageSequence.Iterator(image)]
                durations = [frame.info.get("duration", 100) for frame in ImageSequence.Iterator(image)]
                data = _encode(stills[0], fmt, save_all=True, append_images=stills[1:], duration=durations,
                               loop=image.info.get("loop", 0), **_save_options(fmt))
                rendition = None
                width, height = stills[0].size
            else:
                still = _still(image, fmt)
                data = _encode(still, fmt, **_save_options(fmt))
                width, height = still.size
                rendition = _rendition(still, fmt, len(data))
    except Refused:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refused(_("This image could not be read: it is damaged or not really a PNG, JPEG, WebP or GIF.")) from None
    base = name.rsplit(".", 1)[0] if "." in name else name
    return Processed(kind="image", name=f"{base}.{ext}", content_type=content_type, data=data,
                     sha256=hashlib.sha256(data).hexdigest(), width=width, height=height, rendition=rendition)


def _rendition(still: Image.Image, fmt: str, size: int) -> bytes | None:
    """A lighter picture for the page when the original is wide or heavy, else None."""
    if still.width <= RENDITION_WIDTH and size < RENDITION_MIN_BYTES:
        return None
    small = still.copy()
    if small.width > RENDITION_WIDTH:
        small = small.resize((RENDITION_WIDTH, max(1, round(still.height * RENDITION_WIDTH / still.width))),
                             Image.Resampling.LANCZOS)
    if fmt == "PNG" and small.mode in ("RGB", "RGBA", "L", "LA"):
        # Screenshots: a palette keeps them sharp at a fraction of the size.
        small = small.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    out = _encode(small, fmt, **_save_options(fmt))
    return out if len(out) < size else None


def _check_file(data: bytes, name: str) -> Processed:
    ext = _extension(name)
    if ext not in FILE_TYPES:
        raise Refused(_("This type of file is not accepted. Accepted: %(types)s.") % {"types": allowed_labels()})
    content_type, label = FILE_TYPES[ext]
    found = _magic_types(data)
    if ext in _TEXT:
        ok = b"\x00" not in data[:65536] and not found & set(_ACTIVE_TYPES) and not data.startswith(_OLE2) \
            and not data.startswith(b"PK\x03\x04") and not data.startswith(b"%PDF")
        if ok:
            charset = "utf-8"
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                charset = "windows-1252"
            content_type = f"{content_type}; charset={charset}"
    elif ext == "pdf":
        ok = data.startswith(b"%PDF-")
    elif ext in ("doc", "xls", "ppt"):
        ok = data.startswith(_OLE2)
    else:
        ok = _zip_document_ok(data, ext, content_type)
    if not ok:
        raise Refused(_("The content of “%(name)s” is not a %(label)s file, whatever its name says; it was refused.")
                      % {"name": name, "label": label})
    return Processed(kind="file", name=name, content_type=content_type, data=data,
                     sha256=hashlib.sha256(data).hexdigest())


def _zip_document_ok(data: bytes, ext: str, content_type: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if ext in _OOXML_FOLDER:
                return "[Content_Types].xml" in names and any(n.startswith(_OOXML_FOLDER[ext]) for n in names)
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as handle:
                return handle.read(200).strip() == content_type.encode()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return False


def type_label(content_type: str) -> str:
    """What people call a stored type: "PDF", "Excel", "PNG"."""
    base = content_type.split(";", 1)[0].strip()
    for fmt, (image_type, _ext) in IMAGE_FORMATS.items():
        if base == image_type:
            return "WebP" if fmt == "WEBP" else fmt
    for served, label in FILE_TYPES.values():
        if base == served:
            return label
    return base
