// A behavioural model of the Lattice ECP5 DP16KD block RAM, for simulating
// pqa's ECP5 form of a memory (`PQA_ECP5`). Yosys 0.70 ships DP16KD as a
// black box (share/lattice/cells_sim_ecp5.v: ports and parameters only), so
// this model was written from the ECP5 memory usage guide (FPGA-TN-02204):
// data widths 1, 2, 4, 9 and 18 per port (the word address in ADx[13:k],
// k = 0, 1, 2, 3, 4; in the 18-bit mode ADx[1:0] are the byte enables of a
// write), CEx gating the port, WEx selecting a write, and REGMODE_x
// "OUTREG" adding the output register (clocked while OCEx is high); and the
// 36-bit pseudo-dual-port mode as Yosys's own map of PDPW16KD drives it
// (techlibs/lattice/brams_map_16kd.v): port A writes {DIB, DIA} at
// ADA[13:5], its byte enables in ADA[3:0] (DIA[8:0], DIA[17:9], DIB[8:0],
// DIB[17:9]); port B reads {DOB, DOA} at ADB[13:5], each half through its
// port's output register when REGMODE_x is "OUTREG". It models what pqa
// uses: one port writing, the other reading, both of one width, chip
// selects decoded as 0b000, no reset, no read of a word written in the same
// cycle through the other port.
`default_nettype none
module DP16KD #(
    parameter DATA_WIDTH_A = 18, parameter DATA_WIDTH_B = 18,
    parameter REGMODE_A = "NOREG", parameter REGMODE_B = "NOREG",
    parameter CSDECODE_A = "0b000", parameter CSDECODE_B = "0b000",
    parameter WRITEMODE_A = "NORMAL", parameter WRITEMODE_B = "NORMAL",
    parameter RESETMODE = "SYNC", parameter GSR = "AUTO"
) (
    input wire DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0,
    input wire ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
    input wire CEA, OCEA, CLKA, WEA, RSTA, CSA2, CSA1, CSA0,
    output wire DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0,
    input wire DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
    input wire ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
    input wire CEB, OCEB, CLKB, WEB, RSTB, CSB2, CSB1, CSB0,
    output wire DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0
);
    localparam integer LOW_A = DATA_WIDTH_A == 18 ? 4 : DATA_WIDTH_A == 9 ? 3 : DATA_WIDTH_A == 4 ? 2 : DATA_WIDTH_A == 2 ? 1 : 0;
    localparam integer LOW_B = DATA_WIDTH_B == 18 ? 4 : DATA_WIDTH_B == 9 ? 3 : DATA_WIDTH_B == 4 ? 2 : DATA_WIDTH_B == 2 ? 1 : 0;
    wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
    wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0};
    wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0};
    reg [17:0] words [0:16383];
    reg [17:0] latch_b, out_b;
    reg [35:0] wide_words [0:511];
    reg [35:0] wide_latch;
    reg [17:0] out_a;
    wire [17:0] dib = {DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0};
    wire wide = DATA_WIDTH_A == 36;
    wire [13:0] word_a = ada >> LOW_A;
    wire [13:0] word_b = adb >> LOW_B;
    always @(posedge CLKA) begin
        if (wide) begin
            if (CEA && WEA) begin
                if (ada[0]) wide_words[ada[13:5]][8:0] <= dia[8:0];
                if (ada[1]) wide_words[ada[13:5]][17:9] <= dia[17:9];
                if (ada[2]) wide_words[ada[13:5]][26:18] <= dib[8:0];
                if (ada[3]) wide_words[ada[13:5]][35:27] <= dib[17:9];
            end
            if (OCEA) out_a <= wide_latch[17:0];
        end else if (CEA && WEA) begin
            if (DATA_WIDTH_A == 18) begin
                if (ada[0]) words[word_a][8:0] <= dia[8:0];
                if (ada[1]) words[word_a][17:9] <= dia[17:9];
            end else begin
                words[word_a] <= dia & ((18'd1 << DATA_WIDTH_A) - 18'd1);
            end
        end
    end
    always @(posedge CLKB) begin
        if (wide) begin
            if (CEB) wide_latch <= wide_words[adb[13:5]];
            if (OCEB) out_b <= wide_latch[35:18];
        end else begin
            if (CEB) latch_b <= words[word_b] & ((18'd1 << DATA_WIDTH_B) - 18'd1);  // 18 bits: all ones
            if (OCEB) out_b <= latch_b;
        end
    end
    wire [17:0] dob = REGMODE_B == "OUTREG" ? out_b : wide ? wide_latch[35:18] : latch_b;
    wire [17:0] doa = !wide ? 18'b0 : REGMODE_A == "OUTREG" ? out_a : wide_latch[17:0];
    assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0} = dob;
    assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0} = doa;
endmodule
`default_nettype wire
