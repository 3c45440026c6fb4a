"""Checking and re-encoding images members upload for their posts.

Only images stored here display in posts (remote ones render as links), so this is the one
way a picture enters a post. Each upload is opened with Pillow (not trusted by its name or
declared type), refused if it is not a JPEG, PNG, GIF or WebP or is too large, and saved
re-encoded: metadata such as EXIF GPS positions never reaches readers.
"""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2000  # larger pictures are scaled down: pages stay light on slow links
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "png", "WEBP": "webp"}


def reencode_image(upload: UploadedFile) -> tuple[ContentFile, str]:
    """A clean copy of `upload` as (file, name); ValidationError(code=...) if unusable."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("That image is too large (at most %(size)d MB).")
            % {"size": MAX_IMAGE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise ValidationError(
                    _("Upload a JPEG, PNG, GIF or WebP image."), code="invalid_image"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(_("That image has too many pixels."), code="too_large")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the EXIF
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out_format = "PNG" if kind == "GIF" else kind
            if out_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            if out_format == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            options = {"quality": 85, "optimize": True} if out_format == "JPEG" else {}
            image.save(buffer, format=out_format, **options)  # no exif=: metadata is dropped
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("That file is not an image we can use."), code="invalid_image"
        ) from error
    name = f"{uuid.uuid4().hex}.{FORMATS[kind]}"
    return ContentFile(buffer.getvalue(), name=name), name
