import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens a URL in the agent's browser: `$BROWSER` (the first of a `:`-separated list; `%s` stands for the
/// URL, else it is the last argument), else `xdg-open`. Started without a shell (the URL is one argument,
/// never parsed), in its own process group with no terminal, and reaped in the background.
enum BrowserOpener {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The program and arguments for `url`.
    static func command(for url: String, environment: [String: String]) -> [String] {
        let browser = (environment["BROWSER"] ?? "").split(separator: ":").first.map(String.init)?
            .trimmingCharacters(in: .whitespaces) ?? ""
        guard !browser.isEmpty else { return ["xdg-open", url] }
        let words = browser.split(separator: " ").map(String.init)
        return words.contains("%s") ? words.map { $0 == "%s" ? url : $0 } : words + [url]
    }

    static func open(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let argv = command(for: url, environment: environment)
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else { throw Failure(description: "could not start the browser (spawn setup failed)") }
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The browser must not draw over the console or read its keys.
        for fd: Int32 in [0, 1, 2] {
            let flags = fd == 0 ? O_RDONLY : O_WRONLY
            guard posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", flags, 0) == 0 else {
                throw Failure(description: "could not start the browser (spawn setup failed)")
            }
        }
        var attributes = posix_spawnattr_t()
        guard posix_spawnattr_init(&attributes) == 0 else { throw Failure(description: "could not start the browser (spawn setup failed)") }
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: Ctrl-C in the console doesn't reach it.
        guard posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP)) == 0, posix_spawnattr_setpgroup(&attributes, 0) == 0 else {
            throw Failure(description: "could not start the browser (spawn setup failed)")
        }
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, environ)
        guard result == 0 else {
            let hint = argv[0] == "xdg-open" ? "set $BROWSER or install xdg-utils" : "check $BROWSER"
            throw Failure(description: "Could not start \(argv[0]) (\(String(cString: strerror(result)))): \(hint); Y copies the link instead")
        }
        let child = pid
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        }
    }
}
