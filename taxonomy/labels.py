"""Every taxonomy label shipped in data/untoc_taxonomy.json, for the translation catalogues.

The names live in the database (staff may edit them), so templates cannot mark them;
`makemessages` finds them here and `taxonomy.models` translates them when shown. A test keeps
this list equal to the labels in the JSON file.

label() is how every shipped name is shown: translated into the active language. Names people
typed (free expertise tags, categories or terms staff added or renamed) are shown as typed,
even when one happens to equal some other interface string."""

from collections.abc import Callable
from functools import partial

from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, gettext_noop
from django_countries import countries

LABELS = [
    gettext_noop("United Nations Convention against Transnational Organized Crime"),
    gettext_noop("Organized Crime Convention"),
    gettext_noop(
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children, supplementing the United Nations Convention against Transnational Organized Crime"
    ),
    gettext_noop("Trafficking in Persons Protocol"),
    gettext_noop(
        "Protocol against the Smuggling of Migrants by Land, Sea and Air, supplementing the United Nations Convention against Transnational Organized Crime"
    ),
    gettext_noop("Smuggling of Migrants Protocol"),
    gettext_noop(
        "Protocol against the Illicit Manufacturing of and Trafficking in Firearms, Their Parts and Components and Ammunition, supplementing the United Nations Convention against Transnational Organized Crime"
    ),
    gettext_noop("Firearms Protocol"),
    gettext_noop("Criminalization and jurisdiction"),
    gettext_noop("International cooperation, mutual legal assistance and confiscation"),
    gettext_noop("Law enforcement and judicial system"),
    gettext_noop("Prevention, technical assistance, protection measures and other measures"),
    gettext_noop("Civil society"),
    gettext_noop("Academia"),
    gettext_noop("Private sector"),
    gettext_noop("Media"),
    gettext_noop("Individual"),
    gettext_noop("Non-governmental organization (NGO)"),
    gettext_noop("Community-based organization"),
    gettext_noop("Network, alliance or coalition of organizations"),
    gettext_noop("Faith-based organization"),
    gettext_noop("Trade union or labour organization"),
    gettext_noop("Professional association"),
    gettext_noop("Foundation or charitable organization"),
    gettext_noop("Indigenous peoples' organization"),
    gettext_noop("Youth-led organization"),
    gettext_noop("Media and journalism"),
    gettext_noop("University or academic institution"),
    gettext_noop("Research institute or think tank"),
    gettext_noop("Independent expert or researcher"),
    gettext_noop("Private company"),
    gettext_noop("Business or industry association"),
    gettext_noop("Arabic"),
    gettext_noop("Chinese"),
    gettext_noop("English"),
    gettext_noop("French"),
    gettext_noop("Russian"),
    gettext_noop("Spanish"),
    gettext_noop("African Group"),
    gettext_noop("Asia-Pacific Group"),
    gettext_noop("Eastern European Group"),
    gettext_noop("Latin American and Caribbean Group"),
    gettext_noop("Western European and Others Group"),
    gettext_noop("Crime types"),
    gettext_noop("Justice, law enforcement and cooperation"),
    gettext_noop("Cross-cutting themes"),
    gettext_noop("Research, communication and practice"),
    gettext_noop("Sectors"),
    gettext_noop("Trafficking in persons"),
    gettext_noop("Forced labour and labour exploitation"),
    gettext_noop("Smuggling of migrants"),
    gettext_noop("Illicit firearms trafficking"),
    gettext_noop("Drug trafficking"),
    gettext_noop("Cybercrime"),
    gettext_noop("Online child sexual exploitation and abuse"),
    gettext_noop("Money laundering"),
    gettext_noop("Corruption"),
    gettext_noop("Fraud and economic crime"),
    gettext_noop("Extortion and racketeering"),
    gettext_noop("Wildlife and forest crime"),
    gettext_noop("Environmental crime (pollution, waste, illegal mining)"),
    gettext_noop("Fisheries crime"),
    gettext_noop("Trafficking in cultural property"),
    gettext_noop("Falsified medical products"),
    gettext_noop("Maritime crime and piracy"),
    gettext_noop("Trafficking in human organs"),
    gettext_noop("Illicit trade and counterfeit goods"),
    gettext_noop("UNTOC implementation and review"),
    gettext_noop("Legislation and legal drafting"),
    gettext_noop("Criminal justice reform"),
    gettext_noop("Policing and law enforcement"),
    gettext_noop("Prosecution and the judiciary"),
    gettext_noop("International cooperation in criminal matters"),
    gettext_noop("Extradition and mutual legal assistance"),
    gettext_noop("Asset recovery and confiscation"),
    gettext_noop("Financial investigation and intelligence"),
    gettext_noop("Witness protection"),
    gettext_noop("Border management and document security"),
    gettext_noop("Crime prevention"),
    gettext_noop("Prisons, rehabilitation and reintegration"),
    gettext_noop("Victim support and protection"),
    gettext_noop("Gender equality and gender-based violence"),
    gettext_noop("Human rights"),
    gettext_noop("Children's rights and child protection"),
    gettext_noop("Youth engagement"),
    gettext_noop("Rights of migrants and refugees"),
    gettext_noop("Indigenous peoples"),
    gettext_noop("Community resilience and grassroots action"),
    gettext_noop("Rule of law and governance"),
    gettext_noop("Transparency and accountability"),
    gettext_noop("Sustainable development (SDG 16)"),
    gettext_noop("Technology and innovation"),
    gettext_noop("Research and data analysis"),
    gettext_noop("Monitoring and evaluation"),
    gettext_noop("Investigative journalism"),
    gettext_noop("Media and communication"),
    gettext_noop("Advocacy and policy engagement"),
    gettext_noop("Education and training"),
    gettext_noop("Legal aid and access to justice"),
    gettext_noop("Multi-stakeholder coordination and networking"),
    gettext_noop("Banking and financial services"),
    gettext_noop("Technology companies and online platforms"),
    gettext_noop("Transport, shipping and logistics"),
    gettext_noop("Supply chains and due diligence"),
    gettext_noop("Mining and extractive industries"),
    gettext_noop("Tourism and hospitality"),
    gettext_noop("Health and pharmaceuticals"),
    gettext_noop("Legal, accounting and other professional services"),
    gettext_noop("General"),
    gettext_noop("Review process"),
    gettext_noop("Review cluster"),
    gettext_noop("Protocol"),
    gettext_noop("Region"),
    gettext_noop("Theme"),
    gettext_noop("Training cohort"),
    gettext_noop("Announcements"),
    gettext_noop(
        "News from the platform team, UNODC and SE4U: calls for applications, deadlines and events."
    ),
    gettext_noop("Welcome and introductions"),
    gettext_noop("Introduce yourself, your organization and what you work on."),
    gettext_noop("Self-assessment questionnaire help"),
    gettext_noop(
        "Questions and tips on the questionnaire and on feeding evidence into your government's answers."
    ),
    gettext_noop("Country review coordination"),
    gettext_noop(
        "Coordinate input on reviews under way: who the focal point is, timelines, joint submissions."
    ),
    gettext_noop("National consultations and alliances"),
    gettext_noop(
        "National stakeholder consultations, national civil society alliances (NACSA4U) and voluntary pilot initiatives."
    ),
    gettext_noop("Constructive dialogues and working groups"),
    gettext_noop(
        "Prepare for the constructive dialogues held after the COP working groups, and share what was said."
    ),
    gettext_noop("Conference of the Parties"),
    gettext_noop(
        "The general review at the COP, side events, statements and observer participation."
    ),
    gettext_noop("Review cluster on offences, liability of legal persons and jurisdiction."),
    gettext_noop(
        "Review cluster on extradition, mutual legal assistance, confiscation and related cooperation."
    ),
    gettext_noop(
        "Review cluster on investigation, prosecution, law enforcement cooperation and the courts."
    ),
    gettext_noop("Prevention, technical assistance and protection"),
    gettext_noop(
        "Review cluster on prevention, victim and witness protection, training and technical assistance."
    ),
    gettext_noop(
        "Implementation of the Trafficking in Persons Protocol and victim-centred responses."
    ),
    gettext_noop(
        "Implementation of the Smuggling of Migrants Protocol and the rights of smuggled migrants."
    ),
    gettext_noop(
        "Implementation of the Firearms Protocol: marking, record-keeping, licensing and illicit trafficking."
    ),
    gettext_noop("Regional forum for members from African Group countries."),
    gettext_noop("Regional forum for members from Asia-Pacific Group countries."),
    gettext_noop("Regional forum for members from Eastern European Group countries."),
    gettext_noop("Regional forum for members from Latin American and Caribbean countries."),
    gettext_noop("Regional forum for members from Western European and Others Group countries."),
    gettext_noop("Emerging and evolving crimes"),
    gettext_noop(
        "Cybercrime, environmental crime, cultural property, falsified medicines and other new threats."
    ),
    gettext_noop("Research and data"),
    gettext_noop("Share studies, data sources and methods on organized crime."),
    gettext_noop("SE4U self-paced course"),
    gettext_noop("Discussion space for participants of the SE4U self-paced online course."),
    gettext_noop("SE4U workshops and trainings"),
    gettext_noop(
        "Materials, follow-up and discussion for workshop and regional training participants."
    ),
    gettext_noop("SE4U alumni network"),
    gettext_noop("Stay in touch after training: opportunities, collaborations and peer support."),
]

