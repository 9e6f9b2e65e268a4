"""Pages of alerts and notifications: the list, writing one (with a live count of whom it
will reach), and one alert with its thread, its steps and its acknowledgements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conversations import alert_access, cards, forms, translations
from conversations.models import Alert, Procedure
from conversations.services import alerts as services
from directory.models import Authority, Country

Status = Alert.Status
LIST_PAGE = 25
RECIPIENTS_PAGE = 50
SHOWN = {
    "waiting": gettext_lazy("Waiting for you"),
    "sent": gettext_lazy("Sent by your authority"),
    "all": gettext_lazy("All"),
}


def _sending_authorities(official) -> list[Authority]:
    return [
        m.authority
        for m in alert_access._active(official)
        if m.authority_id in alert_access.acting_authorities(official)
        and services.startable_procedures(m.authority)
    ]


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "waiting")
    if show not in SHOWN:
        show = "waiting"
    page = Paginator(alert_access.inbox(request.user, show), LIST_PAGE).get_page(
        request.GET.get("page")
    )
    alerts = list(page.object_list)
    translations.read_alert_subjects(alerts, request.user)
    unacknowledged = alert_access.unacknowledged_ids(request.user)
    for alert in alerts:
        alert.waits_for_me = alert.pk in unacknowledged
    template = "conversations/alerts/list.html"
    if request.htmx and request.htmx.target == "alert-list":
        template = "conversations/alerts/partials/list.html"
    return render(
        request,
        template,
        {
            "alerts": alerts,
            "page": page,
            "show": show,
            "shown": SHOWN,
            "may_send": bool(_sending_authorities(request.user)),
        },
    )


def _alert_form(request: HttpRequest, sender: Authority, alert: Alert | None = None):
    procedures = Procedure.objects.filter(
        pk__in=[p.pk for p in services.startable_procedures(sender)]
    )
    initial = None
    if alert is not None:
        initial = {
            "procedure": alert.procedure_id,
            "urgency": alert.urgency,
            "subject": alert.subject,
            "body": alert.body,
            "countries": alert.countries,
            "authority_kinds": alert.authority_kinds,
        }
    return forms.AlertForm(
        request.POST or None,
        initial=initial or {"authority_kinds": [Authority.Kind.COMPETENT_AUTHORITY]},
        procedures=procedures,
        countries=Country.objects.all(),
    )


def _typed_answers(request: HttpRequest) -> dict[str, list[str]]:
    """The standard content as typed: `q-<question code>` fields."""
    return {name[2:]: request.POST.getlist(name) for name in request.POST if name.startswith("q-")}


def _content(question_set, official, *, alert=None, typed=None, errors=None):
    """The standard content's questions in the form: as stored, or as typed when refused."""
    if question_set is None:
        return None
    asked = [q for q in question_set.schema.questions if q.type != "file"]
    values = (
        cards.typed_values(asked, typed)
        if typed is not None
        else (dict(alert.answers) if alert is not None else {})
    )
    return cards.content_view(question_set, values, official, errors=errors, editing=True)


def _save(request: HttpRequest, form, sender: Authority, alert: Alert | None) -> Alert:
    data = form.cleaned_data
    fields = {
        "subject": data["subject"],
        "body": data["body"],
        "urgency": data["urgency"],
        "countries": data["countries"],
        "authority_kinds": data["authority_kinds"],
        "answers": _typed_answers(request),
    }
    if alert is None:
        return services.create_alert(
            official=request.user, sender=sender, procedure=data["procedure"], **fields
        )
    return services.update_draft(official=request.user, alert=alert, **fields)


def _write(request: HttpRequest, alert: Alert | None) -> HttpResponse:
    """Writing a new alert, or changing a draft: saved as a draft, or sent."""
    senders = _sending_authorities(request.user)
    if alert is not None:
        senders = [a for a in senders if a.pk == alert.sender_id]
    if not senders:
        raise PermissionDenied(_("Your authority may not send alerts."))
    sender = senders[0]
    form = _alert_form(request, sender, alert)
    question_errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, sender, alert)
            alert = saved
            if "send" in request.POST:
                saved = services.submit_alert(official=request.user, alert=saved)
                messages.success(
                    request,
                    _("The alert is with your national coordinator for validation.")
                    if saved.status == Status.VALIDATION
                    else _("The alert is broadcast."),
                )
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("conversations:alert", alert_id=saved.pk)
        except ValidationError as error:
            question_errors = _split_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
    procedure = _chosen_procedure(form, alert)
    content = _content(
        services.content_set(procedure) if procedure else None,
        request.user,
        alert=alert,
        typed=_typed_answers(request) if request.method == "POST" else None,
        errors=question_errors,
    )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "conversations/alerts/form.html",
        {
            "form": form,
            "sender": sender,
            "alert": alert,
            "preview": _preview(form),
            "content": content,
        },
        status=status,
    )


