/// The confirmation shown after a post redirects back (post/redirect/get): the redirect names
/// what happened with `?done=`, the page says it in words.
enum Notices {
    static let all: [String: String] = [
        "fact": "已登记管理事实。",
        "registered": "已登记小区。请登记其管理事实（如成为无人管理）。",
        "corrected": "已登记更正，原记录保留在历史中。",
        "proposed": "已提交，等待审核人审批。",
        "approved": "已批准。",
        "rejected": "已驳回。",
        "decided": "已按经办人意见作出决定。",
        "sentBack": "已退回，等待重新评分。",
        "userCreated": "已添加用户。",
        "userDeactivated": "已停用该用户，其登录立即失效。",
        "passwordReset": "已重置密码，该用户原有的登录已全部失效。请通过安全渠道告知新密码。",
        "draft": "已起草报表，等待审核。",
        "approve": "报表已审核，可以报送。",
        "submit": "报表已报送市房管局，此后不能再修改。",
        "selectionCreated": "已保存比选草稿。请邀请企业，然后开始接受投标。",
        "invited": "已邀请本区全部有效入库企业。",
        "opened": "已开始接受投标。",
        "bid": "已登记投标。",
        "bidInvalidated": "已认定该投标无效，评分表已重新计算。",
        "closed": "已截止投标。",
        "awardProposed": "已提出定标建议，等待审核人审批。",
        "awarded": "已批准定标，中标企业的托底安排已建立。",
        "selectionCancelled": "已取消本轮比选。",
        "memberSuspend": "已暂停该企业，其在管小区不受影响，但列入待替换。",
        "memberReinstate": "已恢复该企业。",
        "memberRemove": "已清退该企业，其在管小区不受影响，但列入待替换。",
        "roundOpened": "已发布入库征集。",
        "applied": "已登记入库申请，请按评分标准评分。",
        "scored": "已评分。",
        "settingsSaved": "已保存本区设置。",
        "extended": "已延期，变更记录已登记。",
        "terminated": "已提前终止；如无后续安排，小区自次日起为无人管理。",
        "matchProposed": "已生成批量匹配方案，请核对后等待审核人审批。",
        "matchEdited": "已调整方案，成本已重新计算。",
    ]

    static func text(_ code: String?) -> String? { code.flatMap { all[$0] } }
}
