"""Languages a member may say they speak: the six UN languages first, then others widely
spoken among stakeholders. ISO 639-1 codes; the UN six match the taxonomy's codes."""

from django.utils.translation import gettext_lazy as _

UN_LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
]

OTHER_LANGUAGES = [
    ("am", _("Amharic")),
    ("az", _("Azerbaijani")),
    ("bn", _("Bengali")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("fa", _("Persian")),
    ("ha", _("Hausa")),
    ("he", _("Hebrew")),
    ("hi", _("Hindi")),
    ("hy", _("Armenian")),
    ("id", _("Indonesian")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ka", _("Georgian")),
    ("kk", _("Kazakh")),
    ("ko", _("Korean")),
    ("ky", _("Kyrgyz")),
    ("ms", _("Malay")),
    ("ne", _("Nepali")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("ps", _("Pashto")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sq", _("Albanian")),
    ("sr", _("Serbian")),
    ("sw", _("Swahili")),
    ("ta", _("Tamil")),
    ("th", _("Thai")),
    ("tl", _("Filipino")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ur", _("Urdu")),
    ("uz", _("Uzbek")),
    ("vi", _("Vietnamese")),
    ("yo", _("Yoruba")),
]

LANGUAGE_CHOICES = UN_LANGUAGES + OTHER_LANGUAGES
LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGE_CHOICES)
