"""Reads of the taxonomy shared by forms, pages and commands."""

from taxonomy.models import RegionalGroup


def country_region_slugs() -> dict[str, str]:
    """Country code (ISO 3166-1 alpha-2) → UN regional group slug, in one query."""
    return {code: group.slug for group in RegionalGroup.objects.all() for code in group.countries}


def region_of_country(country_code: str) -> RegionalGroup | None:
    """The UN regional group a country belongs to, or None (Kiribati belongs to none)."""
    code = (country_code or "").upper()
    return next((g for g in RegionalGroup.objects.all() if code in g.countries), None)
