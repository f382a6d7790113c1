"""One tie rule (issue 13): the teams page's rank history calls the leaderboard's rule.

Written before the fix: rank_history repeated ``round(2).rank(method="min")`` inline, so
changing ``rank_totals`` changed the leaderboard and left the history as it was.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session

from data_access.db import get_engine
from data_access.queries import teams
from data_access.rules import team_scoring
from tests.team_factory import DATA_END, NOV, competition_database


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = competition_database(Path(tmp_path_factory.mktemp("tie_rule")))
    with Session(get_engine(url)) as session:
        return teams.competition_data(session=session, month=NOV, data_end=DATA_END)


def _board_and_history(data: dict) -> tuple[dict[int, int], dict[int, int]]:
    result = team_scoring.competition(data, month=NOV, data_end=DATA_END, scope="month")
    board = dict(zip(result["board"]["department_id"], result["board"]["rank"], strict=True))
    history = result["history"][result["history"]["month"] == NOV]
    return board, dict(zip(history["department_id"], history["rank"], strict=True))


def test_rank_history_follows_the_leaderboard_tie_rule(data: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    board, history = _board_and_history(data)
    assert board == history and sorted(board.values()) == [1, 2, 3]

    # A different rule (every total to the nearest 10 points, ties share the rank) must reach both:
    # B 90.59 → 90 and C 86.67 → 90 now tie for 1st, A 76.65 → 80 is 3rd.
    def tens(totals: pd.Series) -> pd.Series:
        return (totals / 10).round().rank(method="min", ascending=False).astype("Int64")

    monkeypatch.setattr(team_scoring, "rank_totals", tens)
    board, history = _board_and_history(data)
    assert sorted(board.values()) == [1, 1, 3]
    assert history == board
