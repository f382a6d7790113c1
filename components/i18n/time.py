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
    "time.default_complete": ("{running}刚开始，数据不足：默认显示上一个完整周期。",
                              "{running} has just begun: showing the last complete period by default."),
    "time.switch_running": ("切换到{running}（进行中）", "Switch to {running} (running)"),
    "time.default_period_help": (
        "每月初几天（本月销量数据不足 3 个工作日，可在配置中调整），各页面默认显示上月完整数据，"
        "点击按钮即可查看进行中的本月。",
        "On the first days of a month (fewer than 3 working days of sales, configurable) every page "
        "opens on the last complete month; the button switches to the running month.",
    ),
    "time.wall_running": ("以上为完整月最终结果。{period}（进行中，截至 {date}）：销量 {volume}，完成率 {completion}",
                          "Above: the complete month's final result. {period} so far (to {date}): volume {volume}, "
                          "plan completion {completion}"),
    "time.routes_latest_day": ("{period}还没有走访记录：显示最近有走访的一天（{date}）。",
                               "No visits in {period} yet: showing the latest day with visits ({date})."),
    "time.nobody_yet": ("今天还没有人出勤（尚无今日定位）；下面是各人 {date} 的最后位置。",
                        "No one in the field yet today (no fix today); below is each manager's last position of {date}."),
    "time.last_position": ("{date} 最后位置", "Last position on {date}"),
    "time.no_visits_today": ("今天还没有走访记录（最近一次走访在 {date}，见走访路线页）。",
                             "No visits yet today (the latest were on {date}; see the route page)."),
    "time.rank_change_help": (
        "只在同一业态、两个月都参评的终端之间比较名次；两个月共同参评的终端不足任一月份的 80% 时显示“—”，上月未参评显示“新进”。",
        "Ranks are compared only among terminals of the same format ranked in both months; when those are "
        "fewer than 80 % of either month's ranked terminals it shows \"—\"; not ranked last month: \"new\".",
    ),
    "time.pos_flag_help": (
        "POS对账按月、在月末之后到达：进行中的月份及刚结束尚未对账的月份为“待对账”（不计0%，综合得分暂不含POS）；"
        "已到期仍无数据计0%并标记。",
        "POS reconciliation is monthly and arrives after the month ends: the running month, and the month just "
        "ended until it is reconciled, are \"pending\" (never 0 %; the composite leaves POS out); a due month "
        "without data counts 0 % and is flagged.",
    ),
    "time.pinned_today": ("演示日期：今天按 {date} 计算", "Pinned date: today is taken as {date}"),
}
