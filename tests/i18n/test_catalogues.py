"""The five translation catalogues are complete, sound and compiled.

- every entry is translated and none is fuzzy (a fuzzy entry is left out of the .mo, so
  readers would see English);
- the header is not fuzzy and names the language's plural forms (msgfmt skips a fuzzy header,
  and Arabic and Russian then lose their plurals);
- a translation uses the same %(name)s placeholders as its English (a wrong one crashes the
  page that shows it);
- each compiled .mo holds exactly what its .po says (Django reads only the .mo);
- every string the code and templates mark is in every catalogue: the test runs Django's
  makemessages, with the Makefile's options, over a copy of the sources in a temporary
  directory (the working tree is not touched) and compares its template to each catalogue.

Until the catalogues are refreshed (`make messages`) and translated, these tests fail, and
their messages say what is missing.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]
# What CLDR (and gettext's own tables) give; Django's catalogues use the same counts.
PLURAL_COUNTS = {"ar": {6}, "es": {2, 3}, "fr": {2, 3}, "ru": {3, 4}, "zh_Hans": {1}}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
SHOWN = 15  # entries listed per failure; the count says how many more


def po(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def listing(entries, describe=lambda e: repr(e.msgid)) -> str:
    lines = [f"  {describe(entry)}" for entry in entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines.append(f"  … and {len(entries) - SHOWN} more")
    return "\n".join(lines)


def key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    catalogue = po(language)
    missing = catalogue.untranslated_entries()
    assert not missing, f"{language}: {len(missing)} untranslated entries:\n{listing(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    catalogue = po(language)
    fuzzy = catalogue.fuzzy_entries()
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy entries:\n{listing(fuzzy)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_is_final_and_names_the_plural_forms(language):
    catalogue = po(language)
    header_flags = catalogue.metadata_is_fuzzy or []  # polib keeps the header's flags here
    assert "fuzzy" not in header_flags, f"{language}: the header is marked fuzzy"
    plural_forms = catalogue.metadata.get("Plural-Forms", "")
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    assert found, f"{language}: no Plural-Forms in the header"
    assert int(found.group(1)) in PLURAL_COUNTS[language], plural_forms
    assert catalogue.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == int(found.group(1)), (language, entry.msgid)


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", ""))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in po(language).translated_entries():
        source = _placeholders(entry.msgid)
        if entry.msgid_plural:
            source |= _placeholders(entry.msgid_plural)
            # A form may leave the number out ("one notification"), never add a name.
            if any(not _placeholders(form) <= source for form in entry.msgstr_plural.values()):
                wrong.append(entry)
        elif _placeholders(entry.msgstr) != source:
            wrong.append(entry)
    assert not wrong, f"{language}: placeholders differ from the English:\n" + listing(
        wrong, lambda e: f"{e.msgid!r} → {e.msgstr or dict(e.msgstr_plural)!r}"
    )


def _as_compiled(entries) -> dict:
    found = {}
    for entry in entries:
        if not entry.msgid:
            continue  # the header
        value = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
        found[key(entry)] = value
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    source = po(language)
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{language}: no compiled catalogue (run `make messages`)"
    compiled = _as_compiled(polib.mofile(str(mo_path)))
    wanted = _as_compiled(e for e in source.translated_entries() if not e.obsolete)
    stale = sorted(k for k in wanted.keys() | compiled.keys() if wanted.get(k) != compiled.get(k))
    assert not stale, (
        f"{language}: django.mo differs from django.po in {len(stale)} entries "
        f"(recompile: `make messages`):\n" + "\n".join(f"  {k[1]!r}" for k in stale[:SHOWN])
    )


# Directories of the project that are not scanned, as the Makefile's `messages` target says.
NOT_SCANNED = {".venv", "tests", "bench", "staticfiles", "node_modules", "locale", "media"}
SCANNED_SUFFIXES = {".py", ".html", ".txt"}


def _copy_sources(target: Path) -> None:
    base = Path(settings.BASE_DIR)
    shutil.copy2(base / "manage.py", target / "manage.py")
    for top in base.iterdir():
        if not top.is_dir() or top.name in NOT_SCANNED or top.name.startswith("."):
            continue
        for path in top.rglob("*"):
            if path.is_file() and path.suffix in SCANNED_SUFFIXES:
                copy = target / path.relative_to(base)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


@pytest.fixture(scope="module")
def strings_in_the_code(tmp_path_factory) -> polib.POFile:
    """The translation template makemessages builds from the code, in a scratch copy."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (GNU gettext) is needed to list the code's strings")
    work = tmp_path_factory.mktemp("sources")
    _copy_sources(work)
    (work / "locale").mkdir()
    env = {**os.environ, "SECRET_KEY": "messages", "PYTHONPATH": str(work)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--keep-pot"]
        + ["--ignore=.venv/*", "--ignore=tests/*", "--ignore=bench/*", "--ignore=staticfiles/*"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return polib.pofile(str(work / "locale" / "django.pot"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalogue(strings_in_the_code, language):
    assert len(strings_in_the_code) > 500  # the scan found the code
    present = {key(entry) for entry in po(language) if not entry.obsolete}
    missing = [entry for entry in strings_in_the_code if key(entry) not in present]
    assert not missing, (
        f"{language}: {len(missing)} strings of the code are not in the catalogue "
        f"(refresh it: `make messages`):\n"
        + listing(missing, lambda e: f"{e.msgid!r}  ({e.occurrences[0][0]})")
    )
