/// The confirmation shown after a post redirects back (post/redirect/get): the redirect names
/// what happened with `?done=`, the page says it in words.
enum Notices {
    static let all: [String: String] = [
        "fact": "已登记管理事实。",
        "proposed": "已提交，等待审核人审批。",
        "approved": "已批准。",
        "rejected": "已驳回。",
    ]

    static func text(_ code: String?) -> String? { code.flatMap { all[$0] } }
}
