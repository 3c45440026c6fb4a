"""Input cleaning for the forums; views hand cleaned_data to a service (forms never save)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from forums.models import MAX_BODY, MAX_TITLE, Category, Report
from forums.uploads import MAX_IMAGE_BYTES

BODY_HELP = _(
    "Markdown: **bold**, *italic*, [link](https://…), > quote, - lists. "
    "Mention a member with @username. Images must be uploaded here."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault("max_length", MAX_BODY)
        kwargs.setdefault("help_text", BODY_HELP)
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 10, "data-markdown-editor": "true"})
        )
        super().__init__(**kwargs)


class ImageMixin(forms.Form):
    """An image to upload into the message, with the form's "Upload image" button."""

    image = forms.ImageField(
        label=_("Add an image"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP, up to %(size)d MB.")
        % {"size": MAX_IMAGE_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )


class TagsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", _("Up to five, separated by commas."))
        super().__init__(**kwargs)

    def clean(self, value):
        return parse_tags(super().clean(value) or "")


class TopicForm(ImageMixin):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = BodyField()
    tags = TagsField()


class ReplyForm(ImageMixin):
    body = BodyField(label=_("Your reply"))


class EditPostForm(ImageMixin):
    body = BodyField()
    reason = forms.CharField(
        label=_("Reason for the edit"),
        required=False,
        max_length=300,
        help_text=_("Shown in the moderation log when you edit someone else's post."),
    )


class SummaryForm(ImageMixin):
    body = BodyField(
        label=_("Summary"),
        help_text=_("The consolidated reply: the outcome of the discussion, pinned at the top."),
    )


class EditTopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    tags = TagsField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Details for the moderators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the moderation log)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False)


class MoveForm(ReasonForm):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.none())

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            pk__in=[c.pk for c in categories]
        )


class SplitForm(MoveForm):
    title = forms.CharField(label=_("Title of the new topic"), max_length=MAX_TITLE)
    posts = forms.TypedMultipleChoiceField(
        label=_("Replies to move"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["posts", "title", "category", "reason"]

    def __init__(self, *args, post_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = post_choices
        self.fields["category"].label = _("In category")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the forums"), max_length=200, required=False)
    category = forms.SlugField(label=_("Category"), required=False)
    author = forms.CharField(label=_("Author (username)"), max_length=150, required=False)
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
