"""Rows for chat tests. State with rules (mutes, closed rooms) comes from the services."""

import factory

from chat.models import Message, Room, RoomKind
from forums.models import Access, Category
from network.markdown import render_markdown_lite
from tests.factories import UserFactory


class LiveCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"live-category-{n}")
    name = factory.Sequence(lambda n: f"Live category {n}")
    access = Access.MEMBERS
    has_live_room = True


class RoomFactory(factory.django.DjangoModelFactory):
    """A category room, as `ensure_category_rooms` makes them."""

    class Meta:
        model = Room

    category = factory.SubFactory(LiveCategoryFactory)
    slug = factory.LazyAttribute(lambda room: room.category.slug)
    name = factory.LazyAttribute(lambda room: room.category.name)
    kind = RoomKind.CATEGORY


class MessageFactory(factory.django.DjangoModelFactory):
    """A stored message; bypasses the room lock, so only for setting up history."""

    class Meta:
        model = Message

    room = factory.SubFactory(RoomFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Message number {n}")
    body_html = factory.LazyAttribute(lambda m: render_markdown_lite(m.body))
    client_id = factory.Sequence(lambda n: f"client-{n}")
