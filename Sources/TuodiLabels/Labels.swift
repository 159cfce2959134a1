import TuodiDomain

/// The Chinese words for every code Tuodi shows a person, in one place, so the web pages, the
/// CLI and the reports say the same thing. Codes stay English in the API and in files meant for
/// machines; people see these labels.
public enum Labels {
    /// Estate categories (`EstateCategory` raw values), in the domain's order.
    public static let categories = KeyedLabels(EstateCategory.allCases.map { ($0.rawValue, $0.chineseName) })

    /// An estate's state on a day: managed, unmanaged, unknown, or covered by a kind.
    public static let states: KeyedLabels = [
        ("managed", "有物业管理"),
        ("unmanaged", "无人管理"),
        ("selection", "市场竞争选聘"),
        ("custody", "临时托管"),
        ("ownerSelf", "业主自行管理"),
        ("communityFallback", "社区托底服务"),
        ("unknown", "未知"),
    ]

    /// The four coverage kinds (`CoverageKind`), the kinds an arrangement can have.
    public static let kinds: KeyedLabels = states.filtered(CoverageKind.allCases.map(\.rawValue))

    /// What a year-to-date newly unmanaged estate can be on E besides unmanaged: a kind or managed again.
    public static let coveredStates: KeyedLabels = states.filtered(CoverageKind.allCases.map(\.rawValue) + ["managed"])

    public static let unmanagedReasons: KeyedLabels = [
        ("previousCompanyLeft", "原物业服务企业撤场"),
        ("contractEnded", "物业服务合同到期未续"),
        ("newlyIdentified", "新认定为无人管理"),
        ("other", "其他原因"),
    ]

    /// The kinds of a management fact.
    public static let factKinds: KeyedLabels = [
        ("becameUnmanaged", "成为无人管理"),
        ("regularBegan", "选聘物业服务企业进驻"),
        ("regularEnded", "物业服务企业退出"),
    ]

    public static let arrangementStatuses: KeyedLabels = [
        ("proposed", "待审批"),
        ("active", "有效"),
        ("ended", "已到期"),
        ("terminated", "已提前终止"),
        ("rejected", "已驳回"),
    ]

    /// Dated changes to an arrangement.
    public static let arrangementEvents: KeyedLabels = [
        ("extended", "延期"),
        ("terminated", "提前终止"),
        ("replaced", "被替换"),
        ("regularAppointment", "已选聘物业服务企业"),
    ]

    /// What a spreadsheet import brings in (the import endpoints' kinds).
    public static let importKinds: KeyedLabels = [
        ("estates", "小区"),
        ("companies", "物业服务企业"),
        ("facts", "管理事实"),
        ("pool", "入库申请"),
    ]

    public static let selectionStatuses: KeyedLabels = [
        ("draft", "草拟"),
        ("open", "接受投标"),
        ("evaluation", "评审中"),
        ("awarded", "已成交"),
        ("failed", "流标"),
        ("cancelled", "已取消"),
    ]

    /// The two ends of a finished selection round, as the quarterly return counts them.
    public static let finishedRoundStatuses: KeyedLabels = selectionStatuses.filtered(["awarded", "failed"])

    public static let roles: KeyedLabels = [
        ("admin", "系统管理员"),
        ("districtClerk", "区经办人"),
        ("districtApprover", "区审核人"),
        ("municipalAnalyst", "市级分析员"),
    ]

    public static let ownerships: KeyedLabels = [
        ("stateWhollyOwned", "国有独资"),
        ("stateControlled", "国有控股"),
        ("private", "民营"),
        ("other", "其他"),
    ]

    public static let applicationStatuses: KeyedLabels = [
        ("applied", "已申请"),
        ("scored", "已评分"),
        ("proposed", "已提出意见"),
        ("admitted", "已入库"),
        ("rejected", "未入库"),
        ("withdrawn", "已撤回"),
    ]

    public static let admissionProposals: KeyedLabels = [
        ("admit", "拟入库"),
        ("reject", "拟不入库"),
    ]

