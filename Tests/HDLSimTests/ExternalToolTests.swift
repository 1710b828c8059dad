import Foundation
import HDLSim
import Testing

/// `ExternalTool.run`: output, failures, and a tool stopped at its time limit.
@Suite struct ExternalToolTests {
    let directory = FileManager.default.temporaryDirectory

    @Test func returnsTheToolsOutput() throws {
        #expect(try ExternalTool.run("echo", ["placed"], in: directory) == "placed\n")
    }

    @Test func aToolPastItsTimeLimitIsStoppedWithAnError() throws {
        let start = Date()
        #expect {
            try ExternalTool.run("sleep", ["30"], in: directory, timeLimit: 0.5)
        } throws: { error in
            guard case .timedOut(let tool, _, let seconds, _) = error as? ToolError else { return false }
            return tool == "sleep" && seconds == 0.5 && "\(error)".contains("did not finish within 0.5 s and was stopped")
        }
        #expect(Date().timeIntervalSince(start) < 10, "the tool must be stopped, not waited for")
    }

    @Test func aToolWithinItsTimeLimitRunsToTheEnd() throws {
        #expect(try ExternalTool.run("echo", ["routed"], in: directory, timeLimit: 30) == "routed\n")
    }

    @Test func aFailingToolNamesItsStatus() throws {
        #expect {
            try ExternalTool.run("false", [], in: directory, timeLimit: 30)
        } throws: { error in
            guard case .failed(let tool, _, let status, _, _) = error as? ToolError else { return false }
            return tool == "false" && status == 1
        }
    }
}
