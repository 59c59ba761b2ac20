/// The web page's stylesheet and script, bundled in the binary (no CDN, no build step) and served from `/app.css` and
/// `/app.js`: the Content-Security-Policy `default-src 'self'` forbids inline styles and scripts.
enum PageAssets {
    static let css = """
    :root { color-scheme: light dark; --accent: #0b5fa5; --mark: #ffe58a; --muted: #666; }
    * { box-sizing: border-box; }
    body { font: 17px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    header h1 { margin: 0; font-size: 1.6rem; } header h1 a { color: inherit; text-decoration: none; }
    header p { margin: .2rem 0 1rem; color: var(--muted); }
    label { font-weight: 600; display: block; margin-bottom: .3rem; }
    .ask { display: flex; gap: .5rem; }
    input[type=search] { flex: 1; font: inherit; padding: .55rem .7rem; border: 2px solid #999; border-radius: 6px; }
    input[type=search]:focus { outline: 3px solid var(--accent); border-color: var(--accent); }
    button { font: inherit; padding: .55rem 1rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
    button:focus-visible, summary:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
    .hint { font-size: .85rem; color: var(--muted); }
    kbd { border: 1px solid #aaa; border-radius: 3px; padding: 0 .3rem; font-size: .8rem; }
    mark { background: var(--mark); color: #000; padding: 0 .1rem; }
    .short { font-size: 1.5rem; margin: 1.2rem 0 .4rem; } .short .label { font-size: .9rem; color: var(--muted); display: block; }
    .answer { font-size: 1.1rem; } .confidence, .where { color: var(--muted); font-size: .85rem; }
    a.ref { text-decoration: none; font-weight: 600; }
    .citations, .passages { padding-left: 0; list-style: none; }
    .citations li, .passages li { border-left: 4px solid var(--accent); padding: .3rem .8rem; margin: .6rem 0; }
    .citations li:target { background: rgba(11, 95, 165, .08); }
    summary { cursor: pointer; } summary .n { font-weight: 700; color: var(--accent); }
    blockquote { margin: .5rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .abstained { border: 2px solid #c58b00; border-radius: 6px; padding: .2rem 1rem; margin-top: 1.2rem; }
    .abstained .notice { font-weight: 600; font-size: 1.1rem; }
    .passages li p { margin: .2rem 0; overflow-wrap: anywhere; }
    .error { color: #b00020; font-weight: 600; }
    footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
    code { overflow-wrap: anywhere; }

    """

    static let js = """
    // Keyboard-first: "/" focuses the question, Escape leaves it, 1–9 open or close citation n.
    "use strict";
    document.addEventListener("keydown", function (e) {
      var box = document.getElementById("q");
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/" && !typing && box) {
        e.preventDefault(); box.focus(); box.select();
      } else if (e.key === "Escape" && t === box) {
        box.blur();
      } else if (!typing && /^[1-9]$/.test(e.key)) {
        var d = document.querySelector("#c" + e.key + " details");
        if (d) { d.open = !d.open; d.querySelector("summary").focus(); }
      }
    });
    // A [n] mark in the answer opens the citation it points to.
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a.ref") : null;
      if (!a) return;
      var d = document.querySelector(a.getAttribute("href") + " details");
      if (d) d.open = true;
    });

    """
}
