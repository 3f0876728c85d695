from django.urls import path

from parley.talks.views import commitments, frame, texts

app_name = "talks"

urlpatterns = [
    path("", frame.home, name="home"),
    path("processes/<int:pk>/", frame.process_detail, name="process"),
    path("processes/<int:pk>/rounds/", frame.round_add, name="round_add"),
    path("processes/<int:pk>/texts/", texts.text_add, name="text_add"),
    path("processes/<int:pk>/commitments/", commitments.commitment_list, name="commitments"),
    path("processes/<int:pk>/commitments/new/", commitments.commitment_add,
         name="commitment_add"),
    path("processes/<int:pk>/pulse/", commitments.pulse, name="pulse"),
    path("processes/<int:pk>/pulse/public/", commitments.pulse_public, name="pulse_public"),
    path("rounds/<int:pk>/", frame.round_detail, name="round"),
    path("rounds/<int:pk>/sessions/", frame.session_add, name="session_add"),
    path("rounds/<int:pk>/items/", frame.item_add, name="item_add"),
    path("rounds/<int:pk>/table/", frame.item_table, name="item_table"),
    path("rounds/<int:pk>/communique/draft/", frame.communique_draft, name="communique_draft"),
    path("rounds/<int:pk>/communique/", frame.communique_save, name="communique_save"),
    path("items/<int:pk>/", frame.item_detail, name="item"),
    path("items/<int:pk>/status/", frame.item_status, name="item_status"),
    path("items/<int:pk>/positions/", frame.position_add, name="position_add"),
    path("items/<int:pk>/notes/", frame.note_add, name="note_add"),
    path("texts/<int:pk>/", texts.text_detail, name="text"),
    path("texts/<int:pk>/provisions/", texts.provision_add, name="provision_add"),
    path("texts/<int:pk>/brackets/", texts.bracket_add, name="bracket_add"),
    path("texts/<int:pk>/resolve/", texts.bracket_resolve, name="bracket_resolve"),
    path("texts/<int:pk>/comments/", texts.comment_add, name="comment_add"),
    path("texts/<int:pk>/versions/", texts.version_save, name="version_save"),
    path("texts/<int:pk>/diff/", texts.text_diff, name="text_diff"),
    path("texts/<int:pk>/initial/", texts.text_initial, name="text_initial"),
    path("texts/<int:pk>/key/", texts.key_register, name="key_register"),
    path("texts/<int:pk>/sign/", texts.text_sign, name="text_sign"),
    path("texts/<int:pk>/export.<str:fmt>", texts.text_export, name="text_export"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/status/", commitments.commitment_status,
         name="commitment_status"),
    path("commitments/<int:pk>/answer/", commitments.commitment_answer,
         name="commitment_answer"),
]
