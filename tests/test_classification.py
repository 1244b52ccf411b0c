import pytest

from evaluations.classification import kind_for_name


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("贵阳市花溪区贵筑街道办事处", "subdistrict"),
        ("花溪区青岩镇人民政府", "township"),
        ("贵阳市花溪区黔陶布依族苗族乡人民政府", "township"),
        ("贵阳市花溪区人民政府办公室", "department"),
        ("贵阳市花溪区人民代表大会常务委员会办公室", "department"),
        ("贵阳市花溪文化旅游创新区管理委员会", "department"),
    ],
)
def test_a_unit_name_tells_its_kind(name, kind):
    assert kind_for_name(name) == kind
