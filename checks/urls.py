"""Knowledge checks, included at the tenant root: editors write and review the questions of an
article; a reader takes its check; everyone practises on a collection; a provider lead assigns
practice sets to their teams."""

from django.urls import path, re_path

from . import views

app_name = "checks"

KIND = r"(?P<prefix>articles|guides|faqs)"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"

urlpatterns = [
    re_path(rf"^questions/{KIND}/{SLUG}/$", views.manage, name="manage"),
    re_path(rf"^questions/{KIND}/{SLUG}/new/$", views.question_new, name="question-new"),
    path("questions/<int:pk>/", views.question_edit, name="question"),
    path("questions/<int:pk>/review/", views.review, name="question-review"),
    path("questions/to-review/", views.review_list, name="review-list"),
    re_path(rf"^check/{KIND}/{SLUG}/$", views.take, name="take"),
    path("practice/", views.practice_index, name="practice-index"),
    path("practice/assign/", views.practice_assign, name="practice-assign"),
    re_path(rf"^practice/{SLUG}/$", views.practice, name="practice"),
]
