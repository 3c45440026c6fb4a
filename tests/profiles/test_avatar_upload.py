"""Photos: non-images and oversized files are refused with a message; what is stored is
resized and carries no metadata (no EXIF, no GPS)."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.views.static import serve
from PIL import Image

from profiles.models import Profile
from tests.profiles.factories import member_with

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (1.0, 17.0, 30.0), 3: "E", 4: (36.0, 49.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's first bytes)."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def upload(client, content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    profile = {"display_name": "Amina", "time_zone": "UTC", "preferred_language": "en"}
    for field in Profile.PRIVATE_FIELDS:
        profile[f"{field}_visibility"] = "1"
    profile["avatar"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post("/members/me/edit/", profile)


@pytest.fixture
def amina():
    return member_with(display_name="Amina")


def test_a_jpeg_with_gps_data_is_stored_without_any_metadata(client_as, amina):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture has GPS

    response = upload(client_as(amina), original)

    assert response.status_code == 302
    profile = Profile.objects.get(user=amina)
    for stored in (profile.avatar, profile.avatar_small):
        raw = (Path(settings.MEDIA_ROOT) / stored.name).read_bytes()
        image = Image.open(io.BytesIO(raw))
        assert not image.getexif()
        assert b"Exif" not in raw and b"SpyCam" not in raw
        assert "icc_profile" not in image.info


def test_the_served_photo_file_has_no_metadata(client_as, amina, rf):
    upload(client_as(amina), jpeg_with_gps())
    profile = Profile.objects.get(user=amina)

    # Served as `make run` serves media; in production the web server sends the same bytes.
    response = serve(rf.get(profile.avatar.url), profile.avatar.name, settings.MEDIA_ROOT)

    raw = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert b"Exif" not in raw and b"GPS" not in raw and b"SpyCam" not in raw
    assert not Image.open(io.BytesIO(raw)).getexif()


def test_photos_are_resized_to_fixed_square_sizes(client_as, amina):
    upload(client_as(amina), jpeg_with_gps())

    profile = Profile.objects.get(user=amina)
    assert Image.open(profile.avatar.path).size == (256, 256)
    assert Image.open(profile.avatar_small.path).size == (64, 64)


def test_a_file_that_is_not_an_image_is_refused_with_a_message(client_as, amina):
    response = upload(client_as(amina), b"%PDF-1.4 not a photo", name="cv.jpg")

    assert response.status_code == 400
    assert "That file is not an image we can read." in response.content.decode()
    assert not Profile.objects.get(user=amina).avatar


@pytest.mark.parametrize("side", [9000, 40000])  # over our limit; over Pillow's bomb limit too
def test_an_image_claiming_a_huge_canvas_is_refused_before_decoding(client_as, amina, side):
    response = upload(
        client_as(amina), png_claiming_size(side, side), name="bomb.png", content_type="image/png"
    )

    assert response.status_code == 400
    assert "That image is too large" in response.content.decode()
    assert not Profile.objects.get(user=amina).avatar


def test_a_file_over_the_size_limit_is_refused_with_a_message(client_as, amina):
    big = jpeg_with_gps() + b"\0" * (5 * 1024 * 1024)

    response = upload(client_as(amina), big)

    assert response.status_code == 400
    assert "That file is too large" in response.content.decode()


def test_a_refused_photo_loses_nothing_else_that_was_typed(client_as, amina):
    response = upload(client_as(amina), b"not an image")

    assert 'value="Amina"' in response.content.decode()


def test_removing_the_photo_deletes_its_files(client_as, amina, django_capture_on_commit_callbacks):
    client = client_as(amina)
    upload(client, jpeg_with_gps())
    profile = Profile.objects.get(user=amina)
    paths = [Path(profile.avatar.path), Path(profile.avatar_small.path)]
    form = {"display_name": "Amina", "time_zone": "UTC", "preferred_language": "en",
            "remove_avatar": "on"}  # fmt: skip
    form.update({f"{field}_visibility": "1" for field in Profile.PRIVATE_FIELDS})

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/members/me/edit/", form)

    assert not Profile.objects.get(user=amina).avatar
    assert not any(path.exists() for path in paths)
