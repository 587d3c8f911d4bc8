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
