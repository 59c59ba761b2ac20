import Foundation

/// The lexicon tables of an indexing run: gathers the content words the analysis met (`AnalysisCache.newForms`)
/// and, once the passages are in, stores what the `FrenchLexicon` says of each form the index did not hold yet
/// (table `lexicon`: folded form → its term, whether the dictionary knows it, its readings) and which index
/// terms each lemma has (table `lemmas`), so queries read lemmas and parts of speech without loading hunspell.
/// Forms of removed documents stay: readers keep only terms the index still holds.
final class LexiconForms {
    private var seen: Set<String> = []
    private var pending: [(form: String, surface: String, term: String)] = []

    init(db: SQLiteDatabase) throws {
        let s = try db.prepare("SELECT form FROM lexicon")
        defer { s.reset() }
        while try s.step() { seen.insert(s.text(0)) }
    }

    func add(_ forms: [(surface: String, term: String)]) {
        for f in forms {
            let key = Folding.fold(f.surface)
            if seen.insert(key).inserted { pending.append((key, f.surface, f.term)) }
        }
    }

    /// Starts looking up the forms gathered so far in `lexicon` on another thread, while the writer finishes the
    /// index (the lookups take seconds at 100k passages); `write` waits for them.
    func startLookups(lexicon: FrenchLexicon?) {
        guard let lexicon, !pending.isEmpty, lookups == nil else { return }
        let task = LexiconLookups(count: pending.count)
        let surfaces = pending.map(\.surface)
        Thread {
            task.entries = surfaces.map(lexicon.entry)
            task.done.signal()
        }.start()
        lookups = task
    }

    private var lookups: LexiconLookups?

    /// Waits for the lookups `startLookups` began, if any, and gives them (an indexing run that fails waits too).
    @discardableResult
    func waitForLookups() -> [LexicalEntry]? {
        guard let task = lookups else { return nil }
        lookups = nil
        task.done.wait()
        return task.count == pending.count ? task.entries : nil
    }

    /// Looks up every new form in `lexicon` (nil: none installed, nothing stored) and writes both tables.
    func write(db: SQLiteDatabase, lexicon: FrenchLexicon?) throws {
        // The entries looked up ahead, when they are those of every pending form.
        let ahead = waitForLookups()
        guard let lexicon, !pending.isEmpty else { return }
        let form = try db.prepare("INSERT OR IGNORE INTO lexicon(form, term, known, readings) VALUES (?, ?, ?, ?)")
        let lemma = try db.prepare("INSERT OR IGNORE INTO lemmas(lemma, term) VALUES (?, ?)")
        for (i, p) in pending.enumerated() {
            let entry = ahead?[i] ?? lexicon.entry(p.surface)
            form.bindText(1, p.form)
            form.bindText(2, p.term)
            form.bindInt(3, entry.isKnown ? 1 : 0)
            form.bindText(4, entry.storedReadings)
            try form.run()
            for l in Set(entry.readings.filter { !$0.partsOfSpeech.isDisjoint(with: FrenchLexicon.openClasses) }.map { Folding.fold($0.lemma) }) {
                lemma.bindText(1, l)
                lemma.bindText(2, p.term)
                try lemma.run()
            }
        }
        pending.removeAll()
    }
}

/// Lexicon entries looked up on another thread (`LexiconForms.startLookups`).
private final class LexiconLookups: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    /// How many forms were pending when the lookups started.
    let count: Int
    var entries: [LexicalEntry] = []
    init(count: Int) { self.count = count }
}
