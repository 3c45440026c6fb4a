import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forums import services
from forums.models import Post, PostImage, Topic

pytestmark = pytest.mark.django_db


def png_bytes(**info) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_a_reply_gets_the_next_number_and_updates_the_counters(topic, member):
    post = services.reply(author=member, topic=topic, body="Second")

    topic.refresh_from_db()
    topic.category.refresh_from_db()
    assert post.number == 2
    assert (topic.post_count, topic.last_number, topic.last_poster) == (2, 2, member)
    assert topic.category.post_count == 2 and topic.category.last_topic == topic


def test_preview_shows_the_rendered_text_and_stores_nothing(client_as, topic, member):
    response = client_as(member).post(
        f"/forums/t/{topic.id}/reply/", {"body": "Some **bold** words", "action": "preview"}
    )

    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()
    assert not Post.objects.filter(body__contains="bold").exists()


def test_quoting_a_post_starts_the_reply_with_it(client_as, topic, member):
    first = topic.posts.get(number=1)

    response = client_as(member).get(f"/forums/t/{topic.id}/reply/?quote={first.id}")

    body = response.context["form"].initial["body"]
    assert body.startswith(f"> [@{topic.author.username} wrote](/forums/p/{first.id}/)")
    assert "> First post" in body


def test_a_new_member_is_limited_sooner_than_an_established_one(topic, member, author, settings):
    settings.FORUMS_NEW_MEMBER_POST_LIMIT = (2, 600)
    settings.FORUMS_POST_LIMIT = (4, 600)

    for _ in range(2):
        services.reply(author=member, topic=topic, body="new member")
    for _ in range(3):  # the author opened the topic: one post counted already
        services.reply(author=author, topic=topic, body="old hand")

    with pytest.raises(ValidationError) as new_error:
        services.reply(author=member, topic=topic, body="one too many")
    assert new_error.value.code == "rate_limited"
    assert Post.objects.filter(body="old hand").count() == 3


def test_the_rate_limit_message_keeps_what_was_written(client_as, topic, member, settings):
    settings.FORUMS_NEW_MEMBER_POST_LIMIT = (0, 600)

    response = client_as(member).post(
        f"/forums/t/{topic.id}/reply/", {"body": "My careful answer", "action": "submit"}
    )

    assert "posting too fast" in response.content.decode()
    assert "My careful answer" in response.content.decode()


def test_an_uploaded_image_is_reencoded_without_metadata_and_added_to_the_message(
    client_as, topic, member
):
    upload = SimpleUploadedFile("photo.jpg", png_bytes(), content_type="image/jpeg")

    response = client_as(member).post(
        f"/forums/t/{topic.id}/reply/", {"body": "Look:", "action": "upload", "image": upload}
    )

    image = PostImage.objects.get()
    assert image.file.url in response.context["form"].data["body"]
    with Image.open(image.file.path) as stored:
        assert stored.getexif().get(0x010E) is None
    assert not Post.objects.filter(body__startswith="Look:").exists()


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client_as, topic, member):
    upload = SimpleUploadedFile("notes.png", b"%PDF-1.4 not an image", content_type="image/png")

    response = client_as(member).post("/forums/uploads/", {"image": upload})

    assert response.status_code == 400
    assert "not an image" in response.json()["error"]
    assert not PostImage.objects.exists()


def test_a_new_topic_has_tags_and_its_author_watches_it(client_as, members_category, author):
    response = client_as(author).post(
        f"/forums/{members_category.slug}/new/",
        {"title": "Data sources", "body": "Where?", "tags": "data, courts", "action": "submit"},
    )

    topic = Topic.objects.get(title="Data sources")
    assert response["Location"] == topic.get_absolute_url()
    assert sorted(topic.tags.names()) == ["courts", "data"]
    assert topic.subscriptions.filter(user=author).exists()