_SHIPPED = frozenset(LABELS)

# Translations looked up once per language and kept: a directory page shows some 150 labels and
# country names, and each gettext() or django-countries lookup costs 10-45 µs where a dict
# lookup costs well under one. The catalogues do not change while the process runs.
_LABELS: dict[str | None, dict[str, str]] = {}
_COUNTRY_NAMES: dict[str | None, dict[str, str]] = {}


def _label(name: str, translated: dict[str, str]) -> str:
    if name not in _SHIPPED:
        return name
    if name not in translated:
        translated[name] = gettext(name)
    return translated[name]


def _country_name(code: str, names: dict[str, str]) -> str:
    if code not in names:
        names[code] = str(countries.name(code))
    return names[code]


def label(name: str) -> str:
    """A taxonomy, category or tag name as the reader should see it (see the module's note)."""
    return _label(name, _LABELS.setdefault(get_language(), {}))


def country_name(code: str) -> str:
    """A country's name in the active language ("" for an unknown code)."""
    return _country_name(code, _COUNTRY_NAMES.setdefault(get_language(), {}))


def labeller() -> Callable[[str], str]:
    """label() for a whole list: the active language is read once, not once per name (it
    is request-local state, whose every read costs more than the dict lookup)."""
    return partial(_label, translated=_LABELS.setdefault(get_language(), {}))


def country_namer() -> Callable[[str], str]:
    """country_name() for a whole list, the active language read once (as labeller)."""
    return partial(_country_name, names=_COUNTRY_NAMES.setdefault(get_language(), {}))


# For text put together now and shown later in another language (notifications).
label_lazy = lazy(label, str)
