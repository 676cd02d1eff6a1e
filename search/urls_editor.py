"""Search tuning pages for client editors, included at `search/manage/`."""

from django.urls import path

from . import views_editor as views

app_name = "searchadmin"

urlpatterns = [
    path("", views.gaps, name="gaps"),
    path("export/", views.gaps_export, name="gaps-export"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym-edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym-delete"),
    path("best-bets/", views.best_bets, name="best-bets"),
    path("best-bets/articles/", views.article_options, name="best-bet-articles"),
    path("best-bets/<int:pk>/move/", views.best_bet_move, name="best-bet-move"),
    path("best-bets/<int:pk>/delete/", views.best_bet_delete, name="best-bet-delete"),
]
