/// The functions of the C99 driver header (`CHeader`), written against its
/// constants: bit access, then load beats (loadable designs), then the
/// activation and output streams. The loops are those of `LayerProgram`
/// and `ColumnBeats`, in the same order.
enum CHeaderCode {
    static let bits = """
        /* Bit access: bit b of tdata is bit b % 8 of byte b / 8. */
        static inline void pqa_put_bits(uint8_t *beat, unsigned low, unsigned bits, uint64_t value)
        {
            unsigned i;
            for (i = 0; i < bits; i++) {
                unsigned bit = low + i;
                uint8_t mask = (uint8_t)(1u << (bit % 8u));
                if ((value >> i) & 1u) beat[bit / 8u] |= mask; else beat[bit / 8u] &= (uint8_t)~mask;
            }
        }

        static inline uint64_t pqa_get_bits(const uint8_t *beat, unsigned low, unsigned bits)
        {
            uint64_t value = 0;
            unsigned i;
            for (i = 0; i < bits; i++) value |= (uint64_t)((beat[(low + i) / 8u] >> ((low + i) % 8u)) & 1u) << i;
            return value;
        }

        /* The value of `bits` raw bits, two's complement when `is_signed`. */
        static inline int32_t pqa_value(uint64_t raw, unsigned bits, int is_signed)
        {
            if (is_signed && bits < 64u && ((raw >> (bits - 1u)) & 1u)) return (int32_t)((int64_t)raw - ((int64_t)1 << bits));
            return (int32_t)raw;
        }

        static inline void pqa_clear(uint8_t *beat, size_t bytes)
        {
            size_t i;
            for (i = 0; i < bytes; i++) beat[i] = 0;
        }

        static inline unsigned pqa_ceil_div(unsigned a, unsigned b) { return (a + b - 1u) / b; }

        static inline unsigned pqa_min(unsigned a, unsigned b) { return a < b ? a : b; }

        """

