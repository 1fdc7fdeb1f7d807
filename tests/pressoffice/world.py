"""One of everything the admin has a screen for, and one user per role: the permission matrix's
world. Each object is the kind a role must not see unless the README's role table says so: the
other department's draft, a case assigned to another executor, a journalist's application."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import APIToken, Collection, Page, Site, Task, Workflow

from accreditation.models import Accreditation, JournalistDecision
from newsroom import roles
from newsroom.models import (
    Answer,
    BroadcastQuestion,
    CalendarOverride,
    CaseImport,
    MonthlyPlan,
    RegulationProfile,
    StylePhrase,
    UrgentPublication,
)
from social_sync.models import SandboxPost, SocialAccount
from tests.accreditation.factories import (
    AccreditationFactory,
    AccreditationPageFactory,
    ApplicationFactory,
    JournalistFactory,
)
from tests.factories import (
    EventPageFactory,
    ImageFactory,
    NewsPageFactory,
    UserFactory,
    jpeg_bytes,
)
from tests.newsroom.casework.factories import CaseFactory
from tests.social_sync.factories import (
    CommentFactory,
    OutboxItemFactory,
    SocialAccountFactory,
    WatchedPostFactory,
)

ROLES = (
    "anonymous",
    "editor",
    "head",
    "department",
    "curator",
    "executor",
    "accreditation",
    "administrator",
)
SECRET_TITLE = "Черновик ЖКХ о котельной"
SECRET_CASE_TEXT = "Тайное сообщение жителя про котельную"
# The next title of a live page of the other department, not yet published.
SECRET_DRAFT_TITLE = "Снос котельной на Заречной: новый заголовок"
# A citizen's question to a broadcast: the press office's list only.
SECRET_QUESTION = "Когда снесут котельную у дома Тайновых?"
SECRET_QUESTION_AUTHOR = "Мария Тайнова"


@dataclass
class World:
    site_tree: object
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world(site_tree):
    world = World(site_tree)
    world.users = {
        "editor": UserFactory(username="m-editor", groups=[roles.EDITORS]),
        "head": UserFactory(username="m-head", groups=[roles.HEAD_OF_PRESS_OFFICE]),
        "department": UserFactory(username="m-dept", groups=[site_tree.department.group_name]),
        "curator": UserFactory(username="m-curator", groups=[roles.CURATORS]),
        "executor": UserFactory(username="m-executor", groups=[roles.EXECUTORS]),
        "accreditation": UserFactory(username="m-accr", groups=[roles.ACCREDITATION]),
        "administrator": UserFactory(username="m-admin", groups=[roles.ADMINISTRATORS]),
    }
    other_executor = UserFactory(username="m-executor-2", groups=[roles.EXECUTORS])
    o = world.objects

    # Pages: the department's own draft, the other department's draft, live items.
    o["mine"] = NewsPageFactory(
        parent=site_tree.area, title="Черновик отдела образования", live=False
    )
    o["mine"].save_revision(user=world.users["department"])
    o["secret"] = NewsPageFactory(parent=site_tree.other_area, title=SECRET_TITLE, live=False)
    o["secret"].save_revision()
    o["live_news"] = NewsPageFactory(parent=site_tree.area, title="Опубликованная новость")
    o["retitled"] = NewsPageFactory(parent=site_tree.other_area, title="Ремонт котельной")
    o["retitled"].title = SECRET_DRAFT_TITLE
    o["retitled_revision"] = o["retitled"].save_revision(user=world.users["editor"])
    o["event"] = EventPageFactory(parent=site_tree.event_index, title="День района")
    o["accreditation_page"] = AccreditationPageFactory(parent=site_tree.home)
    # The secret draft is in the publication workflow (its task state is what the workflow
    # screens are about).
    workflow = Workflow.objects.get(name=roles.PUBLICATION_WORKFLOW)
    o["workflow"] = workflow
    o["workflow_state"] = workflow.start(o["secret"], world.users["editor"])
    o["task_state"] = o["workflow_state"].current_task_state
    o["task"] = Task.objects.get(name=roles.EDITOR_REVIEW_TASK)
    o["page_revision"] = o["secret"].get_latest_revision()

    # Cases: one assigned to another executor, with an answer.
    o["case"] = CaseFactory(text=SECRET_CASE_TEXT, executor=other_executor, status="drafting")
    o["answer"] = Answer.objects.create(case=o["case"], text="Проект ответа про котельную")
    o["answer"].save_revision(user=other_executor)
    o["answer_workflow_state"] = Answer.get_default_workflow().start(o["answer"], other_executor)
    o["answer_task_state"] = o["answer_workflow_state"].current_task_state
    o["case_import"] = CaseImport.objects.create(
        created_by=world.users["curator"], filename="m.csv", source="import", total=1
    )

    # Accreditation.
    application = ApplicationFactory(page=o["accreditation_page"])
    o["application"] = application
    o["journalist"] = JournalistFactory(application=application)
    o["journalist"].photo.save("matrix.jpg", ContentFile(jpeg_bytes()), save=True)
    o["accreditation"] = AccreditationFactory(
        journalist__application__page=o["accreditation_page"],
        journalist__decision=JournalistDecision.APPROVED,
    )

    # Social networks.
    o["social_account"] = SocialAccountFactory()
    o["outbox_item"] = OutboxItemFactory(account=o["social_account"], failed=True)
    o["comment"] = CommentFactory(
        post=WatchedPostFactory(account=o["social_account"]),
        text="Комментарий под постом о котельной",
    )
    o["sandbox_post"] = SandboxPost.objects.create(
        account=o["social_account"], text="Пост в песочнице", link="https://example.ru/news/1/"
    )

    # Newsroom snippets and settings.
    o["department_obj"] = site_tree.department
    o["stylephrase"] = StylePhrase.objects.create(
        phrase="проводить мероприятие в матрице", suggestion="проводить"
    )
    o["regulationprofile"] = RegulationProfile.objects.first()
    o["monthlyplan"] = MonthlyPlan.objects.create(
        site=Site.objects.get(is_default_site=True),
        month=timezone.localdate().replace(day=1),
        live=False,
    )
    o["monthlyplan"].save_revision(user=world.users["editor"])
    o["broadcastquestion"] = BroadcastQuestion.objects.create(
        event=o["event"],
        name=SECRET_QUESTION_AUTHOR,
        settlement="с. Ключи",
        text=SECRET_QUESTION,
        consent_text="согласие",
    )
    o["calendaroverride"] = CalendarOverride.objects.create(
        date=timezone.localdate().replace(month=12, day=30), kind="day_off"
    )
    o["urgent"] = UrgentPublication.objects.create(
        page=o["live_news"], title="Опубликованная новость", reason="Штормовое предупреждение МЧС"
    )

    # Wagtail's own.
    o["image"] = ImageFactory(title="Фото с совещания", collection=Collection.get_first_root_node())
    document_model = get_document_model()
    document = document_model(
        title="Постановление № 1", collection=Collection.get_first_root_node()
    )
    document.file.save("postanovlenie.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    o["document"] = document
    o["collection"] = Collection.get_first_root_node().add_child(name="Фото пресс-службы")
    o["redirect"] = Redirect.objects.create(old_path="/old", redirect_link="/news/")
    o["site"] = Site.objects.get(is_default_site=True)
    o["group"] = Group.objects.get(name=roles.EDITORS)
    o["user"] = other_executor
    token, _plain = APIToken.create_token(user=world.users["curator"], name="Мониторинг")
    o["api_token"] = token
    return world


def model_objects(world):
    """The sample object of each model that has admin screens, by ``app_label.model_name``."""
    o = world.objects
    return {
        "newsroom.answer": o["answer"],
        "newsroom.department": o["department_obj"],
        "newsroom.stylephrase": o["stylephrase"],
        "newsroom.monthlyplan": o["monthlyplan"],
        "newsroom.broadcastquestion": o["broadcastquestion"],
        "newsroom.regulationprofile": o["regulationprofile"],
        "newsroom.calendaroverride": o["calendaroverride"],
        "social_sync.socialaccount": o["social_account"],
        "wagtailcore.page": o["secret"],
        "wagtailcore.site": o["site"],
        "wagtailcore.collection": o["collection"],
        "auth.group": o["group"],
        "auth.user": o["user"],
        "wagtailimages.image": o["image"],
        "wagtaildocs.document": o["document"],
        "accreditation.accreditation": o["accreditation"],
        "social_sync.outboxitem": o["outbox_item"],
    }


__all__ = [
    "ROLES",
    "World",
    "build_world",
    "model_objects",
    "Accreditation",
    "Page",
    "SocialAccount",
]
