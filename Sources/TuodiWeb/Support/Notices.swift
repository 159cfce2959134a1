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
        "draft": "已起草报表，等待审核。",
        "approve": "报表已审核，可以报送。",
        "submit": "报表已报送市房管局，此后不能再修改。",
    ]

    static func text(_ code: String?) -> String? { code.flatMap { all[$0] } }
}
