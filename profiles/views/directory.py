"""The peer directory at /members/: GET filters, chips, facet links, cached results."""

import dataclasses
import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag

from profiles import privacy, selectors, services
from profiles.forms import (
    DirectoryForm,
)
from profiles.languages import LANGUAGE_CHOICES
from profiles.permissions import member_required
from profiles.selectors import DirectoryQuery
from taxonomy.labels import country_name
from taxonomy.labels import label as translated_label

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def _directory_query(request: HttpRequest, form: DirectoryForm) -> tuple[DirectoryQuery, bool]:
    """The query the form asks for; (query, is_default) where the default is "peers in my
    country" for a member who opens the directory with no filters at all."""
    form.is_valid()  # invalid filters are shown as errors; the valid ones still apply
    data = {key: value for key, value in form.cleaned_data.items() if value}
    query = DirectoryQuery(
        q=data.get("q", ""),
        country=data.get("country", ""),
        expertise=list(dict.fromkeys(data.get("expertise", []))),
        stakeholder_type=data.get("stakeholder_type", ""),
        language=data.get("language", ""),
        cluster=data.get("cluster", ""),
        sort=data.get("sort", "relevance"),
    )
    if request.GET:
        return query, False
    country = selectors.get_own_country(member=request.user)
    if country:
        query.country = country
        return query, True
    return query, False


def _chips(
    request: HttpRequest, query: DirectoryQuery, facets: dict, offered_terms: dict[str, str]
) -> list[dict]:
    """Active filters, each with the address of the same search without it.

    `offered_terms`: the curated expertise terms' labels by slug (the form's choices); only
    a free tag's name is read from the database."""
    labels = {key: {row["value"]: row["label"] for row in rows} for key, rows in facets.items()}
    chips = []
    params = request.GET.copy()
    params.pop("page", None)
    if not request.GET and query.country:
        params["country"] = query.country  # the default view, made explicit
    single = [
        ("q", query.q, _("Search")),
        ("country", query.country, _("Country")),
        ("stakeholder_type", query.stakeholder_type, _("Type")),
        ("language", query.language, _("Speaks")),
        ("cluster", query.cluster, _("Cluster")),
    ]
    for key, value, kind in single:
        if not value:
            continue
        rest = params.copy()
        rest[key] = ""  # empty, not absent: removing the country chip shows every country
        if key == "country":
            label = country_name(value) or value
        elif key == "language":
            label = str(LANGUAGE_NAMES.get(value, value))
        else:
            label = labels.get(key, {}).get(value, value)
        chips.append({"kind": kind, "label": label, "url": "?" + rest.urlencode()})
    free = [slug for slug in query.expertise if slug not in offered_terms]
    term_names = dict(Tag.objects.filter(slug__in=free).values_list("slug", "name")) if free else {}
    for slug in query.expertise:
        rest = params.copy()
        rest.setlist("expertise", [s for s in query.expertise if s != slug])
        label = offered_terms.get(slug) or translated_label(term_names.get(slug, slug))
        chips.append({"kind": _("Expertise"), "label": label, "url": "?" + rest.urlencode()})
    return chips


def _count_text(count: int) -> str:
    # Grouping digits (intcomma) reads the locale's formats each time: a facet lists dozens of
    # counts, and numbers below 1,000 look the same in every language.
    return str(count) if count < 1000 else intcomma(count)


