import Foundation
import RingsideTestSupport
import Testing

/// `ringside bench --quick --json` runs end to end and reports every figure (values are not checked:
/// timings on a CI machine mean nothing).
@Suite struct BenchSmokeTests {
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["RINGSIDE_BIN"], !bin.isEmpty { return bin }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/ringside").path
    }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    @Test(.enabled(if: RequiredComponent.runs(available), "needs the ringside binary (RINGSIDE_BIN or .build/debug/ringside)"), .timeLimit(.minutes(3)))
    func quickBenchReportsEveryFigure() throws {
        let scratch = NSTemporaryDirectory() + "ringside-bench-smoke-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["bench", "--quick", "--json", "--scratch", scratch]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "stdout is not a JSON object")
        #expect(json["mode"] as? String == "quick")
        #expect(json["build"] is String)
        let lookup = try #require(json["lookup"] as? [String: Any])
        for method in ["inMemory", "sqliteIndexed", "sqliteLike", "liveSOSL"] {
            let figures = try #require(lookup[method] as? [String: Any], "lookup.\(method)")
            for key in ["samples", "p50Micros", "p99Micros", "meanMicros", "perSecond"] {
                #expect(figures[key] is NSNumber, "lookup.\(method).\(key)")
            }
        }
        for key in ["numbers", "records", "liveOrgRecords", "speedupVsSQLite", "speedupVsLike", "speedupVsLive"] {
            #expect(lookup[key] is NSNumber, "lookup.\(key)")
        }
        let sections: [String: [String]] = [
            "index": ["numbers", "loadSeconds", "memoryBytes", "bytesPerNumber", "rssGrowthBytes", "fillSeconds"],
            "normalisation": ["numbers", "swiftSeconds", "swiftPerSecond", "swiftParsed", "pythonAvailable"],
            "sync": ["records", "seconds", "recordsPerSecond", "requests", "pages", "indexedRecords", "indexedNumbers", "peakRSSBytes",
                     "rssBeforeBytes", "peakResetWorked"],
            "requestsPerLookup": ["hit", "miss", "missThenHit", "missFound"],
            "goals": ["p99AtMost1ms", "atLeast100xLike", "atLeast20xLive", "normalisationAtLeast1MPerSecond", "zeroRequestsOnHit",
                      "oneRequestOnMiss"],
        ]
        for (section, keys) in sections {
            let object = try #require(json[section] as? [String: Any], "\(section)")
            for key in keys { #expect(object[key] != nil, "\(section).\(key)") }
        }
        // Console figures at every size: now and the baseline, plus memory.
        let console = try #require(json["console"] as? [[String: Any]], "console")
        #expect(console.count == 2)
        for sizeFigures in console {
            for figure in ["keyToFrame", "keyToFrameBaseline", "ringToPanel", "ringToPanelBaseline", "filterKeystroke", "filterKeystrokeBaseline"] {
                let figures = try #require(sizeFigures[figure] as? [String: Any], "console.\(figure)")
                #expect((figures["samples"] as? Int ?? 0) > 0, "console.\(figure).samples")
                #expect(figures["p99Micros"] is NSNumber, "console.\(figure).p99Micros")
            }
            for key in ["numbers", "rows", "listBuildSeconds", "listMemoryBytes", "indexMemoryBytes", "rssBytes", "rssGrowthBytes"] {
                #expect(sizeFigures[key] is NSNumber, "console.\(key)")
            }
            // Issue 16: RSS of a console process (a child) from the snapshot and when rebuilding it; cold start of the console.
            for probe in ["memory", "memoryRebuild"] {
                let memory = try #require(sizeFigures[probe] as? [String: Any], "console.\(probe)")
                for key in ["rssBytes", "peakBytes", "anonBytes", "fileBytes", "rows"] {
                    #expect((memory[key] as? Int ?? 0) > 0, "console.\(probe).\(key)")
                }
                #expect(memory["indexSource"] is String, "console.\(probe).indexSource")
            }
            let memory = try #require(sizeFigures["memory"] as? [String: Any])
            #expect(memory["indexSource"] as? String == "snapshot", "the probe must start from the snapshot the bench saved")
            let startup = try #require(sizeFigures["startup"] as? [String: Any], "console.startup")
            for key in ["firstPaintMillis", "indexLoadedMillis", "peakRSSBytes", "starts"] {
                #expect((startup[key] as? Double ?? 0) > 0, "console.startup.\(key)")
            }
        }
        let directoryImport = try #require(json["directoryImport"] as? [String: Any], "directoryImport")
        for key in ["rows", "fileBytes", "seconds", "cpuSeconds", "peakRSSBytes"] {
            #expect((directoryImport[key] as? Double ?? 0) > 0, "directoryImport.\(key)")
        }
        let sync = try #require(json["sync"] as? [String: Any])
        for key in ["clientCPUSeconds", "clientSeconds", "clientProcessCPUSeconds", "clientPeakRSSBytes"] {
            #expect((sync[key] as? Double ?? 0) > 0, "sync.\(key)")
        }
        let runs = try #require(sync["clientCPURuns"] as? [Double], "sync.clientCPURuns")
        #expect(runs.count == 3 && runs.allSatisfy { $0 > 0 })
        #expect(runs.sorted()[1] == sync["clientCPUSeconds"] as? Double, "the figure is the median run")
        let decode = try #require(json["jsonDecode"] as? [String: Any], "jsonDecode")
        for key in ["typedRowsMillis", "singlePassMillis", "decoderMillis"] {
            #expect((decode[key] as? Double ?? 0) > 0, "jsonDecode.\(key)")
        }
        // Wallboard figures (issue 17): frame time now and with the full-sort baseline, CPU per second of updates.
        let wallboard = try #require(json["wallboard"] as? [String: Any], "wallboard")
        for figure in ["frame", "frameBaseline"] {
            let figures = try #require(wallboard[figure] as? [String: Any], "wallboard.\(figure)")
            #expect((figures["samples"] as? Int ?? 0) > 0, "wallboard.\(figure).samples")
        }
        for key in ["agents", "updatesPerSecond", "cpuPercent", "cpuPercentBaselineCapped", "cpuPercentBaseline"] {
            #expect(wallboard[key] is NSNumber, "wallboard.\(key)")
        }
        let normalisation = try #require(json["normalisation"] as? [String: Any])
        if normalisation["pythonAvailable"] as? Bool == true {
            for key in ["pythonSeconds", "pythonPerSecond", "pythonParsed", "speedupVsPython", "agreement", "pythonVersion"] {
                #expect(normalisation[key] != nil, "normalisation.\(key)")
            }
        }
        #expect(json["totalSeconds"] is NSNumber)
    }
}