    static let load = """
        /* A layer as the host holds it (the arrays of a pqa layer folder, row-major):
         * %ENCODER_ARRAYS%, table [ns][np][cout], bias [cout]. */
        typedef struct {
            unsigned ls, np, ns, cout;
            uint32_t columns, multiplier, shift, relu;
        %ENCODER_FIELDS%
            const int32_t *table;
            const int32_t *bias;
        } pqa_layer;

        /* Clears `beat` and writes its kind, index and address fields. */
        static inline void pqa_load_beat(uint8_t beat[PQA_LOAD_BYTES], unsigned kind, unsigned index, unsigned address)
        {
            pqa_clear(beat, PQA_LOAD_BYTES);
            pqa_put_bits(beat, PQA_LOAD_KIND_LOW, PQA_LOAD_KIND_BITS, kind);
            pqa_put_bits(beat, PQA_LOAD_INDEX_LOW, PQA_LOAD_INDEX_BITS, index);
            pqa_put_bits(beat, PQA_LOAD_ADDRESS_LOW, PQA_LOAD_ADDRESS_BITS, address);
        }

        /* The beat writing register `address` (enum pqa_register) with `value`. */
        static inline void pqa_pack_register(uint8_t beat[PQA_LOAD_BYTES], unsigned address, uint32_t value)
        {
            pqa_load_beat(beat, PQA_KIND_REGISTER, 0, address);
            pqa_put_bits(beat, PQA_LOAD_DATA_LOW, 32, value);
        }

        /* The layer's register values, by address. */
        static inline void pqa_register_values(const pqa_layer *layer, uint32_t values[PQA_REGISTER_COUNT])
        {
            values[PQA_REG_LS] = layer->ls;
            values[PQA_REG_NP] = layer->np;
            values[PQA_REG_NS] = layer->ns;
            values[PQA_REG_COUT] = layer->cout;
            values[PQA_REG_COLUMNS] = layer->columns;
            values[PQA_REG_MULTIPLIER] = layer->multiplier;
            values[PQA_REG_SHIFT] = layer->shift;
            values[PQA_REG_RELU] = layer->relu;
        }

        static inline int pqa_in_range(uint32_t value, uint32_t minimum, uint32_t maximum) { return value >= minimum && value <= maximum; }

        /* 0 when every register of `layer` lies in its legal range, else the code the core would raise. */
        static inline int pqa_check_layer(const pqa_layer *layer)
        {
            static const uint32_t minimum[PQA_REGISTER_COUNT] = {PQA_REG_LS_MIN, PQA_REG_NP_MIN, PQA_REG_NS_MIN, PQA_REG_COUT_MIN,
                PQA_REG_COLUMNS_MIN, PQA_REG_MULTIPLIER_MIN, PQA_REG_SHIFT_MIN, PQA_REG_RELU_MIN};
            static const uint32_t maximum[PQA_REGISTER_COUNT] = {PQA_REG_LS_MAX, PQA_REG_NP_MAX, PQA_REG_NS_MAX, PQA_REG_COUT_MAX,
                PQA_REG_COLUMNS_MAX, PQA_REG_MULTIPLIER_MAX, PQA_REG_SHIFT_MAX, PQA_REG_RELU_MAX};
            uint32_t values[PQA_REGISTER_COUNT];
            int address;
            pqa_register_values(layer, values);
            for (address = 0; address < PQA_REGISTER_COUNT; address++) {
                if (!pqa_in_range(values[address], minimum[address], maximum[address])) return PQA_ERROR_REGISTER_RANGE(address);
            }%ENCODER_CHECK%
            return 0;
        }

        /* Beats writing `count` items spread over chunks of `size`, `per_beat` a beat. */
        static inline unsigned pqa_spread_beats(unsigned count, unsigned size, unsigned per_beat)
        {
            unsigned chunk, beats = 0;
            for (chunk = 0; chunk < pqa_ceil_div(count, size); chunk++) beats += pqa_ceil_div(pqa_min(size, count - chunk * size), per_beat);
            return beats;
        }

        /* Beats of the layer's program (the data sheet's load-beat formula). */
        static inline size_t pqa_load_beat_count(const pqa_layer *layer)
        {
            unsigned out_chunks = pqa_ceil_div(layer->cout, PQA_OUT_VEC);
            return PQA_REGISTER_COUNT
                + %ENCODER_BEAT_COUNT%
                + (size_t)layer->np * out_chunks * pqa_spread_beats(layer->ns, PQA_NS_VEC, PQA_TABLE_WORDS_PER_BEAT) + out_chunks;
        }

        /* Writes the layer's program into `beats` (pqa_load_beat_count of them) and returns the count;
         * send them in order with tlast on the last. */
        static inline size_t pqa_pack_load_beats(const pqa_layer *layer, uint8_t (*beats)[PQA_LOAD_BYTES])
        {
            uint32_t values[PQA_REGISTER_COUNT];
            unsigned g, group, slot, i, p, c, o, address, out_chunks = pqa_ceil_div(layer->cout, PQA_OUT_VEC);
            size_t n = 0;
            pqa_register_values(layer, values);
            for (i = 0; i < PQA_REGISTER_COUNT; i++) pqa_pack_register(beats[n++], i, values[i]);
        %ENCODER_BEATS%
            for (g = 0; g < pqa_ceil_div(layer->ns, PQA_NS_VEC); g++)
                for (p = 0; p < layer->np; p++)
                    for (c = 0; c < out_chunks; c++) {
                        address = (g * PQA_NP_MAX + p) * PQA_OUTPUT_CHUNKS_MAX + c;
                        for (group = 0; group < pqa_ceil_div(pqa_min(PQA_NS_VEC, layer->ns - g * PQA_NS_VEC), PQA_TABLE_WORDS_PER_BEAT); group++) {
                            pqa_load_beat(beats[n], PQA_KIND_TABLE, group, address);
                            for (slot = 0; slot < PQA_TABLE_WORDS_PER_BEAT; slot++) {
                                unsigned s = g * PQA_NS_VEC + group * PQA_TABLE_WORDS_PER_BEAT + slot;
                                if (group * PQA_TABLE_WORDS_PER_BEAT + slot >= PQA_NS_VEC || s >= layer->ns) continue;
                                for (o = 0; o < PQA_OUT_VEC && c * PQA_OUT_VEC + o < layer->cout; o++) {
                                    size_t at = ((size_t)s * layer->np + p) * layer->cout + c * PQA_OUT_VEC + o;
                                    pqa_put_bits(beats[n], PQA_LOAD_DATA_LOW + (slot * PQA_OUT_VEC + o) * PQA_ENTRY_BITS, PQA_ENTRY_BITS,
                                                 (uint32_t)layer->table[at]);
                                }
                            }
                            n++;
                        }
                    }
            for (c = 0; c < out_chunks; c++) {
                pqa_load_beat(beats[n], PQA_KIND_BIAS, 0, c);
                for (o = 0; o < PQA_OUT_VEC && c * PQA_OUT_VEC + o < layer->cout; o++)
                    pqa_put_bits(beats[n], PQA_LOAD_DATA_LOW + o * PQA_BIAS_BITS, PQA_BIAS_BITS, (uint32_t)layer->bias[c * PQA_OUT_VEC + o]);
                n++;
            }
            return n;
        }

        """

