import Foundation
import HDLSim

/// Timing diagrams of a core's streams as WaveDrom JSON (`NAME.wavedrom.json`
/// beside the data sheet), and their rendering to SVG when a renderer is
/// installed. Each diagram draws the cycles the RTL takes (the commit's two
/// cycles, the error code's update); gaps (`|`) stand for cycles left out.
public enum WaveDrom {
    /// One diagram: its file stem, and its WaveDrom source.
    struct Diagram {
        let name: String
        let json: String
        var file: String { "\(name).wavedrom.json" }
        var svg: String { "\(name).svg" }
    }

    /// A signal row: its name, wave and data labels.
    private struct Row {
        let name: String
        let wave: String
        var data: [String] = []
    }

    /// `{"signal": [...], "head": ..., "foot": ...}`, one row a line.
    private static func json(title: String, rows: [Row?], foot: String) -> String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        let lines = rows.map { row -> String in
            guard let row else { return "  {}" }
            let data = row.data.isEmpty ? "" : ", \"data\": [" + row.data.map(quoted).joined(separator: ", ") + "]"
            return "  {\"name\": \(quoted(row.name)), \"wave\": \(quoted(row.wave))\(data)}"
        }
        return "{\"signal\": [\n" + lines.joined(separator: ",\n") + "\n],\n \"config\": {\"hscale\": 2},\n \"head\": {\"text\": \(quoted(title))},\n"
            + " \"foot\": {\"text\": \(quoted(foot))}}\n"
    }

    /// The diagrams of `design`: loading and commit, a column in and out, and a refused layer (loadable designs).
    static func diagrams(_ design: PQAParameters) -> [Diagram] {
        let column = Diagram(name: "timing-column", json: json(
            title: "A column in (2 beats), its outputs out (2 beats)",
            rows: [Row(name: "clk", wave: "p.....|......."),
                   Row(name: "s_axis_act_tvalid", wave: "01010.|......."),
                   Row(name: "s_axis_act_tready", wave: "1.....|......."),
                   Row(name: "s_axis_act_tdata", wave: "x=x=x.|.......", data: ["g 0", "g 1"]),
                   Row(name: "s_axis_act_tlast", wave: "0..10.|......."),
                   nil,
                   Row(name: "m_axis_out_tvalid", wave: "0.....|.1..0.."),
                   Row(name: "m_axis_out_tready", wave: "1.....|..01..."),
                   Row(name: "m_axis_out_tdata", wave: "x.....|.==.x..", data: ["j 0", "j 1"]),
                   Row(name: "m_axis_out_tlast", wave: "0.....|..1.0..")],
            foot: "a beat moves where tvalid and tready are high; tlast: a column's last beat"))
        guard design.configuration.tableMode == .loadable else { return [column] }
        let load = Diagram(name: "timing-load", json: json(
            title: "A layer's program, its commit (tlast at T), its columns from T+5",
            rows: [Row(name: "clk", wave: "p..|...|......."),
                   Row(name: "s_axis_load_tvalid", wave: "01.|...|.0....."),
                   Row(name: "s_axis_load_tready", wave: "1..|...|.0....1"),
                   Row(name: "s_axis_load_tdata", wave: "x==|===|=x.....", data: ["ls", "np", "relu", "proto", "table", "bias"]),
                   Row(name: "s_axis_load_tlast", wave: "0..|...|10....."),
                   Row(name: "committing (inside)", wave: "0..|...|..10..."),
                   Row(name: "checking (inside)", wave: "0..|...|...10.."),
                   Row(name: "error", wave: "=..|...|....=..", data: ["previous", "0"]),
                   nil,
                   Row(name: "s_axis_act_tvalid", wave: "0..|...|.1....."),
                   Row(name: "s_axis_act_tready", wave: "1..|...|.0...1."),
                   Row(name: "s_axis_act_tdata", wave: "x..|...|.=....=", data: ["beat 0", "beat 1"])],
            foot: "before T+1 no layer takes columns (they would be dropped); T+1 the tlast beat registered; T+2 checks; "
                + "T+3 verdict; T+4 swap, error; T+5 columns; T+6 the next program"))
        let refused = Diagram(name: "timing-error", json: json(
            title: "A refused layer (ls = 0) and its columns",
            rows: [Row(name: "clk", wave: "p.|.........."),
                   Row(name: "s_axis_load_tvalid", wave: "1.|.0........"),
                   Row(name: "s_axis_load_tdata", wave: "=.|=x........", data: ["ls = 0", "bias"]),
                   Row(name: "s_axis_load_tlast", wave: "0.|10........"),
                   Row(name: "error", wave: "=.|....=.....", data: ["0", "0x20: ls out of range"]),
                   nil,
                   Row(name: "s_axis_act_tvalid", wave: "0.|.1.....0.."),
                   Row(name: "s_axis_act_tready", wave: "1.|.0..1....."),
                   Row(name: "s_axis_act_tdata", wave: "x.|.=...==x..", data: ["beat 0", "beat 1", "beat 2"]),
                   Row(name: "s_axis_act_tlast", wave: "0.|......10..")],
            foot: "the layer never runs; its columns are dropped; error holds until a good commit"))
        return [load, column, refused]
    }

    /// Renders every diagram file named in `files` inside `folder` to SVG
    /// with `yowasp-wavedrom` (installed by scripts/setup.sh). Returns the
    /// SVG files written, or nil when no renderer is installed.
    public static func render(in folder: URL, files: [String]) throws -> [String]? {
        guard ExternalTool.locate(renderer) != nil else { return nil }
        return try files.filter { $0.hasSuffix(".wavedrom.json") }.map { file in
            let svg = String(file.dropLast(".wavedrom.json".count)) + ".svg"
            _ = try ExternalTool.run(renderer, [file, svg], in: folder)
            return svg
        }
    }

    /// The renderer's command.
    public static let renderer = "yowasp-wavedrom"
}
