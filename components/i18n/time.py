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
    "time.pinned_today": ("演示日期：今天按 {date} 计算", "Pinned date: today is taken as {date}"),
}
