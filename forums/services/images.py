"""Images members upload for their posts."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import PostImage
from forums.services.rate_limits import check_rate
from forums.uploads import reencode_image
from profiles.models import User
from profiles.permissions import is_member


@transaction.atomic
def upload_image(*, uploader: User, upload) -> PostImage:
    """Store a re-encoded copy of an image for use in posts; returns it (its `.file.url`
    goes into the Markdown). Limited per member like posts, on its own counter."""
    if not is_member(uploader):
        raise PermissionDenied
    content, name = reencode_image(upload)
    check_rate(uploader, what="image")
    image = PostImage(uploader=uploader)
    image.file.save(name, content, save=False)
    image.save()
    return image


def image_markdown(image: PostImage, alt: str = "") -> str:
    return f"![{alt or _('image')}]({image.file.url})"
