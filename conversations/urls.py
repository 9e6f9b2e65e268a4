from django.urls import path

from conversations import alert_views, views

app_name = "conversations"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("requests/new/", views.new_request, name="new_request"),
    path("requests/<int:request_id>/", views.request_page, name="request"),
    path("requests/<int:request_id>/export.pdf", views.export_request, name="export"),
    path("requests/<int:request_id>/step/", views.take_step, name="step"),
    path("requests/<int:request_id>/edit/", views.edit_request, name="edit"),
    path("requests/<int:request_id>/messages/", views.post_message, name="message"),
    path(
        "requests/<int:request_id>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("requests/<int:request_id>/mentionable/", views.mentionable, name="mentionable"),
    path("requests/<int:request_id>/cards/", views.ask_questions, name="ask_questions"),
    path("requests/<int:request_id>/cards/<int:card_id>/", views.answer_card, name="card"),
    path("requests/<int:request_id>/cards/<int:card_id>/split/", views.split_card, name="split"),
    path("requests/<int:request_id>/recipients/", views.recipients, name="recipients"),
    path("notifications/", views.notification_settings, name="notifications"),
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/new/", alert_views.new_alert, name="new_alert"),
    path("alerts/preview/", alert_views.preview, name="alert_preview"),
    path("alerts/content/", alert_views.content_fields, name="alert_content"),
    path("alerts/<int:alert_id>/", alert_views.alert_page, name="alert"),
    path("alerts/<int:alert_id>/edit/", alert_views.edit_alert, name="edit_alert"),
    path("alerts/<int:alert_id>/step/", alert_views.take_step, name="alert_step"),
    path("alerts/<int:alert_id>/tracking/", alert_views.tracking, name="alert_tracking"),
]
