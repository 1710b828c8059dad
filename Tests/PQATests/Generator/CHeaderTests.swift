import Foundation
import HDL
import HDLSim
import PQ
@testable import PQA
import Testing

/// The generated C99 header: it compiles with `gcc -std=c99 -pedantic -Wall
/// -Wextra -Werror`, and a program using it packs the load and activation
/// beats of random layers of random configurations bit-identically to the
/// Swift packing (`LayerProgram`, `ColumnBeats`) and unpacks output beats to
/// the golden model's outputs.
@Suite(.serialized, .enabled(if: toolRuns("gcc"))) struct CHeaderTests {
    static let flags = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror"]

    /// Reads a layer, its columns and output beats (`DriverCase.textInput`) and prints what the header makes of them.
    static let harness = #"""
        #include <stdio.h>
        #include <stdlib.h>
        #include "pqa_core.h"

        static void print_beat(const uint8_t *beat, size_t bytes)
        {
            size_t i;
            for (i = bytes; i-- > 0;) printf("%02x", beat[i]);
            printf("\n");
        }

        static int32_t *read_values(size_t count)
        {
            int32_t *values = malloc(count * sizeof *values + 1);
            size_t i;
            long value;
            for (i = 0; i < count; i++) {
                if (scanf("%ld", &value) != 1) exit(2);
                values[i] = (int32_t)value;
            }
            return values;
        }

        int main(void)
        {
            unsigned sizes[8], column, i, j;
            for (i = 0; i < 8; i++) if (scanf("%u", &sizes[i]) != 1) return 2;
            {
                unsigned ls = sizes[0], np = sizes[1], ns = sizes[2], cout = sizes[3], columns = sizes[4];
        #if PQA_ENCODER_TREE
                unsigned depth = 0;
                int32_t *splits, *thresholds;
                while ((1u << depth) < np) depth++;
                splits = read_values((size_t)ns * depth);
                thresholds = read_values((size_t)ns * (np - 1));
        #else
                int32_t *prototypes = read_values((size_t)ns * np * ls);
        #endif
                int32_t *table = read_values((size_t)ns * np * cout);
                int32_t *bias = read_values(cout), *activations = read_values((size_t)columns * ns * ls);
                pqa_layer layer;
                uint8_t (*load)[PQA_LOAD_BYTES];
                uint8_t (*beats)[PQA_ACT_BYTES] = malloc(pqa_column_beat_count(ls, ns) * sizeof *beats);
                size_t n;
                layer.ls = ls; layer.np = np; layer.ns = ns; layer.cout = cout; layer.columns = columns;
                layer.multiplier = sizes[5]; layer.shift = sizes[6]; layer.relu = sizes[7];
        #if PQA_ENCODER_TREE
                layer.splits = splits; layer.thresholds = thresholds;
        #else
                layer.prototypes = prototypes;
        #endif
                layer.table = table; layer.bias = bias;
                if (pqa_check_layer(&layer) != 0) return 3;
                load = malloc(pqa_load_beat_count(&layer) * sizeof *load);
                n = pqa_pack_load_beats(&layer, load);
                if (n != pqa_load_beat_count(&layer)) return 4;
                printf("load %lu\n", (unsigned long)n);
                for (i = 0; i < n; i++) print_beat(load[i], PQA_LOAD_BYTES);
                for (column = 0; column < columns; column++) {
                    n = pqa_pack_column(activations + (size_t)column * ns * ls, ls, ns, beats);
                    printf("column %u %lu\n", column, (unsigned long)n);
                    for (i = 0; i < n; i++) print_beat(beats[i], PQA_ACT_BYTES);
                }
                for (column = 0; column < columns; column++) {
                    unsigned count;
                    uint8_t (*outputs)[PQA_OUT_BYTES];
                    int32_t *values = malloc(cout * sizeof *values);
                    if (scanf("%u", &count) != 1) return 2;
                    outputs = malloc(count * sizeof *outputs);
                    for (i = 0; i < count; i++) {
                        for (j = PQA_OUT_BYTES; j-- > 0;) {
                            unsigned byte;
                            if (scanf("%2x", &byte) != 1) return 5;
                            outputs[i][j] = (uint8_t)byte;
                        }
                    }
                    pqa_unpack_outputs((const uint8_t (*)[PQA_OUT_BYTES])outputs, cout, values);
                    printf("outputs %u", column);
                    for (i = 0; i < cout; i++) printf(" %ld", (long)values[i]);
                    printf("\n");
                }
                layer.multiplier = 0;
                if (pqa_check_layer(&layer) != PQA_ERROR_REGISTER_RANGE(PQA_REG_MULTIPLIER)) return 6;
            }
            return 0;
        }
        """#

    @Test(arguments: [0] + Array(1...8) as [UInt64])
    func headerPacksLikeSwift(seed: UInt64) throws {
        try check(DriverCase(seed: seed))
    }

    /// Tree encoders: splits and thresholds packed into tree words as `LayerProgram` packs them.
    @Test(arguments: Array(1...4) as [UInt64])
    func headerPacksTreesLikeSwift(seed: UInt64) throws {
        try check(DriverCase(seed: seed, tree: true))
    }

    private func check(_ driver: DriverCase) throws {
        let seed = driver.seed
        let folder = try driver.writeDesign()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.harness.write(to: folder.appendingPathComponent("harness.c"), atomically: true, encoding: .utf8)
        try driver.textInput.write(to: folder.appendingPathComponent("input.txt"), atomically: true, encoding: .utf8)
        _ = try ExternalTool.run("gcc", Self.flags + ["-o", "harness", "harness.c"], in: folder)
        let printed = try ExternalTool.run("sh", ["-c", "./harness < input.txt"], in: folder)
        let difference = try driver.firstDifference(printed)
        #expect(difference == nil, "\(difference ?? "")")
    }

    /// The header of a fixed-table design (no load stream) compiles too.
    @Test func fixedDesignHeaderCompiles() throws {
        var random = RandomLayer(seed: 9)
        let layer = try random.layer(try PQShape(ls: 9, np: 16, ns: 6, cout: 10), for: .default)
        let files = try PQAGenerator.files(for: .fixed(for: layer, parallelism: PQAConfiguration.default.parallelism), layer: layer)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pqa-fixed-header-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try files.write(to: folder)
        try "#include \"pqa_core.h\"\nint main(void) { return (int)pqa_column_beat_count(9, 6) != 2; }\n"
            .write(to: folder.appendingPathComponent("main.c"), atomically: true, encoding: .utf8)
        _ = try ExternalTool.run("gcc", Self.flags + ["-o", "main", "main.c"], in: folder)
        _ = try ExternalTool.run("sh", ["-c", "./main"], in: folder)
    }
}
