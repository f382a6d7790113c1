"""Messages about time: each feed's "as of" stamp, pending POS, default periods, rank comparability."""

MESSAGES: dict[str, tuple[str, str]] = {
    "time.feed_up_to.visits": ("走访数据截至 {date}", "Visits up to {date}"),
    "time.feed_up_to.gps": ("定位数据截至 {date}", "GPS fixes up to {date}"),
    "time.feed_up_to.inspections": ("陈列检查截至 {date}", "Display inspections up to {date}"),
    "time.feed_up_to.pos": ("POS对账截至 {date}", "POS reconciled up to {date}"),
    "time.feeds_help": (
        "各数据源截止日期不同：销量算到订单数据的最后一天，走访达成率只计入走访数据最后一天及以前的拜访计划，"
        "POS对账按月、在月末之后到达。",
        "Feeds end on different days: sales run to the last day with orders, visit compliance counts only "
        "visit plans up to the visits feed's last day, and POS reconciliation is monthly and arrives after "
        "the month ends.",
    ),
    "time.pos_pending": (
        "{month}的POS对账尚未到期（对账在月末之后到达；已对账至 {last}）：POS一栏显示“待对账”，"
        "综合得分暂不含POS，其权重按比例分摊到陈列和品牌培育；名次变化按同一规则计算。",
        "{month}'s POS reconciliation is not due yet (it arrives after the month ends; reconciled up to "
        "{last}): POS shows \"pending\", and the composite leaves POS out with its weight spread over display "
        "and brand cultivation; rank changes use the same rule.",
    ),
    "time.pos_never": ("尚无对账月份", "no month yet"),
    "time.pos_pending_short": ("本月POS待对账：综合得分暂不含POS（权重按比例分摊）",
                               "POS pending this month: composite without POS (its weight spread)"),
    "terminals.pos.pending": ("待对账", "pending"),
    "time.pinned_today": ("演示日期：今天按 {date} 计算", "Pinned date: today is taken as {date}"),
}
