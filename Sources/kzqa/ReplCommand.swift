import ArgumentParser
import KZQA

extension Kzqa {
    struct Repl: ParsableCommand {
        func run() throws {}
    }
}
