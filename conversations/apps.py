from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_procedures(sender, apps=global_apps, **kwargs) -> None:
    from conversations.procedures import load_procedures as load
    from conversations.questions import load_question_sets

    try:
        load(apps=apps)
        load_question_sets(apps=apps)
    except LookupError:  # migrated back to before procedures or question sets existed
        return


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        # After the directory's own handler (INSTALLED_APPS order): areas exist by then.
        post_migrate.connect(load_procedures, sender=self)
