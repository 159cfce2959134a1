import TuodiDomain
import TuodiLabels

// The quarterly return as one printable HTML page in Chinese: the title, the summary, then
// each detail table of ReturnTables. The stylesheet is inline (the page is a single download)
// and has print rules: A4 landscape, header rows repeated on each page, rows never split.
// Every piece of text from the return is escaped.
enum QuarterlyReturnHTML {
    static func render(_ r: QuarterlyReturn) -> [UInt8] {
        let title = ReturnText.html(ReturnLabels.title(r))
        var html = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        <body>
        <h1>\(title)</h1>
        <p class="meta">单位代码 \(ReturnText.html(r.unit)) · 本季度 \(r.quarterStart) 至 \(r.asOf) · \
        本年 \(r.yearStart) 至 \(r.asOf) · 数据截至 \(r.asOf)</p>

        """
        for table in ReturnTables.all(r) { html += section(table) }
        html += "</body>\n</html>\n"
        return Array(html.utf8)
    }

    private static func section(_ table: ReturnTable) -> String {
        var html = "<section>\n<h2>\(ReturnText.html(table.name))</h2>\n<table>\n<thead><tr>"
        for column in table.columns { html += "<th scope=\"col\">\(ReturnText.html(column))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        if table.rows.isEmpty {
            html += "<tr><td class=\"empty\" colspan=\"\(table.columns.count)\">\(Labels.none)</td></tr>\n"
        }
        for row in table.rows {
            html += "<tr>" + row.map(cell).joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// Numbers and dates are right-aligned; the text is the page preview's (`ReturnPreview`).
    private static func cell(_ cell: ReturnCell) -> String {
        let spelled = ReturnPreview.cell(cell)
        let css = if case .date = cell { " class=\"date\"" } else if spelled.numeric { " class=\"num\"" } else { "" }
        return "<td\(css)>\(ReturnText.html(spelled.text))</td>"
    }

    private static let stylesheet = """
    body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
           margin: 2em; color: #111; line-height: 1.4; }
    h1 { font-size: 1.5em; margin: 0 0 .3em; }
    h2 { font-size: 1.15em; margin: 1.6em 0 .4em; }
    p.meta { color: #444; margin: 0 0 1em; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #888; padding: .2em .6em; vertical-align: top; }
    th { background: #eee; text-align: left; font-weight: bold; }
    td.num, td.date { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.empty { color: #666; text-align: center; }
    @page { size: A4 landscape; margin: 12mm; }
    @media print {
      body { margin: 0; font-size: 9.5pt; }
      th { background: none; }
      thead { display: table-header-group; }
      tr { break-inside: avoid; page-break-inside: avoid; }
      h2 { break-after: avoid; page-break-after: avoid; }
    }
    """
}
