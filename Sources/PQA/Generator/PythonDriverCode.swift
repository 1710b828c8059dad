/// The functions of the Python driver (`PythonDriver`), written against its
/// constants; the loops are those of `LayerProgram` and `ColumnBeats`, in
/// the same order.
enum PythonDriverCode {
    static let common = #"""
        def _ceil_div(a, b):
            return -(-a // b)


        def _format_range(name):
            bits, signed = FORMATS[name]
            return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


        def _integers(array, name, shape, format_name):
            """`array` as int64, checked against `shape` (None: any length) and the format's range."""
            values = np.asarray(array)
            if not np.issubdtype(values.dtype, np.integer):
                raise ValueError(f"{name}: dtype {values.dtype} is not an integer type; quantize the layer first")
            values = values.astype(np.int64)
            if shape is not None and values.shape != tuple(shape):
                raise ValueError(f"{name}: shape {values.shape}, expected {tuple(shape)}")
            low, high = _format_range(format_name)
            if values.size and (values.min() < low or values.max() > high):
                bad = values[(values < low) | (values > high)].flat[0]
                raise ValueError(f"{name}: value {bad} is outside the {format_name} format [{low}, {high}]")
            return values


        def _lanes(values, bits):
            """Values side by side, lane 0 in the least significant bits, each `bits` wide (two's complement)."""
            mask, beat = (1 << bits) - 1, 0
            for lane, value in enumerate(values):
                beat |= (int(value) & mask) << (lane * bits)
            return beat


        def tdata_bytes(beat, bits):
            """The bytes of a beat of `bits` tdata bits, byte 0 = tdata[7:0]."""
            return int(beat).to_bytes(bits // 8, "little")


        def activation_beats(column, ls, ns):
            """The beats of one column (ns x ls activations, subspace s element l at s * ls + l, or the layer's
            D <= ns x ls values, padded with zeros) for a layer with `ls` and `ns`; tlast goes on the last."""
            if not (1 <= ls <= LS_MAX and 1 <= ns <= NS_MAX):
                raise ValueError(f"ls {ls}, ns {ns}: the design takes ls 1..{LS_MAX}, ns 1..{NS_MAX}")
            values = _integers(column, "column", None, "activation").reshape(-1)
            if not (ns - 1) * ls < values.size <= ns * ls:
                raise ValueError(f"column: {values.size} values; the layer needs {ns * ls} (or its unpadded D)")
            values = np.concatenate([values, np.zeros(ns * ls - values.size, dtype=np.int64)]).reshape(ns, ls)
            bits, beats = FORMATS["activation"][0], []
            for g in range(_ceil_div(ns, NS_VEC)):
                for k in range(_ceil_div(ls, LS_VEC)):
                    lanes = [values[g * NS_VEC + sl, k * LS_VEC + l] if g * NS_VEC + sl < ns and k * LS_VEC + l < ls else 0
                             for sl in range(NS_VEC) for l in range(LS_VEC)]
                    beats.append(_lanes(lanes, bits))
            return beats


        def output_beats(outputs):
            """The beats one column of `cout` outputs arrives as (what a testbench expects); tlast on the last."""
            values = _integers(outputs, "outputs", None, "output").reshape(-1)
            bits = FORMATS["output"][0]
            return [_lanes([values[j * OUT_VEC + o] if j * OUT_VEC + o < values.size else 0 for o in range(OUT_VEC)], bits)
                    for j in range(_ceil_div(values.size, OUT_VEC))]


        def output_values(beats, cout):
            """The `cout` outputs of one column from its output beats, as an int64 array."""
            bits, signed = FORMATS["output"]
            mask, values = (1 << bits) - 1, []
            for channel in range(cout):
                raw = (int(beats[channel // OUT_VEC]) >> ((channel % OUT_VEC) * bits)) & mask
                values.append(raw - (1 << bits) if signed and raw >> (bits - 1) else raw)
            return np.array(values, dtype=np.int64)


        def describe_error(code):
            """What a value of the `error` output means."""
            return "no error" if code == 0 else ERRORS.get(int(code), f"unknown code {int(code):#04x}")

        """#

    static let load = #"""

        def _load_beat(kind, index, address, data):
            fields = LOAD_FIELDS
            return (kind | (index << fields["index"][0]) | (address << fields["address"][0])) | (data << fields["data"][0])


        def _register(name, value):
            entry = REGISTERS[name]
            if not entry["min"] <= int(value) <= entry["max"]:
                raise ValueError(f"{name}: {value} is outside its legal range {entry['min']}..{entry['max']}; the core would refuse the layer")
            return _load_beat(KIND_REGISTER, 0, entry["address"], int(value))


        def _registers(values):
            return [_register(name, value) for name, value in sorted(values.items(), key=lambda item: REGISTERS[item[0]]["address"])]


        def _table_and_bias_beats(table, bias):
            ns, np_, cout = table.shape
            ebits, bbits = FORMATS["entry"][0], FORMATS["bias"][0]
            beats = []
            for g in range(_ceil_div(ns, NS_VEC)):
                for p in range(np_):
                    for c in range(_ceil_div(cout, OUT_VEC)):
                        address = (g * NP_MAX + p) * OUTPUT_CHUNKS_MAX + c
                        for group in range(_ceil_div(min(NS_VEC, ns - g * NS_VEC), TABLE_WORDS_PER_BEAT)):
                            lanes = []
                            for slot in range(TABLE_WORDS_PER_BEAT):
                                lane = group * TABLE_WORDS_PER_BEAT + slot
                                s = g * NS_VEC + lane
                                lanes += [table[s, p, c * OUT_VEC + o] if lane < NS_VEC and s < ns and c * OUT_VEC + o < cout else 0
                                          for o in range(OUT_VEC)]
                            beats.append(_load_beat(KIND_TABLE, group, address, _lanes(lanes, ebits)))
            for c in range(_ceil_div(cout, OUT_VEC)):
                lanes = [bias[c * OUT_VEC + o] if c * OUT_VEC + o < cout else 0 for o in range(OUT_VEC)]
                beats.append(_load_beat(KIND_BIAS, 0, c, _lanes(lanes, bbits)))
            return beats
        """#

    /// `load_beats` of a distance encoder: prototypes [Ns, Np, Ls].
    static let distanceLoad = #"""


        def load_beats(prototypes, table, bias, *, columns, multiplier, shift, relu):
            """The program of an integer PQ layer (prototypes [Ns, Np, Ls], table [Ns, Np, Cout], bias [Cout]) running
            `columns` columns: a list of tdata integers, sent in order with tlast on the last."""
            prototypes = np.asarray(prototypes)
            if prototypes.ndim != 3:
                raise ValueError(f"prototypes: shape {prototypes.shape}, expected [Ns, Np, Ls]")
            ns, np_, ls = prototypes.shape
            cout = np.asarray(table).shape[-1]
            prototypes = _integers(prototypes, "prototypes", (ns, np_, ls), "prototype")
            table = _integers(table, "table", (ns, np_, cout), "entry")
            bias = _integers(bias, "bias", (cout,), "bias")
            registers = {"ls": ls, "np": np_, "ns": ns, "cout": cout, "columns": columns, "multiplier": multiplier,
                         "shift": shift, "relu": int(bool(relu))}
            beats = _registers(registers)
            pbits = FORMATS["prototype"][0]
            for g in range(_ceil_div(ns, NS_VEC)):
                for pc in range(_ceil_div(np_, NP_VEC)):
                    for k in range(_ceil_div(ls, LS_VEC)):
                        address = (g * PROTOTYPE_CHUNKS_MAX + pc) * CHUNKS_MAX + k
                        for lane in range(min(NS_VEC, ns - g * NS_VEC)):
                            for group in range(_ceil_div(min(NP_VEC, np_ - pc * NP_VEC), PROTOTYPE_WORDS_PER_BEAT)):
                                lanes = []
                                for slot in range(PROTOTYPE_WORDS_PER_BEAT):
                                    q = group * PROTOTYPE_WORDS_PER_BEAT + slot
                                    p = pc * NP_VEC + q
                                    exists = q < NP_VEC and p < np_
                                    lanes += [prototypes[g * NS_VEC + lane, p, k * LS_VEC + i] if exists and k * LS_VEC + i < ls else 0
                                              for i in range(LS_VEC)]
                                beats.append(_load_beat(KIND_PROTOTYPES, lane * PROTOTYPE_GROUPS_PER_ROW + group, address, _lanes(lanes, pbits)))
            return beats + _table_and_bias_beats(table, bias)
        """#

    /// `load_beats` of a tree encoder: splits [Ns, log2 Np] and thresholds [Ns, Np - 1].
    static let treeLoad = #"""


        def _tree_word(splits, thresholds, depth):
            """One subspace's tree word: per level of the design its split's lane and chunk, then the thresholds in level order."""
            word, low = 0, 0
            for level in range(TREE_LEVELS):
                element = int(splits[level]) if level < depth else 0
                word |= (element % LS_VEC) << low
                word |= (element // LS_VEC) << (low + TREE_LANE_BITS)
                low += TREE_LANE_BITS + TREE_CHUNK_BITS
            abits = FORMATS["activation"][0]
            for node in range(NP_MAX - 1):
                value = int(thresholds[node]) if node < len(thresholds) else 0
                word |= (value & ((1 << abits) - 1)) << (low + node * abits)
            return word


        def load_beats(splits, thresholds, table, bias, *, ls, columns, multiplier, shift, relu):
            """The program of an integer PQ layer with a tree encoder (splits [Ns, log2 Np], each an element 0..ls-1;
            thresholds [Ns, Np - 1] level by level, node n of level v at 2^v - 1 + n; table [Ns, Np, Cout]; bias [Cout])
            running `columns` columns: a list of tdata integers, sent in order with tlast on the last."""
            table = np.asarray(table)
            if table.ndim != 3:
                raise ValueError(f"table: shape {table.shape}, expected [Ns, Np, Cout]")
            ns, np_, cout = table.shape
            depth = np_.bit_length() - 1
            if np_ != 1 << depth:
                raise ValueError(f"table: Np = {np_} is not a power of two, as a tree encoder needs")
            splits = np.asarray(splits)
            if splits.shape != (ns, depth) or not np.issubdtype(splits.dtype, np.integer) or (splits.size and not 0 <= splits.min() <= splits.max() < ls):
                raise ValueError(f"splits: shape {splits.shape}, expected [{ns}, {depth}] integers in 0..{ls - 1}")
            thresholds = _integers(thresholds, "thresholds", (ns, np_ - 1), "activation")
            table = _integers(table, "table", (ns, np_, cout), "entry")
            bias = _integers(bias, "bias", (cout,), "bias")
            beats = _registers({"ls": ls, "np": np_, "ns": ns, "cout": cout, "columns": columns, "multiplier": multiplier,
                                "shift": shift, "relu": int(bool(relu))})
            for g in range(_ceil_div(ns, NS_VEC)):
                for group in range(_ceil_div(min(NS_VEC, ns - g * NS_VEC), TREE_WORDS_PER_BEAT)):
                    words = []
                    for slot in range(TREE_WORDS_PER_BEAT):
                        lane = group * TREE_WORDS_PER_BEAT + slot
                        s = g * NS_VEC + lane
                        words.append(_tree_word(splits[s], thresholds[s], depth) if lane < NS_VEC and s < ns else 0)
                    beats.append(_load_beat(KIND_PROTOTYPES, group, g, _lanes(words, TREE_WORD_BITS)))
            return beats + _table_and_bias_beats(table, bias)
        """#

    /// Reads a layer folder as `load_beats` takes it.
    static let readLayer = #"""


        def read_layer(folder):
            """An integer PQ layer folder written by pqa (layer.json, prototypes.npy, table.npy, bias.npy) as the
            keyword arguments of load_beats (without columns)."""
            folder = pathlib.Path(folder)
            manifest = json.loads((folder / "layer.json").read_text())
            if manifest.get("kind") != "integer":
                raise ValueError(f"{folder}: a {manifest.get('kind')} layer; quantize it first (pqa pq ... --bits)")
            encoder = manifest.get("encoder", "distance")
            if encoder != ENCODER:
                raise ValueError(f"{folder}: a layer with a {encoder} encoder; this design has a {ENCODER} encoder")
            requantization = manifest["integer"]["requantization"]
            arguments = {"table": np.load(folder / "table.npy"), "bias": np.load(folder / "bias.npy"),
                         "multiplier": requantization["multiplier"], "shift": requantization["shift"], "relu": manifest["relu"]}
            if encoder == "tree":
                arguments.update(splits=np.load(folder / "splits.npy"), thresholds=np.load(folder / "thresholds.npy"),
                                 ls=manifest["shape"]["ls"])
            else:
                arguments.update(prototypes=np.load(folder / "prototypes.npy"))
            return arguments
        """#
}
