import ArgumentParser
import Foundation
import KZQA

extension Kzqa {
    /// `kzqa config`: prints the engine configuration in force, a template for `--config FILE`.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config",
            abstract: "Print the engine's settings as JSON (the defaults, or with --config and --set applied).",
            discussion: """
            Every knob and coefficient of retrieval and answering, with its value. Save it, keep the keys you \
            change, and pass the file to ask, repl, bench, calibrate or serve with --config FILE.

            Examples:
              kzqa config > my-settings.json
              kzqa config --config my-settings.json --set depth=200
              kzqa ask --config my-settings.json "Qui dirige le nouveau ministère de l'IA ?"
            """
        )

        @OptionGroup var configurationOptions: ConfigurationOptions

        func run() throws {
            print(try configurationOptions.configuration().json())
        }
    }
}
