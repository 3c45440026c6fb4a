"""The taxonomy labels reach the translation catalogues only through taxonomy/labels.py."""

from taxonomy.labels import LABELS
from taxonomy.services import read_taxonomy


def labels_in_shipped_taxonomy() -> set[str]:
    data = read_taxonomy()
    convention = data["convention"]
    found = {convention["name"], convention["short_name"]}
    for protocol in data["protocols"]:
        found |= {protocol["name"], protocol["short_name"]}
    found |= {cluster["name"] for cluster in data["clusters"]}
    for key in ("stakeholder_categories", "stakeholder_types", "languages"):
        found |= {item["label"] for item in data[key]}
    for key in ("expertise_groups", "expertise", "forum_kinds"):
        found |= {item["label"] for item in data[key]}
    found |= {group["name"] for group in data["regional_groups"]}
    for category in data["forum_categories"]:
        found |= {category["name"], category["description"]}
    return found - {""}


def test_every_shipped_label_is_offered_for_translation():
    assert set(LABELS) == labels_in_shipped_taxonomy()


def test_no_label_is_listed_twice():
    assert len(LABELS) == len(set(LABELS))
