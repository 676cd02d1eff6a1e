"""Import: read an archive in the format, never trusting it, and write what it holds."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..attachments import services as attachments
from ..models import Article, Collection, Kind
from ..services import EditConflict, article_create, article_save, collection_create
from ..text import clean_line, normalise_newlines
from .files import FILES_FOLDER, file_member, import_files
from .format import (
    COLLECTION_FILE,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    SLUG_LENGTH,
    ArticleFile,
    FormatError,
    parse_article,
    parse_collection,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

MAX_FILES_TOTAL_BYTES = 1024 * 1024 * 1024  # uncompressed, the images and files of one archive


@dataclass
class ImportReport:
    """What an import did: slugs created, updated or left as they were (the archive held the
    same content), one translated line per problem, and one per option that could not apply."""

    created_collections: list[str] = field(default_factory=list)
    created_articles: list[str] = field(default_factory=list)
    updated_articles: list[str] = field(default_factory=list)
    unchanged_articles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ValidationError(_("This file is not a zip archive.")) from None
    members = archive.infolist()
    if len(members) > MAX_FILES:
        raise ValidationError(
            _("This archive holds %(n)s files; the limit is %(limit)s.") % {"n": len(members), "limit": MAX_FILES}
        )
    if sum(member.file_size for member in members if not _is_file_member(member.filename)) > MAX_TOTAL_BYTES:
        raise ValidationError(
            _("This archive unpacks to more than %(limit)s MB; split it into smaller exports.")
            % {"limit": MAX_TOTAL_BYTES // (1024 * 1024)}
        )
    if sum(member.file_size for member in members if _is_file_member(member.filename)) > MAX_FILES_TOTAL_BYTES:
        raise ValidationError(
            _("The images and files of this archive unpack to more than %(limit)s MB; split it into smaller exports.")
            % {"limit": MAX_FILES_TOTAL_BYTES // (1024 * 1024)}
        )
    return archive


def _is_file_member(name: str) -> bool:
    return name.replace("\\", "/").startswith(FILES_FOLDER + "/")


def _problem(name: str, problem: str) -> str:
    return _("%(file)s: %(problem)s") % {"file": name, "problem": problem}


def _unsafe(name: str) -> bool:
    return (
        name.startswith("/")
        or bool(re.match(r"[A-Za-z]:", name))
        or any(part == ".." for part in name.split("/"))
        or "\x00" in name
    )


def _junk(parts: list[str]) -> bool:
    """Files that archivers add on their own (macOS resource forks, hidden files)."""
    return any(part.startswith("__MACOSX") for part in parts) or parts[-1].startswith(".")


@dataclass
class _Member:
    name: str
    folder: tuple[str, ...]
    text: str


def _read_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, pk, parts: list[str], report: ImportReport,
               files: list[tuple[str, Any, str, bytes]]) -> None:
    """One image or file of the archive (``_files/<uuid>/<name>``), read within the upload limit."""
    limit = attachments.max_upload_bytes()
    if info.file_size > limit:
        report.errors.append(_problem(name, _("the file is larger than %(limit)s MB; skipped.") % {"limit": limit // (1024 * 1024)}))
        return
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
        report.errors.append(_problem(name, _("the file could not be read from the archive; skipped.")))
        return
    if len(data) > limit:
        report.errors.append(_problem(name, _("the file is larger than %(limit)s MB; skipped.") % {"limit": limit // (1024 * 1024)}))
        return
    files.append((name, pk, parts[-1], data))


def _read_members(archive: zipfile.ZipFile, report: ImportReport,
                  files: list[tuple[str, Any, str, bytes]]) -> tuple[dict[str, Any] | None, list[_Member]]:
    manifest: dict[str, Any] | None = None
    members: list[_Member] = []
    budget = MAX_TOTAL_BYTES
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename.replace("\\", "/")
        if _unsafe(name):
            report.errors.append(_problem(name, _("the path leaves the archive; skipped.")))
            continue
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if not parts or _junk(parts):
            continue
        if parts[0] == FILES_FOLDER:
            pk = file_member(parts)
            if pk is None:
                report.errors.append(_problem(name, _("not a file of the archive's “_files” folder; skipped.")))
            else:
                _read_file(archive, info, name, pk, parts, report, files)
            continue
        if parts != [MANIFEST_NAME] and not parts[-1].lower().endswith(".md"):
            report.errors.append(_problem(name, _("not a Markdown file; skipped.")))
            continue
        if info.file_size > MAX_FILE_BYTES:
            report.errors.append(
                _problem(name, _("the file is larger than %(limit)s MB; skipped.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
            )
            continue
        try:
            with archive.open(info) as handle:
                raw = handle.read(min(budget, MAX_FILE_BYTES) + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
            report.errors.append(_problem(name, _("the file could not be read from the archive; skipped.")))
            continue
        budget -= len(raw)
        if budget < 0:
            raise ValidationError(
                _("This archive unpacks to more than %(limit)s MB; split it into smaller exports.")
                % {"limit": MAX_TOTAL_BYTES // (1024 * 1024)}
            )
        try:
            text = normalise_newlines(raw.decode("utf-8"))  # files edited on Windows: CRLF
        except UnicodeDecodeError:
            report.errors.append(_problem(name, _("the file is not UTF-8 text; skipped.")))
            continue
        if parts == [MANIFEST_NAME]:
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            if not isinstance(loaded, dict):
                report.errors.append(_problem(name, _("the manifest is not valid JSON; it was ignored.")))
            else:
                manifest = loaded
            continue
        members.append(_Member(name, tuple(parts[:-1]), text))
    return manifest, members


def _folder_slugs(folder: tuple[str, ...]) -> tuple[str, ...] | None:
    slugs = tuple(slugify(part)[:SLUG_LENGTH] for part in folder)
    return slugs if all(slugs) else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _import_collections(
    members: list[_Member], *, acting_user: AbstractBaseUser | None, into: Collection | None, report: ImportReport
) -> dict[tuple[str, ...], Collection | None]:
    """Find or create the collection of every folder; None marks a folder that failed."""
    metadata: dict[tuple[str, ...], _Member] = {}
    folders: set[tuple[str, ...]] = set()
    for member in members:
        slugs = _folder_slugs(member.folder)
        if slugs is None:
            continue
        for depth in range(1, len(slugs) + 1):
            folders.add(slugs[:depth])
        if member.name.rsplit("/", 1)[-1] == COLLECTION_FILE and slugs:
            metadata[slugs] = member

    resolved: dict[tuple[str, ...], Collection | None] = {}
    for folder in sorted(folders, key=lambda f: (len(f), f)):
        parent = resolved.get(folder[:-1]) if len(folder) > 1 else into
        if len(folder) > 1 and parent is None:
            resolved[folder] = None  # the parent already failed and said why
            continue
        slug = folder[-1]
        existing = Collection.objects.filter(slug=slug).first()
        source = metadata.get(folder)
        where = source.name if source else "/".join(folder) + "/"
        if existing is not None:
            resolved[folder] = existing
            if len(folder) == 1 and into is not None and existing.parent_id != into.pk:
                report.notices.append(_problem(where, _(
                    "the collection “%(name)s” already exists in this workspace, so its content was imported "
                    "there, where it is, and not inside “%(into)s”. Move it afterwards if you want it there."
                ) % {"name": existing.name, "into": into.name}))
            continue
        try:
            meta = parse_collection(source.text) if source else None
            with transaction.atomic():
                collection = collection_create(
                    name=(meta.name if meta and meta.name.strip() else slug.replace("-", " ").capitalize()),
                    acting_user=acting_user,
                    parent=parent,
                    description=meta.description if meta else "",
                    confidential=meta.confidential if meta else False,
                    review_interval_days=meta.review_interval_days if meta else 180,
                    slug=slug,
                )
                if meta and meta.position is not None:
                    Collection.objects.filter(pk=collection.pk).update(position=meta.position)
                    collection.position = meta.position
        except FormatError as exc:
            report.errors.append(_problem(where, str(exc)))
            resolved[folder] = None
            continue
        except ValidationError as exc:
            report.errors.append(_problem(where, _error_text(exc)))
            resolved[folder] = None
            continue
        except DatabaseError:
            logger.exception("import: collection %s could not be saved", slug)
            report.errors.append(_problem(where, _("the collection could not be saved.")))
            resolved[folder] = None
            continue
        resolved[folder] = collection
        report.created_collections.append(collection.slug)
    return resolved


def _pair_ids(items: list[dict[str, Any]], current: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The archive does not carry step (question) ids: give the imported ones the ids of the
    article's current steps, the same title (question) first, then the same position, so that an
    unchanged guide compares equal and a diff pairs what changed instead of showing every step
    removed and added again."""
    result = [dict(item) for item in items]
    used: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for item in current:
        by_key.setdefault(item[key], []).append(item["id"])
    for item in result:
        free = [pk for pk in by_key.get(clean_line(item.get(key)), []) if pk not in used]
        if free:
            item["id"] = free[0]
            used.add(free[0])
    for position, item in enumerate(result):
        if "id" not in item and position < len(current) and current[position]["id"] not in used:
            item["id"] = current[position]["id"]
            used.add(item["id"])
    return result