    static let streams = """
        /* Beats of one column of a layer with `ls` and `ns`. */
        static inline size_t pqa_column_beat_count(unsigned ls, unsigned ns) { return (size_t)pqa_ceil_div(ns, PQA_NS_VEC) * pqa_ceil_div(ls, PQA_LS_VEC); }

        /* Writes the beats of one column (`ns` x `ls` values, subspace s element l at s * ls + l; pad a layer's D values
         * with zeros) and returns their count; send them in order with tlast on the last. */
        static inline size_t pqa_pack_column(const int32_t *column, unsigned ls, unsigned ns, uint8_t (*beats)[PQA_ACT_BYTES])
        {
            unsigned g, k, lane, i;
            size_t n = 0;
            for (g = 0; g < pqa_ceil_div(ns, PQA_NS_VEC); g++)
                for (k = 0; k < pqa_ceil_div(ls, PQA_LS_VEC); k++, n++) {
                    pqa_clear(beats[n], PQA_ACT_BYTES);
                    for (lane = 0; lane < PQA_NS_VEC && g * PQA_NS_VEC + lane < ns; lane++)
                        for (i = 0; i < PQA_LS_VEC && k * PQA_LS_VEC + i < ls; i++)
                            pqa_put_bits(beats[n], (lane * PQA_LS_VEC + i) * PQA_ACTIVATION_BITS, PQA_ACTIVATION_BITS,
                                         (uint32_t)column[(size_t)(g * PQA_NS_VEC + lane) * ls + k * PQA_LS_VEC + i]);
                }
            return n;
        }

        /* The `cout` outputs of one column from its ceil(cout / PQA_OUT_VEC) output beats. */
        static inline void pqa_unpack_outputs(const uint8_t (*beats)[PQA_OUT_BYTES], unsigned cout, int32_t *outputs)
        {
            unsigned channel;
            for (channel = 0; channel < cout; channel++)
                outputs[channel] = pqa_value(pqa_get_bits(beats[channel / PQA_OUT_VEC], (channel % PQA_OUT_VEC) * PQA_OUTPUT_BITS, PQA_OUTPUT_BITS),
                                             PQA_OUTPUT_BITS, PQA_OUTPUT_SIGNED);
        }

        """

