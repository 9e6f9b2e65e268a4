from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_reference_data(sender, apps=global_apps, **kwargs) -> None:
    # Uses the models as migrated (`apps`), never ahead of the schema; `flush` (which
    # tests run between transactional tests) sends the signal without them.
    from directory.reference import load_reference_data as load

    try:
        load(apps=apps)
    except LookupError:  # migrated back to before the directory existed
        return


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from config.sqlite import tune_sqlite

        tune_sqlite()  # before any connection is opened: none is while apps load
        post_migrate.connect(load_reference_data, sender=self)
