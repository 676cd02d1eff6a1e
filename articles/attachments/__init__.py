"""Images and attached files of articles, served only through the permission layer (issue #16).

- `processing`: what an upload is (sniffed by its content, never by its name or the browser's
  word), and images re-encoded by Pillow (metadata stripped, bombs refused, renditions).
- `storage`: where the bytes live (Django's storage API: a per-tenant folder by default, any
  S3-compatible store through django-storages).
- `services`: upload, the references of a revision, quota, the sweep of orphans.
- `selectors`: which attachment a person may fetch.
- `views`: upload from the editors, serve, the admin's storage page.

Markdown refers to an attachment as ``attachment:<uuid>`` (``![alt](attachment:…)`` for an image,
``[name](attachment:…)`` for a file). The reference carries no tenant, host nor path, so it stays
valid through export, import and restore; `articles.rendering` resolves it to the
permission-checked address when the revision is rendered.
"""
