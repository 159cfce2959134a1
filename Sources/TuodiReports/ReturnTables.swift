import TuodiDomain
import TuodiLabels

// The quarterly return as labelled tables: the summary (项目/数值) and one table per detail
// list. XLSX, CSV and HTML all write these same tables, so they cannot drift apart; each
// format only decides how a typed cell is spelled. (The XML follows the Swift type instead.)

/// One cell, typed so that each format can write it natively (a number cell, a date cell...).
enum ReturnCell: Equatable, Sendable {
    case text(String)
    case integer(Int)
    case decimal(Double)
    case date(LocalDate)
    /// A fraction shown as a percentage; `nil` (a zero denominator) reads 无.
    case rate(Double?)
    /// A figure that does not exist ("none"), e.g. the median without episodes: 无.
    case none
    /// Nothing to say, e.g. days to cover of an estate not covered yet.
    case blank
}

/// A titled table with a header row.
struct ReturnTable: Sendable {
    /// The sheet name (at most 31 characters, as Excel demands) and the section heading.
    let name: String
    let columns: [String]
    let rows: [[ReturnCell]]
}

/// A summary row: a stable figure name (the Swift field path, as restatements name figures), its label and value.
struct SummaryFigure: Sendable {
    let figure: String
    let label: String
    let value: ReturnCell
}

enum ReturnTables {
    /// The summary first, then every detail table in a fixed order. The five detail tables of
    /// a unit's return are always present (with a header row when empty); 分区汇总 and 更正说明
    /// only when they have rows.
    static func all(_ r: QuarterlyReturn) -> [ReturnTable] {
        var tables = [summary(r), newlyUnmanaged(r), stillUnmanaged(r), endingSoon(r), pool(r), selectionRounds(r)]
        if !r.byUnit.isEmpty { tables.append(byUnit(r)) }
        if !r.restatements.isEmpty { tables.append(restatements(r)) }
        return tables
    }

    static func summary(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(name: "概要", columns: ["项目", "数值"], rows: figures(r).map { [.text($0.label), $0.value] })
    }

    static func figures(_ r: QuarterlyReturn) -> [SummaryFigure] {
        var f: [SummaryFigure] = []
        func add(_ figure: String, _ label: String, _ value: ReturnCell) {
            f.append(SummaryFigure(figure: figure, label: label, value: value))
        }
        func counts(_ path: String, _ prefix: String, _ items: [KeyCount], _ labels: KeyedLabels) {
            for item in items { add("\(path).\(item.key)", "\(prefix)\(labels[item.key])", .integer(item.count)) }
        }
        func rate(_ path: String, _ by: String, covered: String, all: String, _ rate: Rate) {
            add("\(path).numerator", "托底覆盖率（按\(by)）分子：\(covered)", number(rate.numerator))
            add("\(path).denominator", "托底覆盖率（按\(by)）分母：\(all)", number(rate.denominator))
            add("\(path).rate", "托底覆盖率（按\(by)）", .rate(rate.rate))
        }

        add("unitName", "报表单位", .text(r.unitName))
        add("unit", "单位代码", .text(r.unit))
        add("year", "年度", .integer(r.year))
        add("quarter", "季度", .integer(r.quarter))
        add("yearStart", "本年起始日", .date(r.yearStart))
        add("quarterStart", "本季度起始日", .date(r.quarterStart))
        add("asOf", "截止日期", .date(r.asOf))

        add("pool.active", "预选库在库企业数", .integer(r.pool.active))
        add("pool.activeDistrictGroup", "其中：区属房管集团企业数", .integer(r.pool.activeDistrictGroup))
        add("pool.admittedInQuarter", "本季度入库企业数", .integer(r.pool.admittedInQuarter))
        add("pool.removedOrExpiredInQuarter", "本季度出库或到期企业数", .integer(r.pool.removedOrExpiredInQuarter))

        add("estates.registered", "登记小区数", .integer(r.estates.registered))
        counts("estates.byCategory", "按类别：", r.estates.byCategory, Labels.categories)
        counts("estates.byState", "截止日状态：", r.estates.byState, Labels.states)

        add("newlyUnmanaged.inQuarter", "本季度新增失管小区数", .integer(r.newlyUnmanaged.inQuarter))
        add("newlyUnmanaged.yearToDate", "本年新增失管小区数", .integer(r.newlyUnmanaged.yearToDate))
        add("yearToDateState.covered", "本年新增失管小区中截止日已托底或已有物业", .integer(r.yearToDateState.covered))
        counts("yearToDateState.byKind", "其中：", r.yearToDateState.byKind, Labels.coveredStates)
        add("yearToDateState.stillUnmanaged", "本年新增失管小区中截止日仍失管", .integer(r.yearToDateState.stillUnmanaged))

        rate("coverage.estates", "小区数", covered: "已托底小区数", all: "本年新增失管小区数", r.coverage.estates)
        rate("coverage.households", "户数", covered: "已托底户数", all: "本年新增失管户数", r.coverage.households)
        rate("coverage.floorArea", "建筑面积", covered: "已托底建筑面积（平方米）", all: "本年新增失管建筑面积（平方米）",
             r.coverage.floorArea)

        add("daysToCover.episodes", "已托底或恢复管理的本年失管次数", .integer(r.daysToCover.episodes))
        add("daysToCover.median", "托底用时中位数（天）", r.daysToCover.median.map(number) ?? .none)
        add("daysToCover.maximum", "托底用时最长（天）", r.daysToCover.maximum.map { .integer($0) } ?? .none)

        add("stillUnmanaged", "截止日仍失管小区数", .integer(r.stillUnmanaged.count))
        add("endingSoon", "90天内到期的托底安排数", .integer(r.endingSoon.count))
        add("selectionRounds.finished", "本季度完成的市场竞争选聘轮次", .integer(r.selectionRounds.finished))
        add("selectionRounds.failed", "其中：流标轮次", .integer(r.selectionRounds.failed))
        return f
    }