def _import_article(
    member: _Member,
    parsed: ArticleFile,
    collection: Collection,
    *,
    acting_user: AbstractBaseUser | None,
    publish: bool,
    report: ImportReport,
    source_name: str,
) -> None:
    with transaction.atomic():
        existing = Article.objects.filter(slug=parsed.slug).first()
        if existing is None:
            article = article_create(
                kind=parsed.kind,
                collection=collection,
                content=parsed.content,
                review_by=parsed.review_by,
                summary=parsed.summary,
                acting_user=acting_user,
                publish=publish,
                slug=parsed.slug,
                confidential=parsed.confidential,
                imported_from=source_name,
            )
            report.created_articles.append(article.slug)
            return
        if existing.kind != parsed.kind:
            report.errors.append(
                _problem(
                    member.name,
                    _("an article with the slug “%(slug)s” already exists as a %(kind)s; it was left unchanged.")
                    % {"slug": parsed.slug, "kind": Kind(existing.kind).label},
                )
            )
            return
        latest = existing.latest_revision
        content = parsed.content
        if latest is not None:
            content.steps = _pair_ids(content.steps or [], latest.steps, "title")
            content.faqs = _pair_ids(content.faqs or [], latest.faqs, "question")
        saved = article_save(
            article=existing,
            expected_revision_id=existing.latest_revision_id,
            content=content,
            summary=parsed.summary or _("Imported"),
            acting_user=acting_user,
            publish=publish,
            # Settings stay as they are, except that an import never makes content less confidential.
            confidential=True if parsed.confidential else None,
            imported_from=source_name,
        )
        (report.updated_articles if saved.changed else report.unchanged_articles).append(existing.slug)