def _split_errors(form, error: ValidationError) -> dict[str, str]:
    """A refusal's errors beside the form's fields, and those about a standard question
    beside that question (returned)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return {}
    questions = {}
    for name, errors in error.error_dict.items():
        if name in form.fields or name == "__all__":
            form.add_error(name if name in form.fields else None, errors)
        else:
            questions[name] = " ".join(message for e in errors for message in e.messages)
    if questions:
        form.add_error(None, _("Some standard questions need your attention."))
    return questions


def _chosen_procedure(form, alert: Alert | None) -> Procedure | None:
    if form.is_bound:
        try:
            return form.fields["procedure"].queryset.get(pk=int(form.data.get("procedure") or 0))
        except (Procedure.DoesNotExist, ValueError):
            return None
    return alert.procedure if alert is not None else None


@login_required
def content_fields(request: HttpRequest) -> HttpResponse:
    """The standard questions of the procedure just chosen in the alert form."""
    senders = _sending_authorities(request.user)
    if not senders:
        raise PermissionDenied(_("Your authority may not send alerts."))
    procedures = services.startable_procedures(senders[0])
    procedure = next((p for p in procedures if str(p.pk) == request.GET.get("procedure", "")), None)
    return render(
        request,
        "conversations/alerts/partials/content_fields.html",
        {"content": _content(services.content_set(procedure) if procedure else None, request.user)},
    )


@login_required
def new_alert(request: HttpRequest) -> HttpResponse:
    return _write(request, None)


@login_required
def edit_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _readable(request, alert_id)
    if alert.status != Status.DRAFT:
        return redirect("conversations:alert", alert_id=alert.pk)
    return _write(request, alert)


def _preview(form) -> dict | None:
    """Whom the alert would reach, from whatever the form holds now."""
    data = form.data if form.is_bound else None
    if data is None:
        return None
    try:
        procedure = Procedure.objects.get(pk=int(data.get("procedure") or 0))
    except (Procedure.DoesNotExist, ValueError):
        return None
    countries = data.getlist("countries") if hasattr(data, "getlist") else []
    kinds = data.getlist("authority_kinds") if hasattr(data, "getlist") else []
    return services.preview(procedure, countries, kinds)


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The live count beside the targeting choices."""
    senders = _sending_authorities(request.user)
    if not senders:
        raise PermissionDenied(_("Your authority may not send alerts."))
    form = _alert_form(request, senders[0])
    return render(
        request, "conversations/alerts/partials/preview.html", {"preview": _preview(form)}
    )


def _readable(request: HttpRequest, alert_id: int) -> Alert:
    alert = alert_access.alert_for(request.user, alert_id)
    if alert is None:
        raise Http404(_("No such alert, or not one your authority may see."))
    return alert


def tracking_context(alert: Alert, official) -> dict:
    """Her part in the alert as sender, validator or country coordinator, and the
    acknowledgements per country she may follow: the whole table for the sender and the
    validator, her own countries' rows for a country's coordinator."""
    mine = alert_access.acting_authorities(official)
    is_sender = alert.sender_id in mine
    validator = alert_access.validator_for(official, alert)
    countries = alert_access.coordinated_countries(official, alert)
    tracks = is_sender or validator is not None or bool(countries)
    table = alert_access.tracking(alert) if tracks and alert.broadcast_at else []
    if not is_sender and validator is None:
        table = [row for row in table if row["code"] in countries]
    return {
        "alert": alert,
        "is_sender": is_sender,
        "validator": validator,
        "coordinated": countries,
        "tracking": table,
        "tracks": tracks,
        "totals": {
            "reached": sum(row["reached"] for row in table),
            "acknowledged": sum(row["acknowledged"] for row in table),
        },
    }


def page_context(alert: Alert, official, **extra) -> dict:
    """What an alert's page shows this official: the text in her language, its thread,
    her authority's acknowledgement, the steps she may take and, for the sender and the
    coordinators, the acknowledgements per country."""
    from conversations.models import AlertRecipient

    own_row = (
        AlertRecipient.objects.filter(
            alert=alert, authority_id__in=alert_access.acting_authorities(official)
        )
        .select_related("acknowledged_by")
        .order_by("acknowledged_at")
        .first()
    )
    content = None
    if alert.question_set is not None:
        content = cards.content_view(
            alert.question_set, dict(alert.answers), official, language=alert.language
        )
    context = tracking_context(alert, official)
    context.update(
        {
            "content": content,
            "readings": translations.read_alert(alert, official),
            "versions": list(alert.versions.select_related("changed_by")),
            "entries": translations.read_alert_entries(
                alert_access.thread(official, alert), official, alert
            ),
            "own_row": own_row,
            "may_comment": alert.status == Status.BROADCAST
            and (context["is_sender"] or own_row is not None),
            "official": official,
        }
    )
    context.update(extra)
    return context


