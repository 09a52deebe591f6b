"""Standardized matching columns: pinyin with surname readings, name keys, enterprise-name cores."""

from __future__ import annotations

import pyarrow as pa
import pytest

from lingshu.govern.er.standardize import clean_ent_name, ent_name_core, name_parts, split_syllables
from lingshu.govern.vector import apply_sql


@pytest.mark.parametrize(("name", "pinyin", "plain", "surname"), [
    ("曾伟", "zengwei", "cengwei", "zeng"),  # dictionary reading ceng, surname reading zeng
    ("单雪", "shanxue", "danxue", "shan"),
    ("解明", "xieming", "jieming", "xie"),
    ("仇华", "qiuhua", "chouhua", "qiu"),
    ("欧阳娜娜", "ouyangnana", "ouyangnana", "ouyang"),  # compound surname kept whole
    ("ZHANG WEIQIANG", "zhangweiqiang", "zhangweiqiang", "zhang"),  # already pinyin
    ("张　伟", "zhangwei", "zhangwei", "zhang"),  # full-width space
])
def test_name_pinyin_reads_surnames_as_surnames(name, pinyin, plain, surname):
    py, py_plain, sur, _ = name_parts(name)
    assert (py, py_plain, sur) == (pinyin, plain, surname)


def test_name_key_is_surname_and_given_initials_for_han_and_latin():
    assert apply_sql("name_key", pa.array(["张伟强", "ZHANG WEIQIANG", "Zhang Weiqiang", None])).to_pylist() == [
        "zhang|wq", "zhang|wq", "zhang|wq", None]


def test_latin_given_names_split_into_pinyin_syllables():
    assert split_syllables("weiqiang") == ["wei", "qiang"]
    assert split_syllables("xiaoming") == ["xiao", "ming"]


@pytest.mark.parametrize(("raw", "core"), [
    ("湖弘(上海)汽车零部件有限公司", "湖弘汽车零部件"),
    ("湖弘（上海）汽车零部件有限公司", "湖弘汽车零部件"),  # full-width brackets
    ("上海临港海辰芯片股份有限公司", "海辰芯片"),
    ("中国(上海)自由贸易试验区临港新片区明湖工程设计有限公司", "明湖工程设计"),
    ("上海和数动力系统有限责任公司", "和数动力系统"),
    ("上海市宇航商行", "宇航"),
])
def test_enterprise_name_core_drops_legal_form_and_place_words(raw, core):
    assert ent_name_core(raw) == core


def test_enterprise_clean_name_folds_width_and_spaces():
    assert clean_ent_name("湖弘（上海） 汽车ＡＢ有限公司") == "湖弘(上海)汽车AB有限公司"


def test_sql_functions_return_null_for_nothing(std_engine):
    row = std_engine.query("""SELECT nullif(name_pinyin(''), '') AS a, nullif(ent_name_core('有限公司'), '') AS b,
        name_pinyin(NULL) AS c, ent_name_core_pinyin('上海海辰芯智有限公司') AS d""").to_pylist()[0]
    assert row == {"a": None, "b": "有限公司", "c": None, "d": "haichenxinzhi"}


def test_standardized_person_columns(std_engine):
    from lingshu.govern.er.steps import standardized

    std_engine.con.execute("""CREATE OR REPLACE TEMP TABLE p AS SELECT * FROM (VALUES
        ('s', '1', '曾伟', '110105491231002', NULL, NULL, '+86 138 0013 8000', '上海市浦东新区南汇新城镇水芸路239弄15号903室', NULL::DATE)
        ) t(source, record_id, name, id_no, birth_date, sex, phone, address, updated_at)""")
    row = standardized(std_engine, "p", "person").to_pylist()[0]
    assert row["id_norm"] == "11010519491231002X"  # 15 -> 18
    assert str(row["dob"]) == "1949-12-31" and row["region"] == "110105"
    assert (row["name_py"], row["name_py_plain"], row["name_key"]) == ("zengwei", "cengwei", "zeng|w")
    assert row["phone_norm"] == "13800138000"
    assert row["addr_door"] == "水芸路239弄15号" and row["addr_town"] == "南汇新城镇"
    assert row["record_key"] == "s:1" and len(row["row_hash"]) == 32


def test_amount_to_yuan(std_engine):
    row = std_engine.query("""SELECT amount_to_yuan('1.2亿元', '万元') AS a, amount_to_yuan('500', '万元') AS b,
        amount_to_yuan('３００万美元', '元') AS c, amount_currency('300万美元', '人民币') AS d,
        amount_to_yuan('1,000元', '万元') AS e""").to_pylist()[0]
    assert (row["a"], row["b"], row["c"], row["e"]) == (120000000, 5000000, 3000000, 1000)
    assert row["d"] == "USD"
