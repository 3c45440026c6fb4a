"""Loading the default taxonomy shipped with the product."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from taxonomy.models import (
    Cluster,
    ExpertiseGroup,
    ExpertiseTerm,
    ForumKind,
    Language,
    Protocol,
    RegionalGroup,
    StakeholderCategory,
    StakeholderType,
)

DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "data" / "untoc_taxonomy.json"

# The six UN languages in the order members expect to see them offered.
UN_LANGUAGE_ORDER = ["en", "fr", "es", "ar", "zh", "ru"]


def read_taxonomy(path: Path = DEFAULT_TAXONOMY) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_taxonomy(*, data: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update every taxonomy term; safe to run any number of times.

    Terms are matched by slug (or code), so staff edits to other rows survive and a second run
    writes no duplicates. Returns how many terms of each kind the taxonomy holds.
    """
    data = data if data is not None else read_taxonomy()
    protocols = {}
    for order, item in enumerate(data["protocols"], start=1):
        protocols[item["id"]], _ = Protocol.objects.update_or_create(
            code=item["id"],
            defaults={
                "slug": item["slug"],
                "name": item["name"],
                "short_name": item["short_name"],
                "abbreviation": item["abbreviation"],
                "order": order,
            },
        )
    for order, item in enumerate(data["clusters"], start=1):
        Cluster.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "order": order,
                "summary": item.get("summary", ""),
                "review_phase": item.get("review_phase"),
                "articles": item.get("articles", []),
                "articles_status": item.get("articles_status", "indicative"),
                "protocol_articles": item.get("protocol_articles", {}),
                "protocol_articles_status": item.get("protocol_articles_status", {}),
            },
        )
    categories = {}
    for order, item in enumerate(data["stakeholder_categories"], start=1):
        categories[item["slug"]], _ = StakeholderCategory.objects.update_or_create(
            slug=item["slug"],
            defaults={"name": item["label"], "note": item.get("note", ""), "order": order},
        )
    for order, item in enumerate(data["stakeholder_types"], start=1):
        StakeholderType.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["label"],
                "category": categories[item["category"]],
                "order": order,
            },
        )
    for item in data["languages"]:
        code = item["code"]
        order = UN_LANGUAGE_ORDER.index(code) if code in UN_LANGUAGE_ORDER else 99
        Language.objects.update_or_create(
            code=code,
            defaults={
                "name": item["label"],
                "native_name": item["native_name"],
                "direction": item.get("direction", "ltr"),
                "order": order,
            },
        )
    for order, item in enumerate(data["regional_groups"], start=1):
        RegionalGroup.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "un_name": item["un_name"],
                "abbreviation": item["abbreviation"],
                "countries": item["countries"],
                "order": order,
            },
        )
    groups = {}
    for order, item in enumerate(data["expertise_groups"], start=1):
        groups[item["slug"]], _ = ExpertiseGroup.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["label"], "order": order}
        )
    for order, item in enumerate(data["expertise"], start=1):
        ExpertiseTerm.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["label"],
                "group": groups[item["group"]],
                "protocol": protocols.get(item.get("protocol") or ""),
                "order": order,
            },
        )
    for order, item in enumerate(data["forum_kinds"], start=1):
        ForumKind.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["label"], "order": order}
        )
    # Keys are marked for translation: load_taxonomy prints them.
    return {
        gettext_noop("protocols"): len(data["protocols"]),
        gettext_noop("clusters"): len(data["clusters"]),
        gettext_noop("stakeholder types"): len(data["stakeholder_types"]),
        gettext_noop("languages"): len(data["languages"]),
        gettext_noop("regional groups"): len(data["regional_groups"]),
        gettext_noop("expertise terms"): len(data["expertise"]),
        gettext_noop("forum categories"): len(data["forum_categories"]),
    }
