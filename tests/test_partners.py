import pytest

from helpers.sources.partners import (
    UnknownPartnerError,
    load_partners,
    resolve_gacc_partner_code,
    resolve_partner,
)


@pytest.mark.parametrize(
    "text",
    [
        "RU",
        "ru",
        "RUS",
        "643",
        "0643",
        643,
        "Russia",
        "russian federation",
        "俄罗斯联邦",
        "俄罗斯",
        "  Russia  ",
    ],
)
def test_russia_resolves_from_every_spelling(text):
    partner = resolve_partner(text)
    assert (partner.iso2, partner.iso3, partner.m49, partner.comtrade_code) == (
        "RU",
        "RUS",
        "643",
        643,
    )
    assert partner.name_zh == "俄罗斯联邦"


@pytest.mark.parametrize(
    "text, iso2",
    [
        ("842", "US"),
        ("840", "US"),
        ("USA", "US"),
        ("699", "IN"),
        ("356", "IN"),
        ("251", "FR"),
        ("Turkey", "TR"),
        ("türkiye", "TR"),
        ("Viet Nam", "VN"),
        ("0", "1W"),
        ("World", "1W"),
        ("韩国", "KR"),
        ("沙特阿拉伯", "SA"),
        ("mn", "MN"),
    ],
)
def test_comtrade_and_m49_codes_and_names(text, iso2):
    assert resolve_partner(text).iso2 == iso2


def test_table_has_required_partners_and_unique_keys():
    partners = load_partners()
    iso2 = [p.iso2 for p in partners]
    for needed in [
        "RU",
        "US",
        "JP",
        "KR",
        "DE",
        "IN",
        "KZ",
        "BY",
        "VN",
        "BR",
        "AU",
        "GB",
        "FR",
        "IT",
        "NL",
        "TR",
        "MN",
        "IR",
        "SA",
        "1W",
    ]:
        assert needed in iso2
    assert len(set(iso2)) == len(iso2)
    assert len({p.comtrade_code for p in partners}) == len(partners)


def test_unknown_partner_lists_valid_values():
    with pytest.raises(UnknownPartnerError) as info:
        resolve_partner("Atlantis")
    message = str(info.value)
    assert "'Atlantis'" in message
    assert "RU/RUS/643/Russia/俄罗斯联邦" in message
    assert "US/USA/840/United States/美国" in message


def test_gacc_codes_are_never_guessed():
    # GACC's own partner codes (docs/RAW_FORMATS.md: China-customs codes, not M49) are read only from the
    # gacc_code column: 344 is Russia there, while M49 344 is Hong Kong; an unrecorded code fails loudly.
    assert resolve_gacc_partner_code("344").iso2 == "RU"
    assert resolve_partner("344").iso2 == "HK"
    with pytest.raises(UnknownPartnerError, match="resolve by 贸易伙伴名称"):
        resolve_gacc_partner_code("999")


def test_every_country_of_iso_3166_resolves_by_code_and_name():
    import pycountry

    for country in pycountry.countries:
        for text in (country.alpha_2, country.alpha_3, country.numeric, country.name):
            assert resolve_partner(text).iso2 == country.alpha_2, text
    assert resolve_partner("Argentina").m49 == "032" and resolve_partner(32).iso2 == "AR"
    assert (
        resolve_partner("阿根廷").iso2 == "AR"
    )  # Chinese names from pycountry's zh_CN translations
    assert resolve_partner("757").iso2 == "CH"  # Comtrade's code for Switzerland (M49 756)


def test_project_table_says_only_what_iso_does_not():
    """config/partners.csv keeps project facts only: a cell that repeats ISO 3166-1 is redundant."""
    import gettext

    import pycountry

    from helpers.sources.partners import iso_names, project_rows

    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    for iso2, row in project_rows().items():
        country = pycountry.countries.get(alpha_2=iso2)
        if country is None:
            assert iso2 == "1W"  # World: no ISO code
            continue
        names = iso_names(country)
        from_iso = {
            "iso3": {country.alpha_3},
            "m49": {country.numeric},
            "comtrade_code": {str(int(country.numeric))},
            "name_en": {names[0]},
            "name_zh": {chinese.gettext(names[0])},
        }
        for column, value in row.items():
            assert value not in from_iso.get(column, ()), f"{iso2}: {column} {value} is ISO's"
        for alias in row.get("aliases", "").split("|"):
            assert alias not in names and alias not in {chinese.gettext(n) for n in names}, alias
        assert set(row) - {"iso2", "note"}, f"{iso2}: a row with nothing of its own"


def test_unknown_partner_suggests_the_closest_names():
    with pytest.raises(UnknownPartnerError, match="closest names: argentina"):
        resolve_partner("Argentinia")