@login_required
def alert_page(request: HttpRequest, alert_id: int, status: int = 200, **extra) -> HttpResponse:
    alert = _readable(request, alert_id)
    context = page_context(alert, request.user, **extra)
    if alert.procedure.routing == Procedure.Routing.COORDINATORS and context["coordinated"]:
        context["disseminate"] = _dissemination_choices(alert, context["coordinated"])
    return render(request, "conversations/alerts/page.html", context, status=status)


def _dissemination_choices(alert: Alert, countries: list[str]) -> list[dict]:
    from conversations.models import AlertRecipient

    reached = set(AlertRecipient.objects.filter(alert=alert).values_list("authority_id", flat=True))
    choices = []
    for code in countries:
        concerned = services.concerned_authorities(alert.procedure, [code], alert.authority_kinds)
        authorities = list(concerned.order_by("name").only("id", "name", "acronym")[:500])
        choices.append(
            {
                "code": code,
                "country": Country.objects.filter(code=code).first(),
                "authorities": [(a, a.pk in reached) for a in authorities],
                "waiting": sum(1 for a in authorities if a.pk not in reached),
                "total": concerned.count(),
            }
        )
    return choices


STEPS = {
    "acknowledge",
    "validate",
    "return",
    "disseminate",
    "comment",
    "modify",
    "withdraw",
    "close",
    "rectify",
    "remind",
}


def _take(request: HttpRequest, alert: Alert, step: str) -> str:
    """Runs one step; returns what to tell her."""
    official, post = request.user, request.POST
    if step == "acknowledge":
        services.acknowledge(official=official, alert=alert)
        return _("Acknowledged.")
    if step == "validate":
        services.validate_alert(official=official, alert=alert, approve=True)
        return _("Validated and broadcast.")
    if step == "return":
        services.validate_alert(
            official=official, alert=alert, approve=False, reason=post.get("reason", "")
        )
        return _("Returned to its sender.")
    if step == "disseminate":
        chosen = None if post.get("everyone") else post.getlist("authorities")
        try:
            chosen = None if chosen is None else [int(pk) for pk in chosen]
        except ValueError as error:
            raise ValidationError(_("Choose authorities from the list.")) from error
        reached = services.disseminate(
            official=official, alert=alert, country=post.get("country", ""), authority_ids=chosen
        )
        return _("Passed on to %(count)s authorities.") % {"count": reached}
    if step == "comment":
        services.comment(official=official, alert=alert, body=post.get("body", ""))
        return _("Comment sent.")
    if step == "modify":
        services.modify(
            official=official,
            alert=alert,
            subject=post.get("subject", ""),
            body=post.get("body", ""),
            note=post.get("note", ""),
        )
        return _("The alert is modified; every recipient sees what changed.")
    if step == "withdraw":
        services.withdraw(official=official, alert=alert, reason=post.get("reason", ""))
        return _("The alert is withdrawn.")
    if step == "close":
        services.close(official=official, alert=alert, reason=post.get("reason", ""))
        return _("The alert is closed.")
    if step == "rectify":
        services.rectify(official=official, alert=alert, body=post.get("body", ""))
        return _("The rectification is sent.")
    reminded = services.remind(official=official, alert=alert, country=post.get("country", ""))
    return _("Reminder sent to %(count)s authorities.") % {"count": reminded}


@login_required
@require_POST
def take_step(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Every step of an alert's page. A refused one comes back on the page, with the
    reason beside the form it came from and what she typed kept."""
    alert = _readable(request, alert_id)
    step = request.POST.get("step", "")
    if step not in STEPS:
        raise Http404(_("No such step."))
    try:
        done = _take(request, alert, step)
    except ValidationError as error:
        problems = (
            [str(m) for ms in error.message_dict.values() for m in ms]
            if hasattr(error, "error_dict")
            else list(error.messages)
        )
        return alert_page(request, alert_id, status=422, refused={"step": step, "errors": problems})
    except PermissionDenied as denied:
        return alert_page(
            request, alert_id, status=403, refused={"step": step, "errors": [str(denied)]}
        )
    messages.success(request, done)
    return redirect("conversations:alert", alert_id=alert.pk)


@login_required
def tracking(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The authorities of one country reached by the alert, and which acknowledged."""
    alert = _readable(request, alert_id)
    context = tracking_context(alert, request.user)
    country = request.GET.get("country", "")
    if not context["tracks"] or country not in {row["code"] for row in context["tracking"]}:
        raise Http404(_("No acknowledgements to show here."))
    page = Paginator(alert_access.recipients_of(alert, country), RECIPIENTS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "conversations/alerts/partials/recipients.html",
        {"alert": alert, "page": page, "country": country},
    )
