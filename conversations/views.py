"""Pages of the conversations: the workspace with its inbox, and information requests."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from conversations import cards, export, forms, mentions, selectors, translations
from conversations.models import InformationRequest, Procedure
from conversations.panels import draft_card, panel_context
from conversations.permissions import may_see_attachments, may_write, writing_authority
from conversations.services import cards as card_services
from conversations.services import requests as services
from directory import permissions as directory_permissions
from directory import selectors as directory_selectors
from directory.models import Authority
from directory.views.errors import add_service_errors

Status = InformationRequest.Status
INBOX_PAGE = 25
logger = logging.getLogger(__name__)


# --- the workspace -----------------------------------------------------------------------------


def _inbox_filters(request: HttpRequest) -> selectors.InboxFilters:
    params = request.GET
    try:
        procedure = int(params.get("procedure") or 0) or None
    except ValueError:
        procedure = None
    return selectors.InboxFilters(
        bucket=params.get("bucket", "") if params.get("bucket") in selectors.BUCKETS else "",
        procedure=procedure,
        country=params.get("country", "")[:2],
        status=params.get("status", "") if params.get("status") in Status.values else "",
        text=params.get("q", "")[:200],
    )


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    filters = _inbox_filters(request)
    found = selectors.inbox(request.user, filters)
    page = Paginator(found, INBOX_PAGE).get_page(request.GET.get("page"))
    translations.read_subjects(page.object_list, request.user)
    context = {"page": page, "filters": filters}
    if request.htmx and request.htmx.target == "inbox":
        return render(request, "conversations/partials/inbox.html", context)
    # The filters' choices are for the whole page only, not each live refresh of the list.
    context.update(
        buckets=BUCKET_LABELS,
        statuses=Status.choices,
        procedures=Procedure.objects.filter(
            kind=Procedure.Kind.REQUEST, is_active=True
        ).select_related("policy_area"),
        countries=directory_selectors.countries(),
        may_start=bool(_starting_authorities(request.user)),
    )
    return render(request, "conversations/workspace.html", context)


BUCKET_LABELS = {
    "mentioned": gettext_lazy("Mentioning you"),
    "": gettext_lazy("All"),
    "to_accept": gettext_lazy("To accept"),
    "to_answer": gettext_lazy("To answer"),
    "answers": gettext_lazy("Answers received"),
    "waiting": gettext_lazy("Waiting for the other side"),
    "overdue": gettext_lazy("Overdue"),
    "drafts": gettext_lazy("Drafts"),
    "closed": gettext_lazy("Closed"),
    "following": gettext_lazy("Followed as coordinator"),
}


# --- starting a request ------------------------------------------------------------------------


def _starting_authorities(official) -> list[Authority]:
    return [
        m.authority
        for m in directory_permissions.memberships(official)
        if m.authority.is_active and (m.is_handler or m.is_allocator)
    ]


def _startable(authority: Authority):
    return (
        Procedure.objects.filter(
            kind=Procedure.Kind.REQUEST,
            is_active=True,
            policy_area__in=authority.policy_areas.all(),
        )
        .select_related("policy_area")
        .order_by("policy_area__code", "code")
    )


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    authorities = _starting_authorities(request.user)
    if not authorities:
        raise PermissionDenied(_("Only request handlers of an active authority start requests."))
    requester = authorities[0]
    procedures = [p for p in _startable(requester) if requester.kind in p.starters]
    queryset = Procedure.objects.filter(pk__in=[p.pk for p in procedures])
    form = forms.NewRequestForm(request.POST or None, procedures=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_draft(
                official=request.user,
                requester=requester,
                procedure=form.cleaned_data["procedure"],
                subject=form.cleaned_data["subject"],
            )
            return redirect("conversations:request", request_id=created.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "conversations/new_request.html", {"form": form, "requester": requester})


# --- one request ----------------------------------------------------------------------------


def _readable(request: HttpRequest, request_id: int, *, light: bool = False) -> InformationRequest:
    found = selectors.request_for(request.user, request_id, light=light)
    if found is None:
        raise Http404
    return found


def _render_page(
    request: HttpRequest, info: InformationRequest, status: int = 200, **extra
) -> HttpResponse:
    """The request's page; after a refused step, with the form, its errors and input."""
    context = {
        **panel_context(info, request.user),
        "official": request.user,
        "entries": translations.read_entries(selectors.thread(info), request.user, info),
        "readings": translations.read_request(info, request.user),
        "message_form": forms.MessageForm(),
        **extra,
    }
    return render(request, "conversations/request.html", context, status=status)


