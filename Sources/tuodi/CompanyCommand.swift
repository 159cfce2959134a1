import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain
import TuodiLabels

struct DistrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district", abstract: "17 个报告单位（16 个区和临港新片区）。", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出报告单位。")
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table

        func run() async throws {
            try await withContext { context, _ in
                let units = try await context.districts.list()
                let listing = Listing(headers: ["代码", "名称", "行政区"],
                                      rows: units.map { [$0.code, $0.name, Labels.yesNo($0.isDistrict)] })
                try listing.print(format) { try jsonEncoder.encode(units) }
            }
        }
    }
}

struct CompanyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company", abstract: "登记和查询物业服务企业。",
        subcommands: [Add.self, List.self, Show.self])

    /// The JSON shape of a company, the same field names as the HTTP API.
    struct Output: Encodable {
        let uscc: String, name: String, ownership: String, districtGroup: Bool, registeredAddress: String?
        let contactPerson: String?, contactPhone: String?
        init(_ c: Company) {
            uscc = c.uscc.value; name = c.name; ownership = c.ownership.rawValue
            districtGroup = c.districtGroup; registeredAddress = c.registeredAddress
            contactPerson = c.contactPerson; contactPhone = c.contactPhone
        }
        var row: [String] {
            [uscc, name, Labels.ownerships[ownership], Labels.yesNo(districtGroup), registeredAddress ?? ""]
        }
        static let headers = ["统一社会信用代码", "名称", "所有制", "区属房管集团", "注册地址"]
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "登记一家企业。")
        @Option(help: "统一社会信用代码（18 位）。") var uscc: String
        @Option(help: "登记名称。") var name: String
        @Option(help: "所有制：stateWhollyOwned（国有独资）、stateControlled（国有控股）、private（民营）或 other（其他）。") var ownership: String
        @Flag(help: "属于区属房管集团。") var districtGroup = false
        @Option(help: "注册地址。") var address: String?
        @Option(help: "联系人（不公开）。") var contactPerson: String?
        @Option(help: "联系电话（不公开）。") var contactPhone: String?
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let company = try await context.companies.register(CompanyDraft(
                    uscc: uscc, name: name, ownership: ownership, districtGroup: districtGroup, registeredAddress: address,
                    contactPerson: contactPerson, contactPhone: contactPhone), by: try await caller.resolve(context))
                let out = Output(company)
                try Listing(headers: Output.headers, rows: [out.row]).print(format) { try jsonEncoder.encode(out) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出企业，按统一社会信用代码排序。")
        @Option(help: "每页行数（1–500）。") var limit = 100
        @Option(help: "跳过的行数。") var offset = 0
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let page = try await context.companies.list(limit: limit, offset: offset, by: try await caller.resolve(context))
                let out = page.items.map(Output.init)
                try Listing(headers: Output.headers, rows: out.map(\.row)).print(format) { try jsonEncoder.encode(out) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示一家企业。")
        @Argument(help: "统一社会信用代码。") var uscc: String
        @Option(help: "输出格式：table、json 或 csv。") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let out = Output(try await context.companies.show(uscc: uscc, by: try await caller.resolve(context)))
                try Listing(headers: Output.headers, rows: [out.row]).print(format) { try jsonEncoder.encode(out) }
            }
        }
    }
}