    public static let membershipStates: KeyedLabels = [
        ("pending", "未开始"),
        ("active", "在库"),
        ("suspended", "暂停"),
        ("removed", "已清退"),
        ("expired", "已到期"),
    ]

    public static let membershipEvents: KeyedLabels = [
        ("suspended", "暂停"),
        ("reinstated", "恢复"),
        ("removed", "清退"),
    ]

    /// A match proposal (batch custody) and a quarterly return in the workflow.
    public static let proposalStatuses: KeyedLabels = [
        ("proposed", "待审批"),
        ("approved", "已批准"),
        ("rejected", "已驳回"),
    ]

    /// Where a unit's own return stands, in the workflow and in the municipal roll-up.
    public static let returnStatuses: KeyedLabels = [
        ("submitted", "已报送"),
        ("late", "逾期报送"),
        ("missing", "逾期未报送"),
        ("pending", "未到报送期限"),
        ("draft", "草稿（未报送）"),
        ("approved", "已审核（未报送）"),
        ("notDrafted", "未起草"),
    ]

    /// What an audit entry records: every `Action`, and the sign-in events.
    public static let auditActions: KeyedLabels = [
        ("user.create", "创建用户"), ("user.list", "查看用户"), ("user.deactivate", "停用用户"), ("user.resetPassword", "重置密码"), ("token.revokeOwn", "退出登录"),
        ("auth.login", "登录"), ("auth.loginFailed", "登录失败"),
        ("company.register", "登记企业"), ("company.read", "查看企业"),
        ("estate.register", "登记小区"), ("estate.read", "查看小区"), ("estate.recordFact", "登记管理事实"), ("estate.correct", "更正管理事实"),
        ("estate.import", "导入小区"), ("company.import", "导入企业"), ("pool.import", "导入预选库"),
        ("settings.update", "修改本区设置"), ("pool.read", "查看预选库"), ("pool.roundOpen", "发布入库征集"), ("pool.apply", "登记入库申请"),
        ("pool.score", "入库评分"), ("pool.propose", "提出入库意见"), ("pool.decide", "入库审批"),
        ("pool.recordAdmission", "登记以往入库决定"), ("fact.import", "导入管理事实"),
        ("arrangement.record", "登记以往托底安排"), ("arrangement.import", "导入以往托底安排"),
        ("membership.suspend", "暂停入库企业"), ("membership.reinstate", "恢复入库企业"), ("membership.remove", "清退入库企业"),
        ("arrangement.read", "查看托底安排"), ("arrangement.propose", "提出托底安排"), ("arrangement.approve", "批准托底安排"),
        ("arrangement.reject", "驳回托底安排"), ("arrangement.extend", "托底安排延期"), ("arrangement.terminate", "提前终止托底安排"),
        ("selection.read", "查看比选"), ("selection.create", "创建比选"), ("selection.invite", "邀请投标"), ("selection.open", "开始接受投标"),
        ("selection.bid", "登记投标"), ("selection.invalidateBid", "认定投标无效"), ("selection.close", "截止投标"),
        ("selection.cancel", "取消比选"), ("selection.proposeAward", "提出成交建议"), ("selection.approveAward", "批准成交"),
        ("match.read", "查看批量匹配"), ("match.propose", "生成批量匹配方案"), ("match.edit", "调整批量匹配方案"),
        ("match.approve", "批准批量匹配方案"), ("match.reject", "驳回批量匹配方案"),
        ("coverage.read", "查看覆盖情况"), ("return.read", "查看季度报表"), ("return.draft", "起草季度报表"),
        ("return.approve", "审核季度报表"), ("return.submit", "报送季度报表"), ("return.rollup", "查看全市汇总"),
        ("audit.read", "查看审计记录"), ("audit.verify", "校验审计链"), ("demo.generate", "生成演示数据"),
    ]

    /// What waits in an approver's inbox (待我审批).
    public static let pendingDecisions: KeyedLabels = [
        ("poolApplication", "预选库入库申请"),
        ("arrangement", "托底安排"),
        ("selectionAward", "比选成交"),
        ("matchProposal", "批量匹配方案"),
        ("returnApproval", "季度报表审核"),
        ("returnSubmission", "季度报表报送"),
    ]