def _facet_links(request: HttpRequest, query: DirectoryQuery, facets: dict) -> dict:
    """Each facet row with the address of the search narrowed to it, ready to show."""
    params = request.GET.copy()
    params.pop("page", None)
    if not request.GET and query.country:
        params["country"] = query.country
    pairs = list(params.lists())
    links = {}
    for key, rows in facets.items():
        # The current filters with this facet's value set, in their order, as QueryDict would
        # give them: the filters around the facet's own are encoded once, not for each row.
        at = next((index for index, (k, _v) in enumerate(pairs) if k == key), len(pairs))
        before, after = (
            urlencode([(k, value) for k, v in part for value in v])
            for part in (pairs[:at], pairs[at + 1 :])
        )
        items = []
        for row in rows:
            values = [*query.expertise, row["value"]] if key == "expertise" else [row["value"]]
            own = urlencode([(key, value) for value in values])
            url = "?" + "&".join(part for part in (before, own, after) if part)
            selected = row["value"] == getattr(query, key, None)
            items.append(
                {**row, "count": _count_text(row["count"]), "url": url, "selected": selected}
            )
        links[key] = items
    return links


def _options(choices, selected) -> str:
    """<option> tags for a select: the list's own, rendered once (forms._SharedChoices), with
    the chosen values, already validated as choices or slugs, marked by replacing theirs."""
    html = str(choices.options_html)
    chosen = selected if isinstance(selected, list | tuple) else [selected]
    for value in chosen:
        marker = f'<option value="{escape(value)}">'
        html = html.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(html)  # options_html is format_html_join's  # noqa: S308


def _results_cache_key(request: HttpRequest, query: DirectoryQuery, page: str) -> str:
    """Per viewer and per directory version: any change to who sees whom makes a new key."""
    version = cache.get_or_set(services.DIRECTORY_VERSION_KEY, 1, timeout=None)
    wanted = json.dumps([dataclasses.astuple(query), page, request.GET.urlencode()])
    digest = hashlib.sha256(wanted.encode()).hexdigest()[:32]
    language = get_language()
    return f"profiles:directory:{version}:{request.user.pk}:{language}:{digest}"


@member_required
def member_list(request: HttpRequest) -> HttpResponse:
    """The directory: GET filters combined with AND; htmx asks for the results alone.

    The results (cards, counts, chips) are cached per viewer under the directory version,
    which every change to profiles, privacy, connections, blocks or membership bumps.
    """
    form = DirectoryForm(request.GET)
    query, is_default = _directory_query(request, form)
    page_number = request.GET.get("page") or "1"
    context = {"form": form, "query": query, "is_default_view": is_default}
    caching = bool(settings.DIRECTORY_CACHE_SECONDS)
    key = _results_cache_key(request, query, page_number) if caching else ""
    cached = cache.get(key) if caching else None
    results_html = mark_safe(cached) if cached is not None else None  # noqa: S308 - our own render
    if results_html is None:
        result = selectors.search_directory(
            viewer=privacy.viewer_for(request.user), query=query, page_number=page_number
        )
        params = request.GET.copy()
        params.pop("page", None)
        if is_default:
            params["country"] = query.country
        context.update(
            result=result,
            page=result.page,
            chips=_chips(request, query, result.facets, dict(form.fields["expertise"].choices)),
            facets=_facet_links(request, query, result.facets),
            page_params=params.urlencode(),
        )
        results_html = render_to_string(
            "profiles/partials/directory_results.html", context, request=request
        )
        if caching:
            cache.set(key, results_html, timeout=settings.DIRECTORY_CACHE_SECONDS)
    if request.htmx and request.htmx.target == "directory-results":
        response = HttpResponse(results_html)
    else:
        offered = {value for value, _label in form.fields["expertise"].choices}
        free = [slug for slug in query.expertise if slug not in offered]
        free_options = mark_safe("")
        if free:  # a free tag picked from the facets stays selected in the form
            free_options = format_html_join(
                "",
                '<option value="{}" selected>{}</option>',
                Tag.objects.filter(slug__in=free).values_list("slug", "name"),
            )
        selects = ("country", "stakeholder_type", "language", "cluster", "expertise", "sort")
        options = {
            name: _options(form.fields[name].choices, getattr(query, name)) for name in selects
        }
        options["expertise"] += free_options
        context.update(results_html=results_html, options=options)
        response = render(request, "profiles/member_list.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
