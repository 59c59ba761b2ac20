/// The OpenAPI 3.1 description of the API, served at `/openapi.json` (the same routes as CONTRACTS.md).
enum OpenAPIDocument {
    static let json = #"""
    {"openapi":"3.1.0",
    "info":{"title":"kzqa","version":"1","description":"French question answering over the indexed articles, with cited answers. Errors are {\"error\": \"…\"} with 400, 404, 413 or 500."},
    "paths":{
    "/api/ask":{
     "get":{"summary":"Answer one question","operationId":"askGet",
      "parameters":[
       {"name":"q","in":"query","required":true,"description":"The question, at most 4096 UTF-8 bytes.","schema":{"type":"string"}},
       {"name":"top","in":"query","description":"How many passages to list (default 5).","schema":{"type":"integer","minimum":1,"maximum":100}},
       {"name":"mode","in":"query","description":"Ranking mode (default hybrid).","schema":{"type":"string","enum":["hybrid","bm25","tfidf"]}},
       {"name":"lang","in":"query","description":"Language of the question; the answer's language field says the one it was read in.","schema":{"type":"string","enum":["fr","en"]}}],
      "responses":{"200":{"description":"The kzqa ask --json object","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Answer"}}}},
       "400":{"$ref":"#/components/responses/Error"},"413":{"$ref":"#/components/responses/Error"},"500":{"$ref":"#/components/responses/Error"}}},
     "post":{"summary":"Answer one question given as JSON","operationId":"askPost",
      "requestBody":{"required":true,"content":{"application/json":{"schema":{"type":"object","required":["question"],
       "properties":{"question":{"type":"string"},"top":{"type":"integer","minimum":1,"maximum":100},"mode":{"type":"string","enum":["hybrid","bm25","tfidf"]},"lang":{"type":"string","enum":["fr","en"]}}}}}},
      "responses":{"200":{"description":"The kzqa ask --json object","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Answer"}}}},
       "400":{"$ref":"#/components/responses/Error"},"413":{"$ref":"#/components/responses/Error"},"500":{"$ref":"#/components/responses/Error"}}}},
    "/api/passages/{passage_id}":{
     "get":{"summary":"One passage with its neighbours","operationId":"passage",
      "parameters":[{"name":"passage_id","in":"path","required":true,"schema":{"type":"string"}}],
      "responses":{"200":{"description":"The passage","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Passage"}}}},
       "404":{"$ref":"#/components/responses/Error"},"500":{"$ref":"#/components/responses/Error"}}}},
    "/api/health":{
     "get":{"summary":"The index being served","operationId":"health",
      "responses":{"200":{"description":"Index figures","content":{"application/json":{"schema":{"type":"object",
       "required":["index","passages","schema_version","analyzer"],
       "properties":{"index":{"type":"string"},"passages":{"type":"integer"},"schema_version":{"type":"string"},"analyzer":{"type":"string"}}}}}},
       "500":{"$ref":"#/components/responses/Error"}}}}},
    "components":{
     "responses":{"Error":{"description":"A refused or failed request","content":{"application/json":{"schema":{"type":"object","required":["error"],"properties":{"error":{"type":"string"}}}}}}},
     "schemas":{
      "Answer":{"type":"object","required":["question","answer","abstained","confidence","short_answer","language","citations","passages"],
       "properties":{"question":{"type":"string"},"answer":{"type":"string"},"abstained":{"type":"boolean"},"confidence":{"type":"number"},
        "short_answer":{"oneOf":[{"type":"null"},{"type":"object","required":["text","citation","source","start","end"],
         "properties":{"text":{"type":"string"},"citation":{"type":"integer"},"source":{"type":"string"},"start":{"type":"integer"},"end":{"type":"integer"}}}]},
        "language":{"type":"string","enum":["fr","en"]},
        "citations":{"type":"array","items":{"type":"object","required":["n","passage_id","source","title","start","end","quote"],
         "properties":{"n":{"type":"integer"},"passage_id":{"type":"string"},"source":{"type":"string"},"title":{"type":"string"},"start":{"type":"integer"},"end":{"type":"integer"},"quote":{"type":"string"}}}},
        "passages":{"type":"array","items":{"type":"object","required":["rank","passage_id","source","score","text"],
         "properties":{"rank":{"type":"integer"},"passage_id":{"type":"string"},"source":{"type":"string"},"score":{"type":"number"},"text":{"type":"string"}}}}}},
      "Passage":{"type":"object","required":["passage_id","source","title","paragraph","start","end","text","previous","next"],
       "properties":{"passage_id":{"type":"string"},"source":{"type":"string"},"title":{"type":"string"},"paragraph":{"type":"integer"},"start":{"type":"integer"},"end":{"type":"integer"},"text":{"type":"string"},
        "previous":{"type":["string","null"]},"next":{"type":["string","null"]}}}}}}

    """#
}