    /// How far a unit's return got: a live preview, or a stored draft, approved or submitted.
    public static let returnStages: KeyedLabels = [
        ("notDrafted", "未起草（实时预览）"),
        ("draft", "草稿"),
        ("approved", "已审核"),
        ("submitted", "已报送"),
    ]

    /// Why the matching engine left an estate without a company.
    public static let unplacedReasons: KeyedLabels = [
        ("noEligibleCompany", "没有符合条件的在库企业"),
        ("insufficientCapacity", "在库企业承接能力不足"),
        ("removedByClerk", "经办人已移出方案"),
    ]

    /// The rules a refusal names (`AppError.conflict`, problem+json `rule`).
    public static let rules: KeyedLabels = [
        ("duplicate", "重复"),
        ("fourEyes", "须由另一人审批"),
        ("overlap", "时段重叠"),
        ("capacity", "超出承接能力"),
        ("ineligible", "不符合条件"),
        ("notUnmanaged", "不是无人管理"),
        ("notInvited", "未受邀请"),
        ("noInvitees", "没有可邀请的企业"),
        ("tooFewBids", "有效投标不足"),
        ("biddingClosed", "投标已截止"),
        ("termBeforeAward", "服务期早于定标"),
        ("status", "当前状态不允许此操作"),
        ("state", "当前状态不允许此操作"),
        ("quarterOpen", "季度尚未结束"),
        ("frozen", "已报送，不可更改"),
        ("roundClosed", "征集已截止"),
        ("replaces", "被替换的安排不符"),
        ("selfDeactivation", "不能停用自己"),
        ("bootstrapDone", "已有用户"),
        ("notEmpty", "数据库不为空"),
        ("ocdsExport", "无法导出 OCDS"),
        ("retry", "请稍后重试"),
    ]

    /// What an audit entry records (`Action` raw values, plus the sign-in events).
    public static let actions: KeyedLabels = [
        ("user.create", "新建用户"), ("user.list", "查看用户"), ("user.deactivate", "停用用户"), ("user.resetPassword", "重置密码"),
        ("token.revokeOwn", "退出登录"), ("auth.login", "登录"), ("auth.loginFailed", "登录失败"),
        ("company.register", "登记企业"), ("company.read", "查看企业"), ("company.import", "导入企业"),
        ("estate.register", "登记小区"), ("estate.read", "查看小区"), ("estate.recordFact", "记录管理事实"),
        ("estate.correct", "更正管理事实"), ("estate.import", "导入小区"),
        ("pool.import", "导入入库申请"), ("settings.update", "修改单位设置"), ("pool.read", "查看预选库"),
        ("pool.roundOpen", "开启入库征集"), ("pool.apply", "登记入库申请"), ("pool.score", "评分"),
        ("pool.propose", "提出入库意见"), ("pool.decide", "审批入库意见"), ("fact.import", "导入管理事实"), ("pool.recordAdmission", "登记以往入库决定"),
        ("arrangement.record", "登记以往托底安排"), ("arrangement.import", "导入以往托底安排"),
        ("membership.suspend", "暂停在库企业"), ("membership.reinstate", "恢复在库企业"), ("membership.remove", "清退在库企业"),
        ("arrangement.read", "查看托底安排"), ("arrangement.propose", "提出托底安排"), ("arrangement.approve", "批准托底安排"),
        ("arrangement.reject", "退回托底安排"), ("arrangement.extend", "延期托底安排"), ("arrangement.terminate", "提前终止托底安排"),
        ("selection.read", "查看比选"), ("selection.create", "草拟比选"), ("selection.invite", "邀请企业"),
        ("selection.open", "开始接受投标"), ("selection.bid", "登记投标"), ("selection.invalidateBid", "认定投标无效"),
        ("selection.close", "截止投标"), ("selection.cancel", "取消比选"), ("selection.proposeAward", "提出拟成交"),
        ("selection.approveAward", "批准定标"),
        ("match.read", "查看匹配方案"), ("match.propose", "提出批量匹配方案"), ("match.edit", "调整匹配方案"),
        ("match.approve", "批准匹配方案"), ("match.reject", "退回匹配方案"),
        ("coverage.read", "查看覆盖情况"), ("return.read", "查看季度报表"), ("return.draft", "起草季度报表"),
        ("return.approve", "审核季度报表"), ("return.submit", "报送季度报表"), ("return.rollup", "查看全市汇总"),
        ("audit.read", "查看审计记录"), ("audit.verify", "校验审计链"),
        ("demo.generate", "生成合成数据"), ("demo.load", "载入演示数据"), ("maintenance.rebuildEpisodes", "重建读模型"),
    ]

