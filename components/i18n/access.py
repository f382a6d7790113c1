"""Messages of permissions and the audit trail (issue 12)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "access.no_access": ("无权访问：您的账号不能查看此内容。如需权限请联系管理员。",
                         "No access: your account may not see this. Ask the administrator if you need it."),
    "access.no_access_param": ("无权访问：链接中的{name}不在您的查看范围内。",
                               "No access: the {name} in this link is outside what you may see."),
    "access.refused": ("您的角色无权{action}。", "Your role may not {action}."),
    "access.refused.own_department": ("不能更改给本服务部计分的内容：请由营销中心管理员录入。",
                                      "You may not change anything that scores your own department: "
                                      "the marketing administrators enter it."),
    "access.action.view_county": ("查看县级汇总", "view county-level figures"),
    "access.action.view_people": ("查看人员明细", "view person-level detail"),
    "access.action.view_meeting": ("查看会议大屏", "view the meeting wall"),
    "access.action.view_audit": ("查看审计记录", "view the audit trail"),
    "access.action.import_data": ("导入数据", "import data"),
    "access.action.score_entry": ("录入或更正服务部得分", "enter or correct department scores"),
    "access.action.edit_weights": ("修改权重", "change weights"),
    "access.action.edit_rubric": ("修改陈列评分标准", "change the display rubric"),
    "access.action.edit_visit_rules": ("修改走访异常阈值", "change the visit-rule thresholds"),
    "access.action.manage_users": ("管理用户", "manage users"),
    "access.action.manage_wall_links": ("管理大屏链接", "manage wall links"),
    "access.action.save_snapshot": ("保存会议快照", "save meeting snapshots"),
    "access.param.dept": ("服务部", "department"),
    "access.param.manager": ("客户经理", "customer manager"),
    "access.param.shop": ("终端", "terminal"),
}
