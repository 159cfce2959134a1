import ArgumentParser
import Foundation
import TuodiApp
import TuodiDomain

struct DistrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "district", abstract: "The 17 reporting units.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the reporting units.")
        @Option(help: "table, json or csv") var format: OutputFormat = .table

        func run() async throws {
            try await withContext { context, _ in
                let units = try await context.districts.list()
                let listing = Listing(headers: ["code", "name", "isDistrict"],
                                      rows: units.map { [$0.code, $0.name, String($0.isDistrict)] })
                print(try listing.render(format) { try jsonEncoder.encode(units) })
            }
        }
    }
}

struct CompanyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "company", abstract: "Register and look up property-service companies.",
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
        var row: [String] { [uscc, name, ownership, districtGroup ? "yes" : "no", registeredAddress ?? ""] }
        static let headers = ["uscc", "name", "ownership", "districtGroup", "registeredAddress"]
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a company.")
        @Option(help: "Unified Social Credit Code (18 characters).") var uscc: String
        @Option(help: "Registered name.") var name: String
        @Option(help: "stateWhollyOwned, stateControlled, private or other.") var ownership: String
        @Flag(help: "The company belongs to the district's state-owned housing group.") var districtGroup = false
        @Option(help: "Registered address.") var address: String?
        @Option(help: "Contact person (not public).") var contactPerson: String?
        @Option(help: "Contact phone (not public).") var contactPhone: String?
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let company = try await context.companies.register(CompanyDraft(
                    uscc: uscc, name: name, ownership: ownership, districtGroup: districtGroup, registeredAddress: address,
                    contactPerson: contactPerson, contactPhone: contactPhone), by: try await caller.resolve(context))
                let out = Output(company)
                print(try Listing(headers: Output.headers, rows: [out.row]).render(format) { try jsonEncoder.encode(out) })
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List companies, ordered by USCC.")
        @Option(help: "Page size (1–500).") var limit = 100
        @Option(help: "Rows to skip.") var offset = 0
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let page = try await context.companies.list(limit: limit, offset: offset, by: try await caller.resolve(context))
                let out = page.items.map(Output.init)
                print(try Listing(headers: Output.headers, rows: out.map(\.row)).render(format) { try jsonEncoder.encode(out) })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one company.")
        @Argument(help: "Unified Social Credit Code.") var uscc: String
        @Option(help: "table, json or csv") var format: OutputFormat = .table
        @OptionGroup var caller: CallerOption

        func run() async throws {
            try await withContext { context, _ in
                let out = Output(try await context.companies.show(uscc: uscc, by: try await caller.resolve(context)))
                print(try Listing(headers: Output.headers, rows: [out.row]).render(format) { try jsonEncoder.encode(out) })
            }
        }
    }
}
