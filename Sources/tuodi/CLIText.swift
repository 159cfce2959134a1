import Foundation

/// ArgumentParser writes its help and usage errors in English; bureau staff read Chinese. Its
/// fixed phrases are rewritten here, in one place, leaving flag names, placeholders and the
/// commands' own (Chinese) text as they are.
enum CLIText {
    /// Whole phrases first, then patterns with the parts they keep. Order matters: longer first.
    private static let phrases: [(String, String)] = [
        ("OVERVIEW: ", "概述："),
        ("USAGE: ", "用法："),
        ("ARGUMENTS:\n", "参数：\n"),
        ("OPTIONS:\n", "选项：\n"),
        ("SUBCOMMANDS:\n", "子命令：\n"),
        ("Show help information.", "显示帮助信息。"),
        ("Show the version.", "显示版本号。"),
        ("Missing required subcommand.", "缺少子命令。"),
        ("Error: ", "错误："),
        ("Usage: ", "用法："),
        ("Help:  ", "说明："),
        ("(default)", "（默认）"),
    ]

    private static let patterns: [(NSRegularExpression, String)] = [
        (#"See '([^']+)' for detailed help\."#, "用 '$1' 查看子命令的详细帮助。"),
        (#"See '([^']+)' for more information\."#, "更多说明见 '$1'。"),
        // These may wrap across lines in a narrow terminal, hence \s where a space stands.
        (#"\(values:\s+([^;)]*);\s+default:\s+([^)]*)\)"#, "（可选：$1；默认：$2）"),
        (#"\(values:\s+([^)]*)\)"#, "（可选：$1）"),
        (#"\(default:\s+([^)]*)\)"#, "（默认：$1）"),
        (#"Missing expected argument '([^']+)'"#, "缺少必需的参数 '$1'"),
        (#"Missing value for '([^']+)'"#, "选项 '$1' 缺少取值"),
        (#"Missing one of: (.+)"#, "须给出其中之一：$1"),
        (#"Unknown option '([^']+)'\. Did you mean '([^']+)'\?"#, "未知选项 '$1'。是否想用 '$2'？"),
        (#"Unknown option '([^']+)'"#, "未知选项 '$1'"),
        (#"Unexpected arguments? '([^']+)'"#, "多余的参数 '$1'"),
        (#"The value '([^']*)' is invalid for '([^']+)'"#, "取值 '$1' 对 '$2' 无效"),
        (#"Please provide one of (.+)\."#, "请给出以下之一：$1。"),
        (#"Value to be set with (.+) had already been set with (.+)"#, "$1 与已给出的 $2 重复"),
        (#"Can't parse (.+)"#, "无法解析 $1"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// ArgumentParser's message (help, usage error, version) in Chinese.
    static func chinese(_ message: String) -> String {
        var text = message
        for (from, to) in phrases { text = text.replacingOccurrences(of: from, with: to) }
        for (regex, template) in patterns {
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }

    /// The flag a field error refers to (`plannedEnd` → `--planned-end`), so the message names what
    /// the person typed; a nested field (`scores.服务能力`) is shown as it is.
    static func flag(forField field: String) -> String {
        guard !field.isEmpty, field.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return field }
        var out = "--"
        for c in field {
            if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
