"""AppTest of the Import page: upload a GBK CSV, check it, import it, see the history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_access.db import get_engine
from tests.actors import person
from tests.factories import build_tiny_county
from tests.markdown import rendered

PAGE = "pages/data_import.py"
GOOD = "订单日期,许可证号,卷烟编码,数量(条)\n2026-11-09,350802100001,P1,10\n2026-11-10,350802100003,P2,25\n"
BAD = "订单日期,许可证号,卷烟编码,数量(条)\n2026-11-09,350802100001,P1,-10\n2026-11-10,999,P2,25\n"


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'import.sqlite'}"
    build_tiny_county(get_engine(url))
    return url


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.run()


def _button(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def _lines(url: str) -> int:
    with get_engine(url).connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM order_line")).scalar_one()


def test_upload_check_and_import_a_gbk_csv(app_factory: Callable[..., AppTest], db_url: str) -> None:
    at = app_factory(db_url, page=PAGE, params={"imp_kind": "orders"}, actor=person("信息员小王"))
    assert not at.exception
    assert at.selectbox(key="imp_kind").value == "orders"
    assert any("上传文件" in str(w.label) for w in at.get("file_uploader"))
    at = _upload(at, "订单.csv", GOOD.encode("gbk"))
    assert not at.exception
    preview = at.dataframe[1].value  # [0] is the column guide in the expander
    assert list(preview.columns) == ["订单日期", "许可证号", "卷烟编码", "数量(条)"]
    assert len(preview) == 2
    at = _button(at, "imp_check")
    assert [m.value for m in at.metric][:3] == ["2", "2", "0"]  # read, added, updated
    assert "校验通过" in at.success[0].value and _lines(db_url) == 6
    assert "导入人：信息员小王" in " ".join(c.value for c in at.caption)  # the signed-in user, not typed
    at = _button(at, "imp_commit")
    assert not at.exception
    assert _lines(db_url) == 8
    assert "导入完成：新增 2 行" in at.success[0].value
    history = at.dataframe[-1].value
    assert history.iloc[0]["导入人"] == "信息员小王" and history.iloc[0]["新增"] == 2
    assert history.iloc[0]["结果"] == "已导入"


def test_a_bad_file_lists_its_problems_in_english_and_writes_nothing(
    app_factory: Callable[..., AppTest], db_url: str
) -> None:
    at = app_factory(db_url, page=PAGE, params={"imp_kind": "orders", "lang": "en"})
    at = _upload(at, "orders.csv", BAD.encode("utf-8"))
    at = _button(at, "imp_commit")
    assert not at.exception
    assert at.error[0].value.startswith("The file has 2 problems in 2 rows; nothing was written.")
    problems = at.dataframe[2].value
    assert problems.to_dict("records") == [
        {"row": 2, "column": "数量(条)", "problem": "-10 must be greater than 0."},
        {"row": 3, "column": "许可证号", "problem": "Unknown licence number “999” (import the retailers first)."},
    ]
    assert _lines(db_url) == 6


def test_not_a_spreadsheet_gets_a_clear_message(app_factory: Callable[..., AppTest], db_url: str) -> None:
    at = app_factory(db_url, page=PAGE, params={"imp_kind": "retailers"})
    at = _upload(at, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert not at.exception
    assert rendered(at.error[0].value) == "无法导入：这不是表格文件（需要 CSV 或 Excel .xlsx）。"


def test_the_page_says_how_the_file_was_read(app_factory: Callable[..., AppTest], db_url: str) -> None:
    # A title row and a blank row above the header, semicolons and decimal commas.
    data = "2026年11月订单\n\n订单日期;许可证号;卷烟编码;数量;金额\n2026-11-09;350802100001;P2;5;522,00\n"
    at = app_factory(db_url, page=PAGE, params={"imp_kind": "orders"})
    at = _upload(at, "订单.csv", data.encode("gbk"))
    captions = rendered(" ".join(c.value for c in at.caption))
    assert "第 3 行为表头（上方 2 行为标题或空行，已跳过）" in captions and "分隔符 分号" in captions
    at = _button(at, "imp_check")
    assert not at.exception
    captions = rendered(" ".join(c.value for c in at.caption))
    assert "小数点为“,”，千位分隔符为“.”（按文件中的数字识别）" in captions
    # 5 cartons of P2 at ¥100 = ¥500: ¥522 is 4.4 % off, within the 5 % tolerance, so no note
    assert not [e for e in at.expander if "提示" in e.label]