@login_required
def request_page(request: HttpRequest, request_id: int) -> HttpResponse:
    return _render_page(request, _readable(request, request_id))


@login_required
@require_GET
def export_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """The whole request as a PDF file, as she reads it: in her language, with what her
    authority may not see yet left out. Never kept by a cache: it holds the case."""
    info = _readable(request, request_id)
    try:
        pdf = export.request_pdf(info, request.user)
    except export.ExportUnavailable as missing:
        logger.error("PDF export is unavailable: %s", missing)
        return render(
            request, "conversations/export_unavailable.html", {"request": info}, status=503
        )
    logger.info("Official %s exported request %s as PDF", request.user.pk, info.number)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{info.number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


STEPS = {
    # step: (form, service, keyword arguments taken from the form, confirmation)
    "send": (
        forms.AuthorityChoiceForm,
        services.send_request,
        {"to": "responder"},
        gettext_lazy("The request is sent."),
    ),
    "withdraw": (
        forms.ReasonForm,
        services.withdraw_request,
        {"reason": "reason"},
        gettext_lazy("The request is withdrawn."),
    ),
    "accept": (
        forms.OptionalDateForm,
        services.accept_request,
        {"answer_by": "answer_by"},
        gettext_lazy("You accepted the request."),
    ),
    "decline": (
        forms.ReasonForm,
        services.decline_request,
        {"reason": "reason"},
        gettext_lazy("You declined the request."),
    ),
    "forward": (
        forms.AuthorityChoiceForm,
        services.forward_request,
        {"to": "to", "reason": "reason"},
        gettext_lazy("The request is forwarded."),
    ),
    "propose_date": (
        forms.DateForm,
        services.propose_answer_date,
        {"answer_by": "answer_by"},
        gettext_lazy("Another answer date is proposed."),
    ),
    "agree_date": (
        None,
        services.agree_answer_date,
        {},
        gettext_lazy("The new answer date is agreed."),
    ),
    "answer": (
        forms.TextForm,
        services.answer_request,
        {"text": "text"},
        gettext_lazy("Your answer is sent."),
    ),
    "ask_for_more": (
        forms.TextForm,
        services.ask_for_more,
        {"text": "text"},
        gettext_lazy("Your question is sent."),
    ),
    "close": (None, services.close_request, {}, gettext_lazy("The case is closed.")),
    "call_coordinator": (
        forms.ReasonForm,
        services.call_in_coordinator,
        {"reason": "reason"},
        gettext_lazy("Your coordinator is called in."),
    ),
    "assign": (
        forms.AssignForm,
        services.assign_handler,
        {"handler": "handler"},
        gettext_lazy("The handler is assigned."),
    ),
}


def _step_arguments(step: str, cleaned: dict) -> dict:
    from directory.models import Official

    arguments = {}
    for field, argument in STEPS[step][2].items():
        value = cleaned.get(field)
        if argument in ("responder", "to") and value is not None:
            value = Authority.objects.filter(pk=value).first()
            if value is None:
                raise ValidationError({"to": _("Choose an authority from the search results.")})
        if argument == "handler":
            value = Official.objects.filter(pk=value).first()
        arguments[argument] = value
    return arguments


@login_required
@require_POST
def take_step(request: HttpRequest, request_id: int) -> HttpResponse:
    """One workflow step. A refused step says why beside the form and keeps the input."""
    info = _readable(request, request_id)
    step = request.POST.get("step", "")
    if step not in STEPS:
        raise Http404
    form_class, service, _fields, done = STEPS[step]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            arguments = _step_arguments(step, form.cleaned_data if form else {})
            service(official=request.user, request=info, **arguments)
            messages.success(request, done)
            return redirect("conversations:request", request_id=info.pk)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("conversations:request", request_id=info.pk)
            add_service_errors(form, error)
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("conversations:request", request_id=info.pk)
    return _render_page(
        request,
        _readable(request, request_id),
        status=422,
        failed_step=step,
        failed_form=form,
        failed_values=request.POST,
    )


@login_required
@require_POST
def edit_request(request: HttpRequest, request_id: int) -> HttpResponse:
    info = _readable(request, request_id)
    form = forms.DraftForm(request.POST, instance=info, card=draft_card(info))
    if form.is_valid():
        try:
            services.update_request(
                official=request.user,
                request=info,
                **{f: form.cleaned_data[f] for f in ("subject", "description", "person_concerned")},
                responder=info.responder,
                questions=form.cleaned_data.get("questions")
                if "questions" in form.fields
                else None,
            )
            messages.success(request, _("The request is saved."))
            return redirect("conversations:request", request_id=info.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("conversations:request", request_id=info.pk)
    return _render_page(request, _readable(request, request_id), status=422, draft_form=form)


@login_required
@require_POST
def post_message(request: HttpRequest, request_id: int) -> HttpResponse:
    """The composer. The new entry reaches every open page of the request over its
    socket; this response gives it to the author's page too, with a clear composer. A
    refused message comes back in the composer with the reason beside it."""
    info = _readable(request, request_id, light=True)
    form = forms.MessageForm(request.POST, request.FILES)
    if form.is_valid():
        reply_to = None
        if form.cleaned_data.get("reply_to"):
            reply_to = info.events.filter(pk=form.cleaned_data["reply_to"]).first()
        try:
            entry = services.post_message(
                official=request.user,
                request=info,
                text=form.cleaned_data["text"],
                language=form.cleaned_data.get("language") or "",
                reply_to=reply_to,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            if not request.htmx:
                return redirect("conversations:request", request_id=info.pk)
            return render(
                request,
                "conversations/partials/message_sent.html",
                {
                    "entries": translations.read_entries(
                        [selectors.thread_entry(info, entry.pk)], request.user, info
                    ),
                    "request": info,
                    "official": request.user,
                    "message_form": forms.MessageForm(),
                },
            )
    if request.htmx:
        # htmx swaps only successful responses: the refusal travels as one, in the form.
        return render(
            request, "conversations/partials/composer.html", {"request": info, "message_form": form}
        )
    return _render_page(request, _readable(request, request_id), status=422, message_form=form)


@login_required
@require_POST
def ask_questions(request: HttpRequest, request_id: int) -> HttpResponse:
    """A follow-up card: standard questions asked in the middle of the case."""
    info = _readable(request, request_id)
    try:
        card_services.add_card(
            official=request.user,
            request=info,
            question_set=info.procedure.question_set,
            codes=request.POST.getlist("questions"),
        )
    except (ValidationError, PermissionDenied) as refusal:
        messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
    return redirect("conversations:request", request_id=info.pk)


@login_required
@require_POST
def answer_card(request: HttpRequest, request_id: int, card_id: int) -> HttpResponse:
    """Saves a card's answers, or submits them. A refusal comes back in the card with
    the reason beside each question and every answer as typed; nothing is stored."""
    info = _readable(request, request_id, light=True)
    card = info.cards.select_related("question_set", "event").filter(pk=card_id).first()
    if card is None or card.event_id is None:
        raise Http404
    typed = {
        key.removeprefix("q-"): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q-")
    }
    files = {
        key.removeprefix("q-"): upload
        for key, upload in request.FILES.items()
        if key.startswith("q-")
    }
    status, errors, stale = 200, None, ""
    try:
        card_services.save_answers(
            official=request.user,
            card=card,
            answers=typed,
            files=files,
            revision=_int(request.POST.get("revision")),
            submit=request.POST.get("action") == "submit",
        )
    except card_services.StaleCard as conflict:
        stale, status = str(conflict), 409
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        status = 422
    except PermissionDenied as denied:
        stale, status = str(denied), 403
    else:
        typed = None
    card.refresh_from_db()
    view = cards.view(
        card,
        request.user,
        info,
        typed=typed,
        errors={code: " ".join(messages) for code, messages in (errors or {}).items()},
        stale=stale or " ".join((errors or {}).get("", [])) or "",
    )
    if not request.htmx:
        if status == 200:
            return redirect(f"{reverse('conversations:request', args=[info.pk])}#card-{card.pk}")
        return _render_page(request, _readable(request, request_id), status=status)
    # htmx swaps only successful responses: a refusal travels as one, in the card.
    return render(request, "conversations/partials/card.html", {"cv": view, "request": info})


@login_required
@require_POST
def split_card(request: HttpRequest, request_id: int, card_id: int) -> HttpResponse:
    """Some of a card's questions sent on, as a new request, to another authority of the
    requested authority's country. A refusal comes back beside the split form, with the
    questions, the authority and the note as chosen."""
    info = _readable(request, request_id)
    card = info.cards.filter(pk=card_id).first()
    if card is None or card.event_id is None:
        raise Http404
    codes = request.POST.getlist("questions")
    recipient_id = _int(request.POST.get("recipient"))
    recipient = Authority.objects.filter(pk=recipient_id).first() if recipient_id > 0 else None
    message = request.POST.get("message", "")
    try:
        split = services.split_request(
            official=request.user,
            request=info,
            card=card,
            codes=codes,
            recipient=recipient,
            message=message,
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return redirect("conversations:request", request_id=info.pk)
    else:
        messages.success(
            request,
            _("The questions are sent to %(authority)s as %(number)s.")
            % {"authority": recipient.name, "number": split.number},
        )
        return redirect("conversations:request", request_id=info.pk)
    failed = {
        "card": card.pk,
        "general": " ".join(errors.pop("", [])),
        "errors": {field: " ".join(texts) for field, texts in errors.items()},
        "codes": codes,
        "recipient": recipient,
        "message": message,
    }
    return _render_page(request, _readable(request, request_id), status=422, split_failed=failed)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@login_required
def attachment(request: HttpRequest, request_id: int, attachment_id: int) -> FileResponse:
    """One attached file, downloaded. A request she may not read, or an id of another
    request, is a 404 (nothing said about what exists); a file still hidden from her
    authority until it accepts is a 403."""
    info = _readable(request, request_id, light=True)
    found = selectors.attachment_of(info, attachment_id)
    if found is None:
        raise Http404
    if not may_see_attachments(request.user, info, found.event.authority_id):
        raise PermissionDenied(
            _("Attachments are shown once your authority has accepted the request.")
        )
    try:
        content = found.file.open("rb")
    except FileNotFoundError:
        logger.error("Attachment %s of request %s is missing from storage", found.pk, info.pk)
        raise Http404 from None
    response = FileResponse(
        content, as_attachment=True, filename=found.name, content_type=found.content_type
    )
    # Never rendered by the browser as something else, never kept by a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@login_required
def mentionable(request: HttpRequest, request_id: int) -> HttpResponse:
    """The colleagues the composer offers after "@", as she types their name."""
    info = _readable(request, request_id, light=True)
    authority = writing_authority(request.user, info) if may_write(request.user, info) else None
    query = request.GET.get("q", "").strip()[:100]
    colleagues = []
    if authority is not None:
        colleagues = mentions.mentionable(authority, writer=request.user, query=query, limit=8)
    return render(
        request, "conversations/partials/mention_choices.html", {"colleagues": colleagues}
    )


@login_required
def recipients(request: HttpRequest, request_id: int) -> HttpResponse:
    """Authorities that may receive the request, found in the directory as you type."""
    info = _readable(request, request_id)
    query = request.GET.get("q", "")
    # Questions split off a request go to an authority of the requested one's country.
    country = None
    if request.GET.get("scope") == "split" and info.responder is not None:
        country = info.responder.country_id
    found = directory_selectors.search_authorities(
        viewer=request.user, query=query, policy_area=info.procedure.policy_area, country=country
    )[0:30]
    excluded = {info.requester_id, info.responder_id}
    choices = [a for a in found if a.kind in info.procedure.receivers and a.pk not in excluded]
    return render(
        request,
        "conversations/partials/recipients.html",
        {"choices": choices[:10], "query": query, "field": request.GET.get("field", "to")},
    )


# --- notification settings -------------------------------------------------------------------


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Per kind of exchange: live notices, an e-mail digest (hourly or daily), or none."""
    from conversations import notifications
    from conversations.models import NotificationPreference

    chosen = notifications.preferences(request.user)
    errors = {}
    if request.method == "POST":
        choices = {kind: request.POST.get(kind, "") for kind in chosen}
        errors = {
            kind: _("Choose one of the options.")
            for kind, delivery in choices.items()
            if delivery not in NotificationPreference.Delivery.values
        }
        if not errors:
            notifications.choose(official=request.user, choices=choices)
            messages.success(request, _("Your notification settings were saved."))
            return redirect("conversations:notifications")
        chosen = {kind: choices[kind] or chosen[kind] for kind in chosen}
    rows = [(kind, label, chosen[kind], errors.get(kind)) for kind, label in Procedure.Kind.choices]
    return render(
        request,
        "conversations/notifications.html",
        {"rows": rows, "deliveries": NotificationPreference.Delivery.choices},
        status=422 if errors else 200,
    )
