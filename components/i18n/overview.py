"""Overview page messages."""

MESSAGES: dict[str, tuple[str, str]] = {
    "overview.title": ("经营总览", "Business overview"),
    "overview.scope_all": ("全区", "Whole district"),
    "overview.yoy_help": ("与去年同期（相同日期范围）相比", "Against the same dates last year"),
    "overview.pop_help": ("环比：{value}", "Period on period: {value}"),
    "overview.margin_delta": ("{value} 个百分点", "{value} pp"),
    "overview.completion_delta": ("较时间进度 {value} 个百分点", "{value} pp vs time progress"),
    "overview.completion_help": ("已完成 {actual} / 计划 {plan}", "Done {actual} of plan {plan}"),
    "overview.no_plan": ("本期没有计划", "No plan for this period"),
    "overview.time_progress_help": ("已过工作日 / 本期工作日（含法定节假日与调休）", "Elapsed working days / working days in the period (public holidays and make-up days applied)"),
    "overview.trend_title": ("近13个月销量（箱）：本年与去年同期", "Volume by month, last 13 months (cases): this year and last year"),
    "overview.trend_x": ("月份", "Month"),
    "overview.trend_y": ("销量（箱）", "Volume (cases)"),
    "overview.partial_note": ("本期尚未结束，同比与环比按相同天数比较。", "The period is not over: YoY and PoP compare the same number of days."),
}