    /// The encoder's parts of `load`: distance (prototypes) or tree (splits and thresholds).
    static func load(tree: Bool) -> String {
        let parts: [(String, String)] = tree ? [
            ("%ENCODER_ARRAYS%", "splits [ns][log2 np] (elements 0 ... ls - 1), thresholds [ns][np - 1] (level by level)"),
            ("%ENCODER_FIELDS%", "    const int32_t *splits;\n    const int32_t *thresholds;"),
            ("%ENCODER_BEAT_COUNT%", "pqa_spread_beats(layer->ns, PQA_NS_VEC, PQA_TREE_WORDS_PER_BEAT)"),
            ("%ENCODER_CHECK%", "\n    if ((layer->np & (layer->np - 1)) != 0) return PQA_ERROR_REGISTER_RANGE(PQA_REG_NP); /* a tree's leaves: a power of two */"),
            ("%ENCODER_BEATS%", treeBeats),
        ] : [
            ("%ENCODER_ARRAYS%", "prototypes [ns][np][ls]"),
            ("%ENCODER_FIELDS%", "    const int32_t *prototypes;"),
            ("%ENCODER_BEAT_COUNT%", "(size_t)pqa_ceil_div(layer->ls, PQA_LS_VEC) * layer->ns * pqa_spread_beats(layer->np, PQA_NP_VEC, PQA_PROTOTYPE_WORDS_PER_BEAT)"),
            ("%ENCODER_CHECK%", ""),
            ("%ENCODER_BEATS%", distanceBeats),
        ]
        return parts.reduce(load) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    private static let distanceBeats = """
            {
                unsigned pc, k, lane;
                for (g = 0; g < pqa_ceil_div(layer->ns, PQA_NS_VEC); g++)
                    for (pc = 0; pc < pqa_ceil_div(layer->np, PQA_NP_VEC); pc++)
                        for (k = 0; k < pqa_ceil_div(layer->ls, PQA_LS_VEC); k++) {
                            address = (g * PQA_PROTOTYPE_CHUNKS_MAX + pc) * PQA_CHUNKS_MAX + k;
                            for (lane = 0; lane < pqa_min(PQA_NS_VEC, layer->ns - g * PQA_NS_VEC); lane++)
                                for (group = 0; group < pqa_ceil_div(pqa_min(PQA_NP_VEC, layer->np - pc * PQA_NP_VEC), PQA_PROTOTYPE_WORDS_PER_BEAT); group++) {
                                    pqa_load_beat(beats[n], PQA_KIND_PROTOTYPES, lane * PQA_PROTOTYPE_GROUPS_PER_ROW + group, address);
                                    for (slot = 0; slot < PQA_PROTOTYPE_WORDS_PER_BEAT; slot++) {
                                        unsigned q = group * PQA_PROTOTYPE_WORDS_PER_BEAT + slot;
                                        p = pc * PQA_NP_VEC + q;
                                        if (q >= PQA_NP_VEC || p >= layer->np) continue;
                                        for (i = 0; i < PQA_LS_VEC && k * PQA_LS_VEC + i < layer->ls; i++) {
                                            size_t at = ((size_t)(g * PQA_NS_VEC + lane) * layer->np + p) * layer->ls + k * PQA_LS_VEC + i;
                                            pqa_put_bits(beats[n], PQA_LOAD_DATA_LOW + (slot * PQA_LS_VEC + i) * PQA_PROTOTYPE_BITS, PQA_PROTOTYPE_BITS,
                                                         (uint32_t)layer->prototypes[at]);
                                        }
                                    }
                                    n++;
                                }
                        }
            }
        """

    private static let treeBeats = """
            {
                unsigned depth = 0, split_bits = PQA_TREE_LANE_BITS + PQA_TREE_CHUNK_BITS;
                while ((1u << depth) < layer->np) depth++;
                for (g = 0; g < pqa_ceil_div(layer->ns, PQA_NS_VEC); g++)
                    for (group = 0; group < pqa_ceil_div(pqa_min(PQA_NS_VEC, layer->ns - g * PQA_NS_VEC), PQA_TREE_WORDS_PER_BEAT); group++) {
                        pqa_load_beat(beats[n], PQA_KIND_PROTOTYPES, group, g);
                        for (slot = 0; slot < PQA_TREE_WORDS_PER_BEAT; slot++) {
                            unsigned s = g * PQA_NS_VEC + group * PQA_TREE_WORDS_PER_BEAT + slot, low = PQA_LOAD_DATA_LOW + slot * PQA_TREE_WORD_BITS;
                            if (group * PQA_TREE_WORDS_PER_BEAT + slot >= PQA_NS_VEC || s >= layer->ns) continue;
                            for (i = 0; i < depth; i++) {
                                unsigned element = (unsigned)layer->splits[(size_t)s * depth + i];
                                pqa_put_bits(beats[n], low + i * split_bits, PQA_TREE_LANE_BITS, element % PQA_LS_VEC);
                                pqa_put_bits(beats[n], low + i * split_bits + PQA_TREE_LANE_BITS, PQA_TREE_CHUNK_BITS, element / PQA_LS_VEC);
                            }
                            for (i = 0; i + 1 < layer->np; i++)
                                pqa_put_bits(beats[n], low + PQA_TREE_LEVELS * split_bits + i * PQA_ACTIVATION_BITS, PQA_ACTIVATION_BITS,
                                             (uint32_t)layer->thresholds[(size_t)s * (layer->np - 1) + i]);
                        }
                        n++;
                    }
            }
        """
}