    /// The kinds of record a "not found" names.
    public static let entities: KeyedLabels = [
        ("estate", "小区"),
        ("company", "企业"),
        ("arrangement", "托底安排"),
        ("user", "用户"),
        ("membership", "入库资格"),
        ("application", "入库申请"),
        ("admissionRound", "入库征集"),
        ("selectionRound", "比选"),
        ("bid", "投标"),
        ("matchProposal", "匹配方案"),
        ("quarterlyReturn", "季度报表"),
        ("managementFact", "管理事实"),
        ("unit", "报告单位"),
        ("district", "报告单位"),
    ]

    /// What a `nil` rate or figure reads as.
    public static let none = "无"
    public static let yes = "是"
    public static let no = "否"

    public static func yesNo(_ b: Bool) -> String { b ? yes : no }
}

// Typed access for the domain's own enums, so callers need not know which table holds them.
extension EstateCategory { public var label: String { Labels.categories[rawValue] } }
extension CoverageKind { public var label: String { Labels.kinds[rawValue] } }
extension UnmanagedReason { public var label: String { Labels.unmanagedReasons[rawValue] } }
extension ArrangementStatus { public var label: String { Labels.arrangementStatuses[rawValue] } }
extension SelectionStatus { public var label: String { Labels.selectionStatuses[rawValue] } }
extension Role { public var label: String { Labels.roles[rawValue] } }
extension Ownership { public var label: String { Labels.ownerships[rawValue] } }
extension ApplicationStatus { public var label: String { Labels.applicationStatuses[rawValue] } }
extension AdmissionProposal { public var label: String { Labels.admissionProposals[rawValue] } }
extension MembershipState { public var label: String { Labels.membershipStates[rawValue] } }
extension MembershipEvent.Kind { public var label: String { Labels.membershipEvents[rawValue] } }
extension UnplacedReason { public var label: String { Labels.unplacedReasons[rawValue] } }
extension EstateState { public var label: String { Labels.states[description] } }

extension ManagementFactKind {
    /// "成为无人管理（原物业服务企业撤场）", "选聘物业服务企业进驻：上海某某物业".
    public var label: String {
        switch self {
        case .becameUnmanaged(let reason): "\(Labels.factKinds["becameUnmanaged"])（\(reason.label)）"
        case .regularBegan(let company): "\(Labels.factKinds["regularBegan"])：\(company)"
        case .regularEnded(let company): "\(Labels.factKinds["regularEnded"])：\(company)"
        }
    }
}

/// An ordered code → label table that reads like a dictionary but keeps its order.
public struct KeyedLabels: ExpressibleByArrayLiteral, Sendable {
    public let pairs: [(code: String, label: String)]

    public init(arrayLiteral elements: (String, String)...) { self.init(elements) }
    public init(_ elements: [(String, String)]) { pairs = elements.map { (code: $0.0, label: $0.1) } }

    public var codes: [String] { pairs.map(\.code) }

    public func contains(_ code: String) -> Bool { pairs.contains { $0.code == code } }

    /// The label of `code`; an unknown code is shown as itself rather than hidden.
    public subscript(_ code: String) -> String { pairs.first { $0.code == code }?.label ?? code }

    /// The code whose label is `label`, for input typed in Chinese.
    public func code(forLabel label: String) -> String? { pairs.first { $0.label == label }?.code }

    public func filtered(_ codes: [String]) -> KeyedLabels {
        KeyedLabels(codes.map { code in (code, self[code]) })
    }
}
