"""Chart builders of the sales trends page. Pure: frames in, Altair charts out.

Every chart goes through ``components.charts.readable`` (projector-size type). Charts that
drive the page's drill-down carry a point selection named ``pick`` on the ``key`` field.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from components.charts import LAST_YEAR_COLOR, THIS_YEAR_COLOR, readable

PICK = "pick"
PRICE_CLASS_COLORS = ["#7b241c", "#c0392b", "#e67e22", "#f4d03f", "#95a5a6"]
X_FORMATS = {"day": "%m-%d", "week": "%m-%d", "month": "%Y-%m", "year": "%Y"}


def trend_chart(
    frame: pd.DataFrame, *, grain: str, title: str, x_title: str, y_title: str, y_format: str,
    this_label: str, last_label: str, festival: dt.date | None = None, festival_label: str = "",
    zero: bool = True,
) -> alt.Chart:
    """This year's line against last year's on one axis.

    ``zero=False`` for a ratio such as per-case value: the axis spans the values (with a nice
    margin) instead of starting at 0, where 85.6 and 88.8 would look the same (issue 15).

    ``frame``: ``date`` (ISO day on this year's calendar), ``value``, ``series`` (one of the
    two labels), ``label`` (bucket text, ``*`` when incomplete). A dashed rule marks
    ``festival`` when given.
    """
    buckets = sorted(set(frame["date"])) if not frame.empty else []
    # Ticks on the buckets themselves (weeks start on Monday, which Vega's own week ticks do not).
    ticks = [alt.DateTime(year=int(d[:4]), month=int(d[5:7]), date=int(d[8:10]), utc=True) for d in buckets]
    axis = alt.Axis(format=X_FORMATS[grain], labelAngle=0, labelOverlap=True,
                    **({"values": ticks} if 1 < len(ticks) <= 60 else {}))
    x = alt.X("date:T", title=x_title, timeUnit="utcyearmonthdate", axis=axis)
    color = alt.Color("series:N", title=None,
                      scale=alt.Scale(domain=[this_label, last_label], range=[THIS_YEAR_COLOR, LAST_YEAR_COLOR]))
    base = alt.Chart(frame).encode(
        x=x,
        # Axis ticks drop trailing zeros (140, not 140.0; 0.5 stays); the tooltip keeps the decimal.
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=zero, nice=True),
                axis=alt.Axis(format=y_format.replace("f", "~f") if "~" not in y_format else y_format)),
        color=color,
        tooltip=[alt.Tooltip("series:N", title=" "), alt.Tooltip("label:N", title=x_title),
                 alt.Tooltip("value:Q", title=y_title, format=y_format)],
    )
    size = 60 if len(buckets) > 3 else 200  # a lone month or year must still be seen from the back row
    layers: list[alt.Chart] = [base.mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=size))]
    if festival is not None:
        marker = pd.DataFrame({"date": [festival.isoformat()], "text": [festival_label]})
        rule = alt.Chart(marker).encode(x=alt.X("date:T", timeUnit="utcyearmonthdate"))
        layers.append(rule.mark_rule(strokeDash=[6, 4], color="#2c3e50", strokeWidth=2))
        layers.append(rule.mark_text(align="left", dx=6, dy=-8, fontSize=15, color="#2c3e50").encode(
            text="text:N", y=alt.value(10)))
    return readable(alt.layer(*layers).properties(title=title), height=360)


def ranked_bar(frame: pd.DataFrame, *, value_title: str, value_format: str, selectable: bool,
               zero: bool = True) -> alt.Chart:
    """Horizontal bars ranked by ``value``; ``frame``: ``key``, ``label``, ``value``, ``text``.

    ``zero=False`` (a ratio such as per-case value): dots on an axis that spans the values, so
    close values can be told apart; a bar would have to start at 0 to be honest (issue 15).
    """
    height = max(180, 44 * len(frame))
    mark = (alt.Chart(frame).mark_bar(color=THIS_YEAR_COLOR, cornerRadiusEnd=3) if zero
            else alt.Chart(frame).mark_circle(color=THIS_YEAR_COLOR, size=260, opacity=1))
    chart = mark.encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=value_title, scale=alt.Scale(zero=zero, nice=True, padding=0 if zero else 24),
                axis=alt.Axis(format=value_format, tickCount=5)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title=value_title, format=value_format)],
    )
    text = alt.Chart(frame).mark_text(align="left", dx=4 if zero else 12, fontSize=14).encode(
        y=alt.Y("label:N", sort="-x"), x="value:Q", text="text:N")
    if selectable:
        pick = alt.selection_point(name=PICK, fields=["key"], on="click")
        chart = chart.add_params(pick).encode(
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        )
    return readable(alt.layer(chart, text), height=height)


def class_mix_chart(frame: pd.DataFrame, *, x_title: str, y_title: str, color_title: str) -> alt.Chart:
    """Stacked shares of volume per month; ``frame``: ``month`` (text), ``class_label``, ``order``, ``share``."""
    labels = list(dict.fromkeys(frame.sort_values("order")["class_label"]))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("month:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("share:Q", title=y_title, stack="normalize", axis=alt.Axis(format=".0%")),
        color=alt.Color("class_label:N", title=color_title, sort=labels,
                        scale=alt.Scale(domain=labels, range=PRICE_CLASS_COLORS[: len(labels)])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("month:O", title=x_title), alt.Tooltip("class_label:N", title=color_title),
                 alt.Tooltip("share:Q", title=y_title, format=".1%")],
    )
    return readable(chart, height=340)


def bullet_chart(frame: pd.DataFrame, *, completion_title: str, selectable: bool = False) -> alt.Chart:
    """Completion bars against a 100% band and a time-progress tick.

    ``frame``: ``key``, ``label``, ``completion``, ``time_progress``, ``status`` (text), ``behind``.
    """
    height = max(140, 56 * len(frame))
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=220))
    base = alt.Chart(frame).encode(y=y)
    band = base.mark_bar(color="#e5e8e8", size=34).encode(x=alt.X("full:Q")).transform_calculate(full="1")
    bar = base.mark_bar(size=18).encode(
        x=alt.X("completion:Q", title=completion_title, axis=alt.Axis(format=".0%")),
        color=alt.Color("behind:N", legend=None,
                        scale=alt.Scale(domain=[False, True], range=["#27ae60", THIS_YEAR_COLOR])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("completion:Q", format=".1%"),
                 alt.Tooltip("time_progress:Q", format=".1%"), alt.Tooltip("status:N")],
    )
    if selectable:
        pick = alt.selection_point(name=PICK, fields=["key"], on="click")
        bar = bar.add_params(pick)
    tick = base.mark_tick(color="#17202a", thickness=3, size=40).encode(x="time_progress:Q")
    text = base.mark_text(align="left", dx=6, fontSize=15).encode(x="completion:Q", text="text:N")
    return readable(alt.layer(band, bar, tick, text), height=height)


def movers_chart(frame: pd.DataFrame, *, value_title: str, selectable: bool) -> alt.Chart:
    """Diverging bars of change in cases; ``frame``: ``key``, ``label``, ``change_cases``."""
    height = max(160, 34 * len(frame))
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("change_cases:Q", title=value_title, axis=alt.Axis(format=",.1f", tickCount=6)),
        color=alt.condition("datum.change_cases > 0", alt.value("#27ae60"), alt.value(THIS_YEAR_COLOR)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("change_cases:Q", title=value_title, format="+,.1f")],
    )
    if selectable:
        chart = chart.add_params(alt.selection_point(name=PICK, fields=["key"], on="click"))
    return readable(chart, height=height)


def forecast_chart(frame: pd.DataFrame, *, x_title: str, y_title: str, series_title: str) -> alt.Chart:
    """Forecast and actual cases per month, one panel per brand (``facet`` when several).

    ``frame``: ``month`` (text), ``brand_family``, ``series``, ``cases``; the series appear in
    frame order (forecast first, in grey and dashed; actual in red).
    """
    series = list(dict.fromkeys(frame["series"]))
    chart = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=70), strokeWidth=3).encode(
        x=alt.X("month:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cases:Q", title=y_title),
        color=alt.Color("series:N", title=series_title, sort=series,
                        scale=alt.Scale(domain=series, range=[LAST_YEAR_COLOR, THIS_YEAR_COLOR])),
        strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=["brand_family:N", "month:O", "series:N", alt.Tooltip("cases:Q", format=",.1f")],
    )
    return readable(chart, height=320)
