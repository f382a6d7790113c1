"""Messages that say what a comparison (YoY, PoP, completion against time progress) compares.

Shared by the overview and the sales page so both explain a figure in the same words; the
conventions themselves are in docs/time_conventions.md.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "compare.yoy": ("同比：与去年同期 {start} 至 {end} 相比。", "Year on year: against {start} to {end} last year."),
    "compare.pop_complete": (
        "环比：本期已完结，与完整的上一期 {start} 至 {end} 相比。",
        "Period on period: this period is complete, so it is compared with the whole previous period, {start} to {end}.",
    ),
    "compare.pop_running": (
        "环比：本期未完结，与上一期相同天数 {start} 至 {end} 相比。",
        "Period on period: this period is still running, so it is compared with the same number of days of the "
        "previous period, {start} to {end}.",
    ),
    "compare.not_covered": (
        "对比区间 {start} 至 {end} 早于数据起始日 {first}，不作比较（显示“—”）。",
        "The comparison range {start} to {end} starts before the first day with data ({first}): no comparison "
        "(shown as “—”).",
    ),
    "compare.status_rule": (
        "完成率与时间进度按显示的一位小数比较：相等为“持平”，高于为“超进度”，低于为“落后进度”。",
        "Completion and time progress are compared as shown, to one decimal: equal is “on pace”, above is "
        "“ahead”, below is “behind”.",
    ),
    "status.on_pace": ("持平", "On pace"),
}
