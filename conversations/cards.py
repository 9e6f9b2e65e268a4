"""A question card as one official sees it: every question, option and chosen answer in
her language (pre-translated), written answers machine-translated with the original
kept, personal data hidden until her authority may see it, and, when it is hers to
answer, the form with what she has typed so far."""

from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from conversations.models import Card, InformationRequest
from conversations.permissions import may_see_personal_data
from conversations.questions import Question, applicable
from conversations.services.cards import may_answer
from conversations.translations import Reading, read_texts
from directory.models import Country, Official


@dataclass
class QuestionView:
    question: Question
    label: str
    help: str
    value: object  # as stored (or as typed, in a refused form)
    shown: bool
    hidden_personal: bool = False
    display: str = ""  # the answer in the reader's words, for a chosen or typed value
    reading: Reading | None = None  # a written answer, translated or not
    options: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def chosen(self) -> list[str]:
        return self.value if isinstance(self.value, list) else [self.value]


@dataclass
class CardView:
    card: Card
    title: str
    questions: list[QuestionView]
    answerable: bool
    stale: str = ""
    countries: list = field(default_factory=list)  # for country questions, when answering

    @property
    def prefix(self) -> str:
        """What the ids of its questions start with on the page."""
        return f"card-{self.card.pk}"

    @property
    def language(self) -> str:
        """The language its written answers were written in."""
        return self.card.language

    @property
    def splittable(self) -> bool:
        """The requested authority, answering, may send some questions on to another
        authority of its country."""
        return self.answerable and self.card.answered_by == "responder"

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.shown and q.value not in (None, "", []))


def view(
    card: Card,
    reader: Official,
    request: InformationRequest,
    *,
    typed: dict | None = None,
    errors: dict | None = None,
    stale: str = "",
) -> CardView:
    """`typed`: the raw answers of a refused form, shown again as she typed them."""
    language = reader.language
    answerable = may_answer(reader, card, request)
    sees_personal = may_see_personal_data(reader, request) or answerable
    asked = card.asked()
    values = dict(card.answers)
    if typed is not None:
        values = typed_values(asked, typed)
    questions = question_views(
        asked, values, language, errors=errors, hidden_personal=not sees_personal
    )
    _read_free_texts(card, questions, reader)
    countries = []
    if answerable and any(q.question.type == "country" for q in questions):
        countries = sorted(Country.objects.all(), key=lambda country: country.name)
    return CardView(
        card=card,
        title=card.question_set.schema.name(language),
        questions=questions,
        answerable=answerable,
        stale=stale,
        countries=countries,
    )


def question_views(
    asked: list[Question],
    values: dict,
    language: str,
    *,
    errors: dict | None = None,
    hidden_personal: bool = False,
) -> list[QuestionView]:
    """The questions in the reader's language, with their answers in her words, which
    apply (`shown`), and the error beside each refused one."""
    applying = applicable(asked, values)
    questions = []
    for question in asked:
        value = values.get(question.code)
        item = QuestionView(
            question=question,
            label=question.label(language),
            help=question.help_text(language),
            value=value,
            shown=question.code in applying,
            hidden_personal=question.personal_data and hidden_personal,
            options=[(option.code, option.label(language)) for option in question.options],
            error=(errors or {}).get(question.code, ""),
        )
        with translation.override(language):
            item.display = _display(question, value, language)
        questions.append(item)
    return questions


def typed_values(asked: list[Question], typed: dict) -> dict:
    """The raw answers of a refused form (code → values), as the form shows them again."""
    values = {}
    for question in asked:
        raw = [value for value in typed.get(question.code, []) if value]
        if raw:
            values[question.code] = raw if question.type == "multiple_choice" else raw[-1]
    return values


@dataclass
class ContentView:
    """An alert's standard content: the same questions as a card, answered by the sender
    while writing it, read by every recipient in her own language."""

    title: str
    questions: list[QuestionView]
    language: str
    prefix: str = "alert-card"
    countries: list = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.shown and q.value not in (None, "", []))


def content_view(
    question_set,
    values: dict,
    reader: Official,
    *,
    language: str = "",
    errors: dict | None = None,
    editing: bool = False,
) -> ContentView:
    """`values`: stored answers, or typed ones (`typed_values`) of a refused form;
    `language`: the one they were written in; `editing`: the sender's form."""
    asked = [q for q in question_set.schema.questions if q.type != "file"]
    questions = question_views(asked, values, reader.language, errors=errors)
    if not editing:
        written = [
            q
            for q in questions
            if q.question.type in ("short_text", "long_text") and isinstance(q.value, str)
        ]
        readings = read_texts([q.value for q in written], language or reader.language, reader)
        for item, reading in zip(written, readings, strict=True):
            item.reading = reading
    countries = []
    if editing and any(q.question.type == "country" for q in questions):
        countries = sorted(Country.objects.all(), key=lambda country: country.name)
    return ContentView(
        title=question_set.schema.name(reader.language),
        questions=questions,
        language=language,
        countries=countries,
    )


def _display(question: Question, value, language: str) -> str:
    if value in (None, "", []):
        return ""
    if question.type == "yes_no":
        return {"yes": _("Yes"), "no": _("No")}.get(value, "")
    if question.type in ("single_choice", "multiple_choice"):
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(
            option.label(language) for option in question.options if option.code in chosen
        )
    if question.type == "date":
        parsed = parse_date(value) if isinstance(value, str) else None
        return formats.date_format(parsed, "DATE_FORMAT") if parsed else str(value)
    if question.type == "country":
        country = Country.objects.filter(code=value).first()
        return country.name if country else str(value)
    if question.type == "file":
        return value.get("name", "") if isinstance(value, dict) else ""
    return str(value)


def _read_free_texts(card: Card, questions: list[QuestionView], reader: Official) -> None:
    written = [
        q
        for q in questions
        if q.question.type in ("short_text", "long_text") and isinstance(q.value, str) and q.value
    ]
    own = card.saved_by_id == reader.pk or card.status != Card.Status.SUBMITTED
    readings = read_texts(
        [q.value for q in written], card.language or reader.language, reader, own=own
    )
    for item, reading in zip(written, readings, strict=True):
        item.reading = reading
