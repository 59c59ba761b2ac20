import ArgumentParser
import KZQA

extension Kzqa {
    struct Bench: ParsableCommand {
        func run() throws {}
    }
}
