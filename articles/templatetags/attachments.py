from django import template

register = template.Library()


@register.simple_tag
def revision_files(revision):
    """The files a revision references, for its reading page (one query)."""
    from articles.attachments.selectors import revision_files as files

    return files(revision)


@register.simple_tag
def upload_max_mb():
    from articles.attachments.services import max_upload_bytes

    return max_upload_bytes() // (1024 * 1024)