def import_zip(
    data: bytes,
    *,
    acting_user: AbstractBaseUser | None,
    into: Collection | None = None,
    publish: bool = True,
    source_name: str = "",
) -> ImportReport:
    """Import an archive made by `export_zip` (or by hand in the same format).

    Folders become collections, found by slug or created (top-level folders under `into` if
    given; a top-level folder whose collection exists elsewhere is imported where it is, and the
    report's notices say so). An article whose slug exists gets a new revision when the archive
    changes its content (none when it holds the same), otherwise it is created with that slug.
    Revisions written here record `source_name` and `acting_user` (who imported). Raises ValidationError if the file is not a zip or is too big to unpack;
    everything else is reported per file in `ImportReport.errors`.
    """
    archive = _open_archive(data)
    report = ImportReport()
    files: list[tuple[str, Any, str, bytes]] = []
    with archive:
        manifest, members = _read_members(archive, report, files)
    if manifest is not None:
        version = manifest.get("format")
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            raise ValidationError(
                _("This export was made by a newer version of the portal (format %(n)s); it cannot be imported here.")
                % {"n": version}
            )

    # The files first, so that the revisions written below find what their Markdown references.
    import_files(files, acting_user=acting_user, problem=_problem, errors=report.errors)
    resolved = _import_collections(members, acting_user=acting_user, into=into, report=report)
    seen: dict[str, str] = {}
    for member in members:
        filename = member.name.rsplit("/", 1)[-1]
        if filename == COLLECTION_FILE:
            if not member.folder:
                report.errors.append(_problem(member.name, _("a collection file must sit in a collection folder; skipped.")))
            continue
        slugs = _folder_slugs(member.folder)
        if slugs is None:
            report.errors.append(_problem(member.name, _("a folder name gives no usable collection slug; skipped.")))
            continue
        collection = resolved.get(slugs) if slugs else into
        if collection is None:
            if slugs:
                problem = _("its collection folder “%(folder)s” could not be imported.") % {"folder": "/".join(slugs)}
            else:
                problem = _("articles must sit in a collection folder.")
            report.errors.append(_problem(member.name, problem))
            continue
        try:
            parsed = parse_article(member.text, default_slug=filename[: -len(".md")])
        except FormatError as exc:
            report.errors.append(_problem(member.name, str(exc)))
            continue
        if parsed.slug in seen:
            report.errors.append(
                _problem(
                    member.name,
                    _("the slug “%(slug)s” is also used by %(other)s; only the first file was imported.")
                    % {"slug": parsed.slug, "other": seen[parsed.slug]},
                )
            )
            continue
        seen[parsed.slug] = member.name
        try:
            _import_article(
                member, parsed, collection, acting_user=acting_user, publish=publish, report=report,
                source_name=source_name or "archive.zip",
            )
        except ValidationError as exc:
            report.errors.append(_problem(member.name, _error_text(exc)))
        except EditConflict:
            report.errors.append(
                _problem(member.name, _("someone saved this article while it was being imported; import it again."))
            )
        except DatabaseError:
            logger.exception("import: article %s could not be saved", parsed.slug)
            report.errors.append(_problem(member.name, _("the article could not be saved.")))
    return report
