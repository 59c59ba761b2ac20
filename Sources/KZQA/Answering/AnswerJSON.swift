/// The `kzqa ask --json` object (CONTRACTS.md), written by hand so that its keys come in the contract's order on every
/// run and numbers meant for people (confidence, scores) are rounded to 4 places. The CLI and `kzqa serve` both print
/// exactly this.
public enum AnswerJSON {
    /// One JSON object on one line: question, answer, abstained, confidence, short_answer, language, citations,
    /// passages.
    public static func encode(_ answer: Answer) -> String {
        var json = JSONText()
        write(answer, to: &json)
        return json.text
    }

    /// Writes the object as the next value of `json`.
    public static func write(_ answer: Answer, to json: inout JSONText) {
        json.object { o in
            o.member("question", answer.question)
            o.member("answer", answer.answer)
            o.member("abstained", answer.abstained)
            o.member("confidence", number: answer.confidence)
            o.key("short_answer")
            if let s = answer.shortAnswer {
                o.object { a in
                    a.member("text", s.text)
                    a.member("citation", s.citation)
                    a.member("source", s.source)
                    a.member("start", s.start)
                    a.member("end", s.end)
                }
            } else {
                o.null()
            }
            o.member("language", answer.language)
            o.key("citations")
            o.array { list in
                for c in answer.citations {
                    list.object { a in
                        a.member("n", c.n)
                        a.member("passage_id", c.passageID)
                        a.member("source", c.source)
                        a.member("title", c.title)
                        a.member("start", c.start)
                        a.member("end", c.end)
                        a.member("quote", c.quote)
                    }
                }
            }
            o.key("passages")
            o.array { list in
                for p in answer.passages {
                    list.object { a in
                        a.member("rank", p.rank)
                        a.member("passage_id", p.passageID)
                        a.member("source", p.source)
                        a.member("score", number: p.score)
                        a.member("text", p.text)
                    }
                }
            }
        }
    }
}
