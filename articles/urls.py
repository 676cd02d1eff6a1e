from django.urls import path, re_path

from . import views, views_suggestions, views_transfer
from .attachments import views as views_files

app_name = "articles"

KIND = r"(?P<prefix>articles|guides|faqs)"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    path("", views.home, name="home"),
    path("review/", views.review_list, name="review"),
    path("archive/", views.archive_list, name="archive"),
    path("export/", views_transfer.export_tenant, name="export"),
    path("import/", views_transfer.import_archive, name="import"),
    path("collections/<slug:slug>/export/", views_transfer.export_collection, name="collection-export"),
    path("collections/new/", views.collection_create, name="collection-create"),
    path("collections/<slug:slug>/", views.collection_detail, name="collection"),
    path("collections/<slug:slug>/edit/", views.collection_edit, name="collection-edit"),
    path("collections/<slug:slug>/archive/", views.collection_archive, name="collection-archive"),
    path("collections/<slug:slug>/move/", views.collection_move, name="collection-move"),
    path("new/<str:kind>/", views.article_create, name="create"),
    path("editor/preview/", views.preview, name="preview"),
    path("editor/similar/", views.similar, name="similar"),
    path("editor/rows/<str:group>/", views.editor_row, name="editor-row"),
    # Images and files (articles/attachments): uploaded from the editors, served only through
    # the permission layer.
    path("editor/upload/", views_files.upload, name="upload"),
    path("suggestions/editor/upload/", views_files.suggest_upload, name="suggest-upload"),
    path("files/usage/", views_files.usage, name="files-usage"),
    path("files/<uuid:file_id>/", views_files.file, name="file"),
    path("files/<uuid:file_id>/original/", views_files.file_original, name="file-original"),
    re_path(rf"^{KIND}/{SLUG}/$", views.article_read, name="read"),
    re_path(rf"^{KIND}/{SLUG}/edit/$", views.article_edit, name="edit"),
    re_path(rf"^{KIND}/{SLUG}/publish/$", views.article_publish, name="publish"),
    re_path(rf"^{KIND}/{SLUG}/publish/undo/$", views.publish_undo, name="publish-undo"),
    re_path(rf"^{KIND}/{SLUG}/verify/$", views.article_verify, name="verify"),
    re_path(rf"^{KIND}/{SLUG}/archive/$", views.article_archive, name="archive"),
    re_path(rf"^{KIND}/{SLUG}/feedback/$", views.article_feedback, name="feedback"),
    re_path(rf"^{KIND}/{SLUG}/history/$", views.history, name="history"),
    re_path(rf"^{KIND}/{SLUG}/compare/$", views.compare, name="compare"),
    re_path(rf"^{KIND}/{SLUG}/revisions/(?P<number>[0-9]+)/$", views.revision_detail, name="revision"),
    re_path(rf"^{KIND}/{SLUG}/revisions/(?P<number>[0-9]+)/restore/$", views.restore, name="restore"),
    # Suggestions: provider people propose, client editors review.
    path("suggestions/", views_suggestions.queue, name="suggestions"),
    path("suggestions/mine/", views_suggestions.mine, name="suggestions-mine"),
    path("suggestions/editor/rows/<str:group>/", views_suggestions.editor_row, name="suggest-row"),
    path("suggestions/editor/preview/", views_suggestions.preview, name="suggest-preview"),
    path("suggestions/<int:pk>/", views_suggestions.detail, name="suggestion"),
    path("suggestions/<int:pk>/accept/", views_suggestions.accept, name="suggestion-accept"),
    path("suggestions/<int:pk>/accept-with-changes/", views_suggestions.accept_with_changes,
         name="suggestion-accept-edit"),
    path("suggestions/<int:pk>/reject/", views_suggestions.reject, name="suggestion-reject"),
    path("new-suggestion/<str:kind>/", views_suggestions.suggest_new, name="suggest-new"),
    re_path(rf"^{KIND}/{SLUG}/suggest/$", views_suggestions.suggest, name="suggest"),
]