    static func newlyUnmanaged(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "本年新增失管小区",
            columns: ["小区编码", "小区名称", "类别", "户数", "建筑面积（平方米）", "失管起始日", "截止日状态", "托底用时（天）"],
            rows: r.newlyUnmanaged.estates.map { e in
                [.text(e.code), .text(e.name), .text(Labels.categories[e.category]), .integer(e.households),
                 .decimal(e.floorArea), .date(e.episodeStart), .text(Labels.states[e.stateOnAsOf]),
                 e.daysToCover.map { .integer($0) } ?? .blank]
            }
        )
    }

    static func stillUnmanaged(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "仍失管小区",
            columns: ["单位代码", "小区编码", "小区名称", "街镇", "类别", "失管起始日", "已失管天数", "距年底天数"],
            rows: r.stillUnmanaged.map { e in
                [.text(e.unit), .text(e.code), .text(e.name), .text(e.subDistrict), .text(Labels.categories[e.category]),
                 .date(e.episodeStart), .integer(e.daysUnmanaged), .integer(e.daysLeftInYear)]
            }
        )
    }

    static func endingSoon(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "90天内到期",
            columns: ["安排编号", "单位代码", "小区编码", "托底方式", "服务主体", "起始日", "到期日"],
            rows: r.endingSoon.map { a in
                [.integer(a.id), .text(a.unit), .text(a.estateCode), .text(Labels.kinds[a.kind]), .text(a.provider),
                 .date(a.start), .date(a.end)]
            }
        )
    }

    static func pool(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "预选库",
            columns: ["统一社会信用代码", "企业名称", "区属房管集团企业", "入库日期", "有效期至", "可承接小区数"],
            rows: r.pool.members.map { m in
                [.text(m.uscc), .text(m.name), .text(m.districtGroup ? Labels.yes : Labels.no),
                 .date(m.start), .date(m.end), .integer(m.capacityEstates)]
            }
        )
    }

    static func selectionRounds(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "市场竞争选聘",
            columns: ["选聘编号", "单位代码", "选聘名称", "结果", "完成日期"],
            rows: r.selectionRounds.rounds.map { s in
                [.integer(s.id), .text(s.unit), .text(s.title), .text(Labels.finishedRoundStatuses[s.status]), .date(s.finishedOn)]
            }
        )
    }

    static func byUnit(_ r: QuarterlyReturn) -> ReturnTable {
        ReturnTable(
            name: "分区汇总",
            columns: ["单位代码", "单位名称", "预选库在库企业数", "登记小区数", "本季度新增失管小区数", "本年新增失管小区数",
                      "本年新增失管小区中已托底", "托底覆盖率（按小区数）", "截止日仍失管小区数", "报表状态"],
            rows: r.byUnit.map { u in
                [.text(u.unit), .text(u.unitName), .integer(u.activeMembers), .integer(u.registeredEstates),
                 .integer(u.newlyUnmanagedInQuarter), .integer(u.newlyUnmanagedYearToDate), .integer(u.coveredYearToDate),
                 .rate(u.coverageRate), .integer(u.stillUnmanaged), .text(Labels.returnStatuses[u.returnStatus])]
            }
        )
    }

    static func restatements(_ r: QuarterlyReturn) -> ReturnTable {
        // Labels come from this return's own summary; a figure it does not show keeps its name.
        let labels = Dictionary(figures(r).map { ($0.figure, $0.label) }, uniquingKeysWith: { first, _ in first })
        return ReturnTable(
            name: "更正说明",
            columns: ["年度", "季度", "指标代码", "指标", "原报数值", "现数值", "差额"],
            rows: r.restatements.map { s in
                let difference: ReturnCell = switch (s.submitted, s.now) {
                case let (was?, now?): number(now - was)
                default: .none
                }
                return [.integer(s.year), .integer(s.quarter), .text(s.figure), .text(labels[s.figure] ?? s.figure),
                        s.submitted.map(number) ?? .none, s.now.map(number) ?? .none, difference]
            }
        )
    }

    /// A whole-valued double as an integer cell (3 households, not 3.0), anything else as a decimal.
    static func number(_ d: Double) -> ReturnCell {
        d.rounded() == d && abs(d) < 1e15 ? .integer(Int(d)) : .decimal(d)
    }
}

/// The Chinese label of a figure that a restatement names (`newlyUnmanaged.yearToDate`), as the
/// return's summary table labels it; an unknown name is shown as it is.
public enum ReturnFigureLabel {
    public static func label(of figure: String, in r: QuarterlyReturn) -> String {
        ReturnTables.figures(r).first { $0.figure == figure }?.label ?? figure
    }
}
