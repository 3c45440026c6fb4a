"""The live Q&A of a workshop at /ws/workshops/<slug>/: questions, votes, answers,
announcements and the room's state, as they change. The page works without it."""

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from chat import protocol as chat_protocol
from network.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_NOT_SIGNED_IN, MemberConsumer
from profiles.models import User
from profiles.permissions import is_member
from workshops import permissions, protocol, selectors, services
from workshops.models import Question, Workshop

ACTIONS = {"ask", "vote", "unvote", "answer", "unanswer", "hide"}


class WorkshopConsumer(MemberConsumer):
    workshop: Workshop | None = None

    async def member_connected(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        workshop, allowed = await self.load(slug)
        if workshop is None:
            await self.refuse(CLOSE_NOT_FOUND)
            return
        if not allowed:
            await self.refuse(CLOSE_FORBIDDEN)
            return
        self.workshop = workshop
        self.groups_joined = [
            protocol.workshop_group(workshop.pk),
            # Chat's per-member group: logout, suspension and blocks make us re-check access.
            chat_protocol.member_group(self.user.pk),
        ]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(await self.hello())

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    @database_sync_to_async
    def load(self, slug: str) -> tuple[Workshop | None, bool]:
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None or not permissions.can_see(self.user, workshop):
            return None, False
        return workshop, permissions.can_use_qa(self.user, workshop)

    @database_sync_to_async
    def hello(self) -> dict:
        workshop = Workshop.objects.select_related("room").get(pk=self.workshop.pk)
        self.workshop = workshop
        questions = selectors.list_questions(viewer=self.user, workshop=workshop)
        return {
            "type": "hello",
            "workshop": workshop.slug,
            "qa": workshop.is_qa_enabled,
            "room_open": bool(workshop.room and workshop.room.is_open),
            "questions": [dict(protocol.question_frame(question)) for question in questions],
            "my_votes": [question.pk for question in questions if question.viewer_voted],
            "can_ask": permissions.can_ask(self.user, workshop),
            "can_answer": permissions.can_answer(self.user, workshop),
            "announcements": [
                dict(protocol.announcement_item(item))
                for item in selectors.list_pinned_announcements(workshop=workshop)
            ],
        }

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or content.get("type") not in ACTIONS:
            await self.send_error("invalid", _("Unknown request."))
            return
        try:
            reply = await self.act(content)
        except PermissionDenied:
            await self.send_error("forbidden", _("You cannot do that now."))
        except Question.DoesNotExist:
            await self.send_error("not_found", _("There is no such question."))
        except ValidationError as error:
            await self.send_error(error.code or "invalid", " ".join(error.messages))
        else:
            if reply is not None:
                await self.send_json(reply)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON
            await self.send_error("invalid", _("Send one JSON object per frame."))

    @database_sync_to_async
    def act(self, content: dict) -> dict | None:
        """Run one request through the services; return a frame for this socket alone."""
        kind = content["type"]
        workshop = Workshop.objects.get(pk=self.workshop.pk)
        if kind == "ask":
            body, client_id = content.get("body"), content.get("client_id", "")
            if not isinstance(body, str) or not isinstance(client_id, str):
                raise ValidationError(_("A question is text."), code="invalid")
            question, created = services.ask_question(
                workshop=workshop, author=self.user, body=body, client_id=client_id
            )
            # A retry: everyone has it already; only the asker needs it back.
            return None if created else dict(protocol.question_frame(question))
        question_id = content.get("id")
        if not isinstance(question_id, int) or isinstance(question_id, bool):
            raise ValidationError(_("Name the question by its id."), code="invalid")
        question = Question.objects.select_related("workshop", "author").get(
            workshop=workshop, pk=question_id, hidden_at__isnull=True
        )
        if kind == "vote":
            services.vote(question=question, voter=self.user)
            return {"type": "voted", "id": question.pk, "voted": True}
        if kind == "unvote":
            services.unvote(question=question, voter=self.user)
            return {"type": "voted", "id": question.pk, "voted": False}
        if kind == "hide":
            services.hide_question(question=question, by=self.user)
            return None
        services.mark_answered(question=question, by=self.user, answered=kind == "answer")
        return None

    async def send_error(self, code: str, detail: str) -> None:
        await self.send_json(dict(protocol.error_frame(code, detail)))

    async def workshop_frame(self, event: dict) -> None:
        await self.send_json(event["frame"])

    async def access_recheck(self, event: dict) -> None:
        """Chat asks every socket of a member to re-check access (logout, suspension)."""
        code = await self.lost_access(event.get("ended_session", ""))
        if code:
            await self.close(code=code)

    @database_sync_to_async
    def lost_access(self, ended_session: str) -> int:
        if ended_session and ended_session == getattr(self.scope.get("session"), "session_key", ""):
            return CLOSE_NOT_SIGNED_IN
        user = User.objects.filter(pk=self.user.pk).first()
        if not is_member(user):
            return CLOSE_NOT_SIGNED_IN
        workshop = Workshop.objects.filter(pk=self.workshop.pk).first()
        if workshop is None or not permissions.can_use_qa(user, workshop):
            return CLOSE_FORBIDDEN
        return 0
