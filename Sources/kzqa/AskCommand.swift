import ArgumentParser
import KZQA

extension Kzqa {
    struct Ask: ParsableCommand {
        func run() throws {}
    }
}
