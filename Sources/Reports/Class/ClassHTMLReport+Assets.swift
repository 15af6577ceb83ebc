extension ClassHTMLReport {
    // Inline CSS and JS: constants, the only unescaped text of the page.

    static let css: StaticString = """
        :root { color-scheme: light; --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
          --err: #9a6700; --err-bg: #fff8c5; --skip: #57606a; --skip-bg: #eaeef2; --line: #d0d7de; --accent: #0969da; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif;
          color: #1f2328; background: #f6f8fa; }
        main { max-width: 1200px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 4px; }
        h2 { font-size: 1.2em; margin: 28px 0 8px; }
        .meta, .legend { color: #57606a; margin: 4px 0 12px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 140px; }
        .card-value { display: block; font-size: 1.8em; font-weight: 600; }
        .card-label { color: #57606a; }
        #class-average .card-value { color: var(--accent); }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: middle; }
        thead th { background: #f6f8fa; position: sticky; top: 0; }
        thead th button { all: unset; cursor: pointer; font-weight: 600; }
        thead th button:focus-visible { outline: 2px solid var(--accent); }
        thead th[aria-sort="ascending"] button::after { content: " ▲"; }
        thead th[aria-sort="descending"] button::after { content: " ▼"; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .account { font-family: ui-monospace, monospace; }
        tbody th { white-space: nowrap; }
        .mark { white-space: nowrap; border-radius: 4px; }
        td.mark { text-align: center; }
        .mark.passed { color: var(--pass); background: var(--pass-bg); }
        .mark.failed { color: var(--fail); background: var(--fail-bg); }
        .mark.error { color: var(--err); background: var(--err-bg); }
        .mark.skipped { color: var(--skip); background: var(--skip-bg); }
        .mark.waived { color: var(--accent); background: #ddf4ff; }
        .mark.late, .mark.partial { outline: 2px dashed var(--err); outline-offset: -3px; }
        .mark .tag { font-size: 85%; font-weight: 600; }
        .mark.none { color: #8c959f; }
        .legend .mark, .counts .mark { padding: 1px 6px; margin-right: 4px; }
        .sym { font-weight: 700; }
        tr.error-row th, tr.error-row td.not-graded { color: var(--err); background: var(--err-bg); }
        table.bars { min-width: 60%; }
        .bar-cell { width: 40%; min-width: 160px; }
        .bar { height: 14px; background: #eaeef2; border-radius: 7px; overflow: hidden; }
        .bar .fill { height: 100%; background: var(--pass); }
        .bar.histogram .fill { background: var(--accent); }
        .reason { white-space: pre-wrap; }
        code { font-family: ui-monospace, monospace; font-size: 0.95em; }
        """

    static let script: StaticString = """
        (function () {
          "use strict";
          var table = document.getElementById("students");
          if (!table || !table.tHead || !table.tBodies.length) { return; }
          var heads = table.tHead.rows[0].cells;
          function key(cell) {
            return cell && cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : (cell ? cell.textContent.trim() : "");
          }
          Array.prototype.forEach.call(heads, function (th, column) {
            var button = th.querySelector("button");
            if (!button) { return; }
            button.addEventListener("click", function () {
              var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
              Array.prototype.forEach.call(heads, function (other) { other.setAttribute("aria-sort", "none"); });
              th.setAttribute("aria-sort", direction);
              var numeric = th.getAttribute("data-type") === "number";
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = key(a.cells[column]), y = key(b.cells[column]);
                var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
                if (direction === "descending") { order = -order; }
                return order !== 0 ? order : Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
              });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
          table.setAttribute("data-sortable", "ready");
        })();
        """
}
