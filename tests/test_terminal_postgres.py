"""Terminal ranking queries give the same answers on PostgreSQL as on SQLite.

Needs TEST_DATABASE_URL (a PostgreSQL database this test may wipe): the schema is dropped
and recreated, then the hand-built county of ``test_terminal_queries`` is written to it.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlmodel import Session

from data_access.config import default
from data_access.db import get_engine
from data_access.queries import terminals as queries
from data_access.rules.terminal_scoring import Weights
from tests.actors import ADMIN
from tests.postgres import PG_URL, POSTGRES_ONLY, build_twins, on_both
from tests.test_terminal_queries import OCT, build_terminal_county, october_ranking

pytestmark = POSTGRES_ONLY


@pytest.fixture(scope="module")
def twin_urls(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_twins(tmp_path_factory.mktemp("terminal_twin"), lambda url: build_terminal_county(get_engine(url)))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_ranking_inputs_identical(twin_urls: tuple[str, str]) -> None:
    lite, pg = on_both(twin_urls, queries.ranking_inputs, month=OCT)
    for name in lite:
        pd.testing.assert_frame_equal(_sorted(lite[name]), _sorted(pg[name]), check_dtype=False, obj=name)
    assert not pg["sales"].empty and not pg["department_sales"].empty


def test_ranking_identical_and_hand_worked_on_postgres(twin_urls: tuple[str, str]) -> None:
    lite, pg = (october_ranking(url) for url in twin_urls)
    columns = ["composite", "rank", "previous_rank", "pos_status", "brand_cultivation"]
    pd.testing.assert_frame_equal(lite[columns].sort_index(), pg[columns].sort_index(), check_dtype=False)
    assert pg.loc["T1", "composite"] == pytest.approx(86.4)
    assert october_ranking(PG_URL, Weights(0, 1, 0)).loc["T2", "rank"] == 1


def test_saving_weights_on_postgres(twin_urls: tuple[str, str]) -> None:
    engine = get_engine(PG_URL)
    with Session(engine) as session:
        queries.save_terminal_weights(session=session, weights=Weights(0.2, 0.6, 0.2), actor=ADMIN)
        session.commit()
    with Session(engine) as session:
        assert queries.scoring_config(session=session)["weights"] == {
            "display": 0.2, "pos_accuracy": 0.6, "brand_cultivation": 0.2
        }
        assert queries.scoring_config(session=session)["rubric"] == default("display_rubric")
